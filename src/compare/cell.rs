//! One figure of the table, and the unit its row is shown in.
//!
//! In: the measure a statement gives (value, range, total, unit, amount in đồng). Out: a
//! [`Cell`] and its text ("46.2", "2–2.3", "286.5/500", "12 lượt" when the row counts in
//! another unit), and a row's unit with money converted to it. Why: a row should read in one
//! unit; reports of one locality write the same budget in triệu đồng one year and tỷ đồng
//! the next.

use baocao::Measure;

/// One figure in the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: f64,
    pub value_max: Option<f64>,
    pub total: Option<f64>,
    pub unit: Option<String>,
    pub qualifier: Option<String>,
    /// What the figure is measured against, as written ("kế hoạch tỉnh giao").
    pub basis: Option<String>,
    /// The unit the report wrote, when the figure was converted to the row's money unit.
    pub written_unit: Option<String>,
    /// Input line of the figure.
    pub line: usize,
    /// The amount in đồng, for money.
    vnd: Option<f64>,
}

impl Cell {
    pub fn of(measure: &Measure) -> Cell {
        Cell {
            value: measure.value,
            value_max: measure.value_max,
            total: measure.total,
            unit: measure.unit.clone(),
            qualifier: measure.qualifier.clone(),
            basis: measure.basis.clone(),
            written_unit: None,
            line: measure.line,
            vnd: measure.vnd,
        }
    }

    /// The figure as a table shows it: "46.2", "2–2.3", "286.5/500"; with its unit when that
    /// is not the row's.
    pub fn text(&self, row_unit: Option<&str>) -> String {
        let mut text = number(self.value);
        if let Some(max) = self.value_max {
            text = format!("{text}–{}", number(max));
        }
        if let Some(total) = self.total {
            text = format!("{text}/{}", number(total));
        }
        match self.unit.as_deref() {
            Some(unit) if row_unit.is_some_and(|r| r != unit) => format!("{text} {unit}"),
            _ => text,
        }
    }
}

/// A figure with a decimal point and at most six decimals: 46.2, 2327, -1.3.
pub fn number(value: f64) -> String {
    let text = format!("{value:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    match text {
        "-0" => "0".to_string(),
        _ => text.to_string(),
    }
}

/// The most frequent item; among equals the first.
pub fn most_frequent(items: impl Iterator<Item = String>) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for item in items {
        match counts.iter_mut().find(|(seen, _)| *seen == item) {
            Some((_, count)) => *count += 1,
            None => counts.push((item, 1)),
        }
    }
    let best = counts.iter().map(|(_, c)| *c).max()?;
    counts.into_iter().find(|(_, c)| *c == best).map(|(i, _)| i)
}

/// The row's unit is the one most cells have. Money in another unit (47,93 tỷ đồng in a
/// row of triệu đồng) is converted through its amount in đồng, so the figures line up;
/// other units cannot be converted and stay as written.
pub fn harmonize(cells: &mut [Option<Cell>]) -> Option<String> {
    let unit = most_frequent(cells.iter().flatten().filter_map(|c| c.unit.clone()))?;
    let factor = cells.iter().flatten().find_map(|c| match c.vnd {
        Some(vnd) if c.unit.as_ref() == Some(&unit) && c.value != 0.0 => {
            Some(power_of_ten(vnd / c.value))
        }
        _ => None,
    });
    if let Some(factor) = factor {
        for cell in cells.iter_mut().flatten() {
            convert(cell, &unit, factor);
        }
    }
    Some(unit)
}

fn convert(cell: &mut Cell, unit: &str, factor: f64) {
    let Some(vnd) = cell.vnd else { return };
    if cell.unit.as_deref() == Some(unit) || cell.value == 0.0 {
        return;
    }
    // By the unit's factor, not the amount: the sign of a change stays the measure's.
    let scale = power_of_ten(vnd / cell.value) / factor;
    cell.value *= scale;
    cell.value_max = cell.value_max.map(|v| v * scale);
    cell.total = cell.total.map(|v| v * scale);
    cell.written_unit = cell.unit.replace(unit.to_string());
}

/// Money units are powers of ten of the đồng; rounding removes the float noise of
/// amount / value.
fn power_of_ten(factor: f64) -> f64 {
    10f64.powi(factor.abs().log10().round() as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(value: f64, unit: &str, vnd: Option<f64>) -> Option<Cell> {
        Some(Cell {
            value,
            value_max: None,
            total: None,
            unit: Some(unit.to_string()),
            qualifier: None,
            basis: None,
            written_unit: None,
            line: 1,
            vnd,
        })
    }

    #[test]
    fn money_converts_to_the_row_unit() {
        let million = |v: f64| cell(v, "triệu đồng", Some(v * 1e6));
        let mut cells = [
            million(38215.0),
            None,
            million(41215.0),
            cell(47.93, "tỷ đồng", Some(47.93e9)),
            cell(12.0, "lượt", None),
        ];
        let unit = harmonize(&mut cells);
        assert_eq!(unit.as_deref(), Some("triệu đồng"));
        let text = |c: &Option<Cell>| c.as_ref().map(|c| c.text(unit.as_deref()));
        assert_eq!(text(&cells[3]).as_deref(), Some("47930"));
        assert_eq!(
            cells[3].as_ref().and_then(|c| c.written_unit.as_deref()),
            Some("tỷ đồng")
        );
        assert_eq!(text(&cells[4]).as_deref(), Some("12 lượt"));
    }

    #[test]
    fn the_most_frequent_wins_and_ties_go_to_the_first() {
        let items = ["a", "b", "b", "a", "c"].map(str::to_string);
        assert_eq!(most_frequent(items.into_iter()).as_deref(), Some("a"));
        assert_eq!(most_frequent(std::iter::empty()), None);
    }

    #[test]
    fn numbers_are_plain() {
        assert_eq!(number(46.2), "46.2");
        assert_eq!(number(2327.0), "2327");
        assert_eq!(number(-1.3), "-1.3");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(0.1 + 0.2), "0.3");
    }
}
