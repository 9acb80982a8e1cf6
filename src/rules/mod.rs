//! `patterns/*.toml` -> [`Rules`]: load, validate, share by reference; each pattern
//! compiles the first time it is used ([`Pattern`]).
//!
//! Everything the extractor knows about the language lives in the rule files: word lists and
//! regular-expression fragments (`fragments.toml`), the engine's own tests built from them
//! (`lexicon.toml`), units (`units.toml`), period phrases and their ISO 8601 values
//! (`periods.toml`), heading shapes (`headings.toml`), document header patterns
//! (`document.toml`), checks of hard cases (`checks.toml`), and one file of measure rules per measure kind (`plan.toml`,
//! `change.toml` ...; a rule's id is `{file stem}.{name}`).
//! Patterns use `{name}` to insert a fragment and `{name:group}` to capture it. Files are
//! validated strictly: every problem is reported as `file:line: message` before any input is
//! read (a pattern too large to compile is found by [`Rules::compile_all`], which `extract
//! rules test` runs). The default set is embedded in the binary; `--patterns DIR` replaces it.

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

use crate::error::Result;
use crate::fact::Kind;
use crate::key::{indicator_key, Abbreviations};

mod ascii_space;
mod bytes;
mod compose;
mod engine;
mod found;
mod kept;
mod lexicon;
mod load;
pub mod needs;
mod pattern;
mod prefixes;
mod schema;
mod screen;
#[cfg(test)]
pub(crate) mod test_texts;
mod trie;
mod units;

pub use engine::Engine;
pub use found::{Groups, Match};
pub use kept::AutomatonStore;
pub use lexicon::Lexicon;
use load::Loader;
pub use pattern::Pattern;
pub use screen::{RulesNear, Screen};
use units::{collapse_lower, UnitTable};

/// The shipped rule files, embedded so the binary works from any directory.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "fragments.toml",
        include_str!("../../patterns/fragments.toml"),
    ),
    ("lexicon.toml", include_str!("../../patterns/lexicon.toml")),
    ("units.toml", include_str!("../../patterns/units.toml")),
    ("periods.toml", include_str!("../../patterns/periods.toml")),
    (
        "headings.toml",
        include_str!("../../patterns/headings.toml"),
    ),
    (
        "document.toml",
        include_str!("../../patterns/document.toml"),
    ),
    ("checks.toml", include_str!("../../patterns/checks.toml")),
    ("tables.toml", include_str!("../../patterns/tables.toml")),
    ("keys.toml", include_str!("../../patterns/keys.toml")),
    ("plan.toml", include_str!("../../patterns/plan.toml")),
    ("change.toml", include_str!("../../patterns/change.toml")),
    ("exceed.toml", include_str!("../../patterns/exceed.toml")),
    (
        "relative.toml",
        include_str!("../../patterns/relative.toml"),
    ),
    ("target.toml", include_str!("../../patterns/target.toml")),
    ("ratio.toml", include_str!("../../patterns/ratio.toml")),
    ("actual.toml", include_str!("../../patterns/actual.toml")),
];

