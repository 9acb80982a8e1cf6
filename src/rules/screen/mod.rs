//! Which measure rules can match around a stretch of text, and where their matches may
//! start, found from its figures.
//!
//! Every measure rule has a `value` group, and its value is a figure: so a rule matches
//! only where the part of its pattern before `value` ends at a figure and the part from
//! `value` on starts there. Both parts of all rules are compiled into two automata, one
//! read forward from a figure, one read backward from it; each is anchored at the figure,
//! so it stops a few bytes in unless the text fits some rule. So a window's bytes are read
//! a small, constant number of times whatever the number of rules, and only the rules that
//! fit run their own search (which finds the spans and word edges as before), anchored at
//! the places the backward walk saw their first half begin.
//!
//! The screen never rules out a rule that matches, nor a place one starts at: word-boundary assertions are dropped
//! from its copies of the patterns (so they can only match more), and a rule whose
//! `value` group cannot be cut out (inside an alternation or a repetition), or a search
//! the automata give up on, lets every rule through.

mod parts;

use std::ops::Range;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::nfa::thompson::NFA;
use regex_automata::util::pool::Pool;
use regex_automata::{Anchored, Input, MatchError, MatchKind};
use regex_syntax::hir::{Hir, HirKind, Look};

use super::needs::Gate;
use super::Pattern;
use parts::Parts;

/// The group every measure pattern reads its figure from.
const VALUE_GROUP: &str = "value";

/// Bytes a screen's automaton may cache per worker before starting over.
const CACHE_BYTES: usize = 8 << 20;

/// Windows read before the screen pays for itself: compiling it takes a tenth of a second,
/// more than a short report takes to read without it, and reading back the screen a run
/// kept still takes a fifth of that (more than a 12 KB report saves by it). A caller with
/// a spare thread makes it at once with [`Screen::warm_up`].
const WINDOWS_BEFORE_SCREENING: usize = 2000;

type CacheMaker = Box<dyn Fn() -> Caches + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// The measure rules' patterns cut at their figure, compiled once a run is long enough.
pub struct Screen {
    /// The measure rules' patterns, in rule order (shared with the rules, not copied).
    patterns: Vec<Pattern>,
    /// What each rule's match needs, for windows the screen does not read (worked out
    /// when a run first reads one: a long run never does).
    gate: OnceLock<Gate>,
    built: OnceLock<Option<Built>>,
    unscreened_windows: AtomicUsize,
}

struct Built {
    /// From `value` to the end of each screened rule's pattern.
    forward: DFA,
    /// From the start of each screened rule's pattern to `value`, read backward.
    backward: DFA,
    /// For each backward pattern, the rules whose first half it is, each with the forward
    /// pattern of its second half (rules share halves: most end in the same unit list).
    rules_behind: Vec<Vec<(usize, usize)>>,
    /// Rules the screen cannot judge: they always run.
    unscreened: Vec<usize>,
    caches: Pool<Caches, CacheMaker>,
}

/// What a worker keeps between searches: the automata's caches and the patterns each
/// walk saw match.
struct Caches {
    forward: Cache,
    backward: Cache,
    ahead: Vec<bool>,
    /// (pattern, start) of each match the backward walk saw.
    behind: Vec<(usize, usize)>,
}

