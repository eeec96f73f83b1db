//! Typed numbers for the things an input numbers: entities, events, the
//! channels of the index, and the nodes the time-respecting algorithms walk
//! (entities, then the hubs of large meetings). Each is a `u32` with no cost
//! over one ([`EntityId::index`] and friends give the `usize` to index a
//! column with), so a channel cannot be passed where an entity is meant.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        #[repr(transparent)]
        pub struct $name(pub u32);

        impl $name {
            /// The number as an index into a column.
            #[inline]
            pub const fn index(self) -> usize {
                self.0 as usize
            }

            /// The number of column index `i` (which must fit 32 bits).
            #[inline]
            pub const fn at(i: usize) -> $name {
                $name(i as u32)
            }

            /// The first `count` numbers, ascending.
            pub fn all(count: usize) -> impl DoubleEndedIterator<Item = $name> + ExactSizeIterator {
                (0..count as u32).map($name)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type! {
    /// An entity: `0..entity_count()` of its catalogue.
    EntityId
}

id_type! {
    /// An event: `0..event_count()` of its catalogue.
    EventId
}

id_type! {
    /// A channel: a position in the time-sorted channels of a
    /// [`crate::catalog::Channels`] or an [`crate::Index`].
    ChannelId
}

id_type! {
    /// A meeting's hub: `0..hubs` ([`crate::catalog::Channels::hubs`]).
    HubId
}

id_type! {
    /// A node the time-respecting algorithms walk: the entities keep their
    /// numbers, and hub `h` is node `entity_count() + h`. Which one a node is
    /// depends on the entity count: ask [`crate::Index::node`].
    NodeId
}

impl From<EntityId> for NodeId {
    #[inline]
    fn from(u: EntityId) -> NodeId {
        NodeId(u.0)
    }
}

/// A node told apart: an entity or a meeting's hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Node {
    /// An entity.
    Entity(EntityId),
    /// The hub of a meeting of [`crate::catalog::HUB_MIN`] or more.
    Hub(HubId),
}

impl Node {
    /// The node of `u` among `entities` entities.
    #[inline]
    pub fn of(u: NodeId, entities: usize) -> Node {
        match u.0.checked_sub(entities as u32) {
            Some(h) => Node::Hub(HubId(h)),
            None => Node::Entity(EntityId(u.0)),
        }
    }

    /// The entity, if it is one.
    #[inline]
    pub fn entity(self) -> Option<EntityId> {
        match self {
            Node::Entity(u) => Some(u),
            Node::Hub(_) => None,
        }
    }
}

/// One hop of a chain as people read it: `from` told `to` through
/// `channel` (a pass through a meeting's hub is one hop).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hop {
    /// The sender.
    pub from: NodeId,
    /// The receiver (never a hub).
    pub to: NodeId,
    /// The channel it went through (out of the hub, for a meeting's).
    pub channel: ChannelId,
}