/// One compiled measure rule.
#[derive(Debug)]
pub struct MeasureRule {
    pub id: String,
    pub kind: Kind,
    pub regex: Pattern,
    pub priority: i32,
    /// Must match the clause text before the match (e.g. `tăng trưởng[^,;]*$`).
    pub before: Option<Pattern>,
    pub not_before: Option<Pattern>,
    /// Must match the text after the match (anchor it with `^`).
    pub after: Option<Pattern>,
    pub not_after: Option<Pattern>,
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

impl MeasureRule {
    /// The rule's patterns searched through [`Pattern::engine`]: the rule itself and its
    /// context conditions.
    pub fn engine_patterns(&self) -> impl Iterator<Item = &Pattern> {
        let context = [&self.before, &self.not_before, &self.after, &self.not_after];
        std::iter::once(&self.regex).chain(context.into_iter().flatten())
    }
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
    pub regex: Pattern,
    /// Lines of this shape also number the items of a list: one whose text states a
    /// measure ("8. Thu ngân sách đạt 2.310 tỷ đồng, tăng 11,6% ...;") is body text.
    pub items: bool,
}

/// Words of a file's own layout, which the readers of DOCX and PDF look for.
#[derive(Debug, Default)]
pub struct LayoutMarks {
    /// Word paragraph style names that mark a heading before its level ("heading",
    /// "tiêuđề"), lower case, without white space.
    pub heading_styles: Vec<String>,
    /// Words before a page's number in its margin ("trang" in "Trang 5"), lower case.
    pub page_words: Vec<String>,
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

/// Issuing-body pattern: `template` with `{group}` filled from the match.
#[derive(Debug)]
pub struct IssuerRule {
    pub regex: Pattern,
    pub template: String,
}

/// How to find a report's title among its first lines.
#[derive(Debug)]
pub struct TitleRules {
    pub title_marker: Pattern,
    pub title_skip: Vec<Pattern>,
    /// A first line that matches this is body text: the document has no title line.
    pub title_body: Pattern,
}

/// The administrative header's pieces (`[header]` and `[places]` of `document.toml`).
#[derive(Debug, Default)]
pub struct HeaderRules {
    /// Lines read as the header.
    pub lines: usize,
    pub markup: Option<Pattern>,
    pub rule: Option<Pattern>,
    pub motto: Vec<Pattern>,
    pub number: Option<Pattern>,
    pub date: Option<Pattern>,
    pub web_date: Option<Pattern>,
    pub body: Option<Pattern>,
    /// The subject line ("V/v ...") of a document with no type line, and the type that gives.
    pub subject: Option<(Pattern, String)>,
    /// Document types, lower case.
    pub types: Vec<String>,
    /// Words an issuing body's name opens with, lower case.
    pub bodies: Vec<String>,
    /// Bodies whose name goes on with a place's, lower case.
    pub place_bodies: Vec<String>,
    /// Abbreviation -> spelled out.
    pub abbreviations: Vec<(String, String)>,
    /// Administrative levels, lower case, longest first.
    pub levels: Vec<String>,
    /// The levels a city is named after, lower case.
    pub city_levels: Vec<String>,
    /// The levels below a province (huyện, xã ...), lower case.
    pub district_levels: Vec<String>,
    /// Words that join two periods of a title into one report's period, lower case.
    pub period_joints: Vec<String>,
    pub central: Vec<String>,
    pub provinces: Vec<String>,
    /// City -> its province.
    pub cities: Vec<(String, String)>,
    /// Every way a header names a province, folded, made once (see `document`).
    pub province_phrases: std::sync::OnceLock<ProvincePhrases>,
}

/// The phrases that name a province, and one automaton finding them all in one pass.
#[derive(Debug)]
pub struct ProvincePhrases {
    pub list: Vec<ProvincePhrase>,
    pub automaton: aho_corasick::AhoCorasick,
}

/// A phrase that names a province: "tỉnh đắk lắk", "thành phố đà lạt", or the bare name.
#[derive(Debug)]
pub struct ProvincePhrase {
    /// Folded: lower case, single spaces, old tone placement.
    pub phrase: String,
    pub province: String,
    /// The name alone, with no level before it (read only in an issuer's name).
    pub bare: bool,
}

/// How table columns read as a sentence (Markdown and DOCX tables): a row becomes
/// "<label>: <column phrase> <column phrase> ..." with each column's `template` filled in.
#[derive(Debug, Default)]
pub struct TableRules {
    /// Header of the column that holds the unit ("ĐVT", "Đơn vị tính").
    pub unit_header: Option<Pattern>,
    /// Header of the column that names the indicator ("Chỉ tiêu", "Nội dung").
    pub label_header: Option<Pattern>,
    /// Header of a column that numbers the rows ("STT", "TT"): it names nothing.
    pub number_header: Option<Pattern>,
    pub columns: Vec<TableColumn>,
}

/// A column whose header matches `header` reads as `template`, with `{value}` and `{unit}`.
#[derive(Debug)]
pub struct TableColumn {
    pub header: Pattern,
    pub template: String,
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
    pub screen: Screen,
    pub headings: Vec<HeadingRule>,
    /// What the page layout of a DOCX or PDF marks (`headings.toml`).
    pub marks: LayoutMarks,
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
    /// Every distinct pattern with the file and line it was first met at.
    patterns: Vec<(String, usize, Pattern)>,
    /// The basis of a share read from the sentence's figures whose plan names none
    /// (`computed_share_basis` in a plan file).
    pub computed_share_basis: Option<String>,
    /// Where the patterns keep their compiled automata between runs.
    kept: std::sync::Arc<kept::Kept>,
}

impl Rules {
    /// Ready the rules for a long run: the measure rules' screen is compiled from the first
    /// window on (a short run is faster without it).
    pub fn for_long_run(&self) {
        self.screen.screen_from_start();
    }