impl Screen {
    pub(crate) fn new<'p>(patterns: impl Iterator<Item = &'p Pattern>) -> Screen {
        Screen {
            patterns: patterns.cloned().collect(),
            gate: OnceLock::new(),
            built: OnceLock::new(),
            unscreened_windows: AtomicUsize::new(0),
        }
    }

    /// Compile the screen now, or read it back as a run kept it.
    pub fn warm_up(&self) {
        self.built.get_or_init(|| build(&self.patterns));
    }

    /// Screen from the first window on, compiling the screen there (on the thread that
    /// reads it, whose allocator then reuses what compiling freed): for long runs.
    pub fn screen_from_start(&self) {
        self.unscreened_windows
            .fetch_max(WINDOWS_BEFORE_SCREENING, Ordering::Relaxed);
    }

    /// Which rules may match in `text[window]` with their value at one of the window's
    /// figures, and where their matches may start. While the screen is not compiled, the
    /// rules whose needed literals the window holds, anywhere in it. `text` is searched as
    /// the rules search it, so that anchors see the same text.
    pub fn rules_near_figures(&self, text: &str, window: Range<usize>) -> RulesNear {
        let built = match self.built.get() {
            Some(built) => built.as_ref(),
            None => {
                let read = self.unscreened_windows.fetch_add(1, Ordering::Relaxed);
                if read < WINDOWS_BEFORE_SCREENING {
                    return self.rules_needed(&text[window]);
                }
                self.built.get_or_init(|| build(&self.patterns)).as_ref()
            }
        };
        let Some(built) = built else {
            return self.rules_needed(&text[window]);
        };
        let mut starts = Vec::new();
        let mut caches = built.caches.get();
        for figure in figure_starts(text, window.clone()) {
            if built
                .mark(&mut caches, text, window.clone(), figure, &mut starts)
                .is_err()
            {
                return self.rules_needed(&text[window]);
            }
        }
        starts.sort_unstable();
        starts.dedup();
        let mut near = vec![RuleNear::Nowhere; self.patterns.len()];
        for &rule in &built.unscreened {
            near[rule] = RuleNear::Anywhere;
        }
        for (rule, start) in starts {
            match &mut near[rule] {
                RuleNear::At(at) => at.push(start),
                other => *other = RuleNear::At(vec![start]),
            }
        }
        RulesNear(near)
    }

    /// The rules whose needed literals `text` holds, anywhere in it: what a window the
    /// screen does not read may match.
    fn rules_needed(&self, text: &str) -> RulesNear {
        let gate = self.gate.get_or_init(|| Gate::of_patterns(&self.patterns));
        let near = gate
            .passing(text)
            .into_iter()
            .map(|holds| match holds {
                true => RuleNear::Anywhere,
                false => RuleNear::Nowhere,
            })
            .collect();
        RulesNear(near)
    }
}

/// The measure rules that may match in a stretch of text, by index, and where.
#[derive(Debug, PartialEq)]
pub struct RulesNear(Vec<RuleNear>);

/// Where one rule's matches may start in a stretch of text.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleNear {
    Nowhere,
    /// Anywhere in it: the screen cannot judge this rule, or did not read the text.
    Anywhere,
    /// Only at these bytes, in order: every start of a match is among them.
    At(Vec<usize>),
}

impl RulesNear {
    pub fn may_match(&self, rule: usize) -> bool {
        self.0[rule] != RuleNear::Nowhere
    }

    /// The only bytes a match of `rule` may start at; `None` if it may start anywhere.
    pub fn starts(&self, rule: usize) -> Option<&[usize]> {
        match &self.0[rule] {
            RuleNear::Nowhere => Some(&[]),
            RuleNear::Anywhere => None,
            RuleNear::At(starts) => Some(starts),
        }
    }
}

impl Built {
    /// Adds (rule, start) for every rule whose two halves both fit at `figure`, at each
    /// place its first half may start.
    fn mark(
        &self,
        caches: &mut Caches,
        text: &str,
        window: Range<usize>,
        figure: usize,
        starts: &mut Vec<(usize, usize)>,
    ) -> Result<(), MatchError> {
        let Caches {
            forward,
            backward,
            ahead,
            behind,
        } = caches;
        ahead.fill(false);
        let after = Input::new(text)
            .range(figure..window.end)
            .anchored(Anchored::Yes);
        if !walk(
            &self.forward,
            forward,
            &after,
            Direction::Forward,
            &mut |pattern, _| ahead[pattern] = true,
        )? {
            return Ok(());
        }
        behind.clear();
        let before = Input::new(text)
            .range(window.start..figure)
            .anchored(Anchored::Yes);
        walk(
            &self.backward,
            backward,
            &before,
            Direction::Backward,
            &mut |pattern, start| behind.push((pattern, start)),
        )?;
        for &(pattern, start) in behind.iter() {
            for &(rule, second_half) in &self.rules_behind[pattern] {
                if ahead[second_half] {
                    starts.push((rule, start));
                }
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Forward,
    Backward,
}

/// Reads `input` with an anchored automaton until it dies, calling `found(pattern, at)`
/// for every pattern that matches on the way, `at` being where its match ends (forward) or
/// starts (backward); whether any did. (Done by hand rather than with the crate's
/// overlapping search, which skips patterns that match at the same place as another.)
fn walk(
    dfa: &DFA,
    cache: &mut Cache,
    input: &Input,
    direction: Direction,
    found: &mut dyn FnMut(usize, usize),
) -> Result<bool, MatchError> {
    let span = input.get_span();
    let (start, past, edge) = match direction {
        Direction::Forward => (
            dfa.start_state_forward(cache, input)?,
            input.haystack().get(span.end),
            span.end,
        ),
        Direction::Backward => (
            dfa.start_state_reverse(cache, input)?,
            span.start.checked_sub(1).map(|i| &input.haystack()[i]),
            span.start,
        ),
    };
    let mut walker = Walker {
        dfa,
        cache,
        state: start,
        found,
        any: false,
    };
    let bytes = &input.haystack()[span];
    // A match state is seen one byte late: after the byte just past the match.
    let alive = match direction {
        Direction::Forward => walker.read(bytes.iter(), |read| span.start + read)?,
        Direction::Backward => walker.read(bytes.iter().rev(), |read| span.end - read)?,
    };
    if alive {
        // The byte past the span (or the end of the text) completes a match delayed by one.
        walker.finish(past.copied(), edge)?;
    }
    Ok(walker.any)
}

struct Walker<'a> {
    dfa: &'a DFA,
    cache: &'a mut Cache,
    state: LazyStateID,
    found: &'a mut dyn FnMut(usize, usize),
    any: bool,
}

impl Walker<'_> {
    /// Reads bytes until the automaton dies; whether it is still alive at their end.
    /// `place(n)` is where a match seen on the n-th byte read (from 0) ends or starts.
    fn read<'b>(
        &mut self,
        bytes: impl Iterator<Item = &'b u8>,
        place: impl Fn(usize) -> usize,
    ) -> Result<bool, MatchError> {
        for (at, &byte) in bytes.enumerate() {
            self.state = self
                .dfa
                .next_state(self.cache, self.state, byte)
                .map_err(|_| MatchError::gave_up(at))?;
            if self.state.is_tagged() {
                self.note(place(at));
                if self.state.is_dead() {
                    return Ok(false);
                }
                if self.state.is_quit() {
                    return Err(MatchError::quit(byte, at));
                }
            }
        }
        Ok(true)
    }

