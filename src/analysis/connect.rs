//! connect (to come)