    /// Ready the rules for a run of hundreds of reports: patterns asked where they match
    /// use the `regex` crate's engine (see [`kept::Kept`]), which reads each report a few
    /// percent faster but is compiled afresh by every run.
    pub fn for_very_long_run(&self) {
        self.for_long_run();
        self.kept.set_very_long_run();
    }

    /// Keep the patterns' compiled automata in `store`, and use those it already holds:
    /// a run then compiles only what no run before it did (the first store named stays).
    pub fn keep_automata_in(&self, store: std::sync::Arc<dyn AutomatonStore>) {
        self.kept.set(store);
    }

    /// The key an indicator is matched by across reports (see [`crate::key`]).
    pub fn indicator_key(&self, indicator: &str) -> String {
        indicator_key(indicator, &self.abbreviations, &self.lexicon.key_filler)
    }

    /// The shipped rules.
    pub fn embedded() -> Result<Rules> {
        let mut loader = Loader {
            trusted: true,
            ..Loader::default()
        };
        loader.load(&Rules::embedded_sources())
    }

    /// The shipped rule files as (path, contents).
    pub fn embedded_sources() -> Vec<(String, String)> {
        EMBEDDED
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect()
    }

    /// Compile rule files given as (path, contents), checking every pattern's syntax and
    /// every example that loading can run. Reports every problem at once.
    pub fn from_sources(sources: &[(String, String)]) -> Result<Rules> {
        Loader::default().load(sources)
    }

    /// Compile every pattern now: the other patterns (last first: a worker reading a
    /// sentence needs them all), the measure rules (last first, since a worker compiles
    /// those it needs from the first; measured, this order starts a one-line run 7% sooner
    /// than rules first), the rules' context conditions, then the rules' screen.
    /// For a caller with a spare thread: a worker that meets a pattern being compiled here
    /// waits for it rather than compile it again, and reads without the screen until it
    /// is ready.
    pub fn warm_up(&self) {
        for (_, _, pattern) in self.patterns.iter().rev() {
            pattern.engine();
        }
        // A document needs only the rules whose needed literals its windows hold.
        for rule in self.measures.iter().rev() {
            rule.regex.engine();
        }
        // Context conditions last: a document needs them only where a rule has matched.
        for pattern in self
            .measures
            .iter()
            .rev()
            .flat_map(MeasureRule::engine_patterns)
        {
            pattern.engine();
        }
        self.screen.warm_up();
    }

    /// The shipped rules, loaded once for the library's unit tests (each pattern then
    /// compiles once for the whole test binary).
    #[cfg(test)]
    pub(crate) fn shipped() -> &'static Rules {
        static SHIPPED: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();
        SHIPPED.get_or_init(|| Rules::embedded().expect("the shipped rules load"))
    }

    /// Compile every pattern now; each one that cannot compile as `file:line: message`.
    /// Loading checks syntax only and patterns compile on first use, so this is what
    /// `extract rules test` runs to find a pattern over the size limits.
    pub fn compile_all(&self) -> Vec<String> {
        self.patterns
            .iter()
            .filter_map(|(path, line, pattern)| {
                let err = pattern.compile().err()?;
                Some(format!("{path}:{line}: invalid pattern: {err}"))
            })
            .collect()
    }

