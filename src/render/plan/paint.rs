//! How a planned node or edge is painted: shape, line style, colours and
//! pen width, derived in one place from what it is (its kind, certainty and
//! role in the focus). [`crate::render::dot`] writes them as DOT attributes;
//! the cascade draws with them directly.

use super::{EdgeEnd, EdgeKind, EntityMark, NodeKind, PEdge, PNode, Role};
use crate::model::Certainty;
use crate::render::style::{certainty_style, kind_style, CONTEXT_GREY, FADED_FILL, FADED_LINE};

/// A node's paint.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NodePaint {
    /// Graphviz shape name.
    pub shape: &'static str,
    /// Graphviz style list (`filled`, `rounded`, `dashed`, ...).
    pub style: String,
    /// Outline colour.
    pub color: &'static str,
    /// Fill colour, when filled.
    pub fill: Option<&'static str>,
    /// Text colour, when not the default.
    pub font_color: Option<&'static str>,
    /// Outline width, when not the default.
    pub pen: Option<f64>,
}

/// An edge's paint.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EdgePaint {
    /// Graphviz line style (`solid`, `dashed`, `dotted`).
    pub style: &'static str,
    /// Line colour.
    pub color: &'static str,
    /// Line width, when not the default.
    pub pen: Option<f64>,
    /// Label colour, when not the default.
    pub font_color: Option<&'static str>,
}

impl EdgePaint {
    /// A key that is equal for edges painted the same (pen width by its
    /// bits: the widths are a few fixed numbers).
    pub(crate) fn key(
        &self,
    ) -> (
        &'static str,
        &'static str,
        Option<u64>,
        Option<&'static str>,
    ) {
        (
            self.style,
            self.color,
            self.pen.map(f64::to_bits),
            self.font_color,
        )
    }
}

impl PNode {
    /// How this node is painted.
    pub(crate) fn paint(&self) -> NodePaint {
        match &self.kind {
            NodeKind::Entity { kind, mark } => {
                let ks = kind_style(*kind);
                let (color, fill, font_color) = match mark {
                    EntityMark::NotReached => (FADED_LINE, FADED_FILL, Some(CONTEXT_GREY)),
                    _ => (ks.border, ks.fill, None),
                };
                let style = match mark {
                    EntityMark::Reached { weak: Some(c) } => {
                        format!("{},{}", ks.style, certainty_style(*c).style)
                    }
                    _ => ks.style.to_string(),
                };
                let pen = match mark {
                    EntityMark::Plain => Some(1.5),
                    EntityMark::Source | EntityMark::Reached { .. } => Some(3.0),
                    EntityMark::NotReached => None,
                };
                NodePaint {
                    shape: ks.shape,
                    style,
                    color,
                    fill: Some(fill),
                    font_color,
                    pen,
                }
            }
            NodeKind::Hub { certainty, role } => {
                let cs = certainty_style(*certainty);
                NodePaint {
                    shape: "box",
                    style: format!("rounded,filled,{}", cs.style),
                    color: match role {
                        Role::Chain => "#000000",
                        Role::Context => FADED_LINE,
                        Role::Alone => cs.color,
                    },
                    fill: Some("#ffffff"),
                    font_color: Some(if *role == Role::Context {
                        CONTEXT_GREY
                    } else {
                        "#222222"
                    }),
                    pen: Some(if *role == Role::Chain { 2.0 } else { 1.0 }),
                }
            }
            NodeKind::Axis => NodePaint {
                shape: "plaintext",
                style: String::new(),
                color: "",
                fill: None,
                font_color: Some("#444444"),
                pen: None,
            },
        }
    }
}

impl PEdge {
    /// How this edge is painted.
    pub(crate) fn paint(&self) -> EdgePaint {
        match &self.kind {
            EdgeKind::Contact {
                certainty, role, ..
            } => {
                let cs = certainty_style(*certainty);
                let (color, pen, font_color) = match role {
                    Role::Chain => ("#000000", Some(2.5), Some("#000000")),
                    Role::Context => (FADED_LINE, None, Some(CONTEXT_GREY)),
                    Role::Alone => (
                        cs.color,
                        Some(1.2),
                        (*certainty == Certainty::Unknown).then_some("#555555"),
                    ),
                };
                EdgePaint {
                    style: cs.style,
                    color,
                    pen,
                    font_color,
                }
            }
            EdgeKind::Relation {
                certainty, faded, ..
            } => EdgePaint {
                style: certainty_style(*certainty).style,
                color: if *faded { FADED_LINE } else { CONTEXT_GREY },
                pen: Some(0.8),
                font_color: Some("#666666"),
            },
        }
    }

    /// Whether it has no arrowhead (a meeting's tie, a hub's sender line).
    pub(crate) fn headless(&self) -> bool {
        matches!(
            self.kind,
            EdgeKind::Contact {
                end: EdgeEnd::Mutual | EdgeEnd::ToHub,
                ..
            }
        )
    }
}
