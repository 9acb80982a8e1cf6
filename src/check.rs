//! Run the examples that rule files carry: every rule's `[[rule.example]]` and every
//! `[[check]]` of `checks.toml`. Used by the test suite and by `extract rules test`, so a
//! researcher who adds a rule learns at once whether it does what its examples say.
//!
//! Scored kinds (plan, change, exceed, relative) must be exactly those listed; listed
//! actual, ratio and target measures must be among those found.

use crate::fact::{Fact, Kind, Measure};
use crate::rules::{Example, ExpectedMeasure, Rules};

/// Kinds whose every occurrence an example must list.
const EXACT_KINDS: [Kind; 4] = [Kind::Plan, Kind::Change, Kind::Exceed, Kind::Relative];

/// One example that did not come out as written.
#[derive(Debug, Clone)]
pub struct Failure {
    /// `file:line: rule id: what went wrong`.
    pub message: String,
}

/// Compile every pattern and run every example of a rule set; empty when all pass.
pub fn run(rules: &Rules) -> Vec<Failure> {
    let patterns = rules
        .compile_all()
        .into_iter()
        .map(|message| Failure { message });
    let examples = rules
        .examples
        .iter()
        .flat_map(|example| check(rules, example));
    patterns.chain(examples).collect()
}

/// Check one example against what the rules extract from its text.
pub fn check(rules: &Rules, example: &Example) -> Vec<Failure> {
    let facts = crate::extract_text("example", &example.text, rules).facts;
    let found: Vec<&Measure> = facts.iter().flat_map(|f| &f.measures).collect();
    let mut problems = Vec::new();
    let mut unmatched: Vec<&Measure> = found.clone();
    for expected in &example.measures {
        match unmatched.iter().position(|m| fits(expected, m)) {
            Some(i) => {
                unmatched.remove(i);
            }
            None => problems.push(format!("missing {}", describe_expected(expected))),
        }
    }
    for extra in unmatched.iter().filter(|m| EXACT_KINDS.contains(&m.kind)) {
        problems.push(format!(
            "unexpected {} {} ({})",
            extra.kind.name(),
            extra.value,
            extra.rule
        ));
    }
    if let Some(rule) = &example.rule {
        if !example.measures.is_empty() && !found.iter().any(|m| &m.rule == rule) {
            problems.push("the rule itself found nothing".to_string());
        }
    }
    problems.extend(check_fact_fields(example, facts.first()));
    let owner = example.rule.as_deref().unwrap_or("check");
    problems
        .into_iter()
        .map(|problem| Failure {
            message: format!(
                "{}:{}: {owner}: {problem} in {:?}",
                example.file, example.line, example.text
            ),
        })
        .collect()
}

fn check_fact_fields(example: &Example, first: Option<&Fact>) -> Vec<String> {
    let mut problems = Vec::new();
    let got = |f: fn(&Fact) -> String| first.map_or_else(|| "no fact".to_string(), f);
    if let Some(indicator) = &example.indicator {
        if first.is_none_or(|f| &f.indicator != indicator) {
            problems.push(format!(
                "indicator {:?}, expected {indicator:?}",
                got(|f| f.indicator.clone())
            ));
        }
    }
    if let Some(period) = &example.period {
        if first.is_none_or(|f| f.period.as_ref() != Some(period)) {
            problems.push(format!(
                "period {:?}, expected {period:?}",
                got(|f| format!("{:?}", f.period))
            ));
        }
    }
    if let Some(estimated) = example.estimated {
        if first.is_none_or(|f| f.estimated != estimated) {
            problems.push(format!("estimated is not {estimated}"));
        }
    }
    problems
}

fn fits(expected: &ExpectedMeasure, measure: &Measure) -> bool {
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
    let optional =
        |want: Option<f64>, got: Option<f64>| want.is_none_or(|w| got.is_some_and(|g| close(w, g)));
    let text = |want: &Option<String>, got: &Option<String>| want.is_none() || want == got;
    measure.kind == expected.kind
        && close(measure.value, expected.value)
        && optional(expected.value_max, measure.value_max)
        && optional(expected.total, measure.total)
        && optional(expected.vnd, measure.vnd)
        && text(&expected.unit, &measure.unit)
        && text(&expected.basis, &measure.basis)
        && text(&expected.qualifier, &measure.qualifier)
}

fn describe_expected(expected: &ExpectedMeasure) -> String {
    let mut text = format!("{} {}", expected.kind.name(), expected.value);
    if let Some(unit) = &expected.unit {
        text.push_str(&format!(" {unit}"));
    }
    if let Some(basis) = &expected.basis {
        text.push_str(&format!(" against {basis:?}"));
    }
    text
}
