//! A small inline SVG line chart of one row: the measure across the periods.
//!
//! In: a row of the table and the column labels. Out: an `<svg>` element, self-contained
//! (no fonts, scripts or links), with the periods on the x axis, a few round values on the
//! y axis, and each point labelled with its figure. Why SVG: the HTML page must open in any
//! browser without network, and vectors stay sharp when printed.

use std::fmt::Write;

use super::cell::number;
use super::markup::escape;
use super::table::{Column, Row};

const SLOT: f64 = 68.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 22.0;
const BOTTOM: f64 = 34.0;
const HEIGHT: f64 = 140.0;
const PLOT: f64 = HEIGHT - TOP - BOTTOM;
/// Width of one character of the 10px labels, generously.
const CHAR: f64 = 6.0;
/// Longest period label shown under a point (the full one is in the tooltip).
const LABEL_CHARS: usize = 30;

/// Room for the y axis labels of a row's chart; give the widest of a table's rows to every
/// chart so that their periods line up from row to row.
pub fn axis_width(row: &Row) -> f64 {
    let scale = Scale::new(points(row).into_iter().map(|(_, v)| v), TOP, PLOT);
    let widest = scale
        .ticks()
        .iter()
        .map(|t| number(*t).len())
        .max()
        .unwrap_or(1);
    (widest as f64 * CHAR + 10.0).max(32.0)
}

/// The chart of one row, with `unit` written above the y axis and `left` room for its
/// labels.
pub fn svg(row: &Row, columns: &[Column], unit: &str, left: f64) -> String {
    let points = points(row);
    let frame = Frame {
        left,
        width: left + RIGHT + SLOT * columns.len().max(2) as f64,
        scale: Scale::new(points.iter().map(|(_, v)| *v), TOP, PLOT),
    };
    let (width, height) = (frame.width, HEIGHT);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{}"><title>{}</title>"#,
        escape(&row.indicator),
        escape(&row.indicator)
    );
    let _ = write!(
        out,
        r#"<text class="unit" x="2" y="{}">{}</text>"#,
        TOP - 12.0,
        escape(unit)
    );
    axis_y(&mut out, &frame);
    axis_x(&mut out, &frame, columns);
    line(&mut out, &frame, &points);
    dots(&mut out, &frame, &points, columns, unit);
    out.push_str("</svg>");
    out
}

/// Where things stand.
struct Frame {
    left: f64,
    width: f64,
    scale: Scale,
}

impl Frame {
    fn x(&self, column: usize) -> f64 {
        self.left + SLOT * (column as f64 + 0.5)
    }

    fn y(&self, value: f64) -> f64 {
        self.scale.y(value)
    }
}

/// (column, value) of every cell in the row's unit: a figure in another unit is not on the
/// same scale.
fn points(row: &Row) -> Vec<(usize, f64)> {
    row.cells
        .iter()
        .enumerate()
        .filter_map(|(i, cell)| {
            let cell = cell.as_ref()?;
            let same_unit = row.unit.is_none() || cell.unit == row.unit;
            (same_unit && cell.value.is_finite()).then_some((i, cell.value))
        })
        .collect()
}

/// Round ticks around the values, and where a value stands on the plot.
struct Scale {
    low: f64,
    high: f64,
    step: f64,
    top: f64,
    height: f64,
}

impl Scale {
    fn new(values: impl Iterator<Item = f64>, top: f64, height: f64) -> Scale {
        let (mut low, mut high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        });
        if !low.is_finite() {
            (low, high) = (0.0, 1.0);
        }
        if high <= low {
            // One value (or equal values): a band around it, so the line sits mid-plot.
            let pad = (low.abs() * 0.1).max(1.0);
            (low, high) = (low - pad, high + pad);
        }
        let step = nice_step((high - low) / 3.0);
        Scale {
            low: (low / step).floor() * step,
            high: (high / step).ceil() * step,
            step,
            top,
            height,
        }
    }

    fn y(&self, value: f64) -> f64 {
        self.top + self.height * (1.0 - (value - self.low) / (self.high - self.low))
    }

    fn ticks(&self) -> Vec<f64> {
        let count = ((self.high - self.low) / self.step).round() as usize;
        (0..=count.min(10))
            .map(|i| self.low + self.step * i as f64)
            .collect()
    }
}

