//! A compiled automaton written as bytes and read back: what a baocao run keeps so that
//! the next one need not compile the same pattern again (see `baocao::rules::kept`).
//!
//! Why the NFA: it is what compiling costs (parsing, folding the case of every letter of
//! every word list, turning Unicode classes into byte ranges); the engines built on it (lazy
//! DFAs, backtracker, PikeVM) are cheap to make from it. `regex-automata` writes no NFA
//! itself, but its `Builder` makes one from states given in order, so the states are
//! written as they are and added back one by one: the same ids, the same automaton.

use std::sync::Arc;

use regex_automata::nfa::thompson::{Builder, State, Transition, NFA};
use regex_automata::util::look::{Look, LookMatcher};
use regex_automata::util::primitives::{PatternID, StateID};

/// The automaton's states and what else it needs, as bytes; `None` for one that would not
/// read back the same. The builder names a group when its first state is added, so the
/// groups must open in the order they are numbered (as the compiler adds them); and it
/// gives each match and group state the pattern being added, so the patterns' states must
/// come one pattern after another (as the compiler adds them), and an automaton of several
/// patterns must have no groups (the rules' screens capture nothing).
pub fn freeze(nfa: &NFA) -> Option<Vec<u8>> {
    let patterns = nfa.pattern_len();
    if patterns == 0 || !groups_open_in_order(nfa) || !patterns_come_in_order(nfa) {
        return None;
    }
    if patterns > 1 && nfa.group_info().all_group_len() > 0 {
        return None;
    }
    let mut out = Writer::default();
    out.byte(u8::from(nfa.is_utf8()) | (u8::from(nfa.is_reverse()) << 1));
    out.byte(nfa.look_matcher().get_line_terminator());
    out.id(nfa.start_anchored());
    out.id(nfa.start_unanchored());
    out.count(patterns);
    for pattern in nfa.patterns() {
        out.id(nfa.start_pattern(pattern)?);
    }
    let names: Vec<_> = nfa.group_info().pattern_names(PatternID::ZERO).collect();
    out.count(names.len());
    for name in names {
        out.name(name);
    }
    out.count(nfa.states().len());
    for state in nfa.states() {
        out.state(state)?;
    }
    Some(out.0)
}

fn groups_open_in_order(nfa: &NFA) -> bool {
    let mut next = 0;
    for state in nfa.states() {
        if let State::Capture {
            group_index, slot, ..
        } = state
        {
            let (group, opens) = (group_index.as_usize(), slot.as_usize() % 2 == 0);
            if opens && group > next {
                return false;
            }
            next += usize::from(opens && group == next);
        }
    }
    true
}

/// Whether the match states name their patterns in order, each pattern at least once.
fn patterns_come_in_order(nfa: &NFA) -> bool {
    let mut expected = 0;
    for state in nfa.states() {
        if let State::Match { pattern_id } = state {
            match pattern_id.as_usize() {
                seen if seen == expected => expected += 1,
                seen if seen + 1 == expected => {}
                _ => return false,
            }
        }
    }
    expected == nfa.pattern_len()
}

/// The automaton [`freeze`] wrote; `None` for bytes it did not write.
pub fn thaw(bytes: &[u8]) -> Option<NFA> {
    let mut input = Reader(bytes);
    let flags = input.byte()?;
    let mut looks = LookMatcher::new();
    looks.set_line_terminator(input.byte()?);
    let (start_anchored, start_unanchored) = (input.u32()?, input.u32()?);
    let pattern_starts = (0..input.u32()?)
        .map(|_| input.u32())
        .collect::<Option<Vec<_>>>()?;
    let names = (0..input.u32()?)
        .map(|_| input.name())
        .collect::<Option<Vec<_>>>()?;
    let len = input.u32()?;
    let mut builder = Builder::new();
    builder.set_utf8(flags & 1 != 0);
    builder.set_reverse(flags & 2 != 0);
    builder.set_look_matcher(looks);
    let mut patterns = Patterns {
        starts: &pattern_starts,
        len,
        finished: 0,
    };
    patterns.start_next(&mut builder)?;
    // Groups opened so far: the builder would panic on the end of one never opened.
    let mut opened = 0;
    for index in 0..len {
        let added = input.add_state(&mut builder, &mut patterns, &names, &mut opened)?;
        if added.as_u32() != index {
            return None;
        }
    }
    if !input.0.is_empty() {
        return None;
    }
    patterns.finish_current(&mut builder)?;
    if patterns.finished != pattern_starts.len() {
        return None;
    }
    builder
        .build(
            state_id(start_anchored, len)?,
            state_id(start_unanchored, len)?,
        )
        .ok()
}

