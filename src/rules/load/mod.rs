//! Reading rule files into [`Rules`]: fragments expanded, patterns checked, every problem
//! reported against its file and line. This file reads the folder (which files, their
//! TOML, problems, unused fragments); each kind of rule file has its own reader beside it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::compose::Composer;
use super::kept::Kept;
use super::schema::*;
use super::units::UnitTable;
use super::*;
use crate::error::{Error, Problem, Result};
use crate::key::Abbreviations;

mod document;
mod fragments;
mod keys;
mod lexicon;
mod measures;
mod periods;
mod units;

#[cfg(test)]
pub(super) use fragments::with_typos;
pub(super) use fragments::{word, words_regex};

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
    /// Ordered, not hashed: an expanded source is tens of kilobytes, and ordering reads
    /// only up to where two differ (hashing them was a fifth of a debug binary's start).
    pub(super) patterns: BTreeMap<(String, bool), Pattern>,
    /// Where each distinct pattern was first met.
    pub(super) origins: Vec<(String, usize, Pattern)>,
    pub(super) problems: Vec<Problem>,
    pub(super) fragments: BTreeMap<String, Fragment>,
    pub(super) used: HashSet<String>,
    /// Each fragment expanded, once it has been (a fragment is used by many patterns, and
    /// its own fragments would be expanded again for each).
    pub(super) expanded: HashMap<String, String>,
    /// The phrases of each fragment that matches one of a list (`words`, units).
    pub(super) phrases: HashMap<String, Vec<String>>,
    pub(super) units: UnitTable,
    pub(super) unit_examples: Vec<(String, usize, UnitExample)>,
    pub(super) computed_share_basis: Option<String>,
    /// The fragments as the patterns' parsed forms are put together from (see
    /// [`Composer`]), handed their bodies once all files are read.
    pub(super) composer: std::sync::Arc<Composer>,
    /// Where the patterns keep their compiled automata, once the caller names a store.
    pub(super) kept: std::sync::Arc<Kept>,
    /// The shipped rules, checked by the test suite rather than on every start: their
    /// patterns' syntax and their heading and unit examples are not checked again.
    pub(super) trusted: bool,
}

/// A source file, its kind decided by its name.
pub(super) struct Source<'a> {
    pub(super) path: &'a str,
    pub(super) stem: String,
    pub(super) text: &'a str,
    /// Where each line after the first starts: problems and examples name their line.
    line_starts: Vec<usize>,
}

impl<'a> Source<'a> {
    fn new(path: &'a str, text: &'a str) -> Source<'a> {
        Source {
            path,
            stem: Path::new(path)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            text,
            line_starts: memchr::memchr_iter(b'\n', text.as_bytes())
                .map(|at| at + 1)
                .collect(),
        }
    }

    /// The line (from 1) the byte at `offset` is on.
    pub(super) fn line_at(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset) + 1
    }

    /// The line `needle` is first found on.
    pub(super) fn find_line(&self, needle: &str) -> Option<usize> {
        self.text.find(needle).map(|offset| self.line_at(offset))
    }
}

impl Loader {
    pub(super) fn load(&mut self, sources: &[(String, String)]) -> Result<Rules> {
        let sources: Vec<Source> = sources
            .iter()
            .map(|(path, text)| Source::new(path, text))
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
        let bodies = self
            .fragments
            .iter()
            .map(|(name, f)| (name.clone(), f.body.clone()));
        let written = self.origins.iter().filter_map(|(_, _, p)| p.written());
        let phrases = std::mem::take(&mut self.phrases);
        self.composer
            .set_fragments(bodies.collect(), phrases, written);
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
            kept: self.kept.clone(),
        })
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
                let line = err.span().map(|span| source.line_at(span.start));
                let message = err.message().to_string();
                self.problem(source.path, line, message);
                None
            }
        }
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
}
