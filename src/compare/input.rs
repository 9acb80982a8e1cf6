//! The documents to compare, read from reports or from fact files.
//!
//! In: paths as given on the command line: reports (any format baocao reads), `.jsonl` files
//! written by `extract` (facts, and document records from `--docs`, in any mix), or folders
//! holding either. Out: one [`Document`] per report, with its facts, title and reporting
//! period, plus a message per input that could not be read (the others are still compared).
//! Why: a researcher may compare raw reports directly or reuse facts extracted earlier; both
//! must give the same documents.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use baocao::period::{Calendar, Stretch};
use baocao::{Fact, Options, Rules};
use rayon::prelude::*;
use serde_json::Value;

/// One report: what it says and when.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The report's path as given (or as its facts name it).
    pub name: String,
    pub title: Option<String>,
    /// The reporting period as written ("6 tháng đầu năm 2025").
    pub period: Option<String>,
    /// Who reported, and on which place and period (from the document record).
    pub place: Place,
    /// In document order.
    pub facts: Vec<Fact>,
}

/// What a document record says of who reported and for which period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    pub issuer: Option<String>,
    pub province: Option<String>,
    pub period_iso: Option<String>,
}

/// Everything read, and what could not be.
#[derive(Debug, Default)]
pub struct Loaded {
    pub documents: Vec<Document>,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

/// Fact files that `extract` wrote: a folder walk reads them beside the reports.
const FACT_FILES: &str = "jsonl";

/// Read every input (in parallel: reports take the time) and gather documents by name.
pub fn load(paths: &[PathBuf], rules: &Rules) -> Loaded {
    let mut loaded = Loaded::default();
    let mut files = Vec::new();
    for path in paths {
        match expand(path) {
            Ok(found) => files.extend(found),
            Err(message) => loaded.errors.push(message),
        }
    }
    let parts: Vec<Result<Vec<Part>, String>> =
        files.par_iter().map(|path| read(path, rules)).collect();
    let mut gather = Gather::default();
    for (path, result) in files.iter().zip(parts) {
        match result {
            Ok(parts) => gather.add(&path.display().to_string(), parts, &mut loaded),
            Err(message) => loaded.errors.push(message),
        }
    }
    loaded.documents = gather.finish(&rules.calendar);
    for document in &mut loaded.documents {
        place_in_time(document, &rules.calendar);
    }
    loaded
}

/// Periods in ISO 8601 by the library's one grammar, where the input left them out (fact
/// files of older versions, hand-written ones): the document's from its period as written,
/// a fact's from its own (a year it leaves out being the document's).
fn place_in_time(document: &mut Document, calendar: &Calendar) {
    let place = &mut document.place;
    if place.period_iso.is_none() {
        place.period_iso = document
            .period
            .as_deref()
            .and_then(|p| calendar.iso(p, None));
    }
    let year = place
        .period_iso
        .as_deref()
        .and_then(Stretch::parse)
        .map(|s| s.end.0);
    for fact in &mut document.facts {
        if fact.period_iso.is_none() {
            fact.period_iso = fact.period.as_deref().and_then(|p| calendar.iso(p, year));
        }
    }
}

/// A file, or a folder's readable files in name order.
fn expand(path: &Path) -> Result<Vec<PathBuf>, String> {
    let name = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("{name}: {e}"))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let files: Vec<PathBuf> = walkdir::WalkDir::new(path)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file() && readable(entry.path()))
        .map(walkdir::DirEntry::into_path)
        .collect();
    if files.is_empty() {
        return Err(format!(
            "{name}: folder holds no reports or .jsonl fact files"
        ));
    }
    Ok(files)
}

fn readable(path: &Path) -> bool {
    extension(path).is_some_and(|e| e == FACT_FILES || baocao::READABLE.contains(&e.as_str()))
}

fn extension(path: &Path) -> Option<String> {
    Some(path.extension()?.to_str()?.to_ascii_lowercase())
}

