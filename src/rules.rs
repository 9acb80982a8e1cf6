//! `patterns/*.toml` -> [`Rules`]: load, validate, compile once, share by reference.
//!
//! Everything the extractor knows about the language lives in the rule files: word lists and
//! regular-expression fragments (`fragments.toml`), units (`units.toml`), period phrases
//! and their ISO 8601 values (`periods.toml`), heading shapes (`headings.toml`), document
//! header patterns (`document.toml`), checks of hard cases (`checks.toml`), and one file of measure rules per measure kind (`plan.toml`,
//! `change.toml` ...; a rule's id is `{file stem}.{name}`).
//! Patterns use `{name}` to insert a fragment and `{name:group}` to capture it. Files are
//! validated strictly: every problem is reported as `file:line: message` before any input is
//! read. The default set is embedded in the binary; `--patterns DIR` replaces it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;
use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Problem, Result};
use crate::fact::Kind;
use crate::key::{indicator_key, Abbreviations};

/// The shipped rule files, embedded so the binary works from any directory.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("fragments.toml", include_str!("../patterns/fragments.toml")),
    ("units.toml", include_str!("../patterns/units.toml")),
    ("periods.toml", include_str!("../patterns/periods.toml")),
    ("headings.toml", include_str!("../patterns/headings.toml")),
    ("document.toml", include_str!("../patterns/document.toml")),
    ("checks.toml", include_str!("../patterns/checks.toml")),
    ("tables.toml", include_str!("../patterns/tables.toml")),
    ("keys.toml", include_str!("../patterns/keys.toml")),
    ("plan.toml", include_str!("../patterns/plan.toml")),
    ("change.toml", include_str!("../patterns/change.toml")),
    ("exceed.toml", include_str!("../patterns/exceed.toml")),
    ("relative.toml", include_str!("../patterns/relative.toml")),
    ("target.toml", include_str!("../patterns/target.toml")),
    ("ratio.toml", include_str!("../patterns/ratio.toml")),
    ("actual.toml", include_str!("../patterns/actual.toml")),
];

/// Fragments the extractor itself reads (their roles are described in `fragments.toml`).
const ENGINE_FRAGMENTS: &[&str] = &[
    "lead_filler",
    "tail_filler",
    "gap_filler",
    "estimate",
    "goal_before",
    "goal_exempt",
    "goal_after",
    "goal_section",
    "object_stop",
    "object_break",
    "comparison",
    "comparison_opening",
    "share_phrase",
    "rank_phrase",
    "former_level",
    "name_restart",
    "part_of",
    "name_compound",
    "goal_label",
    "dimension_word",
    "dimension_stop",
    "plan_opening",
    "compare_word",
    "indicator_head",
    "head_lookalike",
    "list_item_head",
    "goal_opening",
    "goal_lead",
    "goal_reach_end",
    "goal_as_noun",
    "goal_purpose",
    "period_so_far",
    "year_basis_lead",
    "result_section",
    "key_filler",
    "indicator_stop",
    "subject",
    "list_tail",
    "clause_opening",
    "respectively",
    "means_opening",
    "contrast_opening",
    "name_restart_long",
    "name_restart_long_exempt",
    "anaphora",
];

/// One compiled measure rule.
#[derive(Debug)]
pub struct MeasureRule {
    pub id: String,
    pub kind: Kind,
    pub regex: Regex,
    pub priority: i32,
    /// Must match the clause text before the match (e.g. `tăng trưởng[^,;]*$`).
    pub before: Option<Regex>,
    pub not_before: Option<Regex>,
    /// Must match the text after the match (anchor it with `^`).
    pub after: Option<Regex>,
    pub not_after: Option<Regex>,
    /// A measure of a rule that is not standalone only joins facts found by other rules.
    pub standalone: bool,
    /// The indicator is the counted thing after the figure ("đón 158.727 lượt khách").
    pub object_indicator: bool,
    /// The words before name the indicator even when they are only a place ("huyện Tiên
    /// Lữ (giảm 1.200 con)": the place, not the counted thing).
    pub place_indicator: bool,
    /// A figure of a list whose comparison is written once for all its items takes that
    /// comparison as its basis: from the nearest measure of its kind before it in the
    /// sentence that states one, or after it.
    pub shared_basis: Option<SharedBasis>,
}

/// Where a list item finds the basis written once for its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SharedBasis {
    /// "..., bằng 98,2% cùng kỳ năm trước, trong đó miền núi 120,4 nghìn ha, bằng 103,5%; ..."
    Before,
    /// "ngô 6.010 ha, bằng 83,6%; lạc 155 ha, bằng 87,6% so với cùng kỳ"
    After,
}

/// A heading shape: a line matching `regex` opens a section of `level`.
#[derive(Debug)]
pub struct HeadingRule {
    pub id: String,
    pub level: u8,
    pub regex: Regex,
    /// Lines of this shape also number the items of a list: one whose text states a
    /// measure ("8. Thu ngân sách đạt 2.310 tỷ đồng, tăng 11,6% ...;") is body text.
    pub items: bool,
}

/// A unit as the output names it.
#[derive(Debug, Clone)]
pub struct Unit {
    pub name: String,
    pub category: String,
    /// Đồng per unit, for money.
    pub vnd: Option<u128>,
    /// Whether a scale word may stand before it ("triệu con", "nghìn ha").
    pub takes_scale: bool,
}

/// A scale word before a unit: "nghìn" (1 000), "triệu", "tỷ", "vạn" (10 000) ...
#[derive(Debug, Clone)]
struct Scale {
    /// A spelling, lowercased ("ngàn").
    spelling: String,
    /// The name the output uses ("nghìn").
    name: String,
    factor: u128,
}

/// Issuing-body pattern: `template` with `{group}` filled from the match.
#[derive(Debug)]
pub struct IssuerRule {
    pub regex: Regex,
    pub template: String,
}

/// How to find a report's title among its first lines.
#[derive(Debug)]
pub struct TitleRules {
    pub title_marker: Regex,
    pub title_skip: Vec<Regex>,
    /// A first line that matches this is body text: the document has no title line.
    pub title_body: Regex,
}

/// The administrative header's pieces (`[header]` and `[places]` of `document.toml`).
#[derive(Debug, Default)]
pub struct HeaderRules {
    /// Lines read as the header.
    pub lines: usize,
    pub markup: Option<Regex>,
    pub rule: Option<Regex>,
    pub motto: Vec<Regex>,
    pub number: Option<Regex>,
    pub date: Option<Regex>,
    pub web_date: Option<Regex>,
    pub body: Option<Regex>,
    /// Document types, lower case.
    pub types: Vec<String>,
    /// Words an issuing body's name opens with, lower case.
    pub bodies: Vec<String>,
    /// Abbreviation -> spelled out.
    pub abbreviations: Vec<(String, String)>,
    /// Administrative levels, lower case, longest first.
    pub levels: Vec<String>,
    pub central: Vec<String>,
    pub provinces: Vec<String>,
    /// City -> its province.
    pub cities: Vec<(String, String)>,
}

/// How table columns read as a sentence (Markdown and DOCX tables): a row becomes
/// "<label>: <column phrase> <column phrase> ..." with each column's `template` filled in.
#[derive(Debug, Default)]
pub struct TableRules {
    /// Header of the column that holds the unit ("ĐVT", "Đơn vị tính").
    pub unit_header: Option<Regex>,
    /// Header of the column that names the indicator ("Chỉ tiêu", "Nội dung").
    pub label_header: Option<Regex>,
    pub columns: Vec<TableColumn>,
}

/// A column whose header matches `header` reads as `template`, with `{value}` and `{unit}`.
#[derive(Debug)]
pub struct TableColumn {
    pub header: Regex,
    pub template: String,
}

