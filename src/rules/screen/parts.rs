//! What compiling the screen makes (its two automata and which rules are behind which
//! halves), and how a run keeps it for the next: compiling it is a long run's largest
//! one-time cost (putting together and cutting every measure rule's parsed form, then
//! compiling them), some 600 million instructions, against some 115 million to read it back.

use regex_automata::nfa::thompson::{self, WhichCaptures, NFA};
use regex_syntax::hir::Hir;

use super::{opens_with_digit, split_at_value, without_groups, without_word_edges};
use crate::rules::bytes::{self, Reader};
use crate::rules::pattern::kept_as;
use crate::rules::Pattern;

/// How the parts are compiled and written: a change to either must not read what the old
/// way kept (the library's version is part of every entry's key as well).
const HOW: &str =
    "screen 1: forward and backward halves cut at value, no word edges, no groups, ascii space";

/// Largest automaton the screen compiles (its halves of all the rules together).
const SIZE_LIMIT: usize = 64 << 20;

pub(super) struct Parts {
    /// From `value` to the end of each distinct second half.
    pub forward: NFA,
    /// From the start of each distinct first half to `value`, read backward.
    pub backward: NFA,
    /// For each first half, the rules it is the first half of, each with its second half.
    pub rules_behind: Vec<Vec<(usize, usize)>>,
    /// Rules the screen cannot judge: they always run.
    pub unscreened: Vec<usize>,
}

impl Parts {
    /// The parts a run kept for these patterns, else compiled now (and kept, when the
    /// patterns' rule set keeps automata); `None` if they cannot be compiled.
    pub fn kept_or_compiled(patterns: &[Pattern]) -> Option<Parts> {
        let Some(kept) = patterns.first().and_then(Pattern::kept) else {
            return Parts::compile(patterns);
        };
        let what = kept_as(&format!("{HOW} {SIZE_LIMIT}"), patterns);
        let thawed = kept
            .get(&what)
            .and_then(|payload| Parts::thaw(&payload, patterns.len()));
        if thawed.is_some() {
            return thawed;
        }
        let parts = Parts::compile(patterns)?;
        if let Some(frozen) = parts.freeze() {
            kept.put(&what, &frozen);
        }
        Some(parts)
    }

    fn compile(patterns: &[Pattern]) -> Option<Parts> {
        let mut befores = Halves::default();
        let mut afters = Halves::default();
        let mut rules_behind: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut unscreened = Vec::new();
        for (rule, pattern) in patterns.iter().enumerate() {
            let split = pattern
                .hir()
                .ok()
                .and_then(|hir| split_at_value(without_word_edges(hir)))
                .filter(|(_, after)| after.first().is_some_and(opens_with_digit));
            match split {
                Some((before, after)) => {
                    let second_half = afters.index(Hir::concat(after));
                    let first_half = befores.index(Hir::concat(before));
                    if first_half == rules_behind.len() {
                        rules_behind.push(Vec::new());
                    }
                    rules_behind[first_half].push((rule, second_half));
                }
                None => unscreened.push(rule),
            }
        }
        Some(Parts {
            forward: automaton(&afters.0, false)?,
            backward: automaton(&befores.0, true)?,
            rules_behind,
            unscreened,
        })
    }

