//! The engine every pattern runs on: a pattern's forward automaton, searched where the
//! screen says a match may start (a measure rule), once forward (a condition, an
//! `is_match`), or from the text's start or end only as far as it can match; and, for
//! `find`, the pattern reversed, read back from where a match ends to where it starts.
//!
//! Why not `regex`'s own engine: it builds each pattern reversed and a literal prefilter
//! up front, which most of these searches never use (they were 40% of compiling the
//! measure rules and half their memory), and it cannot be built from an automaton a run
//! kept (see [`super::kept`]). The parts kept are the ones it would run for the same
//! searches (a lazy DFA to find a match, a bounded backtracker for its groups, the PikeVM
//! where the backtracker cannot), with its settings, so the matches are the same: tests
//! compare them on every sentence we have.

use std::ops::Range;
use std::panic::{RefUnwindSafe, UnwindSafe};

use regex_automata::hybrid::dfa::{self as lazy, DFA};
use regex_automata::nfa::thompson::backtrack::{self, BoundedBacktracker};
use regex_automata::nfa::thompson::pikevm::{self, PikeVM};
use regex_automata::nfa::thompson::{self, NFA};
use regex_automata::util::captures::Captures;
use regex_automata::util::pool::Pool;
use regex_automata::util::prefilter::Prefilter;
use regex_automata::{Anchored, Input, MatchKind};
use regex_syntax::hir::{Hir, Look};

type CacheFn = Box<dyn Fn() -> Cache + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// One pattern compiled for forward searches, with a cache per thread.
pub struct Engine {
    parts: Parts,
    caches: Pool<Cache, CacheFn>,
    /// Every match ends where the text does (`...$`): see [`Backward`].
    ends_at_end: bool,
}

type BackwardCacheFn = Box<dyn Fn() -> lazy::Cache + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// A pattern anchored at the text's end, reversed: it answers `is_match` reading back from
/// the end only as far as the pattern can match, where the forward automaton reads the
/// whole text (a long sentence's start up to each of its figures: quadratic in its length).
/// Built only for texts long enough to need it.
pub struct Backward {
    dfa: DFA,
    caches: Pool<lazy::Cache, BackwardCacheFn>,
}

impl Backward {
    /// How [`Backward::reversed`] compiles, named in what is kept: change both together.
    pub const HOW: &'static str = "reverse utf8 unshrunk no-groups ascii-space";

    /// A pattern reversed (as `regex` builds it for its reverse searches: without groups,
    /// not shrunk, which would cost more to compile than the larger automaton costs to
    /// run); `None` if it is over the limits.
    pub fn reversed(hir: &Hir, limits: &Limits) -> Option<NFA> {
        thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .utf8(true)
                    .reverse(true)
                    .shrink(false)
                    .which_captures(thompson::WhichCaptures::None)
                    .nfa_size_limit(Some(limits.automaton)),
            )
            .build_from_hir(hir)
            .ok()
    }

    /// The reversed automaton's lazy DFA; `None` if it cannot be built. `MatchKind::All`
    /// makes one that finds where a match found forward starts ([`Backward::start_of`]).
    pub fn new(reversed: &NFA, limits: &Limits, kind: MatchKind) -> Option<Backward> {
        let dfa = lazy_dfa(reversed, limits.dfa_cache, kind, None)?;
        let for_caches = dfa.clone();
        let create: BackwardCacheFn = Box::new(move || for_caches.create_cache());
        Some(Backward {
            dfa,
            caches: Pool::new(create),
        })
    }

    /// Whether a match ends at the end of `text`; `None` if the lazy DFA gave up.
    pub fn matches_at_end(&self, text: &str) -> Option<bool> {
        let input = Input::new(text).anchored(Anchored::Yes).earliest(true);
        let found = self
            .dfa
            .try_search_rev(&mut self.caches.get(), &input)
            .ok()?;
        Some(found.is_some())
    }

    /// Where the leftmost-first match that ends at `end` starts, no earlier than `from`:
    /// the earliest start of any match ending there (read back as `regex` does, on an
    /// automaton of `MatchKind::All`); `None` if the lazy DFA gave up.
    pub fn start_of(&self, text: &str, from: usize, end: usize) -> Option<usize> {
        let input = Input::new(text).span(from..end).anchored(Anchored::Yes);
        let found = self.dfa.try_search_rev(&mut self.caches.get(), &input);
        Some(found.ok()??.offset())
    }
}

