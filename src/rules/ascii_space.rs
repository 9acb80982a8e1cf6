//! Classes compiled for text whose only white space is ASCII.
//!
//! Every text the rules read has passed through [`crate::words::plain_spaces`], so no
//! character of White_Space outside ASCII (no-break, thin, en, em spaces ...) is ever
//! there to match. A class may then hold those characters or not, as makes it smaller:
//! `\s` loses them (one automaton state for its bytes rather than some ten: the shipped
//! patterns write `\s` over twenty thousand times) and `[^\s,;]` takes them back (its
//! ranges join). What matches on such text is the same.

use std::sync::OnceLock;

use regex_syntax::hir::{Capture, Class, ClassUnicode, Hir, HirKind, Repetition};

/// The pattern with each Unicode class holding or leaving out the white space outside
/// ASCII, whichever takes fewer ranges.
pub fn for_ascii_space(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Class(Class::Unicode(class)) => Hir::class(Class::Unicode(fewer_ranges(class))),
        HirKind::Repetition(repetition) => Hir::repetition(Repetition {
            sub: Box::new(for_ascii_space(*repetition.sub)),
            ..repetition
        }),
        HirKind::Capture(capture) => Hir::capture(Capture {
            sub: Box::new(for_ascii_space(*capture.sub)),
            ..capture
        }),
        HirKind::Concat(parts) => Hir::concat(parts.into_iter().map(for_ascii_space).collect()),
        HirKind::Alternation(branches) => {
            Hir::alternation(branches.into_iter().map(for_ascii_space).collect())
        }
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Class(class) => Hir::class(class),
        HirKind::Look(look) => Hir::look(look),
    }
}

fn fewer_ranges(class: ClassUnicode) -> ClassUnicode {
    let mut with = class.clone();
    with.union(foreign_space());
    let mut without = class;
    without.difference(foreign_space());
    if with.ranges().len() < without.ranges().len() {
        with
    } else {
        without
    }
}

/// White space outside ASCII, as the parser's own tables give it.
fn foreign_space() -> &'static ClassUnicode {
    static CLASS: OnceLock<ClassUnicode> = OnceLock::new();
    CLASS.get_or_init(|| {
        let parsed = regex_syntax::parse(r"[\s--\x00-\x7F]").expect("a valid class");
        match parsed.into_kind() {
            HirKind::Class(Class::Unicode(class)) => class,
            _ => ClassUnicode::empty(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::{is_foreign_space, plain_spaces};
    use proptest::prelude::*;
    use regex_automata::meta::Regex;
    use regex_automata::nfa::thompson::NFA;

    fn parse(pattern: &str) -> Hir {
        regex_syntax::parse(pattern).unwrap()
    }

    fn states(hir: &Hir) -> usize {
        NFA::compiler().build_from_hir(hir).unwrap().states().len()
    }

    #[test]
    fn the_foreign_spaces_are_those_rust_calls_white_space() {
        let class = foreign_space();
        for c in '\u{80}'..='\u{3000}' {
            let held = class
                .ranges()
                .iter()
                .any(|r| r.start() <= c && c <= r.end());
            assert_eq!(held, is_foreign_space(c), "{c:?}");
        }
    }

    #[test]
    fn white_space_classes_shrink() {
        for pattern in [r"\s", r"a\s+b", r"[^\s,;.]+", r"\S"] {
            let narrowed = for_ascii_space(parse(pattern));
            assert!(
                states(&narrowed) < states(&parse(pattern)),
                "{pattern} did not shrink"
            );
        }
        assert_eq!(for_ascii_space(parse(r"\s")), parse(r"[\t-\r ]"));
        assert_eq!(for_ascii_space(parse(r"đạt")), parse(r"đạt"));
    }

    proptest! {
        /// On text made plain, the narrowed pattern finds what the written one does.
        #[test]
        fn plain_text_matches_as_before(
            text in "[a-zđạ ,;.\t\n0-9%\u{a0}\u{2009}\u{3000}]{0,40}",
            pattern in prop::sample::select(vec![
                r"\s+", r"[^\s,;.]+", r"\S+\s\S+", r"[^\p{L}\p{N}]", r"(?i)đạt\s+[0-9]+\s*%",
                r"[\s\-]*\w+",
            ]),
        ) {
            let text = plain_spaces(&text);
            let written = Regex::new(pattern).unwrap();
            let narrowed = Regex::builder()
                .build_from_hir(&for_ascii_space(parse(pattern)))
                .unwrap();
            let spans = |re: &Regex| re.find_iter(text.as_ref()).map(|m| m.range()).collect::<Vec<_>>();
            prop_assert_eq!(spans(&written), spans(&narrowed));
        }
    }
}
