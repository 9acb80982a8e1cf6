//! The comparison table: one row per indicator key, one column per document.
//!
//! In: documents with their facts, the measure kind that fills the cells, the minimum number
//! of documents a row needs, and how an indicator gives its key. Out: a [`Table`] whose columns are in
//! chronological order of their periods (documents without one last, then by label and
//! path), whose rows are in the order the reports state them, and which records for every
//! row the raw statements it merged (for `--explain-keys`). Every format renders this one
//! value, so they all say the same thing.

use std::collections::BTreeMap;
use std::path::Path;

use baocao::{Fact, Kind};

use super::cell::{harmonize, most_frequent, Cell};
use super::input::Document;
use super::period::{self, Period};
use super::By;

/// One document as a column.
#[derive(Debug, Clone)]
pub struct Column {
    pub doc: String,
    /// The period as written, else the file name (with more when two columns would share it).
    pub label: String,
    /// The period as written.
    pub period: Option<String>,
    pub title: Option<String>,
    parsed: Option<Period>,
}

/// What became of one raw statement of a row's indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Its figure is the cell.
    Used,
    /// The document stated the indicator earlier: the first statement wins.
    Repeat,
    /// It has no figure of the chosen measure.
    NoMeasure,
    /// It states a period that does not end within the document's (a whole-year estimate in
    /// a half-year report, last year's rate): another column's figure, not this one's.
    OtherPeriod,
}

/// One raw statement merged into a row.
#[derive(Debug, Clone)]
pub struct Source {
    pub column: usize,
    pub line: usize,
    pub indicator: String,
    pub period: Option<String>,
    pub role: Role,
    /// The chosen measure's figure as a cell would show it.
    pub figure: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub key: String,
    /// The indicator as most documents write it.
    pub indicator: String,
    /// The unit most cells have; cells in another unit show theirs.
    pub unit: Option<String>,
    pub cells: Vec<Option<Cell>>,
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub measure: Kind,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

impl Table {
    /// A plan is always a % of the plan: its unit says nothing.
    pub fn unit_column(&self) -> bool {
        self.measure != Kind::Plan
    }
}

/// Build the table.
pub fn build(
    documents: &[Document],
    by: By,
    measure: Kind,
    min_docs: usize,
    key_of: &KeyOf<'_>,
) -> Table {
    let mut order: Vec<(Column, &Document)> =
        documents.iter().map(|d| (column(d, by), d)).collect();
    order.sort_by(|(a, _), (b, _)| a.order().cmp(&b.order()));
    let mut columns: Vec<Column> = order.iter().map(|(c, _)| c.clone()).collect();
    disambiguate(&mut columns);
    let documents: Vec<(Option<Period>, &[Fact])> = order
        .iter()
        .map(|(c, d)| (c.parsed, d.facts.as_slice()))
        .collect();
    let rows = rows(&documents, measure, min_docs, key_of);
    Table {
        measure,
        columns,
        rows,
    }
}

impl Column {
    /// Chronological; documents without a (understood) period last; then by label and path,
    /// so the order never depends on the arguments'.
    fn order(&self) -> (bool, Option<Period>, &str, &str) {
        (self.parsed.is_none(), self.parsed, &self.label, &self.doc)
    }
}

/// A document's column: labelled by its period, or (`--by province`, all of one period, so
/// the label orders them) by its province, else its issuer, else its file name.
fn column(document: &Document, by: By) -> Column {
    let parsed = document.period.as_deref().and_then(period::parse);
    let place = document
        .place
        .province
        .as_ref()
        .or(document.place.issuer.as_ref());
    let label = match by {
        By::Period => document.period.clone(),
        By::Province => place.cloned(),
    };
    Column {
        doc: document.name.clone(),
        label: label.unwrap_or_else(|| file_name(&document.name)),
        period: document.period.clone(),
        title: document.title.clone(),
        parsed,
    }
}

fn file_name(doc: &str) -> String {
    Path::new(doc)
        .file_name()
        .map_or_else(|| doc.to_string(), |n| n.to_string_lossy().into_owned())
}

/// Two reports of one period (two districts, or a report and its revision) get their file
/// name beside the period, so every column says which it is.
fn disambiguate(columns: &mut [Column]) {
    for pass in 0..2 {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for column in columns.iter() {
            *counts.entry(column.label.clone()).or_default() += 1;
        }
        for column in columns.iter_mut() {
            if counts.get(&column.label).is_some_and(|n| *n > 1) {
                column.label = match (pass, &column.period) {
                    (0, Some(period)) => format!("{period} ({})", file_name(&column.doc)),
                    _ => column.doc.clone(),
                };
            }
        }
    }
}

/// A row under construction.
struct Builder {
    cells: Vec<Option<Cell>>,
    sources: Vec<Source>,
    /// (column, fact index) of the first figure: where the row is first stated.
    first: Option<(usize, usize)>,
}

/// The key an indicator is matched by (the rules' [`baocao::Rules::indicator_key`]).
pub type KeyOf<'a> = dyn Fn(&str) -> String + 'a;

/// Documents in column order, each with its period and facts.
type Columns<'a> = [(Option<Period>, &'a [Fact])];

