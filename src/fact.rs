//! The output contract of `spec/facts.md`: one [`Fact`] per JSON line.
//!
//! A fact is one indicator stated in one clause, with the figures the clause gives for it,
//! and where it was found (document, line, byte span of the NFC text, section path,
//! footnote). Field names and meanings here are what pipelines depend on: fields may be
//! added, none renamed or repurposed without a version bump.

use serde::{Deserialize, Serialize};

use crate::number::{serialize_opt, serialize_value};

/// What a measure says about its indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Share of a plan, target, budget or resolution reached, in %.
    Plan,
    /// Signed change against a comparison period.
    Change,
    /// By how much the plan was passed.
    Exceed,
    /// The amount reported for the indicator itself.
    Actual,
    /// Done out of total ("53/59 hộ").
    Ratio,
    /// The planned amount itself.
    Target,
    /// The level as a share (or multiple) of a comparison period's level.
    Relative,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Plan,
        Kind::Change,
        Kind::Exceed,
        Kind::Actual,
        Kind::Ratio,
        Kind::Target,
        Kind::Relative,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Plan => "plan",
            Kind::Change => "change",
            Kind::Exceed => "exceed",
            Kind::Actual => "actual",
            Kind::Ratio => "ratio",
            Kind::Target => "target",
            Kind::Relative => "relative",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Which measure names the fact's rule: a plan says more than the amount beside it.
    pub fn salience(self) -> u8 {
        match self {
            Kind::Plan => 7,
            Kind::Exceed => 6,
            Kind::Change => 5,
            Kind::Relative => 4,
            Kind::Target => 3,
            Kind::Ratio => 2,
            Kind::Actual => 1,
        }
    }
}

/// One figure of a fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub kind: Kind,
    /// The number as written, in `unit`; negative for a decrease.
    #[serde(serialize_with = "serialize_value")]
    pub value: f64,
    /// Upper end of a range ("tăng 2-2,3%").
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_opt"
    )]
    pub value_max: Option<f64>,
    /// For a ratio, the total ("53/59": 59).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_opt"
    )]
    pub total: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// What the figure is measured against, as written ("kế hoạch giao", "cùng kỳ năm 2024").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// "trên", "hơn", "gần", "khoảng", "dưới" before the number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    /// Money measures: the amount in đồng.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_opt"
    )]
    pub vnd: Option<f64>,
    /// 1-based input line on which the figure stands.
    pub line: usize,
    /// Id of the rule that found it (`{file stem}.{name}`).
    #[serde(default)]
    pub rule: String,
}

impl Measure {
    /// A measure of `kind` with its value and unit, nothing else said of it (line 1, no
    /// rule): for building facts in code and tests.
    pub fn new(kind: Kind, value: f64, unit: &str) -> Measure {
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
}

impl Fact {
    /// A fact of `indicator` on `line` with these measures and nothing else said of it.
    pub fn new(indicator: &str, line: usize, measures: Vec<Measure>) -> Fact {
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
}

/// One indicator in one clause, with its measures and provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    /// The input's path as given, or the record id for stream input.
    pub doc: String,
    /// 1-based input line where the fact's text starts.
    pub line: usize,
    /// Byte offsets of the fact's text in the NFC-normalized document.
    pub span: [usize; 2],
    /// Section headings, outermost first.
    pub section: Vec<String>,
    /// Footnote number when the fact is inside a footnote body.
    pub footnote: Option<u32>,
    pub indicator: String,
    /// The indicator normalized for matching across reports (lower case, abbreviations
    /// written out, connectives, years and places dropped): what `extract compare` groups by.
    #[serde(default)]
    pub indicator_key: String,
    pub period: Option<String>,
    /// The period the figures refer to in ISO 8601 ("2025-01/2025-06", "2024"): the
    /// statement's own when it names one, else the report's.
    #[serde(default)]
    pub period_iso: Option<String>,
    pub estimated: bool,
    pub measures: Vec<Measure>,
    pub text: String,
    pub rule: String,
}
