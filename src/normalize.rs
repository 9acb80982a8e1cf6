//! Text -> [`Document`]: one Unicode form (NFC), one line ending (LF), and a line index.
//!
//! Reports arrive decomposed (NFD) in places, with CRLF line ends or a BOM. Everything
//! downstream works on the normalized text, so that the same report in any of those shapes
//! gives the same facts, spans included (`span` is in bytes of this text). NFC never joins
//! characters across a line break, so input line numbers survive normalization. Text that
//! is already NFC (the usual case) is not copied through the normalizer. What a reader of
//! another format knows about its lines (their input lines, headings, note markers) is kept
//! beside the text by line number.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

pub use crate::render::{MarkedNote, NoteMark};

/// A report's text, normalized, with its name and line index.
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
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
    let text = match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => text,
        _ => nfc_by_line(&text),
    };
    let line_starts = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect();
    Document {
        name: name.to_string(),
        text,
        line_starts,
        source_lines: None,
        marked_headings: Vec::new(),
        marked_notes: None,
    }
}

/// NFC, line by line: a report is mostly NFC with a few decomposed letters (a pasted
/// paragraph), and a line that is NFC already is copied rather than run through the
/// normalizer (ten times slower). Exact, since NFC never joins across a line break.
fn nfc_by_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match is_nfc_quick(line.chars()) {
            IsNormalized::Yes => out.push_str(line),
            _ => out.extend(line.nfc()),
        }
    }
    out
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

    proptest! {
        #[test]
        fn line_by_line_is_the_whole_text_normalized(text in mixed_lines()) {
            prop_assert_eq!(nfc_by_line(&text), text.nfc().collect::<String>());
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