/// Compiled word lists the extractor uses to clean indicators and judge clauses.
#[derive(Debug)]
pub struct Lexicon {
    pub lead: Regex,
    pub tail: Regex,
    pub gap_filler: Regex,
    pub estimate: Regex,
    pub period: Regex,
    /// Periods that start a fact of their own when they stand between two figures.
    pub new_period: Regex,
    pub goal_before: Regex,
    pub goal_exempt: Regex,
    pub goal_after: Regex,
    pub goal_opening: Regex,
    pub goal_lead: Regex,
    /// Between a goal word and a figure: the goal does not reach the figure ("Tổng cục đặt
    /// mục tiêu ...; đến ngày 30/9 số thu đã đạt 78% dự toán", "Nếu như ... thì ...").
    pub goal_reach_end: Regex,
    /// Right before a goal word: the goal is a thing named ("Với mục tiêu ...,", "nhờ nỗ
    /// lực phấn đấu,"), which sets no goal past its own comma.
    pub goal_as_noun: Regex,
    /// Goal words that state an action's purpose: their reach ends at a comma.
    pub goal_purpose: Regex,
    /// Right before a goal word: a figure's plan basis ("đạt 96% chỉ tiêu phấn đấu"), which
    /// names the plan a result is measured against (group `stretch`: the basis's words).
    pub goal_as_basis: Regex,
    /// A clause that opens with the part of the year gone by ("6 tháng đầu năm", "quý
    /// III"): it reports what was done, whatever goal a list opened.
    pub period_so_far: Regex,
    /// "lần lượt", "tương ứng": figures that go, in order, to things named before them.
    pub respectively: Regex,
    pub goal_section: Regex,
    pub result_section: Regex,
    /// Words dropped from indicators when matching them across documents.
    pub key_filler: Regex,
    /// Words after which a region no longer names the indicator.
    pub indicator_stop: Regex,
    /// A parenthesis that opens with the plan: its figures are the plan's ("(kế hoạch tăng
    /// 7,5-8%)"). One that opens with another period gives that period's facts (spec).
    pub plan_figures: Regex,
    /// Right after "X%/KH": the figure is the plan's own level ("ước đạt 8,1%/KH 8%").
    pub plan_level: Regex,
    /// A basis that is a whole year ("năm 2024", "ước thực hiện năm 2024"; group `year`).
    pub whole_year: Regex,
    /// A parenthesis right after a plan that no figure of the clause was measured against:
    /// "thấp hơn kế hoạch đề ra (tăng 10%)" gives the plan's own figure; group `short`
    /// holds a comparative before the plan.
    pub plan_paren: Regex,
    /// A comparison with a period ("so với cùng kỳ"): a figure that states one is a result.
    pub period_comparison: Regex,
    pub object_stop: Regex,
    pub object_break: Regex,
    pub indicator_head: Regex,
    /// Names that open with an indicator head's word but are no head ("chi nhánh").
    pub head_lookalike: Regex,
    /// Sector words that open the next item of a list inside a name ("..., tiểu thủ công nghiệp").
    pub list_item_head: Regex,
    pub only_subject: Regex,
    /// A source ("... cho biết") or a consequence ("... nên"): the indicator starts after it.
    pub name_restart: Regex,
    /// Compounds whose last word is also a trailing verb ("chứng chỉ"): never split.
    pub name_compound: Regex,
    /// What a figure measures, named after it: "về số doanh nghiệp" (group 1: the words).
    pub dimension: Regex,
    /// Words that open the parts of a whole ("trong đó").
    pub part_of: Regex,
    /// A comparison opening a sentence, for all its changes ("So với cùng kỳ năm trước, ..."),
    /// or a plan basis, for its shares ("So với kế hoạch, tỷ lệ giải ngân đạt 22%"; group `plan`).
    pub leading_comparison: Regex,
    /// Where a list item's own words end ("bò| toàn tỉnh", "thủy sản| (theo giá so sánh)").
    pub list_tail: Regex,
    /// A comma part opening with these is an adverbial clause, never part of a name.
    pub clause_opening: Regex,
    /// A sentence opening with the means behind its results ("Với việc triển khai nhiều
    /// giải pháp nhằm ..., GRDP tăng 6,9%"): goal words in it govern only its own figures.
    pub means_opening: Regex,
    /// A comma part that contrasts with the one before ("còn xuất khẩu"): a name of its own.
    pub contrast_opening: Regex,
    /// Where a long region's name starts anew (its last verb or link: "là", "với", "đạt").
    pub name_restart_long: Regex,
    /// Phrases whose restart word links inside a name ("đối với", "so với").
    pub name_restart_long_exempt: Regex,
    /// A name that refers back ("con số này", "đây là"): the fact takes the last indicator.
    pub anaphora: Regex,
}

/// An expected measure in a rule example.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedMeasure {
    pub kind: Kind,
    pub value: f64,
    pub unit: Option<String>,
    pub basis: Option<String>,
    pub value_max: Option<f64>,
    pub total: Option<f64>,
    pub qualifier: Option<String>,
    /// The amount in đồng, for money ("2,86 triệu tỷ đồng" is 2.86e15).
    pub vnd: Option<f64>,
}

/// A sentence with what must be extracted from it.
#[derive(Debug, Clone)]
pub struct Example {
    /// The rule the example belongs to, if any (checks belong to none).
    pub rule: Option<String>,
    pub file: String,
    pub line: usize,
    pub text: String,
    pub measures: Vec<ExpectedMeasure>,
    pub indicator: Option<String>,
    pub period: Option<String>,
    pub estimated: Option<bool>,
}

/// Everything compiled from a set of rule files.
#[derive(Debug)]
pub struct Rules {
    pub measures: Vec<MeasureRule>,
    pub headings: Vec<HeadingRule>,
    pub issuers: Vec<IssuerRule>,
    pub document: TitleRules,
    pub header: HeaderRules,
    /// Period phrases -> ISO 8601 (the phrases of `periods.toml` with an `iso` kind).
    pub calendar: crate::period::Calendar,
    pub tables: TableRules,
    pub lexicon: Lexicon,
    pub examples: Vec<Example>,
    /// Abbreviations written out in indicator keys (`keys.toml`).
    pub abbreviations: Abbreviations,
    units: UnitTable,
    /// Rules whose measures take a basis written once for their list, by id.
    shared_basis: HashMap<String, SharedBasis>,
}

/// Units by spelling, and the scale words that may stand before them.
#[derive(Debug, Default)]
struct UnitTable {
    units: Vec<Unit>,
    by_alias: HashMap<String, usize>,
    /// Scale spellings, longest first.
    scales: Vec<Scale>,
}

impl Rules {
    /// The key an indicator is matched by across reports (see [`crate::key`]).
    pub fn indicator_key(&self, indicator: &str) -> String {
        indicator_key(indicator, &self.abbreviations, &self.lexicon.key_filler)
    }

    /// The shipped rules.
    pub fn embedded() -> Result<Rules> {
        let sources = EMBEDDED
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect::<Vec<_>>();
        Rules::from_sources(&sources)
    }

