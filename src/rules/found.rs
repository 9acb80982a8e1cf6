//! What a [`Pattern`](super::Pattern) finds in a text: a match, and a match's groups.
//!
//! Why our own types: callers should not depend on the engine a pattern runs on (our
//! [`Engine`](super::Engine), on automata compiled or kept; the engine of issue 13 may
//! replace it). These read as the `regex` crate's `Match` and `Captures` do.

use std::ops::Range;

use regex_automata::util::captures::Captures;
use regex_automata::PatternID;

/// Where a pattern matched, and the text it matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl<'t> Match<'t> {
    pub(crate) fn new(text: &'t str, span: Range<usize>) -> Match<'t> {
        Match {
            text,
            start: span.start,
            end: span.end,
        }
    }

    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    pub fn as_str(&self) -> &'t str {
        &self.text[self.start..self.end]
    }
}

/// The groups of one match: by number (0 is the whole match) or by name.
pub struct Groups<'t> {
    text: &'t str,
    captures: Captures,
}

impl<'t> Groups<'t> {
    pub(crate) fn new(text: &'t str, captures: Captures) -> Groups<'t> {
        Groups { text, captures }
    }

    pub fn get(&self, index: usize) -> Option<Match<'t>> {
        let span = self.captures.get_group(index)?;
        Some(Match::new(self.text, span.range()))
    }

    pub fn name(&self, name: &str) -> Option<Match<'t>> {
        let span = self.captures.get_group_by_name(name)?;
        Some(Match::new(self.text, span.range()))
    }

    /// The names of the pattern's named groups, in the order they open.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        let info = self.captures.group_info();
        info.pattern_names(PatternID::ZERO).flatten()
    }
}
