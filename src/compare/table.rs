//! The comparison table: one row per indicator key (and kind of plan basis), one column per
//! document.
//!
//! In: documents with their facts, what fills the cells ([`Pick`]), the minimum number of
//! documents a row needs, and how an indicator gives its key. Out: a [`Table`] whose columns
//! are in chronological order of their ISO periods (documents without one last, then by
//! label and path), whose rows are in the order the reports state them, and which records
//! for every row the raw statements it merged (for `--explain-keys`). Every format renders
//! this one value, so they all say the same thing.

use baocao::words::collapse_spaces;
use std::collections::BTreeMap;
use std::path::Path;

use baocao::period::Stretch;
use baocao::{Fact, Kind, Measure};

use super::cell::{harmonize, most_frequent, Cell};
use super::input::{Document, Place};
use super::By;

/// One document as a column.
#[derive(Debug, Clone)]
pub struct Column {
    pub doc: String,
    /// The period as written (`--by province`: the place), else the file name; with more
    /// when two columns would share it.
    pub label: String,
    /// The label before anything was added to tell columns apart: for a heading that the
    /// issuer, province and file stand under.
    pub heading: String,
    /// The period as written.
    pub period: Option<String>,
    pub title: Option<String>,
    /// Who reported, on which place and period (ISO 8601).
    pub place: Place,
    stretch: Option<Stretch>,
}

/// What became of one raw statement of a row's indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Its figure is the cell.
    Used,
    /// The document stated the indicator (against the same kind of basis) earlier: the first
    /// statement wins.
    Repeat,
    /// It has no figure of the chosen measure.
    NoMeasure,
    /// Its plan figures are against another basis than `--basis` asks for.
    OtherBasis,
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
    /// The basis as most cells write it (plan figures).
    pub basis: Option<String>,
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

    /// A plan figure is a share of its basis, which says what it is.
    pub fn basis_column(&self) -> bool {
        self.measure == Kind::Plan
    }
}

/// Which figures fill the cells.
pub struct Pick<'a> {
    pub measure: Kind,
    pub min_docs: usize,
    /// `--basis`, folded ([`super::words::fold`]): a plan's basis must contain it.
    pub basis: Option<String>,
    /// The kind of a plan basis ([`super::words::Words::basis_kind`]).
    pub basis_kind: &'a dyn Fn(&str) -> String,
    /// The key an indicator is matched by (the rules' [`baocao::Rules::indicator_key`]).
    pub key_of: &'a dyn Fn(&str) -> String,
}

impl Pick<'_> {
    fn is_measure(&self, measure: &Measure) -> bool {
        measure.kind == self.measure
    }

    fn has_basis(&self, measure: &Measure) -> bool {
        match (&self.basis, measure.kind) {
            (Some(word), Kind::Plan) => measure
                .basis
                .as_deref()
                .is_some_and(|b| super::words::fold(b).contains(word.as_str())),
            _ => true,
        }
    }

    /// Plan figures against different kinds of basis are different rows.
    fn row_of(&self, measure: &Measure) -> Option<String> {
        match measure.kind {
            Kind::Plan => measure.basis.as_deref().map(self.basis_kind),
            _ => None,
        }
    }
}

/// Build the table.
pub fn build(documents: &[Document], by: By, pick: &Pick) -> Table {
    let mut order: Vec<(Column, &Document)> =
        documents.iter().map(|d| (column(d, by), d)).collect();
    order.sort_by(|(a, _), (b, _)| a.order().cmp(&b.order()));
    let mut columns: Vec<Column> = order.iter().map(|(c, _)| c.clone()).collect();
    disambiguate(&mut columns, by);
    let documents: Vec<(Option<Stretch>, &[Fact])> = order
        .iter()
        .map(|(c, d)| (c.stretch, d.facts.as_slice()))
        .collect();
    let rows = rows(&documents, pick);
    Table {
        measure: pick.measure,
        columns,
        rows,
    }
}

impl Column {
    /// What the heading leaves out: the place for a column of a period, the period for a
    /// column of a place.
    pub fn detail(&self) -> Option<&str> {
        let place = self.place.province.as_ref().or(self.place.issuer.as_ref());
        match place {
            Some(place) if *place == self.heading => self.period.as_deref(),
            _ => place.map(String::as_str),
        }
    }