    /// Every `*.toml` in a directory (a replacement for the shipped set).
    pub fn from_dir(dir: &Path) -> Result<Rules> {
        let problem = |message: String| {
            Error::Rules(vec![Problem {
                path: dir.display().to_string(),
                line: None,
                message,
            }])
        };
        let entries = std::fs::read_dir(dir).map_err(|e| problem(format!("cannot read: {e}")))?;
        let mut sources = Vec::new();
        for entry in entries {
            let path = entry.map_err(|e| problem(e.to_string()))?.path();
            if path.extension().is_some_and(|ext| ext == "toml") {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| problem(format!("{}: {e}", path.display())))?;
                sources.push((path.display().to_string(), text));
            }
        }
        sources.sort();
        Rules::from_sources(&sources)
    }

    /// Compile rule files given as (path, contents). Reports every problem at once.
    pub fn from_sources(sources: &[(String, String)]) -> Result<Rules> {
        // Compiling is nearly all the cost of loading (a quarter of a second on one core)
        // and patterns are independent: a first pass only gathers them, they compile in
        // parallel, and a second pass, which reports any problems, takes them ready-made.
        let mut gatherer = Loader {
            regexes: Regexes::Gather(HashSet::new()),
            ..Loader::default()
        };
        // Its problems are the second pass's too; only the patterns it met are wanted.
        let _ = gatherer.load(sources);
        let Regexes::Gather(wanted) = gatherer.regexes else {
            unreachable!("the gatherer was made gathering")
        };
        let ready = wanted
            .into_par_iter()
            .map(|(pattern, case_insensitive)| {
                let built = build_regex(&pattern, case_insensitive);
                ((pattern, case_insensitive), built)
            })
            .collect();
        Loader {
            regexes: Regexes::Ready(ready),
            ..Loader::default()
        }
        .load(sources)
    }

    /// Canonical unit for a unit as written ("trđ" -> "triệu đồng", "ngàn ha" -> "nghìn ha",
    /// "triệu tỷ đồng" with 10^15 đồng), keeping "/ha/năm" tails.
    /// Where a measure of rule `id` finds the basis written once for its list, if it does.
    pub fn shared_basis(&self, id: &str) -> Option<SharedBasis> {
        self.shared_basis.get(id).copied()
    }

    pub fn unit(&self, written: &str) -> (String, Option<Unit>) {
        self.units.unit(written)
    }

    /// Bytes of the scale words that open a unit as written ("triệu " in "triệu lượt"), so
    /// that the counted thing reads "lượt khách" rather than "triệu lượt khách"; 0 if none.
    pub fn scale_len(&self, written: &str) -> usize {
        let written = written.split('/').next().unwrap_or("");
        let words: Vec<usize> = written
            .char_indices()
            .filter(|&(i, c)| {
                !c.is_whitespace()
                    && written[..i]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_whitespace)
            })
            .map(|(i, _)| i)
            .collect();
        words
            .into_iter()
            .rev()
            .find(|&at| {
                self.units.is_scales(&collapse_lower(&written[..at]))
                    && self
                        .units
                        .resolve(&collapse_lower(&written[at..]))
                        .is_some()
            })
            .unwrap_or(0)
    }

    /// Whether a unit as written counts things (objects follow it: "lượt khách").
    pub fn is_count_unit(&self, written: &str) -> bool {
        self.unit(written).1.is_some_and(|u| u.category == "count")
    }
}

