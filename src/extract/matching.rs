//! Running measure rules over a sentence: only near its figures, and only matches that start
//! and end at word edges (patterns leave word edges to this module, since a Unicode `\b`
//! keeps the regex engine off its fast DFA on Vietnamese text). Context windows are bounded
//! so the work per figure is constant however long a sentence runs.

use std::ops::Range;

use regex_automata::util::captures::Captures;
use regex_automata::Anchored;

use crate::rules::Engine;
use crate::words::{is_letter, is_letter_or_digit};

/// A rule's matches that start and end at word edges. A match that ends inside a word
/// ("... so với quý trước v|à") is tried again on the text before that word, so that
/// optional trailing parts give way rather than losing the whole match.
///
/// `starts`, when the screen knows them, are the only bytes a match may start at: the
/// rule is then tried anchored at each of them instead of searching the text between.
pub(crate) fn whole_word_matches(
    regex: &Engine,
    sentence: &str,
    window: Range<usize>,
    starts: Option<&[usize]>,
) -> Vec<Range<usize>> {
    let text = &sentence[..window.end];
    let mut found = Vec::new();
    let mut at = window.start;
    while at <= text.len() {
        let leftmost = match starts {
            Some(starts) => starts[starts.partition_point(|&start| start < at)..]
                .iter()
                .find_map(|&start| regex.find(text, start, Anchored::Yes)),
            None => regex.find(text, at, Anchored::No),
        };
        let Some(mut whole) = leftmost else {
            break;
        };
        // A match that starts inside a word ("n|ước vượt 5%") hides the one that starts at
        // the next word edge ("vượt 5%"): search again from the next character.
        if !starts_at_edge(text, whole.start) {
            at = whole.start + text[whole.start..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        if !at_word_edges(text, whole.clone()) {
            let cut = word_start(text, whole.end);
            if let Some(shorter) = regex.find(&text[..cut], whole.start, Anchored::Yes) {
                whole = shorter;
            }
        }
        at = next_position(text, &whole);
        if at_word_edges(text, whole.clone()) {
            found.push(whole);
        }
    }
    found
}

/// The groups of a match already found at `span` (found without them: most matches lose
/// to an overlapping rule, and captures cost far more than finding).
pub(crate) fn captures_at<'t>(
    regex: &Engine,
    sentence: &'t str,
    span: &Range<usize>,
) -> Option<Groups<'t>> {
    let captures = regex.captures(sentence, span.clone());
    let whole = captures.get_match()?;
    (whole.range() == *span).then_some(Groups {
        text: sentence,
        captures,
    })
}

/// A rule's match with its named groups.
pub(crate) struct Groups<'t> {
    text: &'t str,
    captures: Captures,
}

impl<'t> Groups<'t> {
    pub(crate) fn whole(&self) -> Group<'t> {
        let span = self.captures.get_match().expect("a found match");
        Group {
            text: self.text,
            start: span.start(),
            end: span.end(),
        }
    }

    pub(crate) fn name(&self, name: &str) -> Option<Group<'t>> {
        let span = self.captures.get_group_by_name(name)?;
        Some(Group {
            text: self.text,
            start: span.start,
            end: span.end,
        })
    }
}

/// Where one group of a match lies.
#[derive(Clone, Copy)]
pub(crate) struct Group<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl<'t> Group<'t> {
    pub(crate) fn start(&self) -> usize {
        self.start
    }

    pub(crate) fn end(&self) -> usize {
        self.end
    }

    pub(crate) fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    pub(crate) fn as_str(&self) -> &'t str {
        &self.text[self.start..self.end]
    }
}

/// Bytes before a figure where a match may start (a trigger verb, a plan basis) and after
/// it where one may end (a unit, a basis with its qualifiers).
const REACH_BEFORE: usize = 200;
const REACH_AFTER: usize = 300;

/// The stretches of a sentence around its figures, merged: every measure has a figure, so
/// rules need not scan the prose between them (most of a report).
pub(crate) fn figure_windows(sentence: &str) -> Vec<Range<usize>> {
    let mut windows: Vec<Range<usize>> = Vec::new();
    let bytes = sentence.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.' || bytes[i] == b',')
        {
            i += 1;
        }
        let window = floor_boundary(sentence, start.saturating_sub(REACH_BEFORE))
            ..ceil_boundary(sentence, (i + REACH_AFTER).min(sentence.len()));
        match windows.last_mut() {
            Some(last) if window.start <= last.end => last.end = window.end,
            _ => windows.push(window),
        }
    }
    windows
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// Where searching resumes after a match (past an empty match, by one character).
fn next_position(text: &str, whole: &Range<usize>) -> usize {
    if whole.end > whole.start {
        whole.end
    } else {
        whole.end + text[whole.end..].chars().next().map_or(1, char::len_utf8)
    }
}

fn starts_at_edge(text: &str, start: usize) -> bool {
    !splits_at(text, start)
}

