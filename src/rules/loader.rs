//! Reading rule files into [`Rules`]: fragments expanded, patterns checked, every problem
//! reported against its file and line.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

use super::lexicon::Lexicon;
use super::schema::*;
use super::units::{collapse_lower, Scale, UnitTable};
use super::*;
use crate::error::{Error, Problem, Result};
use crate::key::{indicator_key, Abbreviations};

/// Rule files every rule set has, by stem; any other file but the optional ones below
/// holds measure rules.
const REQUIRED_FILES: [&str; 6] = [
    "fragments",
    "lexicon",
    "units",
    "periods",
    "headings",
    "document",
];
const OPTIONAL_FILES: [&str; 3] = ["checks", "tables", "keys"];

/// A fragment's definition and where it was written.
pub(super) struct Fragment {
    pub(super) body: String,
    pub(super) file: String,
    pub(super) line: usize,
    pub(super) generated: bool,
}

#[derive(Default)]
pub(super) struct Loader {
    /// Patterns by (expanded source, case-insensitive): one compiled regex for each.
    pub(super) patterns: HashMap<(String, bool), Pattern>,
    /// Where each distinct pattern was first met.
    pub(super) origins: Vec<(String, usize, Pattern)>,
    pub(super) problems: Vec<Problem>,
    pub(super) fragments: BTreeMap<String, Fragment>,
    pub(super) used: HashSet<String>,
    pub(super) units: UnitTable,
    pub(super) unit_examples: Vec<(String, usize, UnitExample)>,
    pub(super) computed_share_basis: Option<String>,
    /// The shipped rules, checked by the test suite rather than on every start: their
    /// patterns' syntax and their heading and unit examples are not checked again.
    pub(super) trusted: bool,
}

/// A source file, its kind decided by its name.
pub(super) struct Source<'a> {
    pub(super) path: &'a str,
    pub(super) stem: String,
    pub(super) text: &'a str,
}