    /// Chronological; documents without a (understood) period last; then by label and path,
    /// so the order never depends on the arguments'.
    fn order(&self) -> (bool, Option<Stretch>, &str, &str) {
        (self.stretch.is_none(), self.stretch, &self.label, &self.doc)
    }
}

/// A document's column: labelled by its period, or (`--by province`) by its province, else
/// its issuer, else its file name.
fn column(document: &Document, by: By) -> Column {
    let place = &document.place;
    let label = match by {
        By::Period => document.period.clone().or(place.period_iso.clone()),
        By::Province => place.province.clone().or(place.issuer.clone()),
    };
    let label = label.unwrap_or_else(|| file_name(&document.name));
    Column {
        doc: document.name.clone(),
        heading: label.clone(),
        label,
        period: document.period.clone(),
        title: document.title.clone(),
        place: place.clone(),
        stretch: place.period_iso.as_deref().and_then(Stretch::parse),
    }
}

pub fn file_name(doc: &str) -> String {
    Path::new(doc)
        .file_name()
        .map_or_else(|| doc.to_string(), |n| n.to_string_lossy().into_owned())
}

/// Two columns with one label (two districts' reports of one period, one province's
/// reports of two periods) get what tells them apart beside it: the file name, or the
/// period; then the path.
fn disambiguate(columns: &mut [Column], by: By) {
    for pass in 0..2 {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for column in columns.iter() {
            *counts.entry(column.label.clone()).or_default() += 1;
        }
        for column in columns.iter_mut() {
            if counts.get(&column.label).is_some_and(|n| *n > 1) {
                let file = file_name(&column.doc);
                column.label = match (pass, by, &column.period) {
                    (0, By::Period, Some(period)) => format!("{period} ({file})"),
                    (0, By::Province, Some(period)) => format!("{} ({period})", column.label),
                    _ => column.doc.clone(),
                };
            }
        }
    }
}

/// One row under construction: a kind of basis of an indicator.
struct Builder {
    cells: Vec<Option<Cell>>,
    /// (column, fact index, measure index) of the first figure: where the row is first
    /// stated.
    first: Option<Stated>,
}

/// Where a row is first stated.
type Stated = (usize, usize, usize);

/// An indicator under construction: its rows (by kind of basis) and every statement of it,
/// with the row it went to (none: it gave no figure, and belongs to every row's account).
#[derive(Default)]
struct Indicator {
    rows: BTreeMap<Option<String>, Builder>,
    sources: Vec<(Option<Option<String>>, Source)>,
}

/// Documents in column order, each with its period and facts.
type Columns<'a> = [(Option<Stretch>, &'a [Fact])];

fn rows(documents: &Columns, pick: &Pick) -> Vec<Row> {
    let mut indicators: BTreeMap<String, Indicator> = BTreeMap::new();
    for (column, (stretch, facts)) in documents.iter().enumerate() {
        for (index, fact) in facts.iter().enumerate() {
            let key = (pick.key_of)(&fact.indicator);
            if key.is_empty() {
                continue;
            }
            let at = At {
                column,
                columns: documents.len(),
                index,
                stretch: stretch.as_ref(),
            };
            add(indicators.entry(key).or_default(), &at, fact, pick);
        }
    }
    let mut rows: Vec<(Stated, Row)> = indicators
        .into_iter()
        .flat_map(|(key, indicator)| finish(key, indicator, pick.min_docs))
        .collect();
    rows.sort_by(|(a, ra), (b, rb)| {
        a.cmp(b)
            .then_with(|| ra.key.cmp(&rb.key))
            .then_with(|| ra.basis.cmp(&rb.basis))
    });
    rows.into_iter().map(|(_, row)| row).collect()
}

/// Where a fact stands: its column (and that column's period) and its place in the document.
struct At<'a> {
    column: usize,
    columns: usize,
    index: usize,
    stretch: Option<&'a Stretch>,
}