/// A pattern's forward automaton, and where its parsed form says every match lies: what an
/// [`Engine`] is built from, and what a run keeps for the next (see [`super::kept`]).
pub struct Compiled {
    nfa: NFA,
    /// The literals its matches start with, for its lazy DFA's prefilter.
    prefixes: Option<super::prefixes::Literals>,
    starts_at_start: bool,
    ends_at_end: bool,
}

impl Compiled {
    /// How [`Compiled::new`] compiles, named in what is kept: change both together.
    pub const HOW: &'static str = "forward utf8 unshrunk all-groups prefixes ascii-space";

    pub fn new(hir: &Hir, limits: &Limits) -> Result<Compiled, String> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .utf8(true)
                    .shrink(false)
                    .nfa_size_limit(Some(limits.automaton)),
            )
            .build_from_hir(hir)
            .map_err(|err| err.to_string())?;
        let looks = hir.properties();
        Ok(Compiled {
            nfa,
            prefixes: super::prefixes::of(hir),
            starts_at_start: looks.look_set_prefix().contains(Look::Start),
            ends_at_end: looks.look_set_suffix().contains(Look::End),
        })
    }

    /// As bytes: a byte of flags, the prefixes, then the automaton.
    pub fn freeze(&self) -> Option<Vec<u8>> {
        let flags = u8::from(self.starts_at_start) | (u8::from(self.ends_at_end) << 1);
        let mut bytes = vec![flags];
        super::prefixes::write(self.prefixes.as_deref(), &mut bytes)?;
        bytes.extend(baocao_frozen::freeze(&self.nfa)?);
        Some(bytes)
    }

    pub fn thaw(bytes: &[u8]) -> Option<Compiled> {
        let (&flags, rest) = bytes.split_first()?;
        let (prefixes, nfa) = super::prefixes::read(rest)?;
        Some(Compiled {
            nfa: baocao_frozen::thaw(nfa)?,
            prefixes,
            starts_at_start: flags & 1 != 0,
            ends_at_end: flags & 2 != 0,
        })
    }
}

#[derive(Clone)]
struct Parts {
    /// `None` when the lazy DFA cannot be built (a cache limit below its minimum).
    dfa: Option<DFA>,
    /// Every match starts where the text does (`^...`): searched anchored there, not
    /// read to the end for a start that cannot come.
    starts_at_start: bool,
    backtracker: BoundedBacktracker,
    pikevm: PikeVM,
}

struct Cache {
    dfa: Option<lazy::Cache>,
    backtracker: backtrack::Cache,
    /// Made on first use: its tables are sized by the automaton and seldom needed.
    pikevm: Option<pikevm::Cache>,
}

/// Limits a rule compiles with: the automaton's size, and the cache its lazy DFA may fill
/// per thread before starting over (the `regex` crate's `size_limit` and `dfa_size_limit`).
pub struct Limits {
    pub automaton: usize,
    pub dfa_cache: usize,
}

impl Engine {
    /// A pattern's parsed form compiled (parsed as the `regex` crate parses: Unicode, UTF-8).
    pub fn new(hir: &Hir, limits: &Limits) -> Result<Engine, String> {
        Engine::from_compiled(Compiled::new(hir, limits)?, limits)
    }

    /// An engine on a compiled automaton (one just compiled, or one a run kept).
    pub fn from_compiled(compiled: Compiled, limits: &Limits) -> Result<Engine, String> {
        let Compiled {
            nfa,
            prefixes,
            starts_at_start,
            ends_at_end,
        } = compiled;
        let prefilter = super::prefixes::prefilter(prefixes.as_deref());
        let parts = Parts {
            starts_at_start,
            dfa: lazy_dfa(&nfa, limits.dfa_cache, MatchKind::LeftmostFirst, prefilter),
            backtracker: BoundedBacktracker::builder()
                .build_from_nfa(nfa.clone())
                .map_err(|err| err.to_string())?,
            pikevm: PikeVM::builder()
                .build_from_nfa(nfa)
                .map_err(|err| err.to_string())?,
        };
        let for_caches = parts.clone();
        let create: CacheFn = Box::new(move || for_caches.new_cache());
        Ok(Engine {
            parts,
            caches: Pool::new(create),
            ends_at_end,
        })
    }

