//! The animation as an animated PNG (APNG): each step's still drawn by
//! resvg, written with the `png` crate (already in the tree through resvg).
//!
//! The default image, what a viewer that does not play APNG shows (and
//! what many take as the thumbnail), is the end: the finding. The frames
//! after the first hold only the rectangle that changed, with the pixels
//! that did not change left transparent and blended over the frame before,
//! so a step costs little more than what it changes.

use super::scene::{Mode, Scene};
use crate::error::RenderError;
use crate::Error;

fn encoding(e: impl ToString) -> Error {
    Error::Render(RenderError::PngEncoding {
        reason: e.to_string(),
    })
}

/// A part of a frame: where it goes and its RGBA pixels.
struct Patch {
    x: u32,
    y: u32,
    width: u32,
    height: u32,
    data: Vec<u8>,
}

/// What changed from `before` to `after` (RGBA, `width` pixels a row):
/// the smallest rectangle holding every changed pixel, the unchanged ones
/// in it transparent; one transparent pixel when nothing changed.
fn patch(before: &[u8], after: &[u8], width: u32) -> Patch {
    let row = width as usize * 4;
    let rows = || before.chunks_exact(row).zip(after.chunks_exact(row));
    // Whole rows first (a slice comparison), then columns in changed rows.
    let changed: Vec<usize> = rows()
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(y, _)| y)
        .collect();
    let (Some(&y0), Some(&y1)) = (changed.first(), changed.last()) else {
        return Patch {
            x: 0,
            y: 0,
            width: 1,
            height: 1,
            data: vec![0; 4],
        };
    };
    let (mut x0, mut x1) = (usize::MAX, 0);
    for &y in &changed {
        let (a, b) = (
            &before[y * row..(y + 1) * row],
            &after[y * row..(y + 1) * row],
        );
        let first = a.iter().zip(b).position(|(p, q)| p != q).unwrap_or(0) / 4;
        let last = a.iter().zip(b).rposition(|(p, q)| p != q).unwrap_or(0) / 4;
        x0 = x0.min(first);
        x1 = x1.max(last);
    }
    let mut data = Vec::with_capacity((x1 - x0 + 1) * (y1 - y0 + 1) * 4);
    for (a, b) in rows().skip(y0).take(y1 - y0 + 1) {
        let (a, b) = (&a[x0 * 4..(x1 + 1) * 4], &b[x0 * 4..(x1 + 1) * 4]);
        if a == b {
            data.resize(data.len() + a.len(), 0);
            continue;
        }
        for (p, q) in a.chunks_exact(4).zip(b.chunks_exact(4)) {
            data.extend_from_slice(if p == q { &[0, 0, 0, 0] } else { q });
        }
    }
    let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    Patch {
        x: n(x0),
        y: n(y0),
        width: n(x1 - x0 + 1),
        height: n(y1 - y0 + 1),
        data,
    }
}

/// The APNG of `scene`, `width` pixels wide: the end as the default image,
/// then one frame per step, the last held, looping. Two steps are drawn at
/// a time where there are two cores.
pub(crate) fn apng(scene: &Scene, width: u32) -> Result<Vec<u8>, Error> {
    let n = scene.steps.len();
    let draw =
        |i: usize| crate::render::png::svg_to_pixmap(&scene.svg(Mode::Still(i)), Some(width));
    let end = draw(n.saturating_sub(1))?;
    let mut out = Vec::new();
    write(scene, &mut out, end, &draw)?;
    Ok(out)
}

/// Writes the APNG to `out`: `end` as the default image, then each step
/// drawn by `draw`.
fn write(
    scene: &Scene,
    out: &mut Vec<u8>,
    end: resvg::tiny_skia::Pixmap,
    draw: &(dyn Fn(usize) -> Result<resvg::tiny_skia::Pixmap, Error> + Sync),
) -> Result<(), Error> {
    let n = scene.steps.len();
    let (w, h) = (end.width(), end.height());
    let mut encoder = png::Encoder::new(out, w, h);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    let frames = u32::try_from(n).map_err(encoding)?;
    encoder.set_animated(frames, 0).map_err(encoding)?;
    encoder.set_sep_def_img(true).map_err(encoding)?;
    let mut writer = encoder.write_header().map_err(encoding)?;
    writer.write_image_data(end.data()).map_err(encoding)?;
    let mut frames = Frames {
        writer,
        before: None,
        size: (w, h),
    };
    let two = crate::par::two_cores();
    let mut i = 0;
    while i < n {
        let pair = i + 1 < n;
        let (next, now) = crate::par::both(
            two && pair,
            || pair.then(|| draw(i + 1)).transpose(),
            || draw(i),
        );
        for (k, pixmap) in [(i, Some(now?)), (i + 1, next?)] {
            if let Some(p) = pixmap {
                let ms = scene.pace.step + if k + 1 == n { scene.pace.hold } else { 0 };
                frames.add(p, ms)?;
            }
        }
        i += 2;
    }
    frames.writer.finish().map_err(encoding)
}

/// The frames written so far.
struct Frames<W: std::io::Write> {
    writer: png::Writer<W>,
    /// The last frame's pixels.
    before: Option<Vec<u8>>,
    size: (u32, u32),
}

impl<W: std::io::Write> Frames<W> {
    /// Writes the next frame, shown for `ms` milliseconds: whole the first
    /// time, then what changed.
    fn add(&mut self, now: resvg::tiny_skia::Pixmap, ms: u32) -> Result<(), Error> {
        let (w, h) = self.size;
        if (now.width(), now.height()) != (w, h) {
            return Err(encoding("the frames differ in size"));
        }
        let part = match &self.before {
            None => Patch {
                x: 0,
                y: 0,
                width: w,
                height: h,
                data: now.data().to_vec(),
            },
            Some(b) => patch(b, now.data(), w),
        };
        let blend = if self.before.is_none() {
            png::BlendOp::Source
        } else {
            png::BlendOp::Over
        };
        let writer = &mut self.writer;
        writer.reset_frame_position().map_err(encoding)?;
        writer
            .set_frame_dimension(part.width, part.height)
            .map_err(encoding)?;
        writer
            .set_frame_position(part.x, part.y)
            .map_err(encoding)?;
        writer
            .set_frame_delay(u16::try_from(ms).unwrap_or(u16::MAX), 1000)
            .map_err(encoding)?;
        writer.set_blend_op(blend).map_err(encoding)?;
        writer
            .set_dispose_op(png::DisposeOp::None)
            .map_err(encoding)?;
        writer.write_image_data(&part.data).map_err(encoding)?;
        self.before = Some(now.take());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::patch;

    #[test]
    fn a_patch_holds_only_what_changed() {
        let before = vec![255u8; 4 * 4 * 3];
        let mut after = before.clone();
        // Pixel (2, 1) turns black.
        let i = (4 + 2) * 4;
        after[i..i + 3].copy_from_slice(&[0, 0, 0]);
        let p = patch(&before, &after, 4);
        assert_eq!((p.x, p.y, p.width, p.height), (2, 1, 1, 1));
        assert_eq!(p.data, vec![0, 0, 0, 255]);
        let same = patch(&before, &before, 4);
        assert_eq!((same.width, same.height, same.data), (1, 1, vec![0; 4]));
    }
}
