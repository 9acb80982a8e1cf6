//! Text -> [`Document`]: one Unicode form (NFC), one line ending (LF), one kind of white
//! space (ASCII), and a line index.
//!
//! Reports arrive decomposed (NFD) in places, with CRLF line ends, a BOM or no-break
//! spaces. Everything downstream works on the normalized text, so that the same report in
//! any of those shapes gives the same facts, spans included: `span` is in bytes of the NFC
//! text with LF line ends, each white space as the report wrote it
//! ([`Document::nfc_offset`]). NFC never joins characters across a line break, so input
//! line numbers survive normalization. Text that is already NFC (the usual case) is not
//! copied through the normalizer. What a reader of another format knows about its lines
//! (their input lines, headings, note markers) is kept beside the text by line number.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::words::{is_foreign_space, plain_spaces};

pub use crate::render::{MarkedNote, NoteMark};

/// A report's text, normalized, with its name and line index.
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
    /// Where white space outside ASCII stood (each now one space), as the offset in `text`
    /// just after it and the bytes taken out up to there: spans are reported in the bytes
    /// of the NFC text, as the report has them.
    spaces_taken: Vec<(usize, usize)>,
    /// For text rendered from another format (Markdown, DOCX): the input line of each
    /// rendered line, so facts still point into the file the user has.
    source_lines: Option<Vec<usize>>,
    /// Headings the input format marked: (1-based line, level), in line order.
    marked_headings: Vec<(usize, u8)>,
    /// For text rendered from another format, the note markers its reader wrote, sorted;
    /// only these are notes (the text's own brackets are text). `None` for plain text,
    /// whose markers are the input.
    marked_notes: Option<Vec<MarkedNote>>,
}

impl Document {
    /// 1-based input line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        let line = self.text_line_of(offset);
        match &self.source_lines {
            Some(map) => map.get(line - 1).copied().unwrap_or(line),
            None => line,
        }
    }

    /// The offset in the NFC text (white space as the report has it) of an offset in `text`.
    pub fn nfc_offset(&self, offset: usize) -> usize {
        let before = self
            .spaces_taken
            .partition_point(|&(after, _)| after <= offset);
        offset
            + before
                .checked_sub(1)
                .map_or(0, |last| self.spaces_taken[last].1)
    }

    /// 1-based line of a byte offset in the normalized text itself.
    pub fn text_line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    /// Attach the input line of each line of text rendered from another format.
    pub fn with_source_lines(mut self, source_lines: Vec<usize>) -> Document {
        self.source_lines = Some(source_lines);
        self
    }

    /// Note the headings the input format marked: (1-based line, level).
    pub fn with_marked_headings(mut self, mut headings: Vec<(usize, u8)>) -> Document {
        headings.sort_unstable();
        self.marked_headings = headings;
        self
    }

    /// The level of a heading the input format marked on this 1-based line.
    pub fn marked_level(&self, line: usize) -> Option<u8> {
        self.marked_headings
            .binary_search_by_key(&line, |&(at, _)| at)
            .ok()
            .map(|i| self.marked_headings[i].1)
    }

    /// Note the note markers the input format declared; from then on only those are notes.
    pub fn with_marked_notes(mut self, mut notes: Vec<MarkedNote>) -> Document {
        notes.sort_unstable();
        notes.dedup();
        self.marked_notes = Some(notes);
        self
    }

    /// Whether the input format declared its notes, so that markers in the text are only
    /// notes where declared ([`Document::marks_note`]).
    pub fn notes_are_marked(&self) -> bool {
        self.marked_notes.is_some()
    }

    /// Whether the input format declared note `number` as `mark` on this 1-based line.
    pub fn marks_note(&self, line: usize, number: u32, mark: NoteMark) -> bool {
        self.marked_notes
            .as_ref()
            .is_some_and(|notes| notes.binary_search(&(line, number, mark)).is_ok())
    }

    /// Number of lines (a trailing line without a break counts).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte range of a 1-based line, without its line break.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        start..end
    }
}