    /// An engine that matches nothing: what a pattern over the limits becomes.
    pub fn never(limits: &Limits) -> Engine {
        let nothing = Hir::fail();
        Engine::new(&nothing, limits).expect("the empty class compiles")
    }

    /// The leftmost-first match in `text[from..]`; anchored, one that starts at `from`.
    pub fn find(&self, text: &str, from: usize, anchored: Anchored) -> Option<Range<usize>> {
        let mut cache = self.caches.get();
        match anchored {
            Anchored::No => self.parts.find_unanchored(&mut cache, text, from),
            _ => self.parts.find_anchored(&mut cache, text, from),
        }
    }

    /// Where the leftmost-first match from `from` on ends, read forward once; `None` if
    /// the lazy DFA gave up (then [`Engine::find_slowly`] answers).
    pub fn leftmost_end(&self, text: &str, from: usize) -> Option<Option<usize>> {
        let input = Input::new(text).span(from..text.len());
        self.parts.lazy_end(&mut self.caches.get(), &input).ok()
    }

    /// The leftmost-first match from `from` on, by the backtracker or the PikeVM alone.
    pub fn find_slowly(&self, text: &str, from: usize) -> Option<Range<usize>> {
        let input = Input::new(text).span(from..text.len());
        self.parts.slow_find(&mut self.caches.get(), &input)
    }

    /// The groups of a match found with [`Engine::leftmost_end`]: searched again within
    /// its span, the text around it read as it is (assertions at its ends see past them).
    pub fn captures_within(&self, text: &str, found: Range<usize>) -> Captures {
        let mut captures = Captures::all(self.parts.pikevm.get_nfa().group_info().clone());
        let input = Input::new(text).span(found).anchored(Anchored::Yes);
        self.parts
            .slow_search(&mut self.caches.get(), &input, &mut captures);
        captures
    }

    /// Whether every match ends where the text does (a [`Backward`] answers faster on long
    /// texts).
    pub fn ends_at_end(&self) -> bool {
        self.ends_at_end
    }

    /// Whether the pattern matches anywhere in `text`: one forward pass of the lazy DFA, to
    /// the first place a match ends (from the start only, for a pattern anchored there).
    pub fn is_match(&self, text: &str) -> bool {
        let mut cache = self.caches.get();
        let anchored = match self.parts.starts_at_start {
            true => Anchored::Yes,
            false => Anchored::No,
        };
        let input = Input::new(text).anchored(anchored).earliest(true);
        match self.parts.lazy_end(&mut cache, &input) {
            Ok(end) => end.is_some(),
            Err(()) => self.parts.slow_find(&mut cache, &input).is_some(),
        }
    }

    /// The groups of the leftmost-first match in `text`, if there is one.
    pub fn captures_leftmost(&self, text: &str) -> Option<Captures> {
        let found = self.find(text, 0, Anchored::No)?;
        Some(self.captures(text, found))
    }

    /// The groups of the match that starts at `span.start` and ends by `span.end`.
    pub fn captures(&self, text: &str, span: Range<usize>) -> Captures {
        let mut captures = Captures::all(self.parts.pikevm.get_nfa().group_info().clone());
        let input = Input::new(&text[..span.end])
            .span(span)
            .anchored(Anchored::Yes);
        self.parts
            .slow_search(&mut self.caches.get(), &input, &mut captures);
        captures
    }
}

impl Parts {
    fn new_cache(&self) -> Cache {
        Cache {
            dfa: self.dfa.as_ref().map(DFA::create_cache),
            backtracker: self.backtracker.create_cache(),
            pikevm: None,
        }
    }

    fn find_anchored(&self, cache: &mut Cache, text: &str, from: usize) -> Option<Range<usize>> {
        let input = Input::new(text)
            .span(from..text.len())
            .anchored(Anchored::Yes);
        match self.lazy_end(cache, &input) {
            Ok(end) => end.map(|end| from..end),
            Err(()) => self.slow_find(cache, &input),
        }
    }

