//! Alternations of phrases factored into a trie. A list of words ("kế hoạch năm|kế hoạch
//! giao|kế hoạch|...") parses as one branch per phrase, so its automaton has a state per
//! letter of every phrase, and each state of a lazy DFA entering it holds them all; most
//! phrases share their opening words. Factored, a shared opening is one path: the `regex`
//! crate does the same for alternations of plain literals, but not for phrases whose
//! letters are case classes or whose words are joined by `\s+`.
//!
//! The order of preference (leftmost-first: the first branch that matches wins) is kept:
//! a phrase joins an earlier branch only when no branch between them could start the same
//! way, and a run such as `\s+` is shared only when what follows it in each phrase cannot
//! be one of its characters. An alternation that holds anything else stays as it is.

use regex_syntax::hir::{
    Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition,
};

/// `hir` with every alternation of phrases in it factored.
pub fn factored(hir: &Hir) -> Hir {
    rewritten(hir).unwrap_or_else(|| hir.clone())
}

/// The factored form of `hir`; `None` where nothing in it changes (nothing is rebuilt).
fn rewritten(hir: &Hir) -> Option<Hir> {
    match hir.kind() {
        HirKind::Alternation(alternatives) => match rewritten_all(alternatives) {
            Some(changed) => {
                Some(phrase_trie(&changed).unwrap_or_else(|| Hir::alternation(changed)))
            }
            None => phrase_trie(alternatives),
        },
        HirKind::Concat(parts) => rewritten_all(parts).map(Hir::concat),
        HirKind::Repetition(repetition) => rewritten(&repetition.sub).map(|sub| {
            Hir::repetition(Repetition {
                sub: Box::new(sub),
                ..repetition.clone()
            })
        }),
        HirKind::Capture(capture) => rewritten(&capture.sub).map(|sub| {
            Hir::capture(Capture {
                sub: Box::new(sub),
                ..capture.clone()
            })
        }),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => None,
    }
}

/// The parts, rewritten, if any of them changes.
fn rewritten_all(parts: &[Hir]) -> Option<Vec<Hir>> {
    let each: Vec<Option<Hir>> = parts.iter().map(rewritten).collect();
    each.iter().any(Option::is_some).then(|| {
        each.into_iter()
            .zip(parts)
            .map(|(new, old)| new.unwrap_or_else(|| old.clone()))
            .collect()
    })
}

/// The alternation with each run of phrases in it as a trie, if some phrases share an
/// opening. A branch of another shape keeps its place between the runs: a phrase joins
/// only phrases on its side of it, so the order of preference holds.
fn phrase_trie(alternatives: &[Hir]) -> Option<Hir> {
    let mut branches = Vec::new();
    let mut run = Node::default();
    let mut shared = false;
    for alternative in alternatives {
        match steps(alternative).filter(|steps| runs_end_apart(steps)) {
            Some(steps) => shared |= run.insert(&steps),
            None => {
                if !run.branches.is_empty() {
                    branches.push(std::mem::take(&mut run).into_hir());
                }
                branches.push(alternative.clone());
            }
        }
    }
    if !shared {
        return None;
    }
    if !run.branches.is_empty() {
        branches.push(run.into_hir());
    }
    Some(Hir::alternation(branches))
}

/// One step of a phrase: a character, a class of characters (a letter's cases), or a run
/// of one (`\s+`).
#[derive(Clone, PartialEq)]
enum Step {
    Char(char),
    Class {
        hir: Hir,
        class: ClassUnicode,
        run: bool,
    },
}

impl Step {
    fn is_run(&self) -> bool {
        matches!(self, Step::Class { run: true, .. })
    }

    /// Whether the two may start with the same character.
    fn overlaps(&self, other: &Step) -> bool {
        match (self, other) {
            (Step::Char(a), Step::Char(b)) => a == b,
            (Step::Char(c), Step::Class { class, .. })
            | (Step::Class { class, .. }, Step::Char(c)) => class
                .ranges()
                .iter()
                .any(|range| range.start() <= *c && *c <= range.end()),
            (Step::Class { class: a, .. }, Step::Class { class: b, .. }) => {
                ranges_overlap(a.ranges(), b.ranges())
            }
        }
    }