/// What one input says about one document.
#[derive(Debug)]
enum Part {
    Facts {
        doc: String,
        facts: Vec<Fact>,
    },
    Record {
        doc: String,
        title: Option<String>,
        period: Option<String>,
        place: Place,
    },
}

fn read(path: &Path, rules: &Rules) -> Result<Vec<Part>, String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: {e}"))?;
    if extension(path).as_deref() == Some(FACT_FILES) {
        return read_jsonl(&name, &bytes);
    }
    let extraction = baocao::extract_bytes(&name, &bytes, rules, &Options::default())
        .map_err(|e| e.to_string())?;
    let record = extraction.record;
    Ok(vec![
        Part::Facts {
            doc: name.clone(),
            facts: extraction.facts,
        },
        Part::Record {
            doc: name,
            title: record.title,
            period: record.period,
            place: Place {
                issuer: record.issuer,
                province: record.province,
                period_iso: record.period_iso,
            },
        },
    ])
}

/// Facts and document records, one JSON object a line; facts grouped by their `doc`.
fn read_jsonl(name: &str, bytes: &[u8]) -> Result<Vec<Part>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8 text"))?;
    let mut parts: Vec<Part> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let part = parse_line(line).map_err(|e| format!("{name}:{}: {e}", index + 1))?;
        match (parts.last_mut(), part) {
            // Consecutive facts of one document are one part (extract writes them so).
            (Some(Part::Facts { doc, facts }), Part::Facts { doc: d, facts: f }) if *doc == d => {
                facts.extend(f)
            }
            (_, part) => parts.push(part),
        }
    }
    Ok(parts)
}

fn parse_line(line: &str) -> Result<Part, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    if value.get("indicator").is_some() {
        let fact: Fact = serde_json::from_value(value).map_err(|e| format!("not a fact: {e}"))?;
        return Ok(Part::Facts {
            doc: fact.doc.clone(),
            facts: vec![fact],
        });
    }
    let text = |field: &str| value.get(field).and_then(Value::as_str).map(str::to_string);
    match text("doc") {
        Some(doc) if value.get("title").is_some() || value.get("period").is_some() => {
            Ok(Part::Record {
                doc,
                title: text("title"),
                period: text("period"),
                place: Place {
                    issuer: text("issuer"),
                    province: text("province"),
                    period_iso: text("period_iso"),
                },
            })
        }
        _ => Err("neither a fact nor a document record of extract".to_string()),
    }
}

/// Documents by name, from every input.
#[derive(Default)]
struct Gather {
    documents: BTreeMap<String, Document>,
    /// Which input gave a document's facts, so that another input's are not added twice.
    facts_from: BTreeMap<String, String>,
    /// Documents whose period came from a document record (even if none was found there).
    recorded: BTreeSet<String>,
}

impl Gather {
    fn add(&mut self, input: &str, parts: Vec<Part>, loaded: &mut Loaded) {
        for part in parts {
            match part {
                Part::Facts { doc, facts } => self.add_facts(input, doc, facts, loaded),
                Part::Record {
                    doc,
                    title,
                    period,
                    place,
                } => {
                    let document = self.document(&doc);
                    document.title = title;
                    document.period = period;
                    document.place = place;
                    self.recorded.insert(doc);
                }
            }
        }
    }

    fn add_facts(&mut self, input: &str, doc: String, facts: Vec<Fact>, loaded: &mut Loaded) {
        match self.facts_from.get(&doc) {
            Some(first) if first != input => loaded.warnings.push(format!(
                "{input}: facts of {doc} were already read from {first}; these are ignored"
            )),
            _ => {
                self.facts_from.insert(doc.clone(), input.to_string());
                self.document(&doc).facts.extend(facts);
            }
        }
    }

    fn document(&mut self, name: &str) -> &mut Document {
        self.documents
            .entry(name.to_string())
            .or_insert_with(|| Document {
                name: name.to_string(),
                ..Document::default()
            })
    }