    /// The lazy DFA finds where the leftmost match ends (or that there is none); it starts
    /// at the first place from which the rule matches anchored.
    fn find_unanchored(&self, cache: &mut Cache, text: &str, from: usize) -> Option<Range<usize>> {
        if self.starts_at_start {
            return (from == 0).then(|| self.find_anchored(cache, text, 0))?;
        }
        let input = Input::new(text).span(from..text.len());
        let end = match self.lazy_end(cache, &input) {
            Ok(end) => end?,
            Err(()) => return self.slow_find(cache, &input),
        };
        (from..=end)
            .filter(|&at| text.is_char_boundary(at))
            .find_map(|at| self.find_anchored(cache, text, at))
    }

    /// `Err` when the lazy DFA is missing or gives up (its cache cleared too often).
    fn lazy_end(&self, cache: &mut Cache, input: &Input) -> Result<Option<usize>, ()> {
        let (Some(dfa), Some(dfa_cache)) = (&self.dfa, &mut cache.dfa) else {
            return Err(());
        };
        let found = dfa.try_search_fwd(dfa_cache, input).map_err(|_| ())?;
        Ok(found.map(|half| half.offset()))
    }

    fn slow_find(&self, cache: &mut Cache, input: &Input) -> Option<Range<usize>> {
        let mut captures = Captures::matches(self.pikevm.get_nfa().group_info().clone());
        self.slow_search(cache, input, &mut captures);
        captures.get_match().map(|found| found.range())
    }

    /// The backtracker where the text is short enough for it, else the PikeVM.
    fn slow_search(&self, cache: &mut Cache, input: &Input, captures: &mut Captures) {
        if input.get_span().len() <= self.backtracker.max_haystack_len() {
            let searched = self
                .backtracker
                .try_search(&mut cache.backtracker, input, captures);
            if searched.is_ok() {
                return;
            }
        }
        let pikevm_cache = cache
            .pikevm
            .get_or_insert_with(|| self.pikevm.create_cache());
        self.pikevm.search(pikevm_cache, input, captures);
    }
}

