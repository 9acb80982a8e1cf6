//! A rule's regular expression: its syntax checked when the rules load (the shipped rules':
//! by the test suite), compiled the first time it is used, or read back from where the
//! caller keeps automata a run compiled before (see [`super::kept`]).
//!
//! Why lazily: compiling the shipped patterns (a few hundred Unicode, case-insensitive
//! regexes, many of them long word lists) was nearly all of a run's start-up, and a run
//! over one short report, a test, or a Spark partition uses only part of them. Compiling
//! on first use also spreads the work over whichever threads the caller runs, so the
//! library starts none of its own.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use regex_automata::{meta, Anchored, Input, MatchKind};
use regex_syntax::hir::Hir;

use super::compose::Composer;
use super::engine::{Backward, Compiled, Engine, Limits};
use super::found::{Groups, Match};
use super::kept::Kept;

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
    /// The forward automaton every search runs on: the measure rules (anchored where the
    /// screen says a match may start), their conditions, `is_match`, and the end of every
    /// match `find` reports.
    engine: OnceLock<Engine>,
    /// In a very long run, the `regex` crate's engine for `find` and groups (see
    /// [`Kept`]), compiled from the expanded text.
    searcher: OnceLock<meta::Regex>,
    /// The pattern reversed, to read back from a match's end to its start (`find` and the
    /// groups of a match found unanchored); `None` if it is over the limits.
    starts: OnceLock<Option<Backward>>,
    /// For a pattern anchored at the text's end, asked about a long text: see [`Backward`].
    backward: OnceLock<Option<Backward>>,
    /// The pattern as written and its rule set's fragments, to put its parsed form together
    /// from theirs (see [`Composer`]) rather than parse `source`.
    written: Option<(Arc<Composer>, String)>,
    /// Where its rule set keeps compiled automata between runs, if it does.
    kept: Option<Arc<Kept>>,
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
            engine: OnceLock::new(),
            searcher: OnceLock::new(),
            starts: OnceLock::new(),
            backward: OnceLock::new(),
            written: None,
            kept: None,
        }))
    }

    /// The same pattern, knowing how it was written with its rule set's fragments.
    pub(crate) fn written_as(mut self, composer: Arc<Composer>, template: &str) -> Pattern {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.written = Some((composer, template.to_string()));
        }
        self
    }

    /// The same pattern, keeping its compiled automata where its rule set does.
    pub(crate) fn kept_in(mut self, kept: Arc<Kept>) -> Pattern {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.kept = Some(kept);
        }
        self
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

    /// Whether the pattern matches anywhere in `text`: one forward pass of its lazy DFA.
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
            self.reversed(MatchKind::LeftmostFirst)
        };
        self.0.backward.get_or_init(build).as_ref()
    }

    /// Compile now, reporting what stops it (a pattern too large for the limits):
    /// `extract rules test` and the test suite call this for every pattern.
    pub fn compile(&self) -> Result<(), String> {
        if self.0.engine.get().is_some() {
            return Ok(());
        }
        let _ = self.0.engine.set(self.compiled_engine()?);
        Ok(())
    }

    /// The leftmost-first match in `text`.
    pub fn find<'t>(&self, text: &'t str) -> Option<Match<'t>> {
        let found = self.find_at(text, 0)?;
        Some(Match::new(text, found))
    }

    /// The leftmost-first match in `text` from `from` on: its end read forward, its start
    /// read back from there (as `regex` finds them), or both by the slow engines where
    /// a lazy DFA gives up.
    fn find_at(&self, text: &str, from: usize) -> Option<Range<usize>> {
        if let Some(searcher) = self.very_long_run_searcher() {
            let input = Input::new(text).span(from..text.len());
            return searcher.search(&input).map(|found| found.range());
        }
        let engine = self.engine();
        let fast = || match engine.leftmost_end(text, from)? {
            None => Some(None),
            Some(end) => {
                let start = self.starts()?.start_of(text, from, end)?;
                Some(Some(start..end))
            }
        };
        fast().unwrap_or_else(|| engine.find_slowly(text, from))
    }

    /// Every match in `text`, left to right, none overlapping; an empty match right where
    /// the last one ended is not one (as `regex` iterates).
    pub fn find_iter<'p, 't>(&'p self, text: &'t str) -> impl Iterator<Item = Match<'t>> + 'p
    where
        't: 'p,
    {
        let (mut from, mut last_end) = (0, None);
        std::iter::from_fn(move || loop {
            if from > text.len() {
                return None;
            }
            let found = self.find_at(text, from)?;
            let after = |at: usize| at + text[at..].chars().next().map_or(1, char::len_utf8);
            if found.is_empty() && last_end == Some(found.end) {
                from = after(found.end);
                continue;
            }
            from = if found.is_empty() {
                after(found.end)
            } else {
                found.end
            };
            last_end = Some(found.end);
            return Some(Match::new(text, found));
        })
    }

    /// The groups of the leftmost-first match in `text`.
    pub fn captures<'t>(&self, text: &'t str) -> Option<Groups<'t>> {
        let found = self.find(text)?;
        Some(self.groups_of(text, found))
    }

    /// The groups of every match in `text`, as [`Pattern::find_iter`] finds them.
    pub fn captures_iter<'p, 't>(&'p self, text: &'t str) -> impl Iterator<Item = Groups<'t>> + 'p
    where
        't: 'p,
    {
        self.find_iter(text)
            .map(move |found| self.groups_of(text, found))
    }

    fn groups_of<'t>(&self, text: &'t str, found: Match<'t>) -> Groups<'t> {
        if let Some(searcher) = self.very_long_run_searcher() {
            let mut captures = searcher.create_captures();
            let input = Input::new(text).span(found.range()).anchored(Anchored::Yes);
            searcher.search_captures(&input, &mut captures);
            return Groups::new(text, captures);
        }
        Groups::new(text, self.engine().captures_within(text, found.range()))
    }

    /// The `regex` crate's engine, in a very long run (over the limits: one matching nothing).
    fn very_long_run_searcher(&self) -> Option<&meta::Regex> {
        self.0
            .kept
            .as_ref()
            .filter(|kept| kept.is_very_long_run())?;
        Some(self.0.searcher.get_or_init(|| {
            build_searcher(&self.0.source, self.0.case_insensitive)
                .unwrap_or_else(|_| build_searcher(NEVER, false).expect("the empty class"))
        }))
    }

    /// `text` with every match replaced by `with` (borrowed when nothing matched).
    pub fn replace_all<'t>(&self, text: &'t str, with: &str) -> Cow<'t, str> {
        let mut matches = self.find_iter(text).peekable();
        if matches.peek().is_none() {
            return Cow::Borrowed(text);
        }
        let mut replaced = String::with_capacity(text.len());
        let mut kept_from = 0;
        for found in matches {
            replaced.push_str(&text[kept_from..found.start()]);
            replaced.push_str(with);
            kept_from = found.end();
        }
        replaced.push_str(&text[kept_from..]);
        Cow::Owned(replaced)
    }

    /// The same pattern in the `regex` crate's own form, compiled from its text once for
    /// the test binary (several tests compare the engine's matches with it, on the same
    /// shipped patterns).
    #[cfg(test)]
    pub(crate) fn regex_crate_form(&self) -> regex::Regex {
        use std::collections::HashMap;
        use std::sync::Mutex;
        type Forms = Mutex<HashMap<(String, bool), regex::Regex>>;
        static FORMS: OnceLock<Forms> = OnceLock::new();
        let key = (self.0.source.clone(), self.0.case_insensitive);
        let compiled = FORMS.get_or_init(Forms::default);
        if let Some(regex) = compiled.lock().unwrap().get(&key) {
            return regex.clone();
        }
        let regex = regex::RegexBuilder::new(&key.0)
            .case_insensitive(key.1)
            .size_limit(SIZE_LIMIT)
            .dfa_size_limit(DFA_CACHE_LIMIT)
            .build()
            .expect("a shipped pattern compiles");
        compiled.lock().unwrap().insert(key, regex.clone());
        regex
    }

    /// The compiled forward automaton, for forward and anchored searches. Compiled (or
    /// read from where its rule set keeps automata) on first use; a pattern over the
    /// limits matches nothing.
    pub fn engine(&self) -> &Engine {
        self.0.engine.get_or_init(|| {
            self.compiled_engine()
                .unwrap_or_else(|_| Engine::never(&limits()))
        })
    }

    fn compiled_engine(&self) -> Result<Engine, String> {
        let compiled =
            self.kept_or_compiled(Compiled::HOW, Compiled::thaw, Compiled::freeze, || {
                Compiled::new(&self.hir()?, &limits())
            })?;
        Engine::from_compiled(compiled, &limits())
    }

    /// The reversed automaton: with `kind` `All` it finds where a match starts, with
    /// `LeftmostFirst` whether one ends at the text's end.
    fn reversed(&self, kind: MatchKind) -> Option<Backward> {
        let reversed = self.kept_or_compiled(
            Backward::HOW,
            baocao_frozen::thaw,
            baocao_frozen::freeze,
            || Backward::reversed(&self.parsed()?, &limits()).ok_or_else(String::new),
        );
        Backward::new(&reversed.ok()?, &limits(), kind)
    }

    fn starts(&self) -> Option<&Backward> {
        self.0
            .starts
            .get_or_init(|| self.reversed(MatchKind::All))
            .as_ref()
    }

    /// An automaton a run kept for this pattern, else `compile`d now (and kept, when the
    /// rule set keeps automata). `how` names how it is compiled: a change there must not
    /// read what the old way kept.
    fn kept_or_compiled<T>(
        &self,
        how: &str,
        thaw: fn(&[u8]) -> Option<T>,
        freeze: fn(&T) -> Option<Vec<u8>>,
        compile: impl FnOnce() -> Result<T, String>,
    ) -> Result<T, String> {
        let Some(kept) = self.kept() else {
            return compile();
        };
        let what = format!("{how} {SIZE_LIMIT}\n{}", self.as_kept());
        if let Some(found) = kept.get(&what).and_then(|bytes| thaw(&bytes)) {
            return Ok(found);
        }
        let compiled = compile()?;
        if let Some(bytes) = freeze(&compiled) {
            kept.put(&what, &bytes);
        }
        Ok(compiled)
    }

    /// Where the pattern's rule set keeps automata, if it names a store.
    pub(crate) fn kept(&self) -> Option<&Kept> {
        self.0.kept.as_deref().filter(|kept| kept.is_on())
    }

    /// What the pattern's automata are kept under: its case and its expanded text.
    pub(crate) fn as_kept(&self) -> String {
        let case = if self.0.case_insensitive { "(?i)" } else { "" };
        format!("{case}{}", self.0.source)
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
            Some(hir) => Ok(super::ascii_space::for_ascii_space(hir)),
            None => self.parsed(),
        }
    }

    /// The parsed form, parsed from the expanded text.
    fn parsed(&self) -> Result<Hir, String> {
        regex_syntax::ParserBuilder::new()
            .case_insensitive(self.0.case_insensitive)
            .build()
            .parse(&self.0.source)
            .map(super::ascii_space::for_ascii_space)
            .map_err(|err| last_line(&err.to_string()))
    }
}