    /// A document known only from its facts takes its period from them.
    fn finish(self, calendar: &Calendar) -> Vec<Document> {
        let recorded = self.recorded;
        self.documents
            .into_values()
            .map(|mut document| {
                if !recorded.contains(&document.name) {
                    document.period = period_of_facts(&document.facts, calendar);
                }
                document
            })
            .collect()
    }
}

/// The most frequent fact period that carries a year (ties: the first stated); spelling
/// differences of case and spacing count as one period. A stretch across years (giai đoạn
/// 2021-2025) is a plan's span that a report follows, and a phrase without an ISO value
/// (vụ Đông Xuân 2022-2023, năm học 2022-2023) a season: neither is the period it reports on.
pub fn period_of_facts(facts: &[Fact], calendar: &Calendar) -> Option<String> {
    let mut counts: Vec<(String, &str, usize)> = Vec::new();
    for period in facts.iter().filter_map(|f| f.period.as_deref()) {
        if !within_a_year(period, calendar) {
            continue;
        }
        let folded = period
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        match counts.iter_mut().find(|(f, _, _)| *f == folded) {
            Some((_, _, count)) => *count += 1,
            None => counts.push((folded, period, 1)),
        }
    }
    // max_by_key keeps the last of equals: walk in reverse so the first stated wins.
    counts
        .iter()
        .rev()
        .max_by_key(|(_, _, count)| *count)
        .map(|(_, period, _)| baocao::words::collapse_spaces(period))
}

/// Whether a phrase names its year and stays within it, by the library's grammar.
fn within_a_year(period: &str, calendar: &Calendar) -> bool {
    calendar
        .iso(period, None)
        .as_deref()
        .and_then(Stretch::parse)
        .is_some_and(|s| s.start.0 == s.end.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of_facts(facts: &[Fact]) -> Option<String> {
        let rules = Rules::embedded().expect("shipped rules load");
        period_of_facts(facts, &rules.calendar)
    }

    fn fact(period: Option<&str>) -> Fact {
        Fact {
            doc: "d".into(),
            indicator_key: "x".into(),
            period: period.map(str::to_string),
            ..Fact::new("x", 1, Vec::new())
        }
    }

    #[test]
    fn period_of_facts_is_the_most_frequent_with_a_year() {
        let facts = [
            fact(Some("6 tháng đầu năm")),
            fact(Some("6 tháng đầu năm")),
            fact(Some("6 tháng đầu năm")),
            fact(Some("năm 2024")),
            fact(Some("6 tháng đầu năm 2025")),
            fact(None),
            fact(Some("6  tháng đầu năm 2025")),
        ];
        assert_eq!(of_facts(&facts).as_deref(), Some("6 tháng đầu năm 2025"));
    }

    #[test]
    fn period_of_facts_ties_go_to_the_first_and_none_without_a_year() {
        let tie = [fact(Some("năm 2024")), fact(Some("quý I/2025"))];
        assert_eq!(of_facts(&tie).as_deref(), Some("năm 2024"));
        assert_eq!(of_facts(&[fact(Some("đến nay")), fact(None)]), None);
    }

    #[test]
    fn period_of_facts_skips_stretches_across_years() {
        let facts = [
            fact(Some("Vụ đông xuân 2022-2023")),
            fact(Some("Vụ đông xuân 2022-2023")),
            fact(Some("Giai đoạn 2021-2025")),
            fact(Some("Giai đoạn 2021-2025")),
            fact(Some("6 tháng đầu năm 2023")),
        ];
        assert_eq!(of_facts(&facts).as_deref(), Some("6 tháng đầu năm 2023"));
    }

    #[test]
    fn jsonl_lines_are_facts_or_records() {
        let line = r#"{"doc":"a.txt","title":"T","period":"quý I/2025","format":"text"}"#;
        assert!(matches!(parse_line(line), Ok(Part::Record { .. })));
        assert!(parse_line(r#"{"x":1}"#).is_err());
        assert!(parse_line("not json").is_err());
        assert!(parse_line(r#"{"indicator":"x"}"#).is_err());
    }
}
