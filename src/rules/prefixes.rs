//! The literals a pattern's matches can start with, so that its lazy DFA skips to where
//! one occurs rather than read every byte from its start state (as the `regex` crate's
//! own engine does: its literal prefilters were why a long run used that engine for
//! `find`). Kept with the automaton, since extracting them needs the parsed pattern.

use regex_automata::util::prefilter::Prefilter;
use regex_automata::MatchKind;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::Hir;

use super::bytes;

/// Literals, as bytes.
pub type Literals = Vec<Vec<u8>>;

/// The prefix literals of a pattern, as `regex` extracts them for leftmost-first matching;
/// `None` where they are not a finite set.
pub fn of(hir: &Hir) -> Option<Literals> {
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix);
    let mut prefixes = extractor.extract(hir);
    prefixes.optimize_for_prefix_by_preference();
    let literals = prefixes.literals()?;
    Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// A prefilter for them, if one serves (the `regex` crate's judgement, as for its own).
pub fn prefilter(prefixes: Option<&[Vec<u8>]>) -> Option<Prefilter> {
    Prefilter::new(MatchKind::LeftmostFirst, prefixes?)
}

/// Written before the automaton: a count (`u32::MAX` for none), then each literal's
/// length and bytes.
pub fn write(prefixes: Option<&[Vec<u8>]>, out: &mut Vec<u8>) -> Option<()> {
    let Some(prefixes) = prefixes else {
        out.extend_from_slice(&u32::MAX.to_le_bytes());
        return Some(());
    };
    bytes::put_count(out, prefixes.len())?;
    prefixes
        .iter()
        .try_for_each(|literal| bytes::put_run(out, literal))
}

/// What [`write`] wrote, and the bytes after it; `None` for bytes it did not write.
pub fn read(written: &[u8]) -> Option<(Option<Literals>, &[u8])> {
    let mut input = bytes::Reader(written);
    let count = input.index()?;
    if count == u32::MAX as usize {
        return Some((None, input.0));
    }
    // Each literal takes four bytes at least: a count the bytes cannot hold is refused
    // before anything is allocated for it.
    input.holds(count, 4).then_some(())?;
    let mut prefixes = Vec::with_capacity(count);
    for _ in 0..count {
        prefixes.push(input.run()?.to_vec());
    }
    Some((Some(prefixes), input.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parsed as a rule's pattern is, without regard to case.
    fn parsed(pattern: &str) -> Hir {
        let pattern = crate::rules::Pattern::new(pattern, true).unwrap();
        pattern.hir().unwrap()
    }

    #[test]
    fn prefixes_are_read_back_as_written() {
        for pattern in [r"(?:đạt|tăng)\s+[0-9]+%", r"[0-9]+\s*%", r"\p{L}+\s+đạt"] {
            let prefixes = of(&parsed(pattern));
            let mut bytes = Vec::new();
            write(prefixes.as_deref(), &mut bytes).unwrap();
            bytes.extend_from_slice(b"rest");
            let (back, rest) = read(&bytes).unwrap();
            assert_eq!(back, prefixes, "{pattern}");
            assert_eq!(rest, b"rest");
        }
    }

    #[test]
    fn a_word_list_is_found_in_either_case_and_nothing_else_is() {
        let prefixes = of(&parsed("(?:đạt|vượt) [0-9]")).unwrap();
        let prefilter = prefilter(Some(&prefixes)).unwrap();
        let found = |text: &str| {
            let span = regex_automata::Span::from(0..text.len());
            prefilter.find(text.as_bytes(), span).map(|at| at.start)
        };
        assert_eq!(found("Sản lượng VƯỢT 5%"), Some("Sản lượng ".len()));
        assert_eq!(found("doanh thu Đạt 7 tỷ"), Some("doanh thu ".len()));
        assert_eq!(found("tăng 5% so với cùng kỳ"), None);
    }

    #[test]
    fn bytes_it_did_not_write_are_refused_without_panicking() {
        let mut bytes = Vec::new();
        write(of(&parsed("(?:đạt|tăng) [0-9]")).as_deref(), &mut bytes).unwrap();
        for cut in 0..bytes.len() {
            assert!(read(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        assert!(
            read(&[0xfe, 0xff, 0xff, 0x7f]).is_none(),
            "a count with no literals"
        );
    }
}