    fn finish(&mut self, past: Option<u8>, edge: usize) -> Result<(), MatchError> {
        self.state = match past {
            Some(byte) => self.dfa.next_state(self.cache, self.state, byte),
            None => self.dfa.next_eoi_state(self.cache, self.state),
        }
        .map_err(|_| MatchError::gave_up(0))?;
        self.note(edge);
        Ok(())
    }

    fn note(&mut self, at: usize) {
        if self.state.is_match() {
            for index in 0..self.dfa.match_len(self.cache, self.state) {
                let pattern = self.dfa.match_pattern(self.cache, self.state, index);
                (self.found)(pattern.as_usize(), at);
            }
            self.any = true;
        }
    }
}

/// Where figures start in `text[window]`: digits after a non-digit.
fn figure_starts(text: &str, window: Range<usize>) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    window.filter(move |&i| bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_digit()))
}

/// Compiles the two automata, or reads back those a run kept; `None` if they cannot be
/// compiled (then every rule runs).
fn build(patterns: &[Pattern]) -> Option<Built> {
    let Parts {
        forward,
        backward,
        rules_behind,
        unscreened,
    } = Parts::kept_or_compiled(patterns)?;
    let seconds = forward.pattern_len();
    let forward = lazy(forward)?;
    let backward = lazy(backward)?;
    let (f, b) = (forward.clone(), backward.clone());
    let make: CacheMaker = Box::new(move || Caches {
        forward: f.create_cache(),
        backward: b.create_cache(),
        ahead: vec![false; seconds],
        behind: Vec::new(),
    });
    Some(Built {
        forward,
        backward,
        rules_behind,
        unscreened,
        caches: Pool::new(make),
    })
}

fn lazy(nfa: NFA) -> Option<DFA> {
    DFA::builder()
        .configure(
            DFA::config()
                .match_kind(MatchKind::All)
                .cache_capacity(CACHE_BYTES)
                .skip_cache_capacity_check(true),
        )
        .build_from_nfa(nfa)
        .ok()
}

/// The pattern with its word-boundary assertions taken out: the lazy automaton cannot
/// read them in Vietnamese text, and without them the pattern only matches more. Taken
/// apart rather than copied: the rules' parsed forms are large.
fn without_word_edges(hir: Hir) -> Hir {
    if hir.properties().look_set().is_empty() {
        return hir;
    }
    match hir.into_kind() {
        HirKind::Look(look) if !matches!(look, Look::Start | Look::End) => Hir::empty(),
        kind => rebuilt(kind, without_word_edges),
    }
}

/// The pattern with each group replaced by what it holds.
fn without_groups(hir: Hir) -> Hir {
    if hir.properties().explicit_captures_len() == 0 {
        return hir;
    }
    match hir.into_kind() {
        HirKind::Capture(cap) => without_groups(*cap.sub),
        kind => rebuilt(kind, without_groups),
    }
}

