//! What a line of text is: a title, a wrapped line that runs on, a list item, a sentence
//! that states a measure; and the wrap width read off a document.

use super::*;

/// Whether a measure rule (other than a bare target) finds a figure in `text`. A title
/// that opens with goal words ("2. Kế hoạch năm 2025: tăng trưởng 8%") heads targets,
/// whatever figure it names.
pub(super) fn states_measure(rules: &Rules, text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit()) && !rules.lexicon.goal_section.is_match(text) && {
        let near = rules.screen.rules_near_figures(text, 0..text.len());
        rules
            .measures
            .iter()
            .enumerate()
            .filter(|(i, rule)| rule.kind != Kind::Target && near.may_match(*i))
            .any(|(i, rule)| {
                !whole_word_matches(rule.regex.engine(), text, 0..text.len(), near.starts(i))
                    .is_empty()
            })
    }
}

/// A heading kept to its first sentence and a readable length.
pub(super) fn shorten(text: &str) -> String {
    let first_sentence = text
        .find(". ")
        .filter(|&i| i > 8)
        .map_or(text, |i| &text[..=i]);
    let collapsed = collapse_spaces(first_sentence);
    if collapsed.chars().count() <= MAX_HEADING_CHARS {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(MAX_HEADING_CHARS).collect();
    format!("{}…", cut.trim_end())
}

/// A line that ends a clause (";", ":"), a bracket or a quote may be cut mid-sentence by a
/// wrap ("với 28 người (27 vụ việc)"); only a full stop surely ends one.
pub(super) fn ends_full_stop(text: &str) -> bool {
    text.trim_end()
        .chars()
        .last()
        .is_some_and(|c| ".!?…".contains(c))
}

/// Whether every letter of the text is a capital (and it has some).
pub(super) fn in_capitals(text: &str) -> bool {
    let mut letters = text.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(char::is_uppercase)
}

/// A line in capitals ("KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2017") is a title: the next line
/// does not continue it, though it has no full stop.
pub(super) fn is_title_line(text: &str) -> bool {
    // Most lines fail on their first lowercase letter, before any counting.
    let letters = || text.chars().filter(|c| c.is_alphabetic());
    letters().all(char::is_uppercase) && letters().nth(MIN_TITLE_LETTERS - 1).is_some()
}

/// Fewer capitals than this are an acronym or a label ("GRDP", "KH"), not a title.
pub(super) const MIN_TITLE_LETTERS: usize = 12;

/// The most characters a greedy wrap leaves unused at a line's end: the longest word that
/// did not fit ("1.625.313.564", "đồng/người/năm,").
pub(super) const WRAP_SLACK: usize = 20;

/// Where a heading's text stands: its section, and where its line and its title start.
#[derive(Clone, Copy)]
pub(super) struct HeadingText {
    pub(super) section: usize,
    pub(super) line_start: usize,
    pub(super) title_start: usize,
    /// Its shape also numbers list items.
    pub(super) items: bool,
}

/// A line that may have been cut by a hard wrap.
#[derive(Clone, Copy)]
pub(super) struct Cut {
    pub(super) chars: usize,
    /// A title in capitals runs on only into more capitals.
    pub(super) capitals: bool,
    pub(super) wrap_width: Option<usize>,
}

impl Cut {
    /// The next line reads as the rest of a sentence, or its first word did not fit on
    /// this line: what a wrap does, and a paragraph break does not.
    pub(super) fn runs_on_into(self, next: &str) -> bool {
        let next = next.trim_start();
        let first_word = next
            .split_whitespace()
            .next()
            .map_or(0, |w| w.chars().count());
        if self.capitals && !in_capitals(next) {
            return false;
        }
        continues_wrapped(next)
            || (self
                .wrap_width
                .is_some_and(|width| self.chars + 1 + first_word > width)
                && !starts_with_bullet(next))
    }
}

/// The width a hard-wrapped text was wrapped at: its long lines end near one width, most
/// of them mid-sentence. None for text with a paragraph a line, whose long lines end
/// sentences.
pub(super) fn wrap_width(doc: &Document, masked: &str) -> Option<usize> {
    let lines: Vec<(usize, bool)> = (1..=doc.line_count())
        .map(|line| masked[doc.line_range(line)].trim_end())
        .filter(|text| !text.trim().is_empty())
        .map(|text| (text.chars().count(), ends_sentence(text)))
        .collect();
    if lines.len() < MIN_WRAPPED_LINES {
        return None;
    }
    let mut lengths: Vec<usize> = lines.iter().map(|line| line.0).collect();
    lengths.sort_unstable();
    let width = lengths[lengths.len() * 9 / 10];
    let long: Vec<bool> = lines
        .iter()
        .filter(|line| line.0 + WRAP_SLACK >= width)
        .map(|line| line.1)
        .collect();
    let cut = long.iter().filter(|ended| !**ended).count();
    (width <= MAX_WRAP_WIDTH && cut * 2 > long.len()).then_some(width)
}

/// Longer lines without a full stop are sentences that lost it, not titles.
pub(super) const MAX_TITLE_CHARS: usize = 120;

/// Fewer lines than this say nothing about wrapping.
pub(super) const MIN_WRAPPED_LINES: usize = 20;
/// Wider lines are paragraphs, not a wrap.
pub(super) const MAX_WRAP_WIDTH: usize = 200;

/// A paragraph after a heading opens with a capital; a line in lowercase or opening with a
/// figure ("100% kế hoạch.") is the rest of a wrapped line.
pub(super) fn continues_wrapped(text: &str) -> bool {
    text.trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit())
}
