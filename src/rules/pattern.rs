//! A rule's regular expression: its syntax checked when the rules load (the shipped rules':
//! by the test suite), compiled the first time it is used.
//!
//! Why lazily: compiling the shipped patterns (a few hundred Unicode, case-insensitive
//! regexes, many of them long word lists) was nearly all of a run's start-up, and a run
//! over one short report, a test, or a Spark partition uses only part of them. Compiling
//! on first use also spreads the work over whichever threads the caller runs, so the
//! library starts none of its own.

use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use regex::{Regex, RegexBuilder};
use regex_syntax::hir::Hir;

use super::compose::Composer;
use super::engine::{Backward, Engine, Limits};

/// Limits every pattern compiles with: the automaton's size, and the cache its lazy DFA
/// may fill per thread before starting over.
const SIZE_LIMIT: usize = 64 << 20;
const DFA_CACHE_LIMIT: usize = 32 << 20;

/// Texts longer than this are asked backward by a pattern anchored at their end: context
/// windows (400 bytes) never are, a long sentence's start up to a figure is.
const LONG_TEXT: usize = 1024;

fn limits() -> Limits {
    Limits {
        automaton: SIZE_LIMIT,
        dfa_cache: DFA_CACHE_LIMIT,
    }
}

/// A regular expression compiled on first use; clones share the compiled form.
#[derive(Clone)]
pub struct Pattern(Arc<Inner>);

struct Inner {
    source: String,
    case_insensitive: bool,
    compiled: OnceLock<Regex>,
    /// The same regex as an engine for forward searches: the measure rules (anchored where
    /// the screen says a match may start), their conditions and `is_match`.
    engine: OnceLock<Engine>,
    /// For a pattern anchored at the text's end, asked about a long text: see [`Backward`].
    backward: OnceLock<Option<Backward>>,
    /// The pattern as written and its rule set's fragments, to put its parsed form together
    /// from theirs (see [`Composer`]) rather than parse `source`.
    written: Option<(Arc<Composer>, String)>,
}

impl Pattern {
    /// Check the pattern's syntax and keep it for compiling later. The error is the
    /// parser's own message, its last line (the one that says what is wrong).
    pub fn new(source: &str, case_insensitive: bool) -> Result<Pattern, String> {
        // Syntax only: translating to the compiler's form would fold the case of every
        // letter of every word list, most of what compiling costs.
        regex_syntax::ast::parse::Parser::new()
            .parse(source)
            .map_err(|err| last_line(&err.to_string()))?;
        Ok(Pattern::unchecked(source, case_insensitive))
    }

    /// A pattern known to parse (one of the shipped rules, which the tests check): kept
    /// without parsing it again.
    pub(crate) fn unchecked(source: &str, case_insensitive: bool) -> Pattern {
        Pattern(Arc::new(Inner {
            source: source.to_string(),
            case_insensitive,
            compiled: OnceLock::new(),
            engine: OnceLock::new(),
            backward: OnceLock::new(),
            written: None,
        }))
    }

