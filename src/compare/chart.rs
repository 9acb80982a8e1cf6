//! A small inline SVG line chart of one row: the measure across the periods.
//!
//! In: a row of the table, the column labels and how to draw ([`Style`]). Out: an `<svg>`
//! element, self-contained (no fonts, scripts or links), with the periods on the x axis, a
//! few round values on a y axis of its own that starts at 0 (and for shares of the plan
//! reaches the 100% line, so that neither a zoom nor the axis exaggerates a change), and
//! each point labelled with its figure. A period without a figure breaks the line. Why SVG:
//! the HTML page must open in any browser without network, and vectors stay sharp when
//! printed.

use std::fmt::Write;

use super::cell::number;
use super::markup::escape;
use super::table::{Column, Row};

const SLOT: f64 = 80.0;
const RIGHT: f64 = 8.0;
/// Width of one character of the 9px reference label, generously.
const SMALL_CHAR: f64 = 5.5;
const TOP: f64 = 22.0;
const BOTTOM: f64 = 46.0;
const HEIGHT: f64 = 152.0;
const PLOT: f64 = HEIGHT - TOP - BOTTOM;
/// Width of one character of the 10px labels, generously.
const CHAR: f64 = 6.0;
/// Longest period label shown under a point (the full one is in the tooltip).
const LABEL_CHARS: usize = 30;
/// Longest place (or period) shown under that.
const DETAIL_CHARS: usize = 14;
/// Colours the page's style sheet has for series (`.s0` ...); more places repeat them.
const SERIES_COLOURS: usize = 4;

/// How a table's charts are drawn.
#[derive(Clone, Copy)]
pub struct Style<'a> {
    /// Written above the y axis.
    pub unit: &'a str,
    /// A reference line (100 for shares of the plan) and its label.
    pub reference: Option<(f64, &'a str)>,
    /// Whether neighbouring points are joined: periods are a sequence, provinces are not.
    pub joined: bool,
}

/// Room for the y axis labels of a row's chart; give the widest of a table's rows to every
/// chart so that their periods line up from row to row.
pub fn axis_width(row: &Row, style: &Style) -> f64 {
    let scale = scale(row, style);
    let widest = scale
        .ticks()
        .iter()
        .map(|t| number(*t).len())
        .max()
        .unwrap_or(1);
    (widest as f64 * CHAR + 10.0).max(32.0)
}

/// One scale per chart: from 0 (or the lowest figure below it) to the highest figure, and
/// to the reference line.
fn scale(row: &Row, style: &Style) -> Scale {
    let values = points(row).into_iter().map(|(_, v)| v);
    let reference = style.reference.map(|(value, _)| value);
    Scale::new(values.chain([0.0]).chain(reference), TOP, PLOT)
}

/// The chart of one row, with `left` room for its y axis labels.
pub fn svg(row: &Row, columns: &[Column], style: &Style, left: f64) -> String {
    let points = points(row);
    let unit = style.unit;
    // Room right of the plot for the reference line's label.
    let margin = match style.reference {
        Some((_, label)) => label.chars().count() as f64 * SMALL_CHAR + 2.0 * RIGHT,
        None => RIGHT,
    };
    let frame = Frame {
        left,
        end: left + SLOT * columns.len().max(2) as f64,
        width: left + SLOT * columns.len().max(2) as f64 + margin,
        scale: scale(row, style),
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
    if let Some((value, label)) = style.reference {
        reference(&mut out, &frame, value, label);
    }
    let series = series(columns, &points);
    if style.joined {
        line(&mut out, &frame, &points, &series);
    }
    dots(&mut out, &frame, &points, columns, unit, &series);
    out.push_str("</svg>");
    out
}

/// Where things stand.
struct Frame {
    left: f64,
    /// The plot's right end.
    end: f64,
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
            // One value (or equal values): room above it.
            high = low + (low.abs() * 0.1).max(1.0);
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
            frame.end,
            frame.left - 6.0,
            y + 3.5,
            number(tick)
        );
    }
}

/// Under each point its heading in two lines, and the place (or period) when the columns'
/// differ: one district's reports need not repeat its name.
fn axis_x(out: &mut String, frame: &Frame, columns: &[Column]) {
    let base = HEIGHT - BOTTOM + 14.0;
    let details: Vec<Option<&str>> = columns.iter().map(Column::detail).collect();
    let differ = details.windows(2).any(|pair| pair[0] != pair[1]);
    for (i, column) in columns.iter().enumerate() {
        let (first, second) = two_lines(&column.heading);
        let detail = match details[i] {
            Some(detail) if differ => shorten(detail, DETAIL_CHARS),
            _ => String::new(),
        };
        let x = frame.x(i);
        let _ = write!(
            out,
            r#"<text class="period" x="{x:.1}" y="{base}"><title>{}</title><tspan x="{x:.1}">{}</tspan><tspan x="{x:.1}" dy="11">{}</tspan><tspan class="detail" x="{x:.1}" dy="11">{}</tspan></text>"#,
            escape(&column.label),
            escape(&first),
            escape(&second),
            escape(&detail)
        );
    }
}

/// A label in two lines of about equal length, shortened when very long.
fn two_lines(label: &str) -> (String, String) {
    let label = shorten(label, LABEL_CHARS);
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

/// At most `chars` characters, the last an ellipsis when cut.
fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() > chars {
        text.chars().take(chars - 1).chain(['…']).collect()
    } else {
        text.to_string()
    }
}

