//! Text widths in DejaVu Sans (the font every label is laid out with), for
//! wrapping captions, keys and lane names to the width a picture is drawn at.
//!
//! The widths are DejaVu Sans's advance widths (units of 1/2048 em) for
//! printable ASCII, the table graphviz-pure and Graphviz use; any other
//! character counts as a digit's width, or a full em for wide scripts and
//! emoji, so an estimate errs on the wide side.

/// Advance widths of ASCII 32..=126, regular.
const REGULAR: [u16; 95] = [
    651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690, 1303,
    1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087, 2048,
    1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612, 1235,
    1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024, 1024,
    1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253, 1300,
    1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716,
];
/// Advance widths of ASCII 32..=126, bold.
const BOLD: [u16; 95] = [
    713, 934, 1067, 1716, 1425, 2052, 1786, 627, 936, 936, 1071, 1716, 778, 850, 778, 748, 1425,
    1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 819, 819, 1716, 1716, 1716, 1188, 2048,
    1585, 1561, 1503, 1700, 1399, 1399, 1681, 1714, 762, 762, 1587, 1305, 2038, 1714, 1741, 1501,
    1741, 1577, 1475, 1397, 1663, 1585, 2259, 1579, 1483, 1485, 936, 748, 936, 1716, 1024, 1024,
    1382, 1466, 1214, 1466, 1389, 891, 1466, 1458, 702, 702, 1362, 702, 2134, 1458, 1407, 1466,
    1466, 1010, 1219, 979, 1458, 1335, 1892, 1321, 1335, 1192, 1458, 748, 1458, 1716,
];

fn advance(c: char, bold: bool) -> u32 {
    let table = if bold { &BOLD } else { &REGULAR };
    match c as u32 {
        32..=126 => u32::from(table[(c as u32 - 32) as usize]),
        // Combining marks and invisible format characters take no room.
        0x0300..=0x036F | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0xFE00..=0xFE0F => {
            0
        }
        // East Asian wide characters and emoji.
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFF00..=0xFF60
        | 0x1F000..=0x1FAFF
        | 0x20000..=0x3FFFD => 2048,
        _ => 1303,
    }
}

/// Width of `text` in CSS pixels at `size` pixels, regular or bold.
pub(crate) fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let units: u32 = text.chars().map(|c| advance(c, bold)).sum();
    f64::from(units) / 2048.0 * size
}

/// Wraps `text` (one line of display text) into lines at most `width`
/// pixels wide at `size` pixels, breaking at spaces, and inside a word only
/// when the word alone is wider than a line. Nothing is cut.
pub(crate) fn wrap_px(text: &str, width: f64, size: f64, bold: bool) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size, bold) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word wider than a line is broken where it must.
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if text_width(&piece, size, bold) > width && piece.chars().count() > 1 {
                piece.pop();
                lines.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        line = piece;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Wraps `text` into lines at most `width` pixels wide at `size` pixels
/// (regular), breaking at spaces only: a word wider than a line keeps a
/// line of its own, whole.
pub(crate) fn wrap_words(text: &str, width: f64, size: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || text_width(&candidate, size, false) <= width {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::{text_width, wrap_px};

    #[test]
    fn widths_and_wrapping() {
        // "Hope Hicks" in DejaVu Sans at 14 px is about 79 px.
        let w = text_width("Hope Hicks", 14.0, false);
        assert!((75.0..85.0).contains(&w), "{w}");
        let lines = wrap_px(
            "Not reached: fourteen others, among them Paul Manafort",
            200.0,
            13.0,
            false,
        );
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l, 13.0, false) <= 200.0));
        assert_eq!(
            lines.join(" "),
            "Not reached: fourteen others, among them Paul Manafort"
        );
        let long = "x".repeat(100);
        let lines = wrap_px(&long, 50.0, 13.0, false);
        assert_eq!(lines.concat(), long);
        assert_eq!(super::wrap_words(&long, 50.0, 13.0), vec![long.clone()]);
        assert_eq!(
            super::wrap_words("News organisations", 80.0, 14.0),
            vec!["News", "organisations"]
        );
    }
}
