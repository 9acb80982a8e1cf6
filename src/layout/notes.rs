//! Note markers of text exported from DOCX (`[footnoteRef:N]`, `[N:  ...]`, `[bookmark: ...]`)
//! and plain-text notes (`[N]`): found in one pass, and blanked out of a copy of the text
//! that keeps its byte offsets.

use std::ops::Range;

use super::*;

/// Markers found in the text: what to blank, where anchors and bodies are.
#[derive(Default)]
pub(super) struct Markers {
    pub(super) blanks: Vec<Range<usize>>,
    pub(super) anchors: Vec<(u32, usize)>,
    pub(super) bodies: Vec<(u32, Range<usize>)>,
    /// Bare `[N]`: plain-text note references or, at a line start, note bodies; the flag
    /// says whether only white space precedes it on its line.
    pub(super) plain_notes: Vec<(u32, Range<usize>, bool)>,
}

/// One pass with a stack of open brackets: linear even in text full of unclosed ones.
pub(super) fn scan_markers(doc: &Document) -> Markers {
    let text = doc.text.as_str();
    let bytes = text.as_bytes();
    let mut markers = Markers::default();
    // (position, whether only white space stood before it on its line)
    let mut open: Vec<(usize, bool)> = Vec::new();
    let mut line_start = 0;
    // Whether only white space stands on the line before `at`: asked at brackets and at
    // line ends with brackets open, so the bytes between are skipped by memchr.
    let blank_before =
        |line_start: usize, at: usize| bytes[line_start..at].iter().all(u8::is_ascii_whitespace);
    for i in memchr::memchr3_iter(b'[', b']', b'\n', bytes) {
        match bytes[i] {
            b'[' => open.push((i, blank_before(line_start, i))),
            b']' => {
                if let Some((start, at_line_start)) = open.pop() {
                    classify(doc, start, i, at_line_start, &mut markers);
                }
            }
            _ => {
                // Only a footnote body ("[12:  ...") runs on over hard-wrapped lines, and
                // never past a blank line; other brackets close on their own line.
                if !open.is_empty() {
                    if blank_before(line_start, i) {
                        open.clear();
                    } else {
                        open.retain(|&(start, _)| opens_body(&text[start + 1..]));
                    }
                }
                line_start = i + 1;
            }
        }
    }
    if !doc.notes_are_marked() {
        plain_notes(text, &mut markers);
    }
    markers.blanks.sort_by_key(|r| r.start);
    markers.anchors.sort_by_key(|a| a.1);
    markers.bodies.sort_by_key(|b| b.1.start);
    markers
}

/// Whether text after a `[` opens a footnote body: digits, then a colon.
pub(super) fn opens_body(after_bracket: &str) -> bool {
    let digits = after_bracket.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && after_bracket.as_bytes().get(digits) == Some(&b':')
}

/// Longest marker label read ("footnoteRef:123" and the like); only the start of a bracket's
/// text is looked at, so nested brackets cost no more than flat ones.
pub(super) const MARKER_HEAD: usize = 24;