/// A node put back together with `part` applied to each of its parts.
fn rebuilt(kind: HirKind, part: fn(Hir) -> Hir) -> Hir {
    match kind {
        HirKind::Repetition(mut rep) => {
            rep.sub = Box::new(part(*rep.sub));
            Hir::repetition(rep)
        }
        HirKind::Capture(mut cap) => {
            cap.sub = Box::new(part(*cap.sub));
            Hir::capture(cap)
        }
        HirKind::Concat(parts) => Hir::concat(parts.into_iter().map(part).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.into_iter().map(part).collect()),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Class(class) => Hir::class(class),
        HirKind::Look(look) => Hir::look(look),
    }
}

/// The pattern as (what comes before the `value` group, the group and what follows), if
/// the group lies on the pattern's one path (not inside an alternation or repetition).
fn split_at_value(hir: Hir) -> Option<(Vec<Hir>, Vec<Hir>)> {
    match hir.into_kind() {
        HirKind::Capture(cap) if cap.name.as_deref() == Some(VALUE_GROUP) => {
            Some((Vec::new(), vec![Hir::capture(cap)]))
        }
        HirKind::Capture(cap) => split_at_value(*cap.sub),
        HirKind::Concat(mut parts) => {
            let at = parts.iter().position(names_value)?;
            let after_value: Vec<Hir> = parts.drain(at + 1..).collect();
            let value = parts.pop()?;
            let (mut before, mut after) = split_at_value(value)?;
            before.splice(0..0, parts);
            after.extend(after_value);
            Some((before, after))
        }
        _ => None,
    }
}

/// Whether every match of `value` opens with a digit, as a figure does (windows and the
/// places the automata are anchored at are digits); a rule file's value that may open
/// otherwise leaves its rule unscreened.
fn opens_with_digit(value: &Hir) -> bool {
    let prefixes = regex_syntax::hir::literal::Extractor::new().extract(value);
    prefixes.literals().is_some_and(|literals| {
        !literals.is_empty()
            && literals
                .iter()
                .all(|l| l.as_bytes().first().is_some_and(u8::is_ascii_digit))
    })
}

fn names_value(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Capture(cap) => cap.name.as_deref() == Some(VALUE_GROUP) || names_value(&cap.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().any(names_value),
        HirKind::Repetition(rep) => names_value(&rep.sub),
        _ => false,
    }
}