/// The patterns being added back: each match state names its own, and the builder takes
/// them one at a time, in order.
struct Patterns<'s> {
    starts: &'s [u32],
    /// How many states the automaton has.
    len: u32,
    finished: usize,
}

impl Patterns<'_> {
    fn start_next(&mut self, builder: &mut Builder) -> Option<()> {
        (self.finished < self.starts.len()).then_some(())?;
        builder.start_pattern().ok().map(drop)
    }

    fn finish_current(&mut self, builder: &mut Builder) -> Option<()> {
        let start = state_id(*self.starts.get(self.finished)?, self.len)?;
        builder.finish_pattern(start).ok()?;
        self.finished += 1;
        Some(())
    }

    /// Make `pattern` the one being added: it is the current one or the next.
    fn enter(&mut self, builder: &mut Builder, pattern: u32) -> Option<()> {
        match (pattern as usize).checked_sub(self.finished)? {
            0 => Some(()),
            1 => {
                self.finish_current(builder)?;
                self.start_next(builder)
            }
            _ => None,
        }
    }
}

/// A state's id read back, if it is one of the `len` states.
fn state_id(raw: u32, len: u32) -> Option<StateID> {
    (raw < len).then(|| StateID::new_unchecked(raw as usize))
}

/// How many bytes a transition takes: its byte range, then the state it goes to.
const TRANSITION_BYTES: usize = 6;

/// A transition's `TRANSITION_BYTES` read back, if they make one.
fn transition(bytes: &[u8], len: u32) -> Option<Transition> {
    let (start, end) = (bytes[0], bytes[1]);
    let next = u32::from_le_bytes([bytes[2], bytes[3], bytes[4], bytes[5]]);
    (start <= end).then_some(())?;
    Some(Transition {
        start,
        end,
        next: state_id(next, len)?,
    })
}

/// The first byte of each state: its kind.
mod tag {
    pub const RANGE: u8 = 0;
    pub const SPARSE: u8 = 1;
    pub const LOOK: u8 = 2;
    pub const UNION: u8 = 3;
    pub const CAPTURE_START: u8 = 4;
    pub const CAPTURE_END: u8 = 5;
    pub const FAIL: u8 = 6;
    pub const MATCH: u8 = 7;
}

#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn byte(&mut self, byte: u8) {
        self.0.push(byte);
    }

    fn u32(&mut self, value: u32) {
        self.0.extend_from_slice(&value.to_le_bytes());
    }

    fn id(&mut self, id: StateID) {
        self.u32(id.as_u32());
    }

    fn count(&mut self, n: usize) {
        self.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }

    /// A group's name: its length plus one, 0 for a group without one.
    fn name(&mut self, name: Option<&str>) {
        match name {
            None => self.u32(0),
            Some(name) => {
                self.count(name.len() + 1);
                self.0.extend_from_slice(name.as_bytes());
            }
        }
    }

    fn transition(&mut self, transition: &Transition) {
        self.byte(transition.start);
        self.byte(transition.end);
        self.id(transition.next);
    }

    fn state(&mut self, state: &State) -> Option<()> {
        match state {
            State::ByteRange { trans } => {
                self.byte(tag::RANGE);
                self.transition(trans);
            }
            State::Sparse(sparse) => {
                self.byte(tag::SPARSE);
                self.count(sparse.transitions.len());
                sparse.transitions.iter().for_each(|t| self.transition(t));
            }
            State::Look { look, next } => {
                self.byte(tag::LOOK);
                self.u32(look.as_repr());
                self.id(*next);
            }
            State::Union { alternates } => {
                self.byte(tag::UNION);
                self.count(alternates.len());
                alternates.iter().for_each(|&id| self.id(id));
            }
            State::BinaryUnion { alt1, alt2 } => {
                self.byte(tag::UNION);
                self.count(2);
                self.id(*alt1);
                self.id(*alt2);
            }
            State::Capture {
                next,
                group_index,
                slot,
                ..
            } => {
                let opens = slot.as_usize() % 2 == 0;
                self.byte(if opens {
                    tag::CAPTURE_START
                } else {
                    tag::CAPTURE_END
                });
                self.id(*next);
                self.count(group_index.as_usize());
            }
            State::Fail => self.byte(tag::FAIL),
            State::Match { pattern_id } => {
                self.byte(tag::MATCH);
                self.u32(pattern_id.as_u32());
            }
            State::Dense(_) => return None,
        }
        Some(())
    }
}