    /// Where a measure of rule `id` finds the basis written once for its list, if it does.
    pub fn shared_basis(&self, id: &str) -> Option<SharedBasis> {
        self.shared_basis.get(id).copied()
    }

    /// Canonical unit for a unit as written ("trđ" -> "triệu đồng", "ngàn ha" -> "nghìn ha",
    /// "triệu tỷ đồng" with 10^15 đồng), keeping "/ha/năm" tails.
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

#[cfg(test)]
mod tests {
    use super::load::{with_typos, word, words_regex};
    use super::schema::TypoDef;
    use super::*;
    use regex::Regex;

    /// A very long run searches other patterns on the `regex` crate's engine and screens
    /// the rules from the start: the same facts from every sample report and test sentence.
    #[test]
    fn a_very_long_run_finds_what_a_short_one_finds() {
        let (short, long) = (Rules::embedded().unwrap(), Rules::embedded().unwrap());
        long.for_very_long_run();
        let facts = |rules: &Rules, name: &str, bytes: &[u8]| {
            let found = crate::extract_bytes(name, bytes, rules, &crate::Options::default());
            serde_json::to_string(&found.unwrap().facts).unwrap()
        };
        let root = env!("CARGO_MANIFEST_DIR");
        for entry in std::fs::read_dir(format!("{root}/corpus")).unwrap() {
            let path = entry.unwrap().path();
            let (name, bytes) = (path.display().to_string(), std::fs::read(&path).unwrap());
            assert_eq!(
                facts(&long, &name, &bytes),
                facts(&short, &name, &bytes),
                "{name}"
            );
        }
        for text in test_texts::every_text().into_iter().step_by(4) {
            let bytes = text.as_bytes();
            assert_eq!(
                facts(&long, "s.txt", bytes),
                facts(&short, "s.txt", bytes),
                "{text}"
            );
        }
    }

