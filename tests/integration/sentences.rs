//! Sentences in the styles of district, provincial, statistics-office and ministry reports
//! (`tests/data/sentences.toml`), each with the measures a careful reader extracts. They
//! guard against rules that fit one report: every case must come out as written.

use baocao::check;
use baocao::rules::{Example, ExpectedMeasure};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    style: String,
    text: String,
    indicator: Option<String>,
    period: Option<String>,
    measures: Vec<ExpectedMeasure>,
}

/// Every `tests/data/sentences*.toml`: one file per theme (units, phrasing, periods ...).
fn case_files() -> Vec<std::path::PathBuf> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/data is readable")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("sentences") && name.ends_with(".toml")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn style_sentences_give_their_measures() {
    let rules = crate::common::rules();
    let mut failures = Vec::new();
    let mut total = 0;
    for path in case_files() {
        let source = std::fs::read_to_string(&path).expect("a case file is readable");
        let cases: Cases = toml::from_str(&source)
            .unwrap_or_else(|err| panic!("{} does not parse: {err}", path.display()));
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        total += cases.case.len();
        for (index, case) in cases.case.iter().enumerate() {
            let example = Example {
                rule: None,
                file: format!("{file}#{} ({})", index + 1, case.style),
                line: 0,
                text: case.text.clone(),
                measures: case.measures.clone(),
                indicator: case.indicator.clone(),
                period: case.period.clone(),
                estimated: None,
            };
            failures.extend(check::check(rules, &example).into_iter().map(|f| f.message));
        }
    }
    assert!(total > 100, "only {total} cases found");
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        total,
        failures.join("\n")
    );
}