struct Reader<'b>(&'b [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let (taken, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(taken)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u32(&mut self) -> Option<u32> {
        let bytes = self.take(4)?.try_into().ok()?;
        Some(u32::from_le_bytes(bytes))
    }

    fn name(&mut self) -> Option<Option<Arc<str>>> {
        let Some(len) = self.u32()?.checked_sub(1) else {
            return Some(None);
        };
        let text = std::str::from_utf8(self.take(len as usize)?).ok()?;
        Some(Some(Arc::from(text)))
    }

    /// The count of a state's several entries (two at least, as in every state that holds
    /// several: a union of one would be a jump the builder follows, and bytes not written
    /// here could make it loop), then their bytes, `size` each. Taken whole, so that a
    /// count the bytes cannot hold allocates nothing.
    fn several(&mut self, size: usize) -> Option<&[u8]> {
        let count = self.u32()? as usize;
        if count < 2 {
            return None;
        }
        self.take(count.checked_mul(size)?)
    }

    /// A sparse state's transitions, decoded in one pass (the hot loop of reading back:
    /// most states are sparse).
    fn transitions(&mut self, len: u32) -> Option<Vec<Transition>> {
        let bytes = self.several(TRANSITION_BYTES)?;
        let mut transitions = Vec::with_capacity(bytes.len() / TRANSITION_BYTES);
        for entry in bytes.chunks_exact(TRANSITION_BYTES) {
            transitions.push(transition(entry, len)?);
        }
        Some(transitions)
    }

    fn alternates(&mut self, len: u32) -> Option<Vec<StateID>> {
        let bytes = self.several(4)?;
        let mut alternates = Vec::with_capacity(bytes.len() / 4);
        for raw in bytes.chunks_exact(4) {
            let raw = u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]);
            alternates.push(state_id(raw, len)?);
        }
        Some(alternates)
    }

    fn id(&mut self, len: u32) -> Option<StateID> {
        state_id(self.u32()?, len)
    }

    // Inlined into `thaw`'s loop, as it was before it took the patterns (measured: a
    // one-line run reads back 109 automata, and 7 M instructions more went to the call).
    #[inline(always)]
    fn add_state(
        &mut self,
        builder: &mut Builder,
        patterns: &mut Patterns,
        names: &[Option<Arc<str>>],
        opened: &mut usize,
    ) -> Option<StateID> {
        let len = patterns.len;
        let added = match self.byte()? {
            tag::RANGE => builder.add_range(transition(self.take(TRANSITION_BYTES)?, len)?),
            tag::SPARSE => builder.add_sparse(self.transitions(len)?),
            tag::LOOK => {
                let look = Look::from_repr(self.u32()?)?;
                builder.add_look(self.id(len)?, look)
            }
            tag::UNION => builder.add_union(self.alternates(len)?),
            // Groups are kept for automata of one pattern only (see `freeze`).
            tag::CAPTURE_START | tag::CAPTURE_END if patterns.starts.len() != 1 => return None,
            tag::CAPTURE_START => {
                let next = self.id(len)?;
                let group = self.u32()?;
                let name = names.get(group as usize)?.clone();
                *opened = (*opened).max(group as usize + 1);
                builder.add_capture_start(next, group, name)
            }
            tag::CAPTURE_END => {
                let next = self.id(len)?;
                let group = self.u32()?;
                if group as usize >= *opened {
                    return None;
                }
                builder.add_capture_end(next, group)
            }
            tag::FAIL => builder.add_fail(),
            tag::MATCH => {
                patterns.enter(builder, self.u32()?)?;
                builder.add_match()
            }
            _ => return None,
        };
        added.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::nfa::thompson::{self, pikevm::PikeVM, WhichCaptures};

    fn compile(pattern: &str, reverse: bool) -> NFA {
        let captures = if reverse {
            WhichCaptures::None
        } else {
            WhichCaptures::All
        };
        let config = thompson::Config::new()
            .reverse(reverse)
            .shrink(reverse)
            .which_captures(captures);
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse(pattern)
            .unwrap();
        thompson::Compiler::new()
            .configure(config)
            .build_from_hir(&hir)
            .unwrap()
    }

    #[test]
    fn an_automaton_read_back_matches_and_captures_as_the_one_written() {
        let pattern = r"(?:^|[^\p{L}])(?P<verb>đạt|tăng)\s+(?:(khoảng)\s+)?(?P<value>[0-9]+(?:,[0-9]+)?)\s*%\b";
        let nfa = compile(pattern, false);
        let bytes = freeze(&nfa).expect("a one-pattern automaton is kept");
        let thawed = thaw(&bytes).unwrap();
        assert_eq!(thawed.states().len(), nfa.states().len());
        let (ours, theirs) = (
            PikeVM::new_from_nfa(thawed).unwrap(),
            PikeVM::new_from_nfa(nfa).unwrap(),
        );
        for text in [
            "Doanh thu ĐẠT 95,5% kế hoạch",
            "tăng khoảng 7 %",
            "giảm 3%",
            "xtăng 5%",
        ] {
            let (mut a, mut b) = (ours.create_captures(), theirs.create_captures());
            ours.captures(&mut ours.create_cache(), text, &mut a);
            theirs.captures(&mut theirs.create_cache(), text, &mut b);
            for group in 0..4 {
                assert_eq!(
                    a.get_group(group),
                    b.get_group(group),
                    "{text} group {group}"
                );
            }
            assert_eq!(a.get_group_by_name("value"), b.get_group_by_name("value"));
        }
    }

    #[test]
    fn groups_that_open_out_of_their_order_are_not_kept() {
        let nfa = compile(r"(a)(?P<b>b)", false);
        assert!(freeze(&nfa).is_some());
        let mut builder = Builder::new();
        builder.start_pattern().unwrap();
        let done = builder.add_match().unwrap();
        let end0 = builder.add_capture_end(done, 0).unwrap();
        let end2 = builder.add_capture_end(end0, 2).unwrap();
        let start2 = builder
            .add_capture_start(end2, 2, Some(Arc::from("late")))
            .unwrap();
        let start1 = builder.add_capture_start(start2, 1, None).unwrap();
        let end1 = builder.add_capture_end(start2, 1).unwrap();
        let _ = (start1, end1);
        let start0 = builder.add_capture_start(start2, 0, None).unwrap();
        builder.finish_pattern(start0).unwrap();
        let nfa = builder.build(start0, start0).unwrap();
        assert!(freeze(&nfa).is_none());
    }

    #[test]
    fn a_reversed_automaton_is_kept_reversed() {
        let nfa = compile(r"so\s+với\s+cùng\s+kỳ$", true);
        let thawed = thaw(&freeze(&nfa).unwrap()).unwrap();
        assert!(thawed.is_reverse());
        assert_eq!(thawed.states().len(), nfa.states().len());
    }

    fn compile_many(patterns: &[&str], reverse: bool) -> NFA {
        let config = thompson::Config::new()
            .reverse(reverse)
            .which_captures(WhichCaptures::None);
        thompson::Compiler::new()
            .configure(config)
            .build_many(patterns)
            .unwrap()
    }

    #[test]
    fn an_automaton_of_several_patterns_reads_back_state_for_state() {
        let patterns = [r"đạt\s+[0-9]+%", r"tăng\s+[0-9]+", r"(?i)KẾ\s+HOẠCH", "x"];
        for reverse in [false, true] {
            let nfa = compile_many(&patterns, reverse);
            let thawed = thaw(&freeze(&nfa).expect("kept")).unwrap();
            assert_eq!(thawed.states(), nfa.states());
            assert_eq!(thawed.pattern_len(), patterns.len());
            for pattern in nfa.patterns() {
                assert_eq!(thawed.start_pattern(pattern), nfa.start_pattern(pattern));
            }
            assert_eq!(thawed.start_anchored(), nfa.start_anchored());
            assert_eq!(thawed.start_unanchored(), nfa.start_unanchored());
            assert_eq!(thawed.is_reverse(), reverse);
        }
    }

    #[test]
    fn an_automaton_of_several_patterns_with_groups_is_not_kept() {
        let config = thompson::Config::new().which_captures(WhichCaptures::All);
        let nfa = thompson::Compiler::new()
            .configure(config)
            .build_many(&["(a)", "b"])
            .unwrap();
        assert!(freeze(&nfa).is_none());
    }

    #[test]
    fn bytes_it_did_not_write_are_refused_without_panicking() {
        let one = freeze(&compile(r"(a)(?P<b>b)+|c", false)).unwrap();
        let several = freeze(&compile_many(&["ab+", "c", "d"], false)).unwrap();
        for bytes in [one, several] {
            refused_when_cut_or_changed(&bytes);
        }
    }

    fn refused_when_cut_or_changed(bytes: &[u8]) {
        for cut in 0..bytes.len() {
            assert!(thaw(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        for at in 0..bytes.len() {
            for flip in [1u8, 0x80, 0xff] {
                let mut changed = bytes.to_vec();
                changed[at] ^= flip;
                let _ = thaw(&changed);
            }
        }
    }
}