    /// Automata a run kept, read back by the next run: the same facts from every sample
    /// report and test sentence, and what the first run compiled (the screen of a long
    /// run included) is all read back.
    #[test]
    fn a_run_on_kept_automata_finds_what_a_compiling_run_found() {
        let store = std::sync::Arc::new(kept::tests::Memory::default());
        let root = env!("CARGO_MANIFEST_DIR");
        let mut inputs: Vec<(String, Vec<u8>)> = std::fs::read_dir(format!("{root}/corpus"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .map(|path| (path.display().to_string(), std::fs::read(&path).unwrap()))
            .collect();
        inputs.sort();
        let texts = test_texts::every_text().into_iter().step_by(3);
        inputs.extend(texts.map(|text| ("sentence.txt".to_string(), text.into_bytes())));
        let run = || {
            let rules = Rules::embedded().unwrap();
            rules.keep_automata_in(store.clone());
            rules.for_long_run();
            let facts = inputs.iter().map(|(name, bytes)| {
                let found = crate::extract_bytes(name, bytes, &rules, &crate::Options::default());
                serde_json::to_string(&found.unwrap().facts).unwrap()
            });
            facts.collect::<Vec<_>>()
        };
        let compiling = run();
        let (kept, saves) = (store.len(), store.saves());
        assert!(kept > 100, "only {kept} automata kept");
        assert_eq!(run(), compiling);
        assert_eq!(store.saves(), saves, "the second run compiled nothing");
        assert_eq!(store.len(), kept);
    }

    #[test]
    fn the_shipped_rules_pass_the_checks_their_loading_skips() {
        let checked = Rules::from_sources(&Rules::embedded_sources()).expect("every check");
        let trusted = Rules::shipped();
        let sources = |rules: &Rules| -> Vec<String> {
            let patterns = rules.patterns.iter();
            patterns.map(|(_, _, p)| p.as_str().to_string()).collect()
        };
        // Checking compiles one pattern more: `^(?:{unit})$`, for the unit examples.
        let (checked, trusted) = (sources(&checked), sources(trusted));
        assert!(trusted.iter().all(|source| checked.contains(source)));
        assert_eq!(checked.len(), trusted.len() + 1);
    }

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

    /// A pattern that sets flags inline needs nothing known (its fragments' needs are worked
    /// out without its flags), so a short run never skips it; one without does.
    #[test]
    fn a_rule_with_inline_flags_is_never_skipped_for_its_needs() {
        let rule = |name: &str, pattern: &str| {
            format!("[[rule]]\nname = \"{name}\"\npattern = '{pattern}'\n[[rule.example]]\ntext = \"x\"\nmeasures = []\n")
        };
        let text = format!(
            "kind = \"ratio\"\n{}{}",
            rule(
                "co",
                r"(?x) {num:value} \s* / \s* {num:total} \s* {unit_base:unit_total}"
            ),
            rule(
                "khong",
                r"{num:value}\s*/\s*{num:total}\s*{unit_base:unit_total}"
            )
        );
        let rules = Rules::from_sources(&sources_with("ratio.toml", &text)).unwrap();
        let needs = |id: &str| {
            let rule = rules.measures.iter().find(|r| r.id == id).unwrap();
            needs::of_rules(std::iter::once(&rule.regex))[0].0.len()
        };
        assert_eq!(needs("ratio.co"), 0);
        assert!(needs("ratio.khong") >= 2);
    }

    #[test]
    fn shipped_rules_load() {
        let rules = Rules::shipped();
        assert!(rules.measures.len() > 10);
        assert!(rules.examples.len() > 20);
    }

    #[test]
    fn a_name_of_capitalised_words_is_a_subject_only_when_each_word_ends_there() {
        let only_subject = &Rules::shipped().lexicon.only_subject;
        for subject in [
            "toàn huyện Tiên Yên",
            "Sông Mã",
            "UBND tỉnh Quảng Ninh ",
            "Sơn Thủy",
        ] {
            assert!(only_subject.is_match(subject), "{subject}");
        }
        // Text extracted without spaces: a name glued to the next word is no subject.
        for glued in ["Sông MãXã", "huyện Tiên Yên2", "Sơn ThủyUBND", "doanh thu"] {
            assert!(!only_subject.is_match(glued), "{glued}");
        }
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
        let mut sources = sources_with("periods.toml", include_str!("../../patterns/periods.toml"));
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
    fn lexicon_entries_are_checked_against_what_the_extractor_reads() {
        let shipped = include_str!("../../patterns/lexicon.toml");
        let renamed = shipped.replacen("[lexicon.anaphora]", "[lexicon.anaphorae]", 1);
        let line = renamed
            .lines()
            .position(|l| l == "[lexicon.anaphorae]")
            .unwrap()
            + 1;
        let message = problems(Rules::from_sources(&sources_with("lexicon.toml", &renamed)));
        assert!(
            message.contains(&format!(
                "lexicon.toml:{line}: unknown lexicon entry anaphorae"
            )),
            "{message}"
        );
        assert!(
            message.contains("lexicon entry anaphora is missing"),
            "{message}"
        );
        let broken = shipped.replacen("{estimate}", "{estimates}", 1);
        let message = problems(Rules::from_sources(&sources_with("lexicon.toml", &broken)));
        assert!(
            message.contains("unknown fragment {estimates}"),
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
    fn only_a_plan_file_names_the_basis_of_computed_shares() {
        assert_eq!(
            Rules::shipped().computed_share_basis.as_deref(),
            Some("kế hoạch")
        );
        let text = "kind = \"change\"\ncomputed_share_basis = \"kế hoạch\"\nrule = []\n";
        let message = problems(Rules::from_sources(&sources_with("change.toml", text)));
        assert!(
            message.contains("change.toml:2: computed_share_basis belongs in a file of kind plan"),
            "{message}"
        );
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
        let rules = Rules::shipped();
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
        let units = include_str!("../../patterns/units.toml");
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
        let rules = Rules::shipped();
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