/// The first statement of the document's period with the chosen measure fills the cell of
/// its kind of basis; later ones are repeats.
fn add(indicator: &mut Indicator, at: &At, fact: &Fact, pick: &Pick) {
    let measures: Vec<(usize, &Measure)> = fact
        .measures
        .iter()
        .enumerate()
        .filter(|(_, m)| pick.is_measure(m))
        .collect();
    let kept: Vec<(usize, &Measure)> = measures
        .iter()
        .copied()
        .filter(|(_, m)| pick.has_basis(m))
        .collect();
    let source = |role, figure| Source {
        column: at.column,
        line: fact.line,
        indicator: fact.indicator.clone(),
        period: fact.period.clone(),
        role,
        figure,
    };
    if kept.is_empty() {
        let role = match measures.first() {
            None => Role::NoMeasure,
            Some(_) => Role::OtherBasis,
        };
        let figure = measures.first().map(|(_, m)| Cell::of(m).text(None));
        indicator.sources.push((None, source(role, figure)));
        return;
    }
    let in_period = in_period(fact.period_iso.as_deref(), at.stretch);
    for (position, measure) in kept {
        let row = pick.row_of(measure);
        let builder = indicator
            .rows
            .entry(row.clone())
            .or_insert_with(|| Builder {
                cells: vec![None; at.columns],
                first: None,
            });
        let role = if !in_period {
            Role::OtherPeriod
        } else if builder.cells[at.column].is_some() {
            Role::Repeat
        } else {
            builder.cells[at.column] = Some(Cell::of(measure));
            builder.first.get_or_insert((at.column, at.index, position));
            Role::Used
        };
        let figure = Some(Cell::of(measure).text(None));
        indicator.sources.push((Some(row), source(role, figure)));
    }
}

/// A statement without a period, or whose period is not understood, is the document's.
fn in_period(stated: Option<&str>, column: Option<&Stretch>) -> bool {
    let Some(column) = column else { return true };
    stated
        .and_then(Stretch::parse)
        .is_none_or(|stated| stated.ends_within(column))
}

