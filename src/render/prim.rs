//! The SVG primitives every drawing stage shares: the laid-out [`Drawing`],
//! the font stack text is drawn in and the ids of the root's title and
//! description. A leaf: it imports nothing else of `render` (text is
//! escaped by [`crate::escape::svg`]).

/// A laid-out graph ready to be framed: the inner content of an SVG root
/// (escaped, with our titles and text) and its size.
pub(crate) struct Drawing {
    /// The content, in the layout's coordinates.
    pub body: String,
    /// Width of its viewBox.
    pub width: f64,
    /// Height of its viewBox.
    pub height: f64,
}

/// The ids the SVG uses for the root's title and description.
pub const TITLE_ID: &str = "grapevine-title";
/// See [`TITLE_ID`].
pub const DESC_ID: &str = "grapevine-desc";

/// The fonts text is drawn in: DejaVu Sans (whose metrics the layout uses),
/// then fonts of the same width, then any sans-serif.
pub const FONT_STACK: &str = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, Geneva, sans-serif";

/// The numbers of an SVG root's `viewBox` (`x y width height`, spaces or
/// commas); empty when it has none.
pub(crate) fn view_box(root: roxmltree::Node<'_, '_>) -> Vec<f64> {
    root.attribute("viewBox")
        .unwrap_or("")
        .split([' ', ','])
        .filter_map(|t| t.parse::<f64>().ok())
        .collect()
}