/// Normalize decoded text into a [`Document`].
pub fn normalize(name: &str, text: &str) -> Document {
    let text = text.trim_start_matches('\u{feff}');
    let text = unify_line_ends(text);
    // Text that is not NFC at a glance is mostly so (a pasted paragraph): it is checked
    // line by line, not first with the normalizer's own check over all of it.
    let text = if text.chars().all(always_nfc) {
        text
    } else {
        nfc_by_line(&text)
    };
    let (text, spaces_taken) = match plain_spaces(&text) {
        Cow::Borrowed(_) => (text, Vec::new()),
        Cow::Owned(plain) => {
            let taken = spaces_taken(&text);
            (plain, taken)
        }
    };
    let line_starts = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect();
    Document {
        name: name.to_string(),
        text,
        line_starts,
        spaces_taken,
        source_lines: None,
        marked_headings: Vec::new(),
        marked_notes: None,
    }
}

/// Whether `text` is NFC. A report is made almost wholly of characters that are NFC
/// whatever stands beside them (see [`always_nfc`]): text of those alone is, and the
/// normalizer's own check (a table lookup per character) reads only other text.
fn is_nfc_at_a_glance(text: &str) -> IsNormalized {
    if text.chars().all(always_nfc) {
        IsNormalized::Yes
    } else {
        is_nfc_quick(text.chars())
    }
}

/// ASCII, Latin-1 and the Latin extensions (all below the combining marks at U+0300), the
/// precomposed Vietnamese letters and the common dashes, quotes and bullets: starters that
/// NFC keeps as they are. A mark that would compose with one is not among them, so text
/// of these alone is NFC (checked against the normalizer's tables in a test).
fn always_nfc(c: char) -> bool {
    matches!(c, '\0'..='\u{2FF}' | '\u{1EA0}'..='\u{1EF9}' | '\u{2010}'..='\u{2027}')
}

/// NFC, line by line: a report is mostly NFC with a few decomposed letters (a pasted
/// paragraph), and a line that is NFC already is copied rather than run through the
/// normalizer (ten times slower). Exact, since NFC never joins across a line break.
fn nfc_by_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match is_nfc_at_a_glance(line) {
            IsNormalized::Yes => out.push_str(line),
            _ => push_nfc_by_cluster(line, &mut out),
        }
    }
    out
}

/// NFC of `text` pushed onto `out`, only the letters with marks after them run through the
/// normalizer: before a character NFC keeps whatever stands beside it ([`always_nfc`]: it
/// composes with nothing before it and no mark reorders across it) the text can be cut, so
/// each such character with the marks that follow it is normalized alone, and one with no
/// mark after it is copied. A wholly decomposed report is one mark or two per letter, most
/// of its bytes are not.
fn push_nfc_by_cluster(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(mark) = rest.find(|c| !always_nfc(c)) {
        // Everything before the mark is kept as it is but the character it may join.
        let start = rest[..mark]
            .char_indices()
            .next_back()
            .map_or(0, |(at, _)| at);
        let end = rest[mark..]
            .find(always_nfc)
            .map_or(rest.len(), |at| mark + at);
        out.push_str(&rest[..start]);
        out.extend(rest[start..end].nfc());
        rest = &rest[end..];
    }
    out.push_str(rest);
}

/// For [`Document::nfc_offset`]: after each foreign space in `text`, where it ends once
/// made one byte, and the bytes taken out so far.
fn spaces_taken(text: &str) -> Vec<(usize, usize)> {
    let mut taken = 0;
    text.char_indices()
        .filter(|&(_, c)| is_foreign_space(c))
        .map(|(at, c)| {
            taken += c.len_utf8() - 1;
            (at + c.len_utf8() - taken, taken)
        })
        .collect()
}