/// Whether a match starting at `at` would start inside a word or a number. A figure
/// never starts within another ("07" of "107,07"); one glued to the word before it
/// ("bằng107,07%", from text extracted without its spaces) starts a figure when it is a
/// share, since a code such as "Km26" or "QL1A" is never followed by a percent sign.
fn splits_at(text: &str, at: usize) -> bool {
    let next = text[at..].chars().next();
    let before = text[..at].chars().next_back();
    if next.is_some_and(|c| c.is_ascii_digit()) {
        if inside_number(&text[..at]) {
            return true;
        }
        if before.is_some_and(is_letter) {
            return !percent_follows(&text[at..]);
        }
    }
    next.is_some_and(is_word_char) && before.is_some_and(is_word_char)
}

/// Whether `before` ends with a digit and a decimal or thousands mark.
fn inside_number(before: &str) -> bool {
    let bytes = before.as_bytes();
    matches!(bytes, [.., digit, b'.' | b','] if digit.is_ascii_digit())
}

/// Whether `text` opens with a figure followed by a percent or per-mille sign.
fn percent_follows(text: &str) -> bool {
    let rest = text.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
    rest.trim_start().starts_with(['%', '‰'])
}

/// A letter or digit of a word. A superscript digit glued to a word is a note mark
/// ("bằng 65,3% dự toán²"), not part of it.
fn is_word_char(c: char) -> bool {
    is_letter_or_digit(c) && !matches!(c, '¹' | '²' | '³' | '⁰'..='⁹')
}

/// Start of the word that `end` falls in (or `end` itself at a word edge).
fn word_start(text: &str, end: usize) -> usize {
    text[..end]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c))
        .last()
        .map_or(end, |(i, _)| i)
}

/// Whether a match starts and ends at word edges ("hộ" is no unit in "12 hội", "26" no
/// figure in "Km26"); patterns leave word edges to this check to stay on the fast DFA.
fn at_word_edges(text: &str, range: Range<usize>) -> bool {
    let word = |c: Option<char>| c.is_some_and(is_word_char);
    let inside = &text[range.clone()];
    let splits_start = splits_at(text, range.start);
    let splits_end = word(inside.chars().next_back()) && word(text[range.end..].chars().next());
    !splits_start && !splits_end
}

/// How far around a figure its context is read. Clauses are far shorter; the bound keeps
/// the work per figure constant in text with no sentence breaks (a 30 MB line).
const CONTEXT_BYTES: usize = 400;

/// At most [`CONTEXT_BYTES`] of `text` before `end`, cut on a character boundary.
pub(crate) fn window_before(text: &str, end: usize) -> &str {
    &text[ceil_boundary(text, end.saturating_sub(CONTEXT_BYTES))..end]
}

/// At most [`CONTEXT_BYTES`] of `text` after `start`, cut on a character boundary.
pub(crate) fn window_after(text: &str, start: usize) -> &str {
    &text[start..floor_boundary(text, (start + CONTEXT_BYTES).min(text.len()))]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(pattern: &str, text: &str) -> Vec<String> {
        let pattern = crate::rules::Pattern::new(pattern, false).unwrap();
        whole_word_matches(pattern.engine(), text, 0..text.len(), None)
            .into_iter()
            .map(|span| text[span].to_string())
            .collect()
    }

    #[test]
    fn a_match_inside_a_word_does_not_hide_one_at_the_next_edge() {
        assert_eq!(
            found(r"(?:ước\s+)?vượt\s+[0-9]+", "nhà nước vượt 5"),
            vec!["vượt 5"]
        );
    }

    #[test]
    fn matches_inside_words_are_dropped() {
        assert_eq!(found("[0-9]+ hộ", "có 12 hội và 5 hộ"), ["5 hộ"]);
        assert_eq!(found("[0-9]+", "Km26 và 7"), ["7"]);
    }

    #[test]
    fn a_figure_never_starts_inside_another() {
        let share = "[0-9]+(?:[.,][0-9]+)*% dự toán";
        assert_eq!(
            found("[0-9]+% dự toán", "bằng 107,07% dự toán"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("[0-9]+% dự toán", "thu 1.250 tỷ, 5% dự toán"),
            ["5% dự toán"]
        );
        assert_eq!(found(share, "thu 2.450,5% dự toán"), ["2.450,5% dự toán"]);
    }

    #[test]
    fn a_share_glued_to_the_word_before_is_a_figure() {
        let share = "[0-9]+(?:[.,][0-9]+)*\\s*% dự toán";
        assert_eq!(found(share, "bằng107,07% dự toán"), ["107,07% dự toán"]);
        assert_eq!(found(share, "đạt95 % dự toán"), ["95 % dự toán"]);
        assert_eq!(found("[0-9]+ km", "QL14 km"), Vec::<String>::new());
    }

    #[test]
    fn a_trailing_part_that_ends_inside_a_word_gives_way() {
        assert_eq!(found("quý(?: [IVXivx]+)?", "so với quý trước và"), ["quý"]);
    }

    #[test]
    fn windows_cover_figures_and_merge() {
        let text = format!("{} 5 tỷ {} 7 tấn", "a".repeat(500), "b".repeat(50));
        let windows = figure_windows(&text);
        assert_eq!(windows.len(), 1);
        assert!(windows[0].start > 0 && windows[0].end == text.len());
    }

    #[test]
    fn context_windows_stay_on_character_boundaries() {
        let text = "ư".repeat(300);
        assert!(window_before(&text, text.len()).len() <= CONTEXT_BYTES);
        assert!(window_after(&text, 0).len() <= CONTEXT_BYTES);
    }
}