impl UnitTable {
    fn unit(&self, written: &str) -> (String, Option<Unit>) {
        let mut parts = written.splitn(2, '/');
        let base = parts.next().unwrap_or("").trim();
        // "ha / năm" and "lao  động" as "ha/năm" and "lao động".
        let tail: String = parts
            .next()
            .map(|t| {
                t.split('/')
                    .map(|part| part.split_whitespace().collect::<Vec<_>>().join(" "))
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default();
        let unit = self.resolve(&collapse_lower(base));
        let name = unit.as_ref().map_or(base, |u| u.name.as_str());
        if tail.is_empty() {
            (name.to_string(), unit)
        } else {
            (format!("{name}/{tail}"), None)
        }
    }

    /// Whether a key is scale words only ("trăm nghìn", "nghìn tỷ").
    fn is_scales(&self, key: &str) -> bool {
        self.scales.iter().any(|scale| {
            key.strip_prefix(scale.spelling.as_str())
                .is_some_and(|rest| {
                    rest.is_empty() || rest.strip_prefix(' ').is_some_and(|r| self.is_scales(r))
                })
        })
    }

    /// A unit written without a tail, lowercased with single spaces: a name or alias, or
    /// scale words before one ("triệu tỷ đồng" is triệu × tỷ đồng).
    fn resolve(&self, key: &str) -> Option<Unit> {
        if let Some(&i) = self.by_alias.get(key) {
            return Some(self.units[i].clone());
        }
        self.scales.iter().find_map(|scale| {
            let rest = key
                .strip_prefix(scale.spelling.as_str())?
                .strip_prefix(' ')?;
            let base = self.resolve(rest).filter(|u| u.takes_scale)?;
            Some(Unit {
                name: format!("{} {}", scale.name, base.name),
                category: base.category,
                vnd: base.vnd.and_then(|v| v.checked_mul(scale.factor)),
                takes_scale: true,
            })
        })
    }
}

// ---------------------------------------------------------------------------------------
// File formats

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    #[serde(default)]
    abbreviation: Vec<AbbreviationDef>,
    #[serde(default)]
    example: Vec<KeyExampleDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AbbreviationDef {
    short: String,
    long: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyExampleDef {
    indicator: Spanned<String>,
    key: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FragmentFile {
    fragment: BTreeMap<String, FragmentDef>,
    #[serde(default)]
    typo: Vec<TypoDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FragmentDef {
    #[allow(dead_code)]
    about: Option<String>,
    words: Option<Vec<String>>,
    regex: Option<String>,
    /// The phrases also match as the `[[typo]]` entries misspell them.
    #[serde(default)]
    typos: bool,
}

/// A misspelling read as the word meant ("giám 3,58%" is "giảm"), in the phrases of the
/// fragments that take typos.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypoDef {
    #[allow(dead_code)]
    about: Option<String>,
    meant: String,
    written: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitFile {
    per: Vec<String>,
    #[serde(default)]
    group: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    scale: Vec<ScaleDef>,
    unit: Vec<UnitDef>,
    #[serde(default)]
    example: Vec<UnitExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitDef {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    category: String,
    vnd: Option<u64>,
    #[serde(default = "yes")]
    takes_scale: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScaleDef {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    factor: u64,
}

/// A unit as written and what it must resolve to: checked on load.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitExample {
    written: Spanned<String>,
    name: String,
    vnd: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodFile {
    numbers: BTreeMap<String, u32>,
    quarters: BTreeMap<String, u32>,
    period: Vec<PeriodDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodDef {
    #[allow(dead_code)]
    name: String,
    pattern: Spanned<String>,
    /// A point a running total reaches ("đến nay"): between two figures it does not start
    /// a fact of its own, unlike another stretch of time ("lũy kế 10 tháng").
    #[serde(default)]
    running_total: bool,
    /// How its named groups make an ISO 8601 value (`period::ShapeKind`); none: no value.
    #[serde(default)]
    iso: Option<Spanned<String>>,
    /// Whether it marks a fact's period, or is read as ISO only.
    #[serde(default = "yes")]
    in_facts: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeadingFile {
    heading: Vec<HeadingDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeadingDef {
    name: String,
    level: u8,
    pattern: Spanned<String>,
    #[serde(default)]
    items: bool,
    #[serde(default)]
    example: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentFile {
    issuer: Vec<IssuerDef>,
    title: TitleDef,
    #[serde(default)]
    header: Option<HeaderDef>,
    #[serde(default)]
    places: Option<PlacesDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderDef {
    lines: usize,
    markup: Spanned<String>,
    rule: Spanned<String>,
    motto: Vec<Spanned<String>>,
    number: Spanned<String>,
    date: Spanned<String>,
    web_date: Spanned<String>,
    body: Spanned<String>,
    types: Vec<String>,
    bodies: Vec<String>,
    #[serde(default)]
    abbreviations: BTreeMap<String, String>,
    levels: Vec<String>,
    central: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacesDef {
    provinces: Vec<String>,
    #[serde(default)]
    cities: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TitleDef {
    marker: Spanned<String>,
    skip: Vec<Spanned<String>>,
    body: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssuerDef {
    pattern: Spanned<String>,
    template: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    unit_header: Spanned<String>,
    label_header: Spanned<String>,
    column: Vec<ColumnDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnDef {
    header: Spanned<String>,
    template: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckFile {
    check: Vec<ExampleDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    kind: String,
    rule: Vec<RuleDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    name: Spanned<String>,
    #[allow(dead_code)]
    about: Option<String>,
    pattern: Spanned<String>,
    priority: Option<i32>,
    before: Option<Spanned<String>>,
    not_before: Option<Spanned<String>>,
    after: Option<Spanned<String>>,
    not_after: Option<Spanned<String>>,
    #[serde(default = "yes")]
    standalone: bool,
    #[serde(default)]
    indicator: IndicatorSource,
    shared_basis: Option<SharedBasis>,
    #[serde(default)]
    example: Vec<ExampleDef>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize, Default, PartialEq)]
#[serde(rename_all = "lowercase")]
enum IndicatorSource {
    #[default]
    Before,
    Object,
    /// The words before, even a place alone.
    Place,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleDef {
    text: Spanned<String>,
    measures: Vec<ExpectedMeasure>,
    indicator: Option<String>,
    period: Option<String>,
    estimated: Option<bool>,
}

/// Default priority by kind: a plan phrase outranks the bare amount inside it.
fn default_priority(kind: Kind) -> i32 {
    match kind {
        Kind::Plan | Kind::Exceed => 50,
        Kind::Relative => 48,
        Kind::Change => 40,
        Kind::Target => 35,
        Kind::Ratio => 30,
        Kind::Actual => 20,
    }
}

// ---------------------------------------------------------------------------------------
// Loading

/// A fragment's definition and where it was written.
struct Fragment {
    body: String,
    file: String,
    line: usize,
    generated: bool,
}

#[derive(Default)]
struct Loader {
    regexes: Regexes,
    problems: Vec<Problem>,
    fragments: BTreeMap<String, Fragment>,
    used: HashSet<String>,
    units: UnitTable,
    unit_examples: Vec<(String, usize, UnitExample)>,
}

/// Where the loader's regexes come from: a gathering pass that only notes the expanded
/// patterns (and hands out a stand-in), or patterns compiled beforehand, in parallel.
enum Regexes {
    Gather(HashSet<(String, bool)>),
    Ready(HashMap<(String, bool), std::result::Result<Regex, regex::Error>>),
}

impl Default for Regexes {
    fn default() -> Self {
        Regexes::Ready(HashMap::new())
    }
}

/// What a gathering pass hands out for every pattern: a regex that matches nothing.
fn stand_in() -> Regex {
    static NOTHING: OnceLock<Regex> = OnceLock::new();
    NOTHING
        .get_or_init(|| Regex::new(r"[^\s\S]").expect("static pattern"))
        .clone()
}

fn build_regex(pattern: &str, case_insensitive: bool) -> std::result::Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(case_insensitive)
        .size_limit(64 << 20)
        .dfa_size_limit(32 << 20)
        .build()
}

/// A source file, its kind decided by its name.
struct Source<'a> {
    path: &'a str,
    stem: String,
    text: &'a str,
}

impl Loader {
    fn load(&mut self, sources: &[(String, String)]) -> Result<Rules> {
        let sources: Vec<Source> = sources
            .iter()
            .map(|(path, text)| Source {
                path,
                stem: Path::new(path)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                text,
            })
            .collect();
        let find = |stem: &str| sources.iter().find(|s| s.stem == stem);
        for required in ["fragments", "units", "periods", "headings", "document"] {
            if find(required).is_none() {
                self.problems.push(Problem {
                    path: format!("{required}.toml"),
                    line: None,
                    message: "required rule file is missing".into(),
                });
            }
        }
        if find("calendar").is_some() {
            // A rule folder of an earlier version: say where its grammar went.
            self.problems.push(Problem {
                path: "calendar.toml".into(),
                line: None,
                message: "merged into periods.toml: its shapes are [[period]] entries with an \
                          `iso` kind, its [numbers] and [quarters] tables are there too"
                    .into(),
            });
        }
        if !self.problems.is_empty() {
            return Err(Error::Rules(std::mem::take(&mut self.problems)));
        }
        let fragments_file = find("fragments").expect("checked above");
        self.read_fragments(fragments_file);
        self.read_units(find("units").expect("checked above"));
        let calendar = self.read_periods(find("periods").expect("checked above"));
        let headings = self.read_headings(find("headings").expect("checked above"));
        let (issuers, document, header) =
            self.read_document(find("document").expect("checked above"));
        let mut examples = find("checks").map_or(Vec::new(), |s| self.read_checks(s));
        let tables = find("tables").map_or_else(TableRules::default, |s| self.read_tables(s));
        let keys = find("keys").and_then(|s| self.read_keys(s).map(|file| (s, file)));
        let mut measures = Vec::new();
        let special = [
            "fragments",
            "units",
            "periods",
            "headings",
            "document",
            "checks",
            "tables",
            "keys",
        ];
        for source in sources
            .iter()
            .filter(|s| !special.contains(&s.stem.as_str()))
        {
            self.read_measure_rules(source, &mut measures, &mut examples);
        }
        let lexicon = self.build_lexicon(fragments_file);
        let abbreviations = match (&keys, &lexicon) {
            (Some((source, file)), Some(lexicon)) => self.check_keys(source, file, lexicon),
            _ => Abbreviations::default(),
        };
        self.check_unit_examples();
        self.report_unused();
        if !self.problems.is_empty() {
            return Err(Error::Rules(std::mem::take(&mut self.problems)));
        }
        let shared_basis = measures
            .iter()
            .filter_map(|rule| rule.shared_basis.map(|from| (rule.id.clone(), from)))
            .collect();
        Ok(Rules {
            shared_basis,
            measures,
            headings,
            issuers,
            document: document.expect("no problems means the title rules compiled"),
            header,
            calendar,
            tables,
            lexicon: lexicon.expect("no problems means the lexicon compiled"),
            examples,
            abbreviations,
            units: std::mem::take(&mut self.units),
        })
    }

    fn read_keys(&mut self, source: &Source) -> Option<KeyFile> {
        self.parse::<KeyFile>(source)
    }

    /// The abbreviations of `keys.toml`, with its examples run against the key they give.
    fn check_keys(&mut self, source: &Source, file: &KeyFile, lexicon: &Lexicon) -> Abbreviations {
        let pairs: Vec<(String, String)> = file
            .abbreviation
            .iter()
            .map(|a| (a.short.clone(), a.long.clone()))
            .collect();
        let abbreviations = match Abbreviations::new(&pairs) {
            Ok(abbreviations) => abbreviations,
            Err(err) => {
                self.problem(source.path, None, format!("abbreviations: {err}"));
                return Abbreviations::default();
            }
        };
        for example in &file.example {
            let got = indicator_key(
                example.indicator.get_ref(),
                &abbreviations,
                &lexicon.key_filler,
            );
            if got != example.key {
                let line = line_at(source.text, example.indicator.span().start);
                let message = format!(
                    "example {:?} gives the key {got:?}, not {:?}",
                    example.indicator.get_ref(),
                    example.key
                );
                self.problem(source.path, Some(line), message);
            }
        }
        abbreviations
    }

    fn problem(&mut self, path: &str, line: Option<usize>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.to_string(),
            line,
            message: message.into(),
        });
    }

    fn parse<T: serde::de::DeserializeOwned>(&mut self, source: &Source) -> Option<T> {
        match toml::from_str(source.text) {
            Ok(value) => Some(value),
            Err(err) => {
                let line = err.span().map(|span| line_at(source.text, span.start));
                let message = err.message().to_string();
                self.problem(source.path, line, message);
                None
            }
        }
    }

    fn read_fragments(&mut self, source: &Source) {
        let Some(file) = self.parse::<FragmentFile>(source) else {
            return;
        };
        let mut typo_used = vec![false; file.typo.len()];
        for (name, def) in file.fragment {
            let line = find_line(source.text, &format!("[fragment.{name}]"));
            let body = match (def.words, def.regex) {
                (Some(words), None) if def.typos => {
                    words_regex(&with_typos(&words, &file.typo, &mut typo_used))
                }
                (Some(words), None) => words_regex(&words),
                (None, Some(regex)) => regex,
                _ => {
                    self.problem(
                        source.path,
                        line,
                        format!("fragment {name}: give exactly one of `words` or `regex`"),
                    );
                    continue;
                }
            };
            self.define(name, body, source.path, line.unwrap_or(1), false);
        }
        for (typo, used) in file.typo.iter().zip(typo_used) {
            if !used {
                let line = find_line(source.text, &format!("meant = {:?}", typo.meant));
                self.problem(
                    source.path,
                    line,
                    format!(
                        "typo of {:?}: no fragment with `typos = true` has the word",
                        typo.meant
                    ),
                );
            }
        }
    }

    fn define(&mut self, name: String, body: String, file: &str, line: usize, generated: bool) {
        self.fragments.insert(
            name,
            Fragment {
                body,
                file: file.to_string(),
                line,
                generated,
            },
        );
    }

    fn read_units(&mut self, source: &Source) {
        let Some(file) = self.parse::<UnitFile>(source) else {
            return;
        };
        for def in &file.scale {
            for spelling in std::iter::once(&def.name).chain(&def.aliases) {
                self.units.scales.push(Scale {
                    spelling: collapse_lower(spelling),
                    name: def.name.clone(),
                    factor: u128::from(def.factor),
                });
            }
        }
        self.units.scales.sort_by(|a, b| {
            b.spelling
                .len()
                .cmp(&a.spelling.len())
                .then(a.spelling.cmp(&b.spelling))
        });
        // Spellings by category: all of them, and those a scale word may precede.
        let mut by_category: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
        for def in file.unit {
            let index = self.units.units.len();
            let spellings = std::iter::once(def.name.clone()).chain(def.aliases.iter().cloned());
            for spelling in spellings {
                let key = collapse_lower(&spelling);
                if self.units.by_alias.insert(key, index).is_some() {
                    let line = find_line(source.text, &format!("\"{spelling}\""));
                    self.problem(
                        source.path,
                        line,
                        format!("unit spelling {spelling:?} is given twice"),
                    );
                }
                let entry = by_category.entry(def.category.clone()).or_default();
                if def.takes_scale {
                    entry.1.push(spelling.clone());
                }
                entry.0.push(spelling);
            }
            self.units.units.push(Unit {
                name: def.name,
                category: def.category,
                vnd: def.vnd.map(u128::from),
                takes_scale: def.takes_scale,
            });
        }
        let scale_spellings: Vec<String> = file
            .scale
            .iter()
            .flat_map(|def| std::iter::once(def.name.clone()).chain(def.aliases.iter().cloned()))
            .collect();
        let has_scales = !scale_spellings.is_empty();
        if has_scales {
            self.define(
                "scale".into(),
                words_regex(&scale_spellings),
                source.path,
                1,
                true,
            );
        }
        // Scale words and a unit before the unit alone: "triệu con" is not "triệu" (đồng)
        // followed by "con", since the regex engine takes the first alternative that matches.
        let alternation = |categories: &mut dyn Iterator<Item = &(Vec<String>, Vec<String>)>| {
            let (mut all, mut scaled) = (Vec::new(), Vec::new());
            for (a, s) in categories {
                all.extend(a.iter().cloned());
                scaled.extend(s.iter().cloned());
            }
            if has_scales && !scaled.is_empty() {
                format!(
                    r"(?:{{scale}}\s+)+{}|{}",
                    words_regex(&scaled),
                    words_regex(&all)
                )
            } else {
                words_regex(&all)
            }
        };
        for (category, spellings) in &by_category {
            let body = alternation(&mut std::iter::once(spellings));
            self.define(format!("unit_{category}"), body, source.path, 1, true);
        }
        for (group, categories) in &file.group {
            for category in categories {
                if !by_category.contains_key(category) {
                    let line = find_line(source.text, &format!("{group} ="));
                    self.problem(
                        source.path,
                        line,
                        format!("group {group}: no unit has category {category:?}"),
                    );
                }
            }
            let body = alternation(&mut categories.iter().filter_map(|c| by_category.get(c)));
            self.define(format!("unit_{group}"), body, source.path, 1, true);
        }
        let body = alternation(&mut by_category.values());
        self.define("unit_base".into(), body, source.path, 1, true);
        self.define("per".into(), words_regex(&file.per), source.path, 1, true);
        self.define(
            "unit".into(),
            r"(?:{unit_base})(?:\s*/\s*{per})*".into(),
            source.path,
            1,
            true,
        );
        for example in file.example {
            let line = line_at(source.text, example.written.span().start);
            self.unit_examples
                .push((source.path.to_string(), line, example));
        }
    }

    /// Each unit example must match `{unit}` whole and resolve to its name and đồng.
    fn check_unit_examples(&mut self) {
        let examples = std::mem::take(&mut self.unit_examples);
        if examples.is_empty() {
            return;
        }
        let (path, line) = (examples[0].0.clone(), examples[0].1);
        let Some(whole) = self.compile(&path, line, r"^(?:{unit})$", true) else {
            return;
        };
        for (path, line, example) in examples {
            let written = example.written.get_ref();
            if !whole.is_match(written) {
                self.problem(
                    &path,
                    Some(line),
                    format!("unit {written:?} is not matched as a whole by {{unit}}"),
                );
                continue;
            }
            let (name, unit) = self.units.unit(written);
            let vnd = unit.and_then(|u| u.vnd);
            if name != example.name || vnd != example.vnd.map(u128::from) {
                self.problem(
                    &path,
                    Some(line),
                    format!(
                        "unit {written:?} reads as {name:?} (vnd {vnd:?}), expected {:?} (vnd {:?})",
                        example.name, example.vnd
                    ),
                );
            }
        }
    }

    /// `periods.toml`: the period phrases as the fragments {period} and {new_period} (named
    /// groups dropped: a pattern may hold several), and those with an `iso` kind as the
    /// grammar to ISO 8601, its number words defined as fragments for their patterns.
    fn read_periods(&mut self, source: &Source) -> crate::period::Calendar {
        let mut calendar = crate::period::Calendar::default();
        let Some(file) = self.parse::<PeriodFile>(source) else {
            return calendar;
        };
        self.define_number_words(&file, source);
        let groups = Regex::new(r"\(\?P?<[A-Za-z_][A-Za-z0-9_]*>").expect("a valid regex");
        let alternatives = |periods: &mut dyn Iterator<Item = &PeriodDef>| {
            let all: Vec<String> = periods
                .map(|p| format!("(?:{})", groups.replace_all(p.pattern.get_ref(), "(?:")))
                .collect();
            format!(r"(?:{})", all.join("|"))
        };
        let in_facts = || file.period.iter().filter(|p| p.in_facts);
        let every = alternatives(&mut in_facts());
        let stretches = alternatives(&mut in_facts().filter(|p| !p.running_total));
        self.define("period".into(), every, source.path, 1, true);
        self.define("new_period".into(), stretches, source.path, 1, true);
        for def in &file.period {
            let Some(kind) = &def.iso else { continue };
            let Some(kind_of) = crate::period::ShapeKind::from_name(kind.get_ref()) else {
                let line = line_at(source.text, kind.span().start);
                let message = format!("unknown period kind {}", kind.get_ref());
                self.problem(source.path, Some(line), message);
                continue;
            };
            let line = line_at(source.text, def.pattern.span().start);
            let pattern = format!(r"\b(?:{})\b", def.pattern.get_ref());
            if let Some(regex) = self.compile(source.path, line, &pattern, true) {
                calendar.shapes.push(crate::period::Shape {
                    kind: kind_of,
                    regex,
                });
            }
        }
        calendar.numbers = file
            .numbers
            .into_iter()
            .map(|(w, n)| (w.to_lowercase(), n))
            .collect();
        calendar.quarters = file
            .quarters
            .into_iter()
            .map(|(w, n)| (w.to_uppercase(), n))
            .collect();
        calendar
    }

    /// {cal_number} and {cal_quarter}: the words of the number and quarter tables, longest
    /// first, or digits.
    fn define_number_words(&mut self, file: &PeriodFile, source: &Source) {
        let alternation = |words: Vec<&String>, digits: &str| {
            let mut words: Vec<String> = words
                .into_iter()
                .map(|w| {
                    w.split_whitespace()
                        .map(regex::escape)
                        .collect::<Vec<_>>()
                        .join(r"\s+")
                })
                .collect();
            words.sort_by_key(|w| std::cmp::Reverse(w.len()));
            words.push(digits.to_string());
            words.join("|")
        };
        let numbers = alternation(file.numbers.keys().collect(), "[0-9]{1,2}");
        let quarters = alternation(file.quarters.keys().collect(), "[1-4]");
        self.define("cal_number".into(), numbers, source.path, 1, true);
        self.define("cal_quarter".into(), quarters, source.path, 1, true);
    }

    fn read_headings(&mut self, source: &Source) -> Vec<HeadingRule> {
        let Some(file) = self.parse::<HeadingFile>(source) else {
            return Vec::new();
        };
        let mut rules = Vec::new();
        for def in file.heading {
            let line = line_at(source.text, def.pattern.span().start);
            let Some(regex) = self.compile(source.path, line, def.pattern.get_ref(), false) else {
                continue;
            };
            for example in &def.example {
                if !regex.is_match(example) {
                    self.problem(
                        source.path,
                        Some(line),
                        format!("heading {}: example {example:?} does not match", def.name),
                    );
                }
            }
            rules.push(HeadingRule {
                id: format!("headings.{}", def.name),
                level: def.level,
                regex,
                items: def.items,
            });
        }
        rules
    }

    fn read_document(
        &mut self,
        source: &Source,
    ) -> (Vec<IssuerRule>, Option<TitleRules>, HeaderRules) {
        let Some(file) = self.parse::<DocumentFile>(source) else {
            return (Vec::new(), None, HeaderRules::default());
        };
        let compile = |loader: &mut Loader, pattern: &Spanned<String>| {
            let line = line_at(source.text, pattern.span().start);
            loader.compile(source.path, line, pattern.get_ref(), false)
        };
        let mut rules = Vec::new();
        for def in &file.issuer {
            if let Some(regex) = compile(self, &def.pattern) {
                rules.push(IssuerRule {
                    regex,
                    template: def.template.clone(),
                });
            }
        }
        let marker = compile(self, &file.title.marker);
        let skip: Vec<Option<Regex>> = file.title.skip.iter().map(|p| compile(self, p)).collect();
        let body = compile(self, &file.title.body);
        let title = marker
            .zip(skip.into_iter().collect::<Option<Vec<_>>>())
            .zip(body)
            .map(|((title_marker, title_skip), title_body)| TitleRules {
                title_marker,
                title_skip,
                title_body,
            });
        let mut header = HeaderRules::default();
        if let Some(def) = &file.header {
            header = HeaderRules {
                lines: def.lines,
                markup: compile(self, &def.markup),
                rule: compile(self, &def.rule),
                motto: def.motto.iter().filter_map(|p| compile(self, p)).collect(),
                number: compile(self, &def.number),
                date: compile(self, &def.date),
                web_date: compile(self, &def.web_date),
                body: compile(self, &def.body),
                types: def.types.iter().map(|t| t.to_lowercase()).collect(),
                bodies: def.bodies.iter().map(|b| b.to_lowercase()).collect(),
                abbreviations: def.abbreviations.clone().into_iter().collect(),
                levels: def.levels.iter().map(|l| l.to_lowercase()).collect(),
                central: def.central.clone(),
                ..HeaderRules::default()
            };
            header.levels.sort_by_key(|l| std::cmp::Reverse(l.len()));
        }
        if let Some(places) = &file.places {
            header.provinces = places.provinces.clone();
            header.cities = places.cities.clone().into_iter().collect();
        }
        (rules, title, header)
    }

    fn read_tables(&mut self, source: &Source) -> TableRules {
        let Some(file) = self.parse::<TableFile>(source) else {
            return TableRules::default();
        };
        let compile = |loader: &mut Loader, pattern: &Spanned<String>| {
            let line = line_at(source.text, pattern.span().start);
            loader.compile(source.path, line, pattern.get_ref(), true)
        };
        let unit_header = compile(self, &file.unit_header);
        let label_header = compile(self, &file.label_header);
        let columns = file
            .column
            .iter()
            .filter_map(|def| {
                compile(self, &def.header).map(|header| TableColumn {
                    header,
                    template: def.template.clone(),
                })
            })
            .collect();
        TableRules {
            unit_header,
            label_header,
            columns,
        }
    }

    fn read_checks(&mut self, source: &Source) -> Vec<Example> {
        let Some(file) = self.parse::<CheckFile>(source) else {
            return Vec::new();
        };
        file.check
            .into_iter()
            .map(|def| example(def, None, source))
            .collect()
    }

    fn read_measure_rules(
        &mut self,
        source: &Source,
        out: &mut Vec<MeasureRule>,
        examples: &mut Vec<Example>,
    ) {
        let Some(file) = self.parse::<RuleFile>(source) else {
            return;
        };
        let Some(kind) = Kind::from_name(&file.kind) else {
            let line = find_line(source.text, "kind");
            self.problem(source.path, line, format!("unknown kind {:?} (expected one of plan, change, exceed, actual, ratio, target, relative)", file.kind));
            return;
        };
        let mut names = HashSet::new();
        for def in file.rule {
            let id = format!("{}.{}", source.stem, def.name.get_ref());
            let line = line_at(source.text, def.name.span().start);
            if !names.insert(def.name.get_ref().clone()) {
                self.problem(
                    source.path,
                    Some(line),
                    format!("rule {id} is defined twice"),
                );
            }
            if def.example.is_empty() {
                self.problem(source.path, Some(line), format!("rule {id} has no example"));
            }
            let context = |loader: &mut Loader, field: &Option<Spanned<String>>| {
                field.as_ref().and_then(|s| {
                    let line = line_at(source.text, s.span().start);
                    loader.compile(source.path, line, s.get_ref(), true)
                })
            };
            let pattern_line = line_at(source.text, def.pattern.span().start);
            let regex = self.compile(source.path, pattern_line, def.pattern.get_ref(), true);
            let before = context(self, &def.before);
            let not_before = context(self, &def.not_before);
            let after = context(self, &def.after);
            let not_after = context(self, &def.not_after);
            for ex in def.example {
                examples.push(example(ex, Some(id.clone()), source));
            }
            if let Some(regex) = regex {
                if regex.capture_names().all(|n| n != Some("value")) {
                    self.problem(
                        source.path,
                        Some(pattern_line),
                        format!("rule {id}: the pattern captures no `value`"),
                    );
                }
                out.push(MeasureRule {
                    id,
                    kind,
                    regex,
                    priority: def.priority.unwrap_or_else(|| default_priority(kind)),
                    before,
                    not_before,
                    after,
                    not_after,
                    standalone: def.standalone,
                    object_indicator: def.indicator == IndicatorSource::Object,
                    place_indicator: def.indicator == IndicatorSource::Place,
                    shared_basis: def.shared_basis,
                });
            }
        }
    }

    fn build_lexicon(&mut self, source: &Source) -> Option<Lexicon> {
        for name in ENGINE_FRAGMENTS {
            if !self.fragments.contains_key(*name) {
                self.problem(
                    source.path,
                    None,
                    format!("fragment {name} is missing (the extractor needs it)"),
                );
            }
        }
        let path = source.path;
        let mut build = |pattern: &str| self.compile(path, 1, pattern, true);
        // Separators around the words stripped from an indicator's edges.
        let lead_separator = r"[\s\-+•*–,.;:)\]]";
        let tail_separator = r"[\s,.;:(\[–-]";
        let edge_words = |words: &str| format!("(?:{words}|{{estimate}}|{{period}})");
        Some(Lexicon {
            lead: build(&format!(
                "^(?:{lead_separator}|{}(?:{lead_separator}|$))+",
                edge_words("{lead_filler}")
            ))?,
            tail: build(&format!(
                "(?:(?:^|{tail_separator})+{})*{tail_separator}*$",
                edge_words("{tail_filler}")
            ))?,
            gap_filler: build(
                r"\((?:[^()]*)\)|[^()]*\)|{share_phrase}|{rank_phrase}|{plan_basis}|{gap_filler}|{estimate}|{period}|{comparison}",
            )?,
            estimate: build(&word("{estimate}"))?,
            period: build(&word("{period}"))?,
            new_period: build(&word("{new_period}"))?,
            goal_before: build(&word("{goal_before}"))?,
            goal_exempt: build(&word("{goal_exempt}"))?,
            goal_after: build(r"^\s*(?:{goal_after})(?:[^\p{L}\p{N}]|$)")?,
            goal_opening: build(
                r"^[\s\-+•*–]*(?:(?:{goal_opening})(?:[^\p{L}\p{N}]|$)|{goal_label}\s*:)",
            )?,
            goal_section: build(&word("{goal_section}"))?,
            goal_lead: build(&word("{goal_lead}"))?,
            goal_reach_end: build(&word("{goal_reach_end}"))?,
            goal_as_noun: build(r"(?:^|[^\p{L}\p{N}])(?:{goal_as_noun})\s*$")?,
            period_so_far: build(r"^[\s\-+•*–,]*(?:{period_so_far})(?:[^\p{L}\p{N}]|$)")?,
            goal_purpose: build(&word("{goal_purpose}"))?,
            goal_as_basis: build(
                r"[0-9]\s*(?:%|‰)\s*(?:so\s+với\s+)?(?:(?:{plan_opening})(?P<stretch>[^,;:()0-9%]{0,60}))?$",
            )?,
            respectively: build(&word("{respectively}"))?,
            result_section: build(&word("{result_section}"))?,
            key_filler: build(&word("{key_filler}"))?,
            indicator_stop: build(&word("(?:{indicator_stop}|{former_level})"))?,
            plan_figures: build(
                r"\(\s*(?:(?:(?:không|chưa)\s+)?đạt\s+)?(?:{plan_opening})(?:[^\p{L}\p{N}][^()]*)?$",
            )?,
            plan_level: build(
                r"%\s*/\s*(?:{plan_opening})(?:\s+(?:{basis_qualifier}))*\s*(?:\([^()]*\)\s*)?(?:(?:là|đạt|tăng|giảm)\s+)?$",
            )?,
            whole_year: build(r"^\s*(?:(?:{year_basis_lead})\s*)*(?P<year>[0-9]{4})\s*$")?,
            // Not after a share of the plan: "đạt 102% kế hoạch (tăng 5%)" gives a result.
            // Group `short`: the figure fell short of or passed the plan ("thấp hơn kế hoạch").
            plan_paren: build(
                r"(?:^|[,;:(])[^,;:()%]*?(?:^|[^\p{L}\p{N}])(?P<short>(?:hơn|chưa\s+đạt|không\s+đạt)\s+(?:so\s+với\s+)?)?(?:{plan_opening})(?:\s+(?:{basis_qualifier}))*\s*\([^()]*$",
            )?,
            period_comparison: build(&word(r"(?:{compare_word})\s+(?:{comparison})"))?,
            object_stop: build(&format!(r"[,;.:()\[\]0-9]|{}", word("{object_stop}")))?,
            object_break: build(&format!(r"[,;.:()\[\]0-9]|{}", word("{object_break}")))?,
            indicator_head: build(r"^\s*{indicator_head}(?:[^\p{L}\p{N}]|$)")?,
            head_lookalike: build(r"^\s*(?:{head_lookalike})(?:[^\p{L}\p{N}]|$)")?,
            list_item_head: build(r"^\s*{list_item_head}(?:[^\p{L}\p{N}]|$)")?,
            only_subject: build(r"^(?:\s|{subject})*$")?,
            name_restart: build(&word("{name_restart}"))?,
            part_of: build(&word("{part_of}"))?,
            dimension: build(
                r"^\s*(?:{dimension_word})\s+([^\s,;.()0-9]+(?:\s+[^\s,;.()0-9]+){0,5}?)(?:\s+(?:{dimension_stop})(?:[^\p{L}\p{N}]|$)|\s*[,;.()0-9]|\s*$)",
            )?,
            name_compound: build(&word("{name_compound}"))?,
            leading_comparison: build(
                r"^[\s\-+•*–]*(?:{comparison_opening}\s+)?{compare_word}\s+(?:{comparison:basis}|(?:số\s+)?{plan_basis:plan})\s*(?:\([^()]{0,40}\)\s*)?(?:,|\s+thì(?:[^\p{L}\p{N}]|$))",
            )?,
            list_tail: build(&format!(r"\(|{}", word("{list_tail}")))?,
            clause_opening: build(r"^[\s\-+•*–]*(?:{clause_opening})(?:[^\p{L}\p{N}]|$)")?,
            means_opening: build(r"^[\s\-+•*–]*(?:{means_opening})(?:[^\p{L}\p{N}]|$)")?,
            contrast_opening: build(r"^[\s\-+•*–]*(?:{contrast_opening})(?:[^\p{L}\p{N}]|$)")?,
            name_restart_long: build(&word("{name_restart_long}"))?,
            name_restart_long_exempt: build(&word("{name_restart_long_exempt}"))?,
            anaphora: build(r"^[\s\-+•*–]*(?:{anaphora})(?:[^\p{L}\p{N}]|$)")?,
        })
    }

    fn report_unused(&mut self) {
        // Fragments read by patterns that failed to compile would show up here as unused.
        if !self.problems.is_empty() {
            return;
        }
        let unused: Vec<(String, String, usize)> = self
            .fragments
            .iter()
            .filter(|(name, f)| !f.generated && !self.used.contains(*name))
            .map(|(name, f)| (name.clone(), f.file.clone(), f.line))
            .collect();
        for (name, file, line) in unused {
            self.problem(&file, Some(line), format!("fragment {name} is never used"));
        }
    }

    /// Expand fragments and compile; problems are recorded against `path:line`.
    fn compile(
        &mut self,
        path: &str,
        line: usize,
        pattern: &str,
        case_insensitive: bool,
    ) -> Option<Regex> {
        let expanded = match self.expand(pattern, &mut Vec::new()) {
            Ok(expanded) => expanded,
            Err(message) => {
                self.problem(path, Some(line), message);
                return None;
            }
        };
        let built = match &mut self.regexes {
            Regexes::Gather(wanted) => {
                wanted.insert((expanded, case_insensitive));
                return Some(stand_in());
            }
            Regexes::Ready(ready) => ready
                .get(&(expanded.clone(), case_insensitive))
                .cloned()
                .unwrap_or_else(|| build_regex(&expanded, case_insensitive)),
        };
        match built {
            Ok(regex) => Some(regex),
            Err(err) => {
                let first = err
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or("")
                    .trim()
                    .to_string();
                self.problem(path, Some(line), format!("invalid pattern: {first}"));
                None
            }
        }
    }

    /// Replace `{name}` and `{name:group}` with fragment bodies, recursively.
    fn expand(
        &mut self,
        pattern: &str,
        stack: &mut Vec<String>,
    ) -> std::result::Result<String, String> {
        let reference = fragment_reference();
        let mut out = String::with_capacity(pattern.len());
        let mut last = 0;
        for caps in reference.captures_iter(pattern) {
            let whole = caps.get(0).expect("group 0 always matches");
            let name = &caps[1];
            out.push_str(&pattern[last..whole.start()]);
            last = whole.end();
            if stack.iter().any(|n| n == name) {
                return Err(format!("fragment {name} refers to itself"));
            }
            let Some(body) = self.fragments.get(name).map(|f| f.body.clone()) else {
                return Err(format!("unknown fragment {{{name}}}"));
            };
            self.used.insert(name.to_string());
            stack.push(name.to_string());
            let inner = self.expand(&body, stack)?;
            stack.pop();
            match caps.get(2) {
                Some(group) => out.push_str(&format!("(?P<{}>{inner})", group.as_str())),
                None => out.push_str(&format!("(?:{inner})")),
            }
        }
        out.push_str(&pattern[last..]);
        Ok(out)
    }
}

fn fragment_reference() -> &'static Regex {
    static REFERENCE: OnceLock<Regex> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        Regex::new(r"\{([a-z_][a-z0-9_]*)(?::([a-z_][a-z0-9_]*))?\}").expect("static pattern")
    })
}

fn example(def: ExampleDef, rule: Option<String>, source: &Source) -> Example {
    Example {
        rule,
        file: source.path.to_string(),
        line: line_at(source.text, def.text.span().start),
        text: def.text.into_inner(),
        measures: def.measures,
        indicator: def.indicator,
        period: def.period,
        estimated: def.estimated,
    }
}

/// Literal phrases as one alternation, longest first (the regex engine takes the first
/// alternative that matches); a space matches any run of white space. Word edges are not
/// written as `\b`: a Unicode `\b` keeps the regex engine off its fast DFA on Vietnamese
/// text, so edges are checked around a measure's match in code and written out with
/// [`word`] in the extractor's own patterns.
fn words_regex(words: &[String]) -> String {
    let mut sorted: Vec<&String> = words.iter().collect();
    sorted.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    sorted.dedup();
    let alternatives: Vec<String> = sorted
        .iter()
        .map(|word| regex::escape(word).replace(' ', r"\s+"))
        .collect();
    format!("(?:{})", alternatives.join("|"))
}

/// The phrases, and each again with a misspelling in place of a word it holds ("giảm đi",
/// "giám đi"); `used` marks the typos that found their word.
fn with_typos(phrases: &[String], typos: &[TypoDef], used: &mut [bool]) -> Vec<String> {
    let mut out = phrases.to_vec();
    for phrase in phrases {
        let words: Vec<&str> = phrase.split_whitespace().collect();
        for (index, typo) in typos.iter().enumerate() {
            let meant: Vec<&str> = typo.meant.split_whitespace().collect();
            let Some(at) = words.windows(meant.len().max(1)).position(|w| {
                w.iter()
                    .zip(&meant)
                    .all(|(a, b)| a.to_lowercase() == b.to_lowercase())
            }) else {
                continue;
            };
            used[index] = true;
            for written in &typo.written {
                let mut variant: Vec<&str> = words[..at].to_vec();
                variant.push(written.as_str());
                variant.extend_from_slice(&words[at + meant.len()..]);
                out.push(variant.join(" "));
            }
        }
    }
    out
}

/// A pattern standing as whole words: a non-letter (or the edge of the text) on each side.
/// The edges are part of the match.
fn word(pattern: &str) -> String {
    format!(r"(?:^|[^\p{{L}}\p{{N}}])(?:{pattern})(?:[^\p{{L}}\p{{N}}]|$)")
}

/// Lowercase with single spaces: the key units and scales are looked up by.
fn collapse_lower(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn find_line(text: &str, needle: &str) -> Option<usize> {
    text.find(needle).map(|offset| line_at(text, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources_with(file: &str, text: &str) -> Vec<(String, String)> {
        EMBEDDED
            .iter()
            .map(|(name, body)| {
                let body = if *name == file { text } else { body };
                (name.to_string(), body.to_string())
            })
            .collect()
    }

    fn problems(result: Result<Rules>) -> String {
        match result {
            Err(err) => err.to_string(),
            Ok(_) => String::new(),
        }
    }

    #[test]
    fn shipped_rules_load() {
        let rules = Rules::embedded().expect("shipped rules are valid");
        assert!(rules.measures.len() > 10);
        assert!(rules.examples.len() > 20);
    }

    #[test]
    fn an_unknown_period_kind_is_reported_at_its_line() {
        let text =
            "[numbers]\n[quarters]\n[[period]]\nname = \"x\"\niso = \"decade\"\npattern = 'x'\n";
        let message = problems(Rules::from_sources(&sources_with("periods.toml", text)));
        assert!(
            message.contains("periods.toml:5: unknown period kind decade"),
            "{message}"
        );
    }

    #[test]
    fn a_calendar_file_of_an_earlier_version_says_where_it_went() {
        let mut sources = sources_with("periods.toml", include_str!("../patterns/periods.toml"));
        sources.push(("calendar.toml".into(), "[numbers]\n".into()));
        let message = problems(Rules::from_sources(&sources));
        assert!(
            message.contains("calendar.toml: merged into periods.toml"),
            "{message}"
        );
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        let text = "kind = \"plan\"\n\n[[rule]]\nname = \"x\"\npattern = \n";
        let message = problems(Rules::from_sources(&sources_with("plan.toml", text)));
        assert!(message.starts_with("plan.toml:5:"), "{message}");
    }

    #[test]
    fn unknown_fragment_is_reported_at_its_pattern() {
        let text = "kind = \"plan\"\n[[rule]]\nname = \"x\"\npattern = '{nothing:value}'\n[[rule.example]]\ntext = \"a\"\nmeasures = []\n";
        let message = problems(Rules::from_sources(&sources_with("plan.toml", text)));
        assert!(
            message.contains("plan.toml:4: unknown fragment {nothing}"),
            "{message}"
        );
    }

    #[test]
    fn unknown_field_and_kind_are_rejected() {
        let text = "kind = \"wish\"\n[[rule]]\nname = \"x\"\npattern = '{num:value}'\n";
        let message = problems(Rules::from_sources(&sources_with("plan.toml", text)));
        assert!(message.contains("unknown kind"), "{message}");
        let text = "kind = \"plan\"\n[[rule]]\nname = \"x\"\npatern = '{num:value}'\n";
        let message = problems(Rules::from_sources(&sources_with("plan.toml", text)));
        assert!(message.contains("plan.toml:4"), "{message}");
    }

    #[test]
    fn words_match_longest_first_and_whole_with_word() {
        let alternation = words_regex(&["đạt".into(), "ước đạt".into()]);
        let regex = Regex::new(&alternation).unwrap();
        assert_eq!(regex.find("sẽ ước  đạt 5").unwrap().as_str(), "ước  đạt");
        let whole = Regex::new(&word(&words_regex(&["ước".into()]))).unwrap();
        assert!(whole.is_match("số liệu ước tính"));
        assert!(!whole.is_match("so với năm trước"));
    }

    #[test]
    fn typos_add_misspelt_phrases() {
        let typos = vec![
            TypoDef {
                about: None,
                meant: "kế hoạch".into(),
                written: vec!["kể hoạch".into()],
            },
            TypoDef {
                about: None,
                meant: "giảm".into(),
                written: vec!["giám".into()],
            },
        ];
        let mut used = vec![false; 2];
        let phrases = vec!["chỉ tiêu kế hoạch".to_string(), "KH".to_string()];
        let out = with_typos(&phrases, &typos, &mut used);
        assert_eq!(out, ["chỉ tiêu kế hoạch", "KH", "chỉ tiêu kể hoạch"]);
        assert_eq!(used, [true, false]);
    }

    #[test]
    fn units_resolve_to_canonical_names() {
        let rules = Rules::embedded().unwrap();
        assert_eq!(rules.unit("trđ").0, "triệu đồng");
        assert_eq!(rules.unit("%o").0, "‰");
        assert_eq!(rules.unit("triệu đồng/ha/năm").0, "triệu đồng/ha/năm");
        assert_eq!(
            rules.unit("triệu đồng / lao  động").0,
            "triệu đồng/lao động"
        );
        assert!(rules.is_count_unit("lượt"));
    }

    #[test]
    fn unit_examples_and_groups_are_checked_on_load() {
        let units = include_str!("../patterns/units.toml");
        let wrong = units.replacen(
            "written = \"triệu con\"\nname = \"triệu con\"",
            "written = \"triệu con\"\nname = \"triệu đồng\"",
            1,
        );
        let message = problems(Rules::from_sources(&sources_with("units.toml", &wrong)));
        assert!(message.contains("unit \"triệu con\" reads as"), "{message}");
        let unmatched = units.replacen("written = \"vạn tấn\"", "written = \"vạn tấn rời\"", 1);
        let message = problems(Rules::from_sources(&sources_with("units.toml", &unmatched)));
        assert!(message.contains("is not matched as a whole"), "{message}");
        let group = units.replacen("amount = [\"count\",", "amount = [\"counts\",", 1);
        let message = problems(Rules::from_sources(&sources_with("units.toml", &group)));
        assert!(
            message.contains("no unit has category \"counts\""),
            "{message}"
        );
    }

    #[test]
    fn scale_words_make_units_of_any_amount() {
        let rules = Rules::embedded().unwrap();
        assert_eq!(rules.unit("triệu con").0, "triệu con");
        assert!(rules.unit("triệu con").1.unwrap().vnd.is_none());
        assert!(rules.is_count_unit("nghìn lượt người"));
        assert_eq!(rules.unit("ngàn  ha").0, "nghìn ha");
        let (name, unit) = rules.unit("triệu tỷ đồng");
        assert_eq!(name, "triệu tỷ đồng");
        assert_eq!(unit.unwrap().vnd, Some(1_000_000_000_000_000));
        assert_eq!(rules.unit("tỷ").0, "tỷ đồng");
        assert!(rules.unit("triệu %").1.is_none());
        assert_eq!(rules.scale_len("triệu lượt"), "triệu ".len());
        assert_eq!(rules.scale_len("trăm nghìn  lượt"), "trăm nghìn  ".len());
        assert_eq!(rules.scale_len("nghìn tỷ"), "nghìn ".len());
        assert_eq!(rules.scale_len("lượt"), 0);
        assert_eq!(rules.scale_len("nghìn lượt/ngày"), "nghìn ".len());
        assert_eq!(rules.scale_len("triệu"), 0);
    }
}
