//! The rule files' formats as serde reads them: one struct per file and per table, the
//! only place the files' fields are named. Unknown fields are errors.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{ExpectedMeasure, SharedBasis};
use crate::fact::Kind;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct KeyFile {
    #[serde(default)]
    pub(super) abbreviation: Vec<AbbreviationDef>,
    #[serde(default)]
    pub(super) example: Vec<KeyExampleDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AbbreviationDef {
    pub(super) short: String,
    pub(super) long: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct KeyExampleDef {
    pub(super) indicator: Spanned<String>,
    pub(super) key: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FragmentFile {
    pub(super) fragment: BTreeMap<String, FragmentDef>,
    #[serde(default)]
    pub(super) typo: Vec<TypoDef>,
}

/// `lexicon.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LexiconFile {
    pub(super) lexicon: BTreeMap<String, LexiconDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LexiconDef {
    #[allow(dead_code)]
    pub(super) about: Option<String>,
    /// Matched as whole words.
    pub(super) word: Option<String>,
    pub(super) regex: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FragmentDef {
    #[allow(dead_code)]
    pub(super) about: Option<String>,
    pub(super) words: Option<Vec<String>>,
    pub(super) regex: Option<String>,
    /// The phrases also match as the `[[typo]]` entries misspell them.
    #[serde(default)]
    pub(super) typos: bool,
}

/// A misspelling read as the word meant ("giám 3,58%" is "giảm"), in the phrases of the
/// fragments that take typos.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TypoDef {
    #[allow(dead_code)]
    pub(super) about: Option<String>,
    pub(super) meant: String,
    pub(super) written: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UnitFile {
    pub(super) per: Vec<String>,
    #[serde(default)]
    pub(super) group: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub(super) scale: Vec<ScaleDef>,
    pub(super) unit: Vec<UnitDef>,
    #[serde(default)]
    pub(super) example: Vec<UnitExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UnitDef {
    pub(super) name: String,
    #[serde(default)]
    pub(super) aliases: Vec<String>,
    pub(super) category: String,
    pub(super) vnd: Option<u64>,
    #[serde(default = "yes")]
    pub(super) takes_scale: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScaleDef {
    pub(super) name: String,
    #[serde(default)]
    pub(super) aliases: Vec<String>,
    pub(super) factor: u64,
}

/// A unit as written and what it must resolve to: checked on load.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UnitExample {
    pub(super) written: Spanned<String>,
    pub(super) name: String,
    pub(super) vnd: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PeriodFile {
    #[serde(default)]
    pub(super) ambiguous_counts: Vec<String>,
    pub(super) numbers: BTreeMap<String, u32>,
    pub(super) quarters: BTreeMap<String, u32>,
    pub(super) period: Vec<PeriodDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PeriodDef {
    #[allow(dead_code)]
    pub(super) name: String,
    pub(super) pattern: Spanned<String>,
    /// A point a running total reaches ("đến nay"): between two figures it does not start
    /// a fact of its own, unlike another stretch of time ("lũy kế 10 tháng").
    #[serde(default)]
    pub(super) running_total: bool,
    /// A day or a month of a year: data the report had by the time it was written, whatever
    /// the year ("đến ngày 31/01/2025" in a report on 2024), never a later year's plan.
    #[serde(default)]
    pub(super) dated: bool,
    /// How its named groups make an ISO 8601 value (`period::ShapeKind`); none: no value.
    #[serde(default)]
    pub(super) iso: Option<Spanned<String>>,
    /// Whether it marks a fact's period, or is read as ISO only.
    #[serde(default = "yes")]
    pub(super) in_facts: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HeadingFile {
    /// Word paragraph style names that mark headings, before their level.
    #[serde(default)]
    pub(super) styles: Vec<String>,
    /// Words before a page's number in its margin.
    #[serde(default)]
    pub(super) page_words: Vec<String>,
    pub(super) heading: Vec<HeadingDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HeadingDef {
    pub(super) name: String,
    pub(super) level: u8,
    pub(super) pattern: Spanned<String>,
    #[serde(default)]
    pub(super) items: bool,
    #[serde(default)]
    pub(super) example: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DocumentFile {
    pub(super) issuer: Vec<IssuerDef>,
    pub(super) title: TitleDef,
    #[serde(default)]
    pub(super) header: Option<HeaderDef>,
    #[serde(default)]
    pub(super) places: Option<PlacesDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HeaderDef {
    pub(super) lines: usize,
    pub(super) markup: Spanned<String>,
    pub(super) rule: Spanned<String>,
    pub(super) motto: Vec<Spanned<String>>,
    pub(super) number: Spanned<String>,
    pub(super) date: Spanned<String>,
    pub(super) web_date: Spanned<String>,
    pub(super) body: Spanned<String>,
    #[serde(default)]
    pub(super) subject: Option<SubjectDef>,
    pub(super) types: Vec<String>,
    pub(super) bodies: Vec<String>,
    #[serde(default)]
    pub(super) place_bodies: Vec<String>,
    #[serde(default)]
    pub(super) abbreviations: BTreeMap<String, String>,
    pub(super) levels: Vec<String>,
    pub(super) city_levels: Vec<String>,
    #[serde(default)]
    pub(super) district_levels: Vec<String>,
    pub(super) period_joints: Vec<String>,
    pub(super) central: Vec<String>,
}

/// The subject line under the number of a document with no type line, and the type it
/// gives.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SubjectDef {
    pub(super) pattern: Spanned<String>,
    #[serde(rename = "type")]
    pub(super) doc_type: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlacesDef {
    pub(super) provinces: Vec<String>,
    #[serde(default)]
    pub(super) cities: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TitleDef {
    pub(super) marker: Spanned<String>,
    pub(super) skip: Vec<Spanned<String>>,
    pub(super) body: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct IssuerDef {
    pub(super) pattern: Spanned<String>,
    pub(super) template: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TableFile {
    pub(super) unit_header: Spanned<String>,
    pub(super) label_header: Spanned<String>,
    #[serde(default)]
    pub(super) number_header: Option<Spanned<String>>,
    pub(super) column: Vec<ColumnDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ColumnDef {
    pub(super) header: Spanned<String>,
    pub(super) template: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CheckFile {
    pub(super) check: Vec<ExampleDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleFile {
    pub(super) kind: String,
    /// Plan files only: the basis a share takes when the figures before it, not its words,
    /// show what plan it is a share of and no word names it.
    pub(super) computed_share_basis: Option<Spanned<String>>,
    pub(super) rule: Vec<RuleDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleDef {
    pub(super) name: Spanned<String>,
    #[allow(dead_code)]
    pub(super) about: Option<String>,
    pub(super) pattern: Spanned<String>,
    pub(super) priority: Option<i32>,
    pub(super) before: Option<Spanned<String>>,
    pub(super) not_before: Option<Spanned<String>>,
    pub(super) after: Option<Spanned<String>>,
    pub(super) not_after: Option<Spanned<String>>,
    #[serde(default = "yes")]
    pub(super) standalone: bool,
    #[serde(default)]
    pub(super) indicator: IndicatorSource,
    pub(super) shared_basis: Option<SharedBasis>,
    #[serde(default)]
    pub(super) example: Vec<ExampleDef>,
}

pub(super) fn yes() -> bool {
    true
}

#[derive(Deserialize, Default, PartialEq)]
#[serde(rename_all = "lowercase")]
pub(super) enum IndicatorSource {
    #[default]
    Before,
    Object,
    /// The words before, even a place alone.
    Place,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExampleDef {
    pub(super) text: Spanned<String>,
    pub(super) measures: Vec<ExpectedMeasure>,
    pub(super) indicator: Option<String>,
    pub(super) period: Option<String>,
    pub(super) estimated: Option<bool>,
}

/// Default priority by kind: a plan phrase outranks the bare amount inside it.
pub(super) fn default_priority(kind: Kind) -> i32 {
    match kind {
        Kind::Plan | Kind::Exceed => 50,
        Kind::Relative => 48,
        Kind::Change => 40,
        Kind::Target => 35,
        Kind::Ratio => 30,
        Kind::Actual => 20,
    }
}
