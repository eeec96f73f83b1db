//! Rasterising an SVG to PNG with resvg and the bundled DejaVu Sans.

#[cfg(feature = "png")]
use crate::error::RenderError;
#[cfg(feature = "png")]
use crate::Error;

/// Widest PNG drawn, in pixels (`--width` is capped to it).
pub const MAX_PNG_WIDTH: u32 = 8_000;
/// Most pixels a PNG may have (40 megapixels: 160 MB while drawing); a
/// taller picture is scaled down to fit.
pub const MAX_PNG_PIXELS: u64 = 40_000_000;

/// Rasterises an SVG to PNG with resvg, `width` pixels wide (at most
/// [`MAX_PNG_WIDTH`], and scaled down to [`MAX_PNG_PIXELS`]).
#[cfg(feature = "png")]
pub fn svg_to_png(svg: &str, width: Option<u32>) -> Result<Vec<u8>, Error> {
    svg_to_pixmap(svg, width)?.encode_png().map_err(|e| {
        Error::Render(RenderError::PngEncoding {
            reason: e.to_string(),
        })
    })
}

/// The pixels of an SVG drawn by resvg on white, `width` pixels wide (at
/// most [`MAX_PNG_WIDTH`], and scaled down to [`MAX_PNG_PIXELS`]; twice
/// its own width by default).
#[cfg(feature = "png")]
pub(crate) fn svg_to_pixmap(
    svg: &str,
    width: Option<u32>,
) -> Result<resvg::tiny_skia::Pixmap, Error> {
    use resvg::{tiny_skia, usvg};
    let fontdb = fonts()?;
    let options = usvg::Options {
        fontdb,
        font_family: super::style::FONT.to_string(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| {
        Error::Render(RenderError::RasterInput {
            reason: e.to_string(),
        })
    })?;
    let size = tree.size();
    let natural = size.width().max(1.0);
    let target = width.map_or(natural * 2.0, |w| w as f32);
    // Never more than MAX_PNG_WIDTH wide nor MAX_PNG_PIXELS in all.
    let mut scale = target.clamp(16.0, MAX_PNG_WIDTH as f32) / natural;
    let pixels = (natural * scale) * (size.height().max(1.0) * scale);
    if pixels > MAX_PNG_PIXELS as f32 {
        scale *= (MAX_PNG_PIXELS as f32 / pixels).sqrt();
    }
    let w = (natural * scale).ceil().max(1.0) as u32;
    let h = (size.height() * scale).ceil().max(1.0) as u32;
    let mut pixmap =
        tiny_skia::Pixmap::new(w, h).ok_or(Error::Render(RenderError::PictureTooLarge {
            width: w,
            height: h,
        }))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

/// The fonts the PNG's text is drawn with, loaded once: DejaVu Sans, bundled
/// in the binary (the `dejavu` crate), so a PNG needs no system font and comes
/// out the same on every machine. Its metrics are the ones graphviz-pure lays
/// text out with.
#[cfg(feature = "png")]
fn fonts() -> Result<std::sync::Arc<resvg::usvg::fontdb::Database>, Error> {
    use std::sync::{Arc, OnceLock};
    static DB: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    let db = DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(dejavu::sans::regular().to_vec());
        db.load_font_data(dejavu::sans::bold().to_vec());
        db.load_font_data(dejavu::sans::oblique().to_vec());
        db.set_sans_serif_family(super::style::FONT);
        db.set_serif_family(super::style::FONT);
        Arc::new(db)
    });
    if db.is_empty() {
        return Err(Error::Render(RenderError::FontMissing));
    }
    Ok(db.clone())
}