/// The rows of an indicator with figures in at least `min_docs` documents, each with where
/// it is first stated.
fn finish(key: String, indicator: Indicator, min_docs: usize) -> Vec<(Stated, Row)> {
    let Indicator { rows, sources } = indicator;
    rows.into_iter()
        .filter(|(_, b)| b.cells.iter().flatten().count() >= min_docs)
        .filter_map(|(kind, mut builder)| {
            let unit = harmonize(&mut builder.cells);
            let own: Vec<Source> = sources
                .iter()
                .filter(|(row, _)| row.as_ref().is_none_or(|r| *r == kind))
                .map(|(_, s)| s.clone())
                .collect();
            let used = own.iter().filter(|s| s.role == Role::Used);
            let indicator =
                most_frequent(used.map(|s| collapse_spaces(&s.indicator))).unwrap_or_default();
            let cells = builder.cells.iter().flatten();
            let basis =
                most_frequent(cells.filter_map(|c| c.basis.as_deref().map(collapse_spaces)));
            let row = Row {
                key: key.clone(),
                indicator,
                basis,
                unit,
                cells: builder.cells,
                sources: own,
            };
            Some((builder.first?, row))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use baocao::key::{indicator_key, Abbreviations};
    use baocao::rules::Pattern;
    use baocao::Measure;

    fn measure(kind: Kind, value: f64, unit: &str) -> Measure {
        Measure::new(kind, value, unit)
    }

    fn fact(indicator: &str, line: usize, measures: Vec<Measure>) -> Fact {
        Fact::new(indicator, line, measures)
    }

    /// A document of a period as written and in ISO 8601.
    fn document(name: &str, period: Option<(&str, &str)>, facts: Vec<Fact>) -> Document {
        Document {
            name: name.to_string(),
            title: None,
            period: period.map(|(written, _)| written.to_string()),
            place: Place {
                period_iso: period.map(|(_, iso)| iso.to_string()),
                ..Place::default()
            },
            facts,
        }
    }

    fn pick(min_docs: usize, key_of: &dyn Fn(&str) -> String) -> Pick<'_> {
        Pick {
            measure: Kind::Plan,
            min_docs,
            basis: None,
            basis_kind: &|basis: &str| basis.to_lowercase(),
            key_of,
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
            document(
                "b.txt",
                Some(("6 tháng đầu năm 2026", "2026-01/2026-06")),
                plan(51.0),
            ),
            document(
                "a.txt",
                Some(("6 tháng đầu năm 2026", "2026-01/2026-06")),
                plan(47.5),
            ),
        ];
        documents[0].place.province = Some("Quảng Trị".into());
        documents[1].place.province = Some("Điện Biên".into());
        let table = build(&documents, By::Province, &pick(2, &filler()));
        let labels: Vec<&str> = table.columns.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["Quảng Trị", "Điện Biên"]);
        assert_eq!(table.rows.len(), 1);
    }

    fn filler() -> impl Fn(&str) -> String {
        let filler = Pattern::new(r"\b(?:tổng|và|trên địa bàn)\b", false).expect("test filler");
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
                Some(("năm 2024", "2024")),
                vec![fact("a", 1, vec![plan(2.0)])],
            ),
            document(
                "c.txt",
                Some(("quý I/2024", "2024-01/2024-03")),
                vec![fact("a", 1, vec![plan(3.0)])],
            ),
            document("a.txt", None, vec![fact("a", 1, vec![plan(4.0)])]),
        ];
        let table = build(&documents, By::Period, &pick(2, &filler()));
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
                Some(("năm 2024", "2024")),
                vec![
                    fact("Tổng thu", 3, vec![plan(50.0)]),
                    fact("thu", 9, vec![plan(99.0)]),
                ],
            ),
            document(
                "b.txt",
                Some(("năm 2025", "2025")),
                vec![fact("Thu", 2, vec![plan(60.0)])],
            ),
        ];
        let table = build(&documents, By::Period, &pick(2, &filler()));
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
        whole_year.period_iso = Some("2024".to_string());
        let mut half = fact("thu", 5, vec![plan(51.2)]);
        half.period = Some("6 tháng đầu năm".to_string());
        half.period_iso = Some("2024-01/2024-06".to_string());
        let documents = [
            document(
                "a",
                Some(("6 tháng đầu năm 2024", "2024-01/2024-06")),
                vec![whole_year, half],
            ),
            document(
                "b",
                Some(("6 tháng đầu năm 2025", "2025-01/2025-06")),
                vec![fact("thu", 1, vec![plan(52.0)])],
            ),
        ];
        let table = build(&documents, By::Period, &pick(2, &filler()));
        let row = &table.rows[0];
        assert_eq!(row.cells[0].as_ref().map(|c| c.value), Some(51.2));
        assert_eq!(row.sources[0].role, Role::OtherPeriod);
    }

    #[test]
    fn rows_need_min_docs_with_the_measure() {
        let documents = [
            document(
                "a.txt",
                Some(("năm 2024", "2024")),
                vec![fact("x", 1, vec![plan(1.0)])],
            ),
            document(
                "b.txt",
                Some(("năm 2025", "2025")),
                vec![fact("x", 1, vec![measure(Kind::Actual, 5.0, "ha")])],
            ),
        ];
        assert!(build(&documents, By::Period, &pick(2, &filler()))
            .rows
            .is_empty());
        assert_eq!(
            build(&documents, By::Period, &pick(1, &filler()))
                .rows
                .len(),
            1
        );
    }

    #[test]
    fn plan_figures_against_other_bases_are_rows_of_their_own_unless_one_is_picked() {
        let mut two = plan(48.5);
        two.basis = Some("kế hoạch tỉnh giao".into());
        let mut other = plan(45.1);
        other.basis = Some("Nghị quyết HĐND".into());
        let facts = || vec![fact("vốn đầu tư", 1, vec![two.clone(), other.clone()])];
        let documents = [
            document("a", Some(("năm 2024", "2024")), facts()),
            document("b", Some(("năm 2025", "2025")), facts()),
        ];
        let key_of = filler();
        let table = build(&documents, By::Period, &pick(2, &key_of));
        let rows: Vec<(Option<&str>, Option<f64>)> = table
            .rows
            .iter()
            .map(|r| (r.basis.as_deref(), r.cells[0].as_ref().map(|c| c.value)))
            .collect();
        assert_eq!(
            rows,
            [
                (Some("kế hoạch tỉnh giao"), Some(48.5)),
                (Some("Nghị quyết HĐND"), Some(45.1))
            ]
        );
        let chosen = Pick {
            basis: Some("nghị quyết".into()),
            ..pick(2, &key_of)
        };
        let table = build(&documents, By::Period, &chosen);
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].cells[1].as_ref().map(|c| c.value), Some(45.1));
    }
}
