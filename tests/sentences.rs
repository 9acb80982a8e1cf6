//! Sentences in the styles of district, provincial, statistics-office and ministry reports
//! (`tests/data/sentences.toml`), each with the measures a careful reader extracts. They
//! guard against rules that fit one report: every case must come out as written.

use baocao::check;
use baocao::rules::{Example, ExpectedMeasure};
use baocao::Rules;
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
    measures: Vec<ExpectedMeasure>,
}

#[test]
fn style_sentences_give_their_measures() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sentences.toml");
    let source = std::fs::read_to_string(path).expect("sentences.toml is readable");
    let cases: Cases = toml::from_str(&source).expect("sentences.toml parses");
    let rules = Rules::embedded().expect("shipped rules load");
    let mut failures = Vec::new();
    for (index, case) in cases.case.iter().enumerate() {
        let example = Example {
            rule: None,
            file: format!("sentences.toml#{} ({})", index + 1, case.style),
            line: 0,
            text: case.text.clone(),
            measures: case.measures.clone(),
            indicator: case.indicator.clone(),
            period: None,
            estimated: None,
        };
        failures.extend(
            check::check(&rules, &example)
                .into_iter()
                .map(|f| f.message),
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.case.len(),
        failures.join("\n")
    );
}