impl std::fmt::Debug for Screen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Screen({} patterns)", self.patterns.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::matching::whole_word_matches;

    fn screen(patterns: &[&str]) -> Screen {
        let patterns: Vec<Pattern> = patterns
            .iter()
            .map(|p| Pattern::new(p, true).unwrap())
            .collect();
        Screen::new(patterns.iter())
    }

    fn fits(screen: &Screen, text: &str) -> Vec<bool> {
        screen.warm_up();
        let near = screen.rules_near_figures(text, 0..text.len());
        (0..screen.patterns.len())
            .map(|rule| near.may_match(rule))
            .collect()
    }

    #[test]
    fn the_screen_finds_every_match_and_where_it_starts() {
        let rules = crate::rules::Rules::shipped();
        rules.screen.warm_up();
        let built = rules.screen.built.get().unwrap().as_ref().unwrap();
        assert!(
            built.unscreened.is_empty(),
            "every shipped rule is screened"
        );
        let texts = crate::rules::test_texts::every_text();
        assert!(texts.len() > 1000, "only {} texts", texts.len());
        let (mut windows, mut ruled_out) = (0, 0);
        for text in &texts {
            for window in crate::extract::matching::figure_windows(text) {
                let haystack = &text[..window.end];
                let near = rules.screen.rules_near_figures(haystack, window.clone());
                let read = (0..rules.measures.len()).all(|i| near.starts(i).is_some());
                assert!(read, "the screen read {text:?}");
                for (index, rule) in rules.measures.iter().enumerate() {
                    let fits = near.may_match(index);
                    let everywhere =
                        whole_word_matches(rule.regex.engine(), text, window.clone(), None);
                    let screened = whole_word_matches(
                        rule.regex.engine(),
                        text,
                        window.clone(),
                        near.starts(index),
                    );
                    assert_eq!(screened, everywhere, "{} in {text:?}", rule.id);
                    ruled_out += usize::from(!fits);
                }
                windows += 1;
            }
        }
        assert!(windows > 1000, "only {windows} windows");
        // It earns its keep: most rules need not search most windows.
        assert!(
            ruled_out * 2 > windows * rules.measures.len(),
            "{ruled_out} of {windows}"
        );
    }

    /// Rules that share a half (most end in the same unit list) compile it once, and each
    /// still fits only where its other half does.
    #[test]
    fn a_half_shared_by_rules_is_compiled_once() {
        let screen = screen(&[
            r"tăng\s+(?P<value>[0-9]+)\s*(?P<unit>tấn|ha)",
            r"giảm\s+(?P<value>[0-9]+)\s*(?:tấn|ha)",
            r"tăng\s+(?P<value>[0-9]+)\s*%",
        ]);
        screen.warm_up();
        let built = screen.built.get().unwrap().as_ref().unwrap();
        assert_eq!(built.rules_behind.len(), 2, "two first halves");
        assert_eq!(built.caches.get().ahead.len(), 2, "two second halves");
        assert_eq!(fits(&screen, "tăng 5 tấn"), [true, false, false]);
        assert_eq!(fits(&screen, "giảm 5 ha"), [false, true, false]);
        assert_eq!(fits(&screen, "tăng 5%"), [false, false, true]);
    }

    /// Many rules end their first half at the same place before a figure (": ", "là: ");
    /// each must be noted (the crate's overlapping search reported one and skipped the rest).
    #[test]
    fn rules_whose_halves_end_at_the_same_place_all_fit() {
        let rules = crate::rules::Rules::shipped();
        rules.screen.warm_up();
        for text in [
            "Tổng số tiền xử phạt vi phạm hành chính là: 70,3 trđ",
            "Số vụ vi phạm đã phát hiện, xử lý: 9 vụ",
        ] {
            let near = rules.screen.rules_near_figures(text, 0..text.len());
            for (index, rule) in rules.measures.iter().enumerate() {
                let found = whole_word_matches(rule.regex.engine(), text, 0..text.len(), None);
                assert!(
                    near.may_match(index) || found.is_empty(),
                    "{} in {text}",
                    rule.id
                );
            }
        }
    }

    #[test]
    fn short_runs_are_not_screened() {
        let screen = screen(&[r"đạt\s+(?P<value>[0-9]+)"]);
        let near = screen.rules_near_figures("đạt 5", 0..7);
        assert_eq!(near, RulesNear(vec![RuleNear::Anywhere]));
        assert!(screen.built.get().is_none());
    }

    #[test]
    fn a_rule_fits_where_both_halves_meet_at_a_figure() {
        let screen = screen(&[
            r"đạt\s+(?P<value>[0-9]+)\s*%\s+kế hoạch",
            r"tăng\s+(?P<value>[0-9]+)\s*%",
        ]);
        assert_eq!(fits(&screen, "Thu ĐẠT 95% kế hoạch"), [true, false]);
        assert_eq!(fits(&screen, "doanh thu tăng 5% so với"), [false, true]);
        assert_eq!(fits(&screen, "đạt 95 tấn, tăng trưởng"), [false, false]);
    }

    #[test]
    fn starts_are_where_each_first_half_may_begin() {
        let screen = screen(&[
            r"(?:ước\s+)?đạt\s+(?P<value>[0-9]+)\s*%",
            r"(?P<value>[0-9]+)\s*%",
            r"giảm\s+(?P<value>[0-9]+)",
        ]);
        screen.warm_up();
        let text = "Thu ước đạt 95%, chi đạt 7%";
        let near = screen.rules_near_figures(text, 0..text.len());
        let at = |word: &str| text.find(word).unwrap();
        let second = text.rfind("đạt").unwrap();
        assert_eq!(near.starts(0), Some(&[at("ước"), at("đạt"), second][..]));
        assert_eq!(near.starts(1), Some(&[at("95"), at("7%")][..]));
        assert_eq!(near.starts(2), Some(&[][..]));
        assert!(!near.may_match(2));
    }

    #[test]
    fn word_edges_uncut_values_and_values_in_words_never_rule_out() {
        let screen = screen(&[
            r"\bđạt\s+(?P<value>[0-9]+)\b",
            r"(?:a(?P<value>[0-9]+)|b)",
            r"gấp\s+(?P<value>[0-9]+|hai|ba)\s+lần",
        ]);
        assert_eq!(fits(&screen, "nay đạt 5 lần"), [true, true, true]);
        assert_eq!(fits(&screen, "không có gì 7"), [false, true, true]);
    }
}