impl Loader {
    pub(super) fn load(&mut self, sources: &[(String, String)]) -> Result<Rules> {
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
        for required in REQUIRED_FILES {
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
        let (headings, marks) = self.read_headings(find("headings").expect("checked above"));
        let (issuers, document, header) =
            self.read_document(find("document").expect("checked above"));
        let mut examples = find("checks").map_or(Vec::new(), |s| self.read_checks(s));
        let tables = find("tables").map_or_else(TableRules::default, |s| self.read_tables(s));
        let keys = find("keys").and_then(|s| self.read_keys(s).map(|file| (s, file)));
        let mut measures = Vec::new();
        let special = |stem: &str| REQUIRED_FILES.contains(&stem) || OPTIONAL_FILES.contains(&stem);
        for source in sources.iter().filter(|s| !special(&s.stem)) {
            self.read_measure_rules(source, &mut measures, &mut examples);
        }
        let lexicon = self.read_lexicon(find("lexicon").expect("checked above"));
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
            screen: Screen::new(measures.iter().map(|m| &m.regex)),
            measures,
            headings,
            marks,
            issuers,
            document: document.expect("no problems means the title rules compiled"),
            header,
            calendar,
            tables,
            lexicon: lexicon.expect("no problems means the lexicon compiled"),
            examples,
            abbreviations,
            units: std::mem::take(&mut self.units),
            computed_share_basis: self.computed_share_basis.take(),
            patterns: std::mem::take(&mut self.origins),
        })
    }

    pub(super) fn read_keys(&mut self, source: &Source) -> Option<KeyFile> {
        self.parse::<KeyFile>(source)
    }

    /// The abbreviations of `keys.toml`, with its examples run against the key they give.
    pub(super) fn check_keys(
        &mut self,
        source: &Source,
        file: &KeyFile,
        lexicon: &Lexicon,
    ) -> Abbreviations {
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

    pub(super) fn problem(&mut self, path: &str, line: Option<usize>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.to_string(),
            line,
            message: message.into(),
        });
    }

    pub(super) fn parse<T: serde::de::DeserializeOwned>(&mut self, source: &Source) -> Option<T> {
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

    pub(super) fn read_fragments(&mut self, source: &Source) {
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

    pub(super) fn define(
        &mut self,
        name: String,
        body: String,
        file: &str,
        line: usize,
        generated: bool,
    ) {
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

    pub(super) fn read_units(&mut self, source: &Source) {
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
    pub(super) fn check_unit_examples(&mut self) {
        let examples = std::mem::take(&mut self.unit_examples);
        if examples.is_empty() || self.trusted {
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
    pub(super) fn read_periods(&mut self, source: &Source) -> crate::period::Calendar {
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
        calendar.ambiguous_counts = file
            .ambiguous_counts
            .iter()
            .map(|w| w.to_lowercase())
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

    pub(super) fn read_headings(&mut self, source: &Source) -> (Vec<HeadingRule>, LayoutMarks) {
        let Some(file) = self.parse::<HeadingFile>(source) else {
            return (Vec::new(), LayoutMarks::default());
        };
        let marks = LayoutMarks {
            // Compared as Word's names are: lower case, without white space.
            heading_styles: file
                .styles
                .iter()
                .map(|s| {
                    s.chars()
                        .filter(|c| !c.is_whitespace())
                        .flat_map(char::to_lowercase)
                        .collect()
                })
                .collect(),
            page_words: file.page_words.iter().map(|w| w.to_lowercase()).collect(),
        };
        let mut rules = Vec::new();
        for def in file.heading {
            let line = line_at(source.text, def.pattern.span().start);
            let Some(regex) = self.compile(source.path, line, def.pattern.get_ref(), false) else {
                continue;
            };
            let examples = if self.trusted {
                &[][..]
            } else {
                &def.example[..]
            };
            for example in examples {
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
        (rules, marks)
    }

    pub(super) fn read_document(
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
        let skip: Vec<Option<Pattern>> = file.title.skip.iter().map(|p| compile(self, p)).collect();
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
                city_levels: def.city_levels.iter().map(|l| l.to_lowercase()).collect(),
                period_joints: def.period_joints.iter().map(|j| j.to_lowercase()).collect(),
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

    pub(super) fn read_tables(&mut self, source: &Source) -> TableRules {
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

    pub(super) fn read_checks(&mut self, source: &Source) -> Vec<Example> {
        let Some(file) = self.parse::<CheckFile>(source) else {
            return Vec::new();
        };
        file.check
            .into_iter()
            .map(|def| example(def, None, source))
            .collect()
    }

    pub(super) fn read_measure_rules(
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
        if let Some(basis) = file.computed_share_basis {
            if kind == Kind::Plan {
                self.computed_share_basis = Some(basis.into_inner());
            } else {
                let line = line_at(source.text, basis.span().start);
                let message = "computed_share_basis belongs in a file of kind plan";
                self.problem(source.path, Some(line), message.to_string());
            }
        }
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
                if !regex.names_group("value") {
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

    pub(super) fn read_lexicon(&mut self, source: &Source) -> Option<Lexicon> {
        let file = self.parse::<LexiconFile>(source)?;
        let mut entries = HashMap::new();
        for (name, def) in file.lexicon {
            let line = find_line(source.text, &format!("[lexicon.{name}]")).unwrap_or(1);
            if !Lexicon::NAMES.contains(&name.as_str()) {
                self.problem(
                    source.path,
                    Some(line),
                    format!("unknown lexicon entry {name}"),
                );
                continue;
            }
            let pattern = match (def.word, def.regex) {
                (Some(words), None) => word(&words),
                (None, Some(regex)) => regex,
                _ => {
                    let message =
                        format!("lexicon entry {name}: give exactly one of `word` or `regex`");
                    self.problem(source.path, Some(line), message);
                    continue;
                }
            };
            if let Some(compiled) = self.compile(source.path, line, &pattern, true) {
                entries.insert(name, compiled);
            }
        }
        for name in Lexicon::NAMES {
            if !entries.contains_key(*name) {
                let message = format!("lexicon entry {name} is missing (the extractor needs it)");
                self.problem(source.path, None, message);
            }
        }
        Lexicon::from_entries(&mut entries)
    }

    pub(super) fn report_unused(&mut self) {
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
    pub(super) fn compile(
        &mut self,
        path: &str,
        line: usize,
        pattern: &str,
        case_insensitive: bool,
    ) -> Option<Pattern> {
        let expanded = match self.expand(pattern, &mut Vec::new()) {
            Ok(expanded) => expanded,
            Err(message) => {
                self.problem(path, Some(line), message);
                return None;
            }
        };
        let key = (expanded, case_insensitive);
        if let Some(known) = self.patterns.get(&key) {
            return Some(known.clone());
        }
        let pattern = if self.trusted {
            Ok(Pattern::unchecked(&key.0, case_insensitive))
        } else {
            Pattern::new(&key.0, case_insensitive)
        };
        match pattern {
            Ok(pattern) => {
                self.origins.push((path.to_string(), line, pattern.clone()));
                self.patterns.insert(key, pattern.clone());
                Some(pattern)
            }
            Err(message) => {
                self.problem(path, Some(line), format!("invalid pattern: {message}"));
                None
            }
        }
    }

    /// Replace `{name}` and `{name:group}` with fragment bodies, recursively.
    pub(super) fn expand(
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

pub(super) fn fragment_reference() -> &'static Regex {
    static REFERENCE: OnceLock<Regex> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        Regex::new(r"\{([a-z_][a-z0-9_]*)(?::([a-z_][a-z0-9_]*))?\}").expect("static pattern")
    })
}

pub(super) fn example(def: ExampleDef, rule: Option<String>, source: &Source) -> Example {
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
pub(super) fn words_regex(words: &[String]) -> String {
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
pub(super) fn with_typos(phrases: &[String], typos: &[TypoDef], used: &mut [bool]) -> Vec<String> {
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
pub(super) fn word(pattern: &str) -> String {
    format!(r"(?:^|[^\p{{L}}\p{{N}}])(?:{pattern})(?:[^\p{{L}}\p{{N}}]|$)")
}

pub(super) fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

pub(super) fn find_line(text: &str, needle: &str) -> Option<usize> {
    text.find(needle).map(|offset| line_at(text, offset))
}