/// 1, 2 or 5 times a power of ten, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|step| *step >= raw)
        .unwrap_or(10.0 * power)
}

fn axis_y(out: &mut String, frame: &Frame) {
    for tick in frame.scale.ticks() {
        let y = frame.y(tick);
        let _ = write!(
            out,
            r#"<line class="grid" x1="{}" x2="{}" y1="{y:.1}" y2="{y:.1}"/><text class="tick" x="{}" y="{:.1}">{}</text>"#,
            frame.left,
            frame.width - RIGHT,
            frame.left - 6.0,
            y + 3.5,
            number(tick)
        );
    }
}

fn axis_x(out: &mut String, frame: &Frame, columns: &[Column]) {
    let base = HEIGHT - BOTTOM + 14.0;
    for (i, column) in columns.iter().enumerate() {
        let (first, second) = two_lines(&column.label);
        let x = frame.x(i);
        let _ = write!(
            out,
            r#"<text class="period" x="{x:.1}" y="{base}"><title>{}</title><tspan x="{x:.1}">{}</tspan><tspan x="{x:.1}" dy="11">{}</tspan></text>"#,
            escape(&column.label),
            escape(&first),
            escape(&second)
        );
    }
}

/// A label in two lines of about equal length, shortened when very long.
fn two_lines(label: &str) -> (String, String) {
    let label: String = if label.chars().count() > LABEL_CHARS {
        label.chars().take(LABEL_CHARS - 1).chain(['…']).collect()
    } else {
        label.to_string()
    };
    let words: Vec<&str> = label.split_whitespace().collect();
    let total: usize = label.chars().count();
    let mut first = Vec::new();
    let mut length = 0;
    for word in &words {
        if !first.is_empty() && (length + word.chars().count()) * 2 > total + 2 {
            break;
        }
        length += word.chars().count() + 1;
        first.push(*word);
    }
    let second = words[first.len()..].join(" ");
    (first.join(" "), second)
}

/// Neighbouring figures are joined by a solid line; across a period without a figure the
/// line is dashed, so a gap is not mistaken for a figure.
fn line(out: &mut String, frame: &Frame, points: &[(usize, f64)]) {
    for pair in points.windows(2) {
        let ((i, a), (j, b)) = (pair[0], pair[1]);
        let class = if j == i + 1 { "line" } else { "line gap" };
        let _ = write!(
            out,
            r#"<line class="{class}" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
            frame.x(i),
            frame.y(a),
            frame.x(j),
            frame.y(b)
        );
    }
}

fn dots(out: &mut String, frame: &Frame, points: &[(usize, f64)], columns: &[Column], unit: &str) {
    for &(i, value) in points {
        let (cx, cy) = (frame.x(i), frame.y(value));
        let label = columns.get(i).map_or("", |c| c.label.as_str());
        let _ = write!(
            out,
            r#"<circle class="dot" cx="{cx:.1}" cy="{cy:.1}" r="3.5"><title>{}: {} {}</title></circle><text class="value" x="{cx:.1}" y="{:.1}">{}</text>"#,
            escape(label),
            number(value),
            escape(unit),
            cy - 8.0,
            number(value)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(1.2), 2.0);
        assert_eq!(nice_step(0.3), 0.5);
        assert_eq!(nice_step(40.0), 50.0);
        assert_eq!(nice_step(100.0), 100.0);
    }

    #[test]
    fn scale_covers_the_values_with_round_ends() {
        let scale = Scale::new([46.2, 48.0, 49.1, 50.3].into_iter(), 0.0, 100.0);
        assert_eq!((scale.low, scale.high, scale.step), (46.0, 52.0, 2.0));
        assert!(scale.y(46.2) < 100.0 && scale.y(50.3) > 0.0);
        let flat = Scale::new([5.0, 5.0].into_iter(), 0.0, 100.0);
        assert!(flat.low < 5.0 && flat.high > 5.0);
        let empty = Scale::new(std::iter::empty(), 0.0, 100.0);
        assert!(empty.high > empty.low);
    }

    #[test]
    fn labels_split_in_two_lines() {
        assert_eq!(
            two_lines("6 tháng đầu năm 2025"),
            ("6 tháng đầu".to_string(), "năm 2025".to_string())
        );
        assert_eq!(two_lines("a.txt"), ("a.txt".to_string(), String::new()));
    }
}