/// CRLF and lone CR (old Mac files) become LF; each still ends exactly one line.
fn unify_line_ends(text: &str) -> String {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn characters_taken_as_nfc_at_a_glance_are_starters_the_normalizer_keeps() {
        let glanced = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| always_nfc(c));
        for c in glanced {
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
            assert_eq!(
                unicode_normalization::char::canonical_combining_class(c),
                0,
                "{c:?}"
            );
        }
        assert_ne!(is_nfc_at_a_glance("Kê\u{301} hoạch"), IsNormalized::Yes);
        assert_eq!(
            is_nfc_at_a_glance("Kế hoạch – “đạt” 95%"),
            IsNormalized::Yes
        );
    }

    #[test]
    fn nfd_becomes_nfc() {
        let nfd: String = "chức năng".nfd().collect();
        assert_ne!(nfd, "chức năng");
        assert_eq!(normalize("x", &nfd).text, "chức năng");
    }

    #[test]
    fn crlf_bom_and_lf_give_the_same_text() {
        let lf = normalize("a", "dòng 1\ndòng 2\n");
        let crlf = normalize("b", "\u{feff}dòng 1\r\ndòng 2\r\n");
        assert_eq!(lf.text, crlf.text);
        assert_eq!(crlf.line_of(lf.text.find("dòng 2").unwrap()), 2);
    }

    #[test]
    fn offsets_after_foreign_spaces_point_into_the_text_as_written() {
        let written = "Thu\u{A0}ngân sách:\u{2009}đạt 5\u{3000}tỷ";
        let doc = normalize("x", written);
        assert_eq!(doc.text, "Thu ngân sách: đạt 5 tỷ");
        for word in ["Thu", "ngân", "đạt", "5", "tỷ"] {
            let at = doc.text.find(word).unwrap();
            let end = doc.nfc_offset(at + word.len());
            assert_eq!(&written[doc.nfc_offset(at)..end], word);
        }
        assert_eq!(doc.nfc_offset(doc.text.len()), written.len());
    }

    #[test]
    fn lines_are_one_based() {
        let doc = normalize("x", "a\nb\n\nc");
        assert_eq!(doc.line_of(0), 1);
        assert_eq!(doc.line_of(2), 2);
        assert_eq!(doc.line_of(5), 4);
        assert_eq!(doc.line_count(), 4);
        assert_eq!(&doc.text[doc.line_range(4)], "c");
        assert_eq!(&doc.text[doc.line_range(1)], "a");
    }

    /// Lines of Vietnamese letters, decomposed or not, with stray combining marks.
    fn mixed_lines() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("ư".to_string()),
            Just("ệ".nfd().collect::<String>()),
            Just("a\u{0301}\u{0323}".to_string()),
            Just("\u{0300}".to_string()),
            Just("\n".to_string()),
            Just("\n\u{0301}".to_string()),
            "[a-zđơ ]{0,4}",
        ];
        proptest::collection::vec(piece, 0..30).prop_map(|pieces| pieces.concat())
    }

    /// Text mixing every kind of character NFC treats differently: letters kept as they
    /// are, marks of several combining classes, Hangul jamo that compose without marks,
    /// singletons NFC replaces, and anything else.
    fn any_marks() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[a-zA-Zđơư ]{0,3}",
            "[\u{0300}-\u{036F}\u{0591}-\u{05C7}\u{1AB0}-\u{1AFF}]{1,3}",
            "[\u{1100}-\u{1112}\u{1161}-\u{1175}\u{11A8}-\u{11C2}\u{AC00}-\u{AC10}]{1,3}",
            "[\u{2126}\u{212A}\u{212B}\u{0340}\u{0344}\u{0F73}\u{1EA0}-\u{1EF9}]",
            "\\PC{0,2}",
        ];
        proptest::collection::vec(piece, 0..30).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn line_by_line_is_the_whole_text_normalized(text in mixed_lines()) {
            prop_assert_eq!(nfc_by_line(&text), text.nfc().collect::<String>());
        }

        /// Any text at all, Hangul syllables and jamo, marks of every class and characters
        /// NFC expands among them: cut into clusters, it normalizes as a whole.
        #[test]
        fn cluster_by_cluster_is_the_whole_text_normalized(text in any_marks()) {
            let mut out = String::new();
            push_nfc_by_cluster(&text, &mut out);
            prop_assert_eq!(out, text.nfc().collect::<String>());
        }

        #[test]
        fn normalizing_is_idempotent(text in "\\PC{0,60}") {
            let once = normalize("x", &text);
            let twice = normalize("x", &once.text);
            prop_assert_eq!(&once.text, &twice.text);
            prop_assert_eq!(once.line_count(), twice.line_count());
        }
    }
}
