//! How tangled a Graphviz layout is: how often its contacts' lines cross
//! lines they share no node with. A whole-story picture whose lines cross
//! more than once a line on average is not one a reader can follow.

/// Crossings per line past which a layout is refused as a tangle (the
/// stories in `graphs/` have at most 0.4 at column width; a dense random
/// story of 60 people and 180 contacts, 1.4).
pub(crate) const MOST_CROSSINGS_PER_LINE: f64 = 1.0;

type Point = (f64, f64);

/// How many times, on average, a line of Graphviz's SVG `raw` crosses
/// another that shares no node with it.
pub(crate) fn crossings_per_line(raw: &str) -> f64 {
    let lines = lines(raw);
    crossings(&lines) as f64 / lines.len().max(1) as f64
}

/// Whether the lines of `raw` cross more than [`MOST_CROSSINGS_PER_LINE`]
/// times a line.
#[cfg(test)]
fn tangled(raw: &str) -> bool {
    crossings_per_line(raw) > MOST_CROSSINGS_PER_LINE
}

/// A line: its two ends' node names and its points.
struct Line {
    ends: (String, String),
    points: Vec<Point>,
    bounds: (f64, f64, f64, f64),
}

/// The contacts' lines of a Graphviz SVG (the time axis left out).
fn lines(raw: &str) -> Vec<Line> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let Ok(doc) = roxmltree::Document::parse_with_options(raw, options) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for g in doc.descendants().filter(|n| n.has_tag_name("g")) {
        let id = g.attribute("id").unwrap_or("");
        if g.attribute("class") != Some("edge") || id.starts_with("axis") {
            continue;
        }
        let title = g
            .children()
            .find(|n| n.has_tag_name("title"))
            .and_then(|t| t.text())
            .unwrap_or("");
        let Some((a, b)) = title.split_once("->").or_else(|| title.split_once("--")) else {
            continue;
        };
        for path in g.descendants().filter(|n| n.has_tag_name("path")) {
            let points = bezier_points(path.attribute("d").unwrap_or(""));
            if points.len() < 2 {
                continue;
            }
            let bounds = points.iter().fold(
                (f64::MAX, f64::MAX, f64::MIN, f64::MIN),
                |(x0, y0, x1, y1), &(x, y)| (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
            );
            out.push(Line {
                ends: (a.to_string(), b.to_string()),
                points,
                bounds,
            });
        }
    }
    out
}

/// Points along a Graphviz path (`M x,y C x,y x,y x,y ...`), eight a curve.
fn bezier_points(d: &str) -> Vec<Point> {
    let nums: Vec<f64> = d
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == 'e'))
        .filter_map(|t| t.parse::<f64>().ok())
        .collect();
    let pts: Vec<Point> = nums.chunks_exact(2).map(|p| (p[0], p[1])).collect();
    let Some(&first) = pts.first() else {
        return Vec::new();
    };
    let mut out = vec![first];
    for c in pts[1..].chunks_exact(3) {
        let p0 = out[out.len() - 1];
        for k in 1..=8 {
            let t = f64::from(k) / 8.0;
            let u = 1.0 - t;
            let at = |a: f64, b: f64, c2: f64, d2: f64| {
                u * u * u * a + 3.0 * u * u * t * b + 3.0 * u * t * t * c2 + t * t * t * d2
            };
            out.push((
                at(p0.0, c[0].0, c[1].0, c[2].0),
                at(p0.1, c[0].1, c[1].1, c[2].1),
            ));
        }
    }
    out
}

/// How many times two lines that share no node cross.
fn crossings(lines: &[Line]) -> usize {
    let mut n = 0;
    for (i, a) in lines.iter().enumerate() {
        for b in &lines[i + 1..] {
            let shared = [&b.ends.0, &b.ends.1].contains(&&a.ends.0)
                || [&b.ends.0, &b.ends.1].contains(&&a.ends.1);
            let apart = a.bounds.2 < b.bounds.0
                || b.bounds.2 < a.bounds.0
                || a.bounds.3 < b.bounds.1
                || b.bounds.3 < a.bounds.1;
            if shared || apart {
                continue;
            }
            for s in a.points.windows(2) {
                n += b
                    .points
                    .windows(2)
                    .filter(|t| cross(s[0], s[1], t[0], t[1]))
                    .count();
            }
        }
    }
    n
}

/// Whether segments p–q and r–s cross (touching does not count).
fn cross(p: Point, q: Point, r: Point, s: Point) -> bool {
    let side = |a: Point, b: Point, c: Point| (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0);
    side(p, q, r) * side(p, q, s) < 0.0 && side(r, s, p) * side(r, s, q) < 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(edges: &[(&str, &str, &str)]) -> String {
        let mut s = String::from("<svg xmlns=\"http://www.w3.org/2000/svg\">");
        for (a, b, d) in edges {
            s.push_str(&format!(
                "<g class=\"edge\"><title>{a}&#45;&gt;{b}</title><path d=\"{d}\"/></g>"
            ));
        }
        s.push_str("</svg>");
        s
    }

    #[test]
    fn an_x_is_one_crossing_and_a_shared_node_none() {
        let x = svg(&[
            ("a", "b", "M0,0C3,3 6,6 10,10"),
            ("c", "d", "M0,10C3,7 6,4 10,0"),
        ]);
        assert_eq!(crossings(&lines(&x)), 1);
        assert!(!tangled(&x));
        let shared = svg(&[
            ("a", "b", "M0,0C3,3 6,6 10,10"),
            ("a", "d", "M0,10C3,7 6,4 10,0"),
        ]);
        assert_eq!(crossings(&lines(&shared)), 0);
    }

    #[test]
    fn a_grid_of_crossing_lines_is_a_tangle() {
        let mut edges = Vec::new();
        let names: Vec<(String, String, String)> = (0..6)
            .map(|i| {
                let v = format!("M{},0C{},30 {},60 {},100", i * 10, i * 10, i * 10, i * 10);
                (format!("v{i}"), format!("w{i}"), v)
            })
            .chain((0..6).map(|i| {
                let h = format!(
                    "M-5,{}C30,{} 60,{} 100,{}",
                    i * 10 + 5,
                    i * 10 + 5,
                    i * 10 + 5,
                    i * 10 + 5
                );
                (format!("h{i}"), format!("k{i}"), h)
            }))
            .collect();
        for (a, b, d) in &names {
            edges.push((a.as_str(), b.as_str(), d.as_str()));
        }
        assert!(tangled(&svg(&edges)));
    }
}