    fn into_hir(self) -> Hir {
        match self {
            Step::Char(c) => {
                let mut bytes = [0; 4];
                Hir::literal(c.encode_utf8(&mut bytes).as_bytes())
            }
            Step::Class { hir, .. } => hir,
        }
    }
}

/// Whether two sorted lists of ranges share a character.
fn ranges_overlap(mut a: &[ClassUnicodeRange], mut b: &[ClassUnicodeRange]) -> bool {
    while let (Some(x), Some(y)) = (a.first(), b.first()) {
        if x.end() < y.start() {
            a = &a[1..];
        } else if y.end() < x.start() {
            b = &b[1..];
        } else {
            return true;
        }
    }
    false
}

/// The steps of a phrase; `None` if it is not one.
fn steps(hir: &Hir) -> Option<Vec<Step>> {
    let mut found = Vec::new();
    push_steps(hir, &mut found)?;
    Some(found)
}

fn push_steps(hir: &Hir, found: &mut Vec<Step>) -> Option<()> {
    match hir.kind() {
        HirKind::Empty => {}
        HirKind::Literal(literal) => {
            let text = std::str::from_utf8(&literal.0).ok()?;
            if text.chars().any(is_private_use) {
                return None;
            }
            found.extend(text.chars().map(Step::Char));
        }
        HirKind::Class(Class::Unicode(class)) => found.push(Step::Class {
            hir: hir.clone(),
            class: class.clone(),
            run: false,
        }),
        HirKind::Repetition(repetition)
            if repetition.min == 1 && repetition.max.is_none() && repetition.greedy =>
        {
            let HirKind::Class(Class::Unicode(class)) = repetition.sub.kind() else {
                return None;
            };
            found.push(Step::Class {
                hir: hir.clone(),
                class: class.clone(),
                run: true,
            });
        }
        HirKind::Concat(parts) => {
            for part in parts {
                push_steps(part, found)?;
            }
        }
        _ => return None,
    }
    Some(())
}

/// A private-use character: a pattern's fragments stand as two of them until they are
/// put in (`compose`), so a literal holding one is no phrase.
fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..)
}

/// Whether each run is followed by a step that cannot continue it: then the run matches
/// one way only, and sharing it cannot change which phrase wins.
fn runs_end_apart(steps: &[Step]) -> bool {
    steps
        .windows(2)
        .all(|pair| !pair[0].is_run() || !pair[0].overlaps(&pair[1]))
}

#[derive(Default)]
struct Node {
    branches: Vec<Branch>,
}

enum Branch {
    /// A phrase ends here.
    End,
    Step(Step, Node),
}

impl Node {
    /// Adds a phrase after the branches already here; whether it shared one of them.
    fn insert(&mut self, steps: &[Step]) -> bool {
        let Some((first, rest)) = steps.split_first() else {
            // A phrase that ends where an earlier one did can never win: it is dropped.
            if !self.branches.iter().any(|b| matches!(b, Branch::End)) {
                self.branches.push(Branch::End);
            }
            return false;
        };
        // The last branch that could match where this phrase does: joining it keeps the
        // order of preference only if it starts with this very step.
        let last_rival = self.branches.iter_mut().rev().find(|branch| match branch {
            Branch::End => true,
            Branch::Step(step, _) => step.overlaps(first),
        });
        if let Some(Branch::Step(step, child)) = last_rival {
            if step == first {
                child.insert(rest);
                return true;
            }
        }
        let mut child = Node::default();
        child.insert(rest);
        self.branches.push(Branch::Step(first.clone(), child));
        false
    }