fn rows(documents: &Columns, measure: Kind, min_docs: usize, key_of: &KeyOf<'_>) -> Vec<Row> {
    let mut builders: BTreeMap<String, Builder> = BTreeMap::new();
    for (column, (period, facts)) in documents.iter().enumerate() {
        for (index, fact) in facts.iter().enumerate() {
            let key = key_of(&fact.indicator);
            if key.is_empty() {
                continue;
            }
            let builder = builders.entry(key).or_insert_with(|| Builder {
                cells: vec![None; documents.len()],
                sources: Vec::new(),
                first: None,
            });
            let at = At {
                column,
                index,
                period: period.as_ref(),
            };
            add(builder, &at, fact, measure);
        }
    }
    let mut rows: Vec<((usize, usize), Row)> = builders
        .into_iter()
        .filter(|(_, b)| b.cells.iter().flatten().count() >= min_docs)
        .filter_map(|(key, b)| Some((b.first?, finish(key, b))))
        .collect();
    rows.sort_by(|(a, ra), (b, rb)| a.cmp(b).then_with(|| ra.key.cmp(&rb.key)));
    rows.into_iter().map(|(_, row)| row).collect()
}

/// Where a fact stands: its column (and that column's period) and its place in the document.
struct At<'a> {
    column: usize,
    index: usize,
    period: Option<&'a Period>,
}

/// The first statement of the document's period with the chosen measure fills the cell;
/// later ones are repeats.
fn add(builder: &mut Builder, at: &At, fact: &Fact, measure: Kind) {
    let found = fact.measures.iter().find(|m| m.kind == measure);
    let column = at.column;
    let role = match found {
        None => Role::NoMeasure,
        Some(_) if !in_period(fact.period.as_deref(), at.period) => Role::OtherPeriod,
        Some(_) if builder.cells[column].is_some() => Role::Repeat,
        Some(m) => {
            builder.cells[column] = Some(Cell::of(m));
            builder.first.get_or_insert((column, at.index));
            Role::Used
        }
    };
    builder.sources.push(Source {
        column,
        line: fact.line,
        indicator: fact.indicator.clone(),
        period: fact.period.clone(),
        role,
        figure: found.map(|m| Cell::of(m).text(None)),
    });
}

/// A statement without a period, or whose period is not understood, is the document's.
fn in_period(stated: Option<&str>, column: Option<&Period>) -> bool {
    let Some(column) = column else { return true };
    stated
        .and_then(|text| period::parse_in(text, Some(column.end.0)))
        .is_none_or(|stated| stated.ends_within(column))
}

fn finish(key: String, mut builder: Builder) -> Row {
    let unit = harmonize(&mut builder.cells);
    let used = builder.sources.iter().filter(|s| s.role == Role::Used);
    let indicator = most_frequent(used.map(|s| tidy(&s.indicator))).unwrap_or_default();
    Row {
        key,
        indicator,
        unit,
        cells: builder.cells,
        sources: builder.sources,
    }
}

fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use baocao::key::{indicator_key, Abbreviations};
    use baocao::Measure;
    use regex::Regex;

    fn measure(kind: Kind, value: f64, unit: &str) -> Measure {
        Measure {
            kind,
            value,
            value_max: None,
            total: None,
            unit: Some(unit.to_string()),
            basis: None,
            qualifier: None,
            vnd: None,
            line: 1,
            rule: String::new(),
        }
    }

    fn fact(indicator: &str, line: usize, measures: Vec<Measure>) -> Fact {
        Fact {
            doc: String::new(),
            line,
            span: [0, 0],
            section: Vec::new(),
            footnote: None,
            indicator: indicator.to_string(),
            indicator_key: String::new(),
            period: None,
            period_iso: None,
            estimated: false,
            measures,
            text: String::new(),
            rule: String::new(),
        }
    }

    fn document(name: &str, period: Option<&str>, facts: Vec<Fact>) -> Document {
        Document {
            name: name.to_string(),
            title: None,
            period: period.map(str::to_string),
            place: Default::default(),
            facts,
        }
    }

    #[test]
    fn by_province_columns_are_labelled_and_ordered_by_place() {
        let plan = |value| {
            vec![fact(
                "Thu ngân sách",
                1,
                vec![measure(Kind::Plan, value, "%")],
            )]
        };
        let mut documents = vec![
            document("b.txt", Some("6 tháng đầu năm 2026"), plan(51.0)),
            document("a.txt", Some("6 tháng đầu năm 2026"), plan(47.5)),
        ];
        documents[0].place.province = Some("Quảng Trị".into());
        documents[1].place.province = Some("Điện Biên".into());
        let table = build(&documents, By::Province, Kind::Plan, 2, &filler());
        let labels: Vec<&str> = table.columns.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["Quảng Trị", "Điện Biên"]);
        assert_eq!(table.rows.len(), 1);
    }

    fn filler() -> impl Fn(&str) -> String {
        let filler = Regex::new(r"\b(?:tổng|và|trên địa bàn)\b").expect("test filler compiles");
        move |indicator| indicator_key(indicator, &Abbreviations::default(), &filler)
    }

    fn plan(value: f64) -> Measure {
        measure(Kind::Plan, value, "%")
    }

    #[test]
    fn columns_are_chronological_and_undated_last() {
        let documents = [
            document("z.txt", None, vec![fact("a", 1, vec![plan(1.0)])]),
            document(
                "b.txt",
                Some("năm 2024"),
                vec![fact("a", 1, vec![plan(2.0)])],
            ),
            document(
                "c.txt",
                Some("quý I/2024"),
                vec![fact("a", 1, vec![plan(3.0)])],
            ),
            document("a.txt", None, vec![fact("a", 1, vec![plan(4.0)])]),
        ];
        let table = build(&documents, By::Period, Kind::Plan, 2, &filler());
        let labels: Vec<&str> = table.columns.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["quý I/2024", "năm 2024", "a.txt", "z.txt"]);
        let values: Vec<f64> = table.rows[0]
            .cells
            .iter()
            .flatten()
            .map(|c| c.value)
            .collect();
        assert_eq!(values, [3.0, 2.0, 4.0, 1.0]);
    }

    #[test]
    fn first_statement_wins_and_repeats_are_kept() {
        let documents = [
            document(
                "a.txt",
                Some("năm 2024"),
                vec![
                    fact("Tổng thu", 3, vec![plan(50.0)]),
                    fact("thu", 9, vec![plan(99.0)]),
                ],
            ),
            document(
                "b.txt",
                Some("năm 2025"),
                vec![fact("Thu", 2, vec![plan(60.0)])],
            ),
        ];
        let table = build(&documents, By::Period, Kind::Plan, 2, &filler());
        let row = &table.rows[0];
        assert_eq!(row.key, "thu");
        assert_eq!(row.cells[0].as_ref().map(|c| c.value), Some(50.0));
        let roles: Vec<Role> = row.sources.iter().map(|s| s.role).collect();
        assert_eq!(roles, [Role::Used, Role::Repeat, Role::Used]);
    }

    #[test]
    fn figures_of_other_periods_stay_out() {
        let mut whole_year = fact("thu", 1, vec![plan(100.6)]);
        whole_year.period = Some("cả năm".to_string());
        let mut half = fact("thu", 5, vec![plan(51.2)]);
        half.period = Some("6 tháng đầu năm".to_string());
        let documents = [
            document("a", Some("6 tháng đầu năm 2024"), vec![whole_year, half]),
            document(
                "b",
                Some("6 tháng đầu năm 2025"),
                vec![fact("thu", 1, vec![plan(52.0)])],
            ),
        ];
        let table = build(&documents, By::Period, Kind::Plan, 2, &filler());
        let row = &table.rows[0];
        assert_eq!(row.cells[0].as_ref().map(|c| c.value), Some(51.2));
        assert_eq!(row.sources[0].role, Role::OtherPeriod);
    }

    #[test]
    fn rows_need_min_docs_with_the_measure() {
        let documents = [
            document(
                "a.txt",
                Some("năm 2024"),
                vec![fact("x", 1, vec![plan(1.0)])],
            ),
            document(
                "b.txt",
                Some("năm 2025"),
                vec![fact("x", 1, vec![measure(Kind::Actual, 5.0, "ha")])],
            ),
        ];
        assert!(build(&documents, By::Period, Kind::Plan, 2, &filler())
            .rows
            .is_empty());
        assert_eq!(
            build(&documents, By::Period, Kind::Plan, 1, &filler())
                .rows
                .len(),
            1
        );
    }
}