    /// The two automata, then the rules behind each first half, then the unscreened.
    fn freeze(&self) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        bytes::put_run(&mut out, &baocao_frozen::freeze(&self.forward)?)?;
        bytes::put_run(&mut out, &baocao_frozen::freeze(&self.backward)?)?;
        bytes::put_count(&mut out, self.rules_behind.len())?;
        for rules in &self.rules_behind {
            bytes::put_count(&mut out, rules.len())?;
            for &(rule, second_half) in rules {
                bytes::put_count(&mut out, rule)?;
                bytes::put_count(&mut out, second_half)?;
            }
        }
        bytes::put_count(&mut out, self.unscreened.len())?;
        for &rule in &self.unscreened {
            bytes::put_count(&mut out, rule)?;
        }
        Some(out)
    }

    /// What [`Parts::freeze`] wrote for `rules` rules; `None` for bytes it did not write.
    fn thaw(written: &[u8], rules: usize) -> Option<Parts> {
        let mut input = Reader(written);
        let forward = baocao_frozen::thaw(input.run()?)?;
        let backward = baocao_frozen::thaw(input.run()?)?;
        let rule = |index: usize| (index < rules).then_some(index);
        let second_half = |index: usize| (index < forward.pattern_len()).then_some(index);
        let mut rules_behind = Vec::with_capacity(input.count(4)?);
        for _ in 0..rules_behind.capacity() {
            let mut behind = Vec::with_capacity(input.count(8)?);
            for _ in 0..behind.capacity() {
                behind.push((rule(input.index()?)?, second_half(input.index()?)?));
            }
            rules_behind.push(behind);
        }
        let mut unscreened = Vec::with_capacity(input.count(4)?);
        for _ in 0..unscreened.capacity() {
            unscreened.push(rule(input.index()?)?);
        }
        let whole = input.0.is_empty() && rules_behind.len() == backward.pattern_len();
        whole.then_some(Parts {
            forward,
            backward,
            rules_behind,
            unscreened,
        })
    }
}

/// The distinct halves of the rules, in the order first seen: each is compiled once, however
/// many rules it is half of.
#[derive(Default)]
struct Halves(Vec<Hir>);

impl Halves {
    /// The index of this half, added if new. Groups are dropped first: the automata
    /// capture nothing, and rules differ in what they call the same words.
    fn index(&mut self, half: Hir) -> usize {
        let half = without_groups(half);
        match self.0.iter().position(|known| *known == half) {
            Some(known) => known,
            None => {
                self.0.push(half);
                self.0.len() - 1
            }
        }
    }
}

fn automaton(parts: &[Hir], reverse: bool) -> Option<NFA> {
    thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .reverse(reverse)
                .which_captures(WhichCaptures::None)
                .nfa_size_limit(Some(SIZE_LIMIT)),
        )
        .build_many_from_hir(parts)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns() -> Vec<Pattern> {
        [
            r"tăng\s+(?P<value>[0-9]+)\s*(?P<unit>tấn|ha)",
            r"giảm\s+(?P<value>[0-9]+)\s*(?:tấn|ha)",
            r"(?:a(?P<value>[0-9]+)|b)",
        ]
        .iter()
        .map(|p| Pattern::new(p, true).unwrap())
        .collect()
    }

    #[test]
    fn the_parts_are_read_back_as_compiled() {
        let patterns = patterns();
        let parts = Parts::compile(&patterns).unwrap();
        let back = Parts::thaw(&parts.freeze().unwrap(), patterns.len()).unwrap();
        assert_eq!(back.forward.states(), parts.forward.states());
        assert_eq!(back.backward.states(), parts.backward.states());
        assert_eq!(back.rules_behind, parts.rules_behind);
        assert_eq!(back.rules_behind, [vec![(0, 0)], vec![(1, 0)]]);
        assert_eq!(back.unscreened, [2]);
    }

    #[test]
    fn parts_for_other_rules_or_damaged_are_refused_without_panicking() {
        let patterns = patterns();
        let bytes = Parts::compile(&patterns).unwrap().freeze().unwrap();
        assert!(Parts::thaw(&bytes, 2).is_none(), "a rule it does not have");
        let tail = bytes.len().saturating_sub(64);
        for cut in tail..bytes.len() {
            assert!(Parts::thaw(&bytes[..cut], 3).is_none(), "cut at {cut}");
        }
        for at in tail..bytes.len() {
            let mut changed = bytes.clone();
            changed[at] ^= 0xff;
            let _ = Parts::thaw(&changed, 3);
        }
    }
}