    fn into_hir(self) -> Hir {
        let branches = self.branches.into_iter().map(|branch| match branch {
            Branch::End => Hir::empty(),
            Branch::Step(step, child) => {
                // A path with no branching is one concatenation, not one per step.
                let mut parts = vec![step.into_hir()];
                let mut node = child;
                while let [Branch::Step(..)] = node.branches.as_slice() {
                    let Some(Branch::Step(step, next)) = node.branches.pop() else {
                        unreachable!("one step, just matched");
                    };
                    parts.push(step.into_hir());
                    node = next;
                }
                parts.push(node.into_hir());
                Hir::concat(parts)
            }
        });
        Hir::alternation(branches.collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::engine::{Engine, Limits};
    use proptest::prelude::*;
    use regex_automata::Anchored;

    fn parse(pattern: &str) -> Hir {
        regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse(pattern)
            .unwrap()
    }

    fn engine(hir: &Hir) -> Engine {
        let limits = Limits {
            automaton: 1 << 20,
            dfa_cache: 1 << 20,
        };
        Engine::new(hir, &limits).unwrap()
    }

    /// Every match, from every start, as the engine finds them.
    fn matches(hir: &Hir, text: &str) -> Vec<Option<std::ops::Range<usize>>> {
        let engine = engine(hir);
        (0..=text.len())
            .filter(|&at| text.is_char_boundary(at))
            .map(|at| engine.find(text, at, Anchored::Yes))
            .collect()
    }

    #[test]
    fn shared_openings_become_one_path() {
        let hir = parse(r"(?:kế\s+hoạch\s+năm|kế\s+hoạch\s+giao|kế\s+hoạch|KH)");
        let trie = factored(&hir);
        assert_ne!(trie, hir);
        let text = "đạt 95% kế  hoạch giao, 90% Kế hoạch năm và 80% kh";
        assert_eq!(matches(&trie, text), matches(&hir, text));
    }

    #[test]
    fn a_shorter_phrase_written_first_still_wins() {
        let hir = parse("(?:ab|a|abc)");
        assert_eq!(matches(&factored(&hir), "abc"), matches(&hir, "abc"));
        assert_eq!(
            engine(&factored(&hir)).find("abc", 0, Anchored::Yes),
            Some(0..2)
        );
    }

    #[test]
    fn alternations_of_other_shapes_stay_as_they_are() {
        for pattern in [
            r"(?:a(?P<x>b)|ac)",
            r"(?:ab*|ac)",
            r"(?:\bab|ac)",
            "(?:ab|cd)",
        ] {
            let hir = parse(pattern);
            assert_eq!(factored(&hir), hir, "{pattern}");
        }
    }

    #[test]
    fn phrases_on_each_side_of_another_shape_share_among_themselves() {
        let hir = parse(r"(?:(?:triệu\s+)+tấn|tấn\s+mía|tấn|(?:nghìn\s+)+tạ|tạ\s+thóc|tạ)");
        let trie = factored(&hir);
        assert_ne!(trie, hir);
        for text in [
            "tấn mía",
            "triệu triệu tấn",
            "tạ thóc",
            "nghìn tạ",
            "tấn",
            "tạ",
        ] {
            assert_eq!(matches(&trie, text), matches(&hir, text), "{text}");
        }
    }

    #[test]
    fn a_run_that_what_follows_could_continue_is_not_shared() {
        let hir = parse(r"(?:a\s+\sb|a\s+c)");
        assert_eq!(factored(&hir), hir);
    }

    fn phrase() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![Just("a"), Just("b"), Just("ả"), Just(" ")],
            1..5,
        )
        .prop_map(|parts| parts.concat().trim().to_string())
        .prop_filter("a phrase has a letter", |p| !p.is_empty())
    }

    proptest! {
        #[test]
        fn a_trie_matches_what_its_alternation_matches(
            phrases in proptest::collection::vec(phrase(), 1..8),
            text in "[abAẢả ]{0,12}",
            tail in prop_oneof![Just(""), Just("b"), Just(r"\s*a")],
            other in prop_oneof![Just(None), Just(Some(r"a+b")), Just(Some(r"(?:b\s+)+a"))],
            at in 0usize..8,
        ) {
            let mut alternatives: Vec<String> = phrases
                .iter()
                .map(|p| regex_syntax::escape(p).replace(' ', r"\s+"))
                .collect();
            if let Some(other) = other {
                alternatives.insert(at.min(alternatives.len()), other.to_string());
            }
            let hir = parse(&format!("(?:{}){tail}", alternatives.join("|")));
            prop_assert_eq!(matches(&factored(&hir), &text), matches(&hir, &text));
        }
    }
}