/// What is worked out from a set of patterns is kept under: how it is made (`how`) and
/// every pattern as kept.
pub(crate) fn kept_as(how: &str, patterns: &[Pattern]) -> String {
    let mut what = format!("{how}\n");
    for pattern in patterns {
        let pattern = pattern.as_kept();
        what.push_str(&format!("{}:{pattern}\n", pattern.len()));
    }
    what
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.0.source).finish()
    }
}

/// The `regex` crate's engine with the settings `regex::RegexBuilder` gives it, built from
/// the expanded text (measured: composing costs these patterns more than it saves).
fn build_searcher(source: &str, case_insensitive: bool) -> Result<meta::Regex, String> {
    let config = meta::Config::new()
        .match_kind(MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .nfa_size_limit(Some(SIZE_LIMIT))
        .hybrid_cache_capacity(DFA_CACHE_LIMIT);
    let syntax = regex_automata::util::syntax::Config::new()
        .case_insensitive(case_insensitive)
        .utf8(true);
    meta::Builder::new()
        .configure(config)
        .syntax(syntax)
        .build(source)
        .map_err(|err| last_line(&err.to_string()))
}

/// A regex that matches nothing.
const NEVER: &str = r"[^\s\S]";

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
        assert!(std::ptr::eq(pattern.engine(), clone.engine()));
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
        let expected = pattern.regex_crate_form().find(text).map(|m| m.range());
        assert_eq!(engine.find(text, 0, Anchored::No), expected);
        let second = text.rfind("đạt").unwrap();
        let anchored = |at: usize| engine.find(text, at, Anchored::Yes).map(|m| m.start);
        assert_eq!(anchored(second), Some(second));
        assert_eq!(anchored(second - 1), None);
        let groups = engine.captures(text, expected.unwrap());
        let value = groups.get_group_by_name("value").unwrap();
        assert_eq!(&text[value.range()], "95");
    }

    /// Every shipped pattern, on a seventh of the texts we have: the same matches and the
    /// same groups as the `regex` crate, one after another as `find_iter` and
    /// `captures_iter` give them.
    #[test]
    fn every_pattern_finds_and_captures_what_the_regex_crate_does() {
        let rules = crate::rules::Rules::shipped();
        let texts = crate::rules::test_texts::every_text();
        let mut compared = 0;
        for (path, line, pattern) in &rules.patterns {
            let regex = pattern.regex_crate_form();
            for text in texts.iter().step_by(7) {
                let ours: Vec<_> = pattern.captures_iter(text).collect();
                let theirs: Vec<_> = regex.captures_iter(text).collect();
                assert_eq!(ours.len(), theirs.len(), "{path}:{line} on {text:?}");
                for (our, their) in ours.iter().zip(&theirs) {
                    for index in 0..their.len() {
                        let span = |m: Option<Match>| m.map(|m| m.range());
                        let wanted = their.get(index).map(|m| m.range());
                        assert_eq!(span(our.get(index)), wanted, "{path}:{line} on {text:?}");
                    }
                    compared += 1;
                }
                let first = pattern.captures(text).and_then(|groups| groups.get(0));
                let wanted = regex.find(text).map(|m| m.range());
                assert_eq!(
                    first.map(|m| m.range()),
                    wanted,
                    "{path}:{line} on {text:?}"
                );
            }
        }
        assert!(compared > 2_000, "only {compared} matches compared");
    }
}