    /// The same pattern, knowing how it was written with its rule set's fragments.
    pub(crate) fn written_as(mut self, composer: Arc<Composer>, template: &str) -> Pattern {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.written = Some((composer, template.to_string()));
        }
        self
    }

    /// Whether both forms have been compiled (a pattern asked both whether it matches and
    /// where): a test keeps the shipped rules from doing so.
    #[cfg(test)]
    pub(crate) fn compiled_twice(&self) -> bool {
        self.0.compiled.get().is_some() && self.0.engine.get().is_some()
    }

    /// Whether `other` is this pattern (a clone of it), not only the same text.
    pub fn is_same(&self, other: &Pattern) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    pub fn case_insensitive(&self) -> bool {
        self.0.case_insensitive
    }

    /// The pattern as written, fragments expanded.
    pub fn as_str(&self) -> &str {
        &self.0.source
    }

    /// Whether the pattern has a capture group of this name (read from the source, so that
    /// asking does not compile).
    pub fn names_group(&self, name: &str) -> bool {
        let source = &self.0.source;
        [format!("(?P<{name}>"), format!("(?<{name}>")]
            .iter()
            .any(|opening| source.contains(opening.as_str()))
    }

    /// Whether the pattern matches anywhere in `text`, on [`Pattern::engine`]: a pattern
    /// only asked this never builds the `regex` crate's reversed automaton and prefilter.
    pub fn is_match(&self, text: &str) -> bool {
        let engine = self.engine();
        if engine.ends_at_end() && text.len() > LONG_TEXT {
            let backward = self.backward();
            if let Some(answer) = backward.and_then(|b| b.matches_at_end(text)) {
                return answer;
            }
        }
        engine.is_match(text)
    }

    /// The reversed automaton of a pattern anchored at the text's end, built on first need
    /// (`None` for any other pattern).
    pub(crate) fn backward(&self) -> Option<&Backward> {
        let build = || {
            if !self.engine().ends_at_end() {
                return None;
            }
            let hir = self.hir().ok()?;
            Backward::new(&hir, &limits())
        };
        self.0.backward.get_or_init(build).as_ref()
    }

    /// Compile now, reporting what stops it (a pattern too large for the limits):
    /// `extract rules test` and the test suite call this for every pattern.
    pub fn compile(&self) -> Result<&Regex, String> {
        if let Some(regex) = self.0.compiled.get() {
            return Ok(regex);
        }
        let regex = build(&self.0.source, self.0.case_insensitive)
            .map_err(|err| last_line(&err.to_string()))?;
        Ok(self.0.compiled.get_or_init(|| regex))
    }

    /// The compiled regex. A pattern that parsed but cannot compile (over the size limits)
    /// matches nothing rather than stop a run over an archive; `rules test` reports it.
    pub fn regex(&self) -> &Regex {
        self.0.compiled.get_or_init(|| {
            build(&self.0.source, self.0.case_insensitive).unwrap_or_else(|_| never())
        })
    }

    /// The compiled regex as an engine for forward and anchored searches: same syntax, same
    /// limits, same matches. Compiled on first use, apart from [`Pattern::regex`]; a pattern over
    /// the limits matches nothing.
    pub fn engine(&self) -> &Engine {
        self.0.engine.get_or_init(|| {
            self.hir()
                .and_then(|hir| Engine::new(&hir, &limits()))
                .unwrap_or_else(|_| Engine::never(&limits()))
        })
    }

    /// The pattern as written with its rule set's fragments, if it was.
    pub(crate) fn written(&self) -> Option<&str> {
        self.written_with().map(|(_, template)| template)
    }

    /// The same, with the fragments it was written with.
    pub(crate) fn written_with(&self) -> Option<(&Composer, &str)> {
        let (composer, template) = self.0.written.as_ref()?;
        Some((composer, template))
    }

    /// Whether the parsed form is put together from the fragments' (for a test).
    #[cfg(test)]
    pub(crate) fn composes(&self) -> bool {
        let written = self.0.written.as_ref();
        written.is_some_and(|(composer, template)| {
            composer.hir(template, self.0.case_insensitive).is_some()
        })
    }

    /// The parsed form: put together from the fragments' when the pattern was written with
    /// them, else parsed from the expanded text.
    pub fn hir(&self) -> Result<Hir, String> {
        let composed = self
            .0
            .written
            .as_ref()
            .and_then(|(composer, template)| composer.hir(template, self.0.case_insensitive));
        match composed {
            Some(hir) => Ok(hir),
            None => regex_syntax::ParserBuilder::new()
                .case_insensitive(self.0.case_insensitive)
                .build()
                .parse(&self.0.source)
                .map_err(|err| last_line(&err.to_string())),
        }
    }
}

impl Deref for Pattern {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.regex()
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.0.source).finish()
    }
}

fn build(source: &str, case_insensitive: bool) -> Result<Regex, regex::Error> {
    RegexBuilder::new(source)
        .case_insensitive(case_insensitive)
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(DFA_CACHE_LIMIT)
        .build()
}

/// A regex that matches nothing.
const NEVER: &str = r"[^\s\S]";

fn never() -> Regex {
    Regex::new(NEVER).expect("static pattern")
}

fn last_line(message: &str) -> String {
    message.lines().last().unwrap_or("").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::Anchored;

    #[test]
    fn syntax_errors_are_found_before_compiling() {
        let err = Pattern::new("(tăng", true).unwrap_err();
        assert!(err.contains("unclosed group"), "{err}");
    }

    #[test]
    fn compiled_on_first_use_and_shared_by_clones() {
        let pattern = Pattern::new("tăng [0-9]+", true).unwrap();
        let clone = pattern.clone();
        assert!(pattern.is_match("TĂNG 5"));
        assert!(std::ptr::eq(pattern.regex(), clone.regex()));
    }

    #[test]
    fn a_pattern_over_the_size_limit_is_reported_by_compile_and_matches_nothing() {
        let huge = r"\w{1000}\w{1000}\w{1000}\w{1000}\w{1000}\w{1000}";
        let pattern = Pattern::new(huge, true).unwrap();
        assert!(pattern.compile().is_err());
        assert!(!pattern.is_match(&"a".repeat(6000)));
        assert!(pattern
            .engine()
            .find(&"a".repeat(6000), 0, Anchored::No)
            .is_none());
    }

    #[test]
    fn the_engine_finds_what_the_regex_finds_and_can_be_anchored() {
        let pattern = Pattern::new(r"(?:ước\s+)?đạt\s+(?P<value>[0-9]+)\s*%", true).unwrap();
        let text = "Thu ƯỚC ĐẠT 95% kế hoạch, chi đạt 7%";
        let engine = pattern.engine();
        let expected = pattern.find(text).map(|m| m.range());
        assert_eq!(engine.find(text, 0, Anchored::No), expected);
        let second = text.rfind("đạt").unwrap();
        let anchored = |at: usize| engine.find(text, at, Anchored::Yes).map(|m| m.start);
        assert_eq!(anchored(second), Some(second));
        assert_eq!(anchored(second - 1), None);
        let groups = engine.captures(text, expected.unwrap());
        let value = groups.get_group_by_name("value").unwrap();
        assert_eq!(&text[value.range()], "95");
    }
}