/// The lazy DFA with the settings `regex` gives its own (it may give up on text that
/// thrashes its cache, and on non-ASCII text next to a Unicode `\b`).
fn lazy_dfa(
    nfa: &NFA,
    cache_capacity: usize,
    kind: MatchKind,
    prefilter: Option<Prefilter>,
) -> Option<DFA> {
    DFA::builder()
        .configure(
            DFA::config()
                .prefilter(prefilter)
                .match_kind(kind)
                .unicode_word_boundary(true)
                .cache_capacity(cache_capacity)
                .skip_cache_capacity_check(false)
                .minimum_cache_clear_count(Some(3))
                .minimum_bytes_per_state(Some(10)),
        )
        .build_from_nfa(nfa.clone())
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::matching::figure_windows;
    use crate::rules::Rules;

    /// Every match from `from` on, each search resuming where the last match ended.
    fn matches_from(
        find: impl Fn(usize) -> Option<Range<usize>>,
        text: &str,
        from: usize,
    ) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        let mut at = from;
        while let Some(whole) = find(at) {
            at = if whole.is_empty() {
                whole.end + text[whole.end..].chars().next().map_or(1, char::len_utf8)
            } else {
                whole.end
            };
            found.push(whole);
            if at > text.len() {
                break;
            }
        }
        found
    }

    #[test]
    fn every_rule_finds_and_captures_what_the_regex_crate_does() {
        let rules = Rules::shipped();
        let texts = crate::rules::test_texts::every_text();
        let compiled: Vec<_> = rules
            .measures
            .iter()
            .map(|rule| (rule, rule.regex.engine(), rule.regex.regex_crate_form()))
            .collect();
        let mut compared = 0;
        for text in &texts {
            for window in figure_windows(text) {
                let haystack = &text[..window.end];
                for (rule, engine, regex) in &compiled {
                    let ours = matches_from(
                        |at| engine.find(haystack, at, Anchored::No),
                        haystack,
                        window.start,
                    );
                    let theirs = matches_from(
                        |at| regex.find_at(haystack, at).map(|m| m.range()),
                        haystack,
                        window.start,
                    );
                    assert_eq!(ours, theirs, "{} in {text:?}", rule.id);
                    for whole in ours {
                        let groups = engine.captures(haystack, whole.clone());
                        let expected = regex.captures_at(haystack, whole.start).unwrap();
                        for (index, name) in regex.capture_names().enumerate() {
                            let span = groups.get_group(index).map(|span| span.range());
                            let wanted = expected.get(index).map(|m| m.range());
                            assert_eq!(span, wanted, "{} {name:?} in {text:?}", rule.id);
                        }
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 1000, "only {compared} matches compared");
    }

    /// The context conditions, read with `is_match` and a `basis` group around figures.
    #[test]
    fn context_conditions_hold_and_capture_as_with_the_regex_crate() {
        use crate::extract::matching::{window_after, window_before};
        let rules = Rules::shipped();
        let conditions: Vec<_> = rules
            .measures
            .iter()
            .flat_map(|rule| rule.engine_patterns().skip(1))
            .map(|pattern| (pattern, pattern.regex_crate_form()))
            .collect();
        let mut held = 0;
        for text in crate::rules::test_texts::every_text() {
            let figures = text.char_indices().filter(|(_, c)| c.is_ascii_digit());
            for at in figures.map(|(at, _)| at).step_by(3) {
                for window in [window_before(&text, at), window_after(&text, at)] {
                    for (pattern, regex) in &conditions {
                        let engine = pattern.engine();
                        assert_eq!(
                            engine.is_match(window),
                            regex.is_match(window),
                            "{window:?}"
                        );
                        let basis = |captures: &Captures| {
                            captures.get_group_by_name("basis").map(|span| span.range())
                        };
                        let ours = engine.captures_leftmost(window);
                        let theirs = regex.captures(window).and_then(|c| c.name("basis"));
                        assert_eq!(ours.as_ref().and_then(basis), theirs.map(|m| m.range()));
                        held += usize::from(regex.is_match(window));
                    }
                }
            }
        }
        assert!(held > 1000, "only {held} conditions held");
    }

    /// Patterns anchored at the text's end are asked `is_match` backward from it, those
    /// anchored at its start only there: the answers are the `regex` crate's, on every
    /// text and on each text's start up to its figures (as goals read a sentence).
    #[test]
    fn patterns_anchored_at_either_end_answer_as_the_regex_crate_does() {
        let rules = Rules::shipped();
        let anchored: Vec<_> = rules
            .patterns
            .iter()
            .map(|(_, _, pattern)| pattern)
            .filter(|pattern| {
                let engine = pattern.engine();
                engine.ends_at_end || engine.parts.starts_at_start
            })
            .map(|pattern| (pattern, pattern.regex_crate_form()))
            .collect();
        assert!(anchored.len() > 40, "only {}", anchored.len());
        let (mut held, mut answered_backward) = (0, 0);
        for text in crate::rules::test_texts::every_text() {
            let figures = text.char_indices().filter(|(_, c)| c.is_ascii_digit());
            let heads = figures.map(|(at, _)| &text[..at]).step_by(5);
            for haystack in heads.chain([text.as_str()]) {
                for (pattern, regex) in &anchored {
                    let theirs = regex.is_match(haystack);
                    assert_eq!(pattern.is_match(haystack), theirs, "{haystack:?}");
                    // (`None`: the lazy DFA gave up, and the forward one answers.)
                    let backward = pattern.backward();
                    if let Some(ours) = backward.and_then(|b| b.matches_at_end(haystack)) {
                        assert_eq!(ours, theirs, "{} in {haystack:?}", pattern.as_str());
                        answered_backward += 1;
                    }
                    held += usize::from(theirs);
                }
            }
        }
        assert!(held > 1000, "only {held} held");
        assert!(
            answered_backward > 10_000,
            "only {answered_backward} answered backward"
        );
    }

    #[test]
    fn a_long_text_past_the_backtrackers_reach_is_searched_all_the_same() {
        let limits = Limits {
            automaton: 1 << 20,
            dfa_cache: 1 << 20,
        };
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse(r"đạt\s+(?P<value>[0-9]+)%")
            .unwrap();
        let engine = Engine::new(&hir, &limits).unwrap();
        let text = format!("{} ĐẠT 95%", "chữ ".repeat(100_000));
        let found = engine.find(&text, 0, Anchored::No).unwrap();
        assert_eq!(&text[found.clone()], "ĐẠT 95%");
        let value = engine.captures(&text, 0..text.len());
        assert!(
            value.get_match().is_none(),
            "anchored at the start: no match"
        );
        let groups = engine.captures(&text, found);
        assert_eq!(
            &text[groups.get_group_by_name("value").unwrap().range()],
            "95"
        );
    }
}