pub(super) fn classify(
    doc: &Document,
    open: usize,
    close: usize,
    at_line_start: bool,
    markers: &mut Markers,
) {
    let text = doc.text.as_str();
    let inner = &text[open + 1..close];
    // In a rendered report a marker counts only where its reader wrote one.
    let marked = |number: u32, mark: NoteMark| {
        !doc.notes_are_marked() || doc.marks_note(doc.text_line_of(open), number, mark)
    };
    let head = &inner[..floor_char(inner, MARKER_HEAD)];
    let short = inner.len() <= MARKER_HEAD;
    // Word's endnotes are exported like its footnotes.
    if let Some(number) = head
        .strip_prefix("footnoteRef:")
        .or_else(|| head.strip_prefix("endnoteRef:"))
        .filter(|_| short)
        .and_then(|n| n.trim().parse().ok())
    {
        if !marked(number, NoteMark::Anchor) {
            return;
        }
        markers.blanks.push(open..close + 1);
        markers.anchors.push((number, open));
    } else if head.starts_with("bookmark:") {
        markers.blanks.push(open..close + 1);
    } else if let Some(number) = short
        .then(|| inner.parse::<u32>().ok())
        .flatten()
        .filter(|_| !doc.notes_are_marked())
    {
        markers
            .plain_notes
            .push((number, open..close + 1, at_line_start));
    } else if let Some((digits, _)) = head.split_once(':') {
        let Some(number) = digits
            .parse::<u32>()
            .ok()
            .filter(|&n| marked(n, NoteMark::Body))
        else {
            return;
        };
        // After the colon as written: "[01:" has two digits, though 1 prints as one.
        let rest = &inner[digits.len()..];
        let content_start = close - rest.trim_start_matches(':').trim_start().len();
        markers.blanks.push(open..content_start);
        markers.blanks.push(close..close + 1);
        markers.bodies.push((number, content_start..close));
    }
}

/// The largest character boundary of `text` at or before `at`.
pub(super) fn floor_char(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `[N] text` at the start of a line is a note body (running on over indented lines) when
/// the text also cites `[N]`; those citations become anchors. Other `[N]` stay as text.
pub(super) fn plain_notes(text: &str, markers: &mut Markers) {
    let (definitions, citations): (Vec<_>, Vec<_>) =
        markers.plain_notes.drain(..).partition(|note| note.2);
    let defined: std::collections::HashSet<u32> = definitions.iter().map(|note| note.0).collect();
    let cited: std::collections::HashSet<u32> = citations.iter().map(|note| note.0).collect();
    for (number, range, _) in citations
        .into_iter()
        .filter(|note| defined.contains(&note.0))
    {
        markers.blanks.push(range.clone());
        markers.anchors.push((number, range.start));
    }
    for (number, range, _) in definitions
        .into_iter()
        .filter(|note| cited.contains(&note.0))
    {
        let end = note_end(text, range.end);
        let content_start =
            range.end + (text[range.end..end].len() - text[range.end..end].trim_start().len());
        markers.blanks.push(range);
        markers.bodies.push((number, content_start..end));
    }
}

/// A plain-text note runs over the lines after it (wrapped, indented or not) up to a blank
/// line or the next note.
pub(super) fn note_end(text: &str, from: usize) -> usize {
    let mut end = text[from..].find('\n').map_or(text.len(), |i| from + i);
    while end < text.len() {
        let next_start = end + 1;
        let next_end = text[next_start..]
            .find('\n')
            .map_or(text.len(), |i| next_start + i);
        let next = text[next_start..next_end].trim_start();
        if next.is_empty() || starts_plain_note(next) {
            break;
        }
        end = next_end;
    }
    end
}

/// "[12] ..." opens a plain-text note.
pub(super) fn starts_plain_note(line: &str) -> bool {
    line.strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .is_some_and(|(number, _)| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
}

/// Replace each marker with spaces; the text keeps its byte offsets. Built from the text's
/// own pieces, so it needs no check that it is UTF-8 (that check read the whole report);
/// markers start and end on character boundaries, and a marker that did not would leave
/// the text as it is.
pub(super) fn mask(text: &str, blanks: &[Range<usize>]) -> String {
    let mut blanks = blanks.to_vec();
    blanks.sort_unstable_by_key(|blank| blank.start);
    let mut masked = String::with_capacity(text.len());
    let mut kept = 0;
    for blank in blanks {
        let start = blank.start.max(kept);
        let end = blank.end.max(start);
        let (Some(before), true) = (text.get(kept..start), text.is_char_boundary(end)) else {
            return text.to_string();
        };
        masked.push_str(before);
        masked.extend(std::iter::repeat_n(' ', end - start));
        kept = end;
    }
    masked.push_str(&text[kept..]);
    masked
}