/// The reference line across the plot (100% of the plan), labelled right of it, clear of
/// the figures.
fn reference(out: &mut String, frame: &Frame, value: f64, label: &str) {
    let y = frame.y(value);
    let right = frame.end;
    let _ = write!(
        out,
        r#"<line class="reference" x1="{}" x2="{right}" y1="{y:.1}" y2="{y:.1}"/><text class="reference-label" x="{}" y="{:.1}">{}</text>"#,
        frame.left,
        right + 4.0,
        y + 3.0,
        escape(label)
    );
}

/// The series of each column: one per reporting place (issuer and province), numbered in
/// the order they first appear; columns past the known ones are the first series.
fn series(columns: &[Column], points: &[(usize, f64)]) -> Vec<usize> {
    let count = points.last().map_or(0, |&(i, _)| i + 1).max(columns.len());
    let mut places = Vec::new();
    (0..count)
        .map(|i| {
            let place = columns
                .get(i)
                .map(|c| (c.place.issuer.as_deref(), c.place.province.as_deref()));
            places.iter().position(|p| *p == place).unwrap_or_else(|| {
                places.push(place);
                places.len() - 1
            })
        })
        .collect()
}

/// Each place's figures make one line: a figure joins the next column of its own place
/// (another province's report of the same period is no step of its line), and a column of
/// that place without a figure breaks the line, so that a gap is not read as a figure.
fn line(out: &mut String, frame: &Frame, points: &[(usize, f64)], series: &[usize]) {
    let value_at = |column: usize| points.iter().find(|&&(i, _)| i == column).map(|p| p.1);
    for &(i, a) in points {
        let Some(j) = (i + 1..series.len()).find(|&j| series[j] == series[i]) else {
            continue;
        };
        let Some(b) = value_at(j) else { continue };
        let _ = write!(
            out,
            r#"<line class="line s{}" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
            series[i] % SERIES_COLOURS,
            frame.x(i),
            frame.y(a),
            frame.x(j),
            frame.y(b)
        );
    }
}

fn dots(
    out: &mut String,
    frame: &Frame,
    points: &[(usize, f64)],
    columns: &[Column],
    unit: &str,
    series: &[usize],
) {
    for &(i, value) in points {
        let colour = series.get(i).map_or(0, |s| s % SERIES_COLOURS);
        let (cx, cy) = (frame.x(i), frame.y(value));
        let label = columns.get(i).map_or("", |c| c.label.as_str());
        let _ = write!(
            out,
            r#"<circle class="dot s{colour}" cx="{cx:.1}" cy="{cy:.1}" r="3.5"><title>{}: {} {}</title></circle><text class="value" x="{cx:.1}" y="{:.1}">{}</text>"#,
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
    use super::super::cell::Cell;
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
        assert!(flat.low <= 5.0 && flat.high > 5.0);
        let empty = Scale::new(std::iter::empty(), 0.0, 100.0);
        assert!(empty.high > empty.low);
    }

    fn row(values: &[Option<f64>]) -> Row {
        let cell = |value: f64| {
            Cell::of(&baocao::Measure {
                unit: None,
                ..baocao::Measure::new(baocao::Kind::Plan, value, "")
            })
        };
        Row {
            key: "k".into(),
            indicator: "k".into(),
            basis: None,
            unit: None,
            cells: values.iter().map(|v| v.map(cell)).collect(),
            sources: Vec::new(),
        }
    }

    #[test]
    fn plan_charts_start_at_zero_and_reach_the_reference() {
        let style = Style {
            unit: "%",
            reference: Some((100.0, "100%")),
            joined: true,
        };
        let scale = scale(&row(&[Some(46.2), Some(50.3)]), &style);
        assert_eq!((scale.low, scale.high), (0.0, 100.0));
        let over = scale_of(&[Some(104.0), Some(-3.0)], &style);
        assert!(over.low < -3.0 && over.high >= 104.0);
    }

    fn scale_of(values: &[Option<f64>], style: &Style) -> Scale {
        scale(&row(values), style)
    }

    #[test]
    fn each_place_is_a_line_of_its_own() {
        let frame = Frame {
            left: 30.0,
            end: 350.0,
            width: 360.0,
            scale: Scale::new([0.0, 100.0].into_iter(), TOP, PLOT),
        };
        // Columns: place A 2025, place B 2025, place A 2026, place B 2026 (no figure).
        let points = [(0, 45.0), (1, 49.0), (2, 47.0)];
        let mut out = String::new();
        line(&mut out, &frame, &points, &[0, 1, 0, 1]);
        assert_eq!(out.matches("<line").count(), 1, "{out}");
        assert!(out.contains(r#"class="line s0" x1="70.0""#), "{out}");
        assert!(out.contains(r#"x2="230.0""#), "A 2025 joins A 2026: {out}");
    }

    #[test]
    fn a_period_without_a_figure_breaks_the_line() {
        let style = Style {
            unit: "",
            reference: None,
            joined: true,
        };
        let columns: Vec<Column> = Vec::new();
        let chart = svg(
            &row(&[Some(1.0), Some(2.0), None, Some(3.0)]),
            &columns,
            &style,
            30.0,
        );
        assert_eq!(chart.matches(r#"class="line s0""#).count(), 1, "{chart}");
        assert!(!chart.contains("reference"));
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
