//! Page furniture left in text pulled out of a PDF: a page's number ("Trang 3/7", "- 3 -")
//! and the running header or footer beside it ("UBND TP. CẦN THƠ - Báo cáo tuần 46/2025"),
//! standing between the two halves of a sentence that ran over the page. The layout reads
//! past them, so the sentence is whole again.

use std::collections::{HashMap, HashSet};

use crate::normalize::Document;
use crate::words::is_page_number;

/// Longest page number line, trimmed ("Trang 123/456").
const MAX_PAGE_MARK_BYTES: usize = 24;

/// Longest line that may be page furniture, in characters.
const MAX_FURNITURE_CHARS: usize = 120;

/// The 1-based lines that are page furniture: each page number that says it is one (a
/// page word, dashes or a slash: a bare number may be a report's own), and a line next to
/// one that recurs elsewhere with only its figures changed.
pub(super) fn furniture(doc: &Document, page_words: &[String]) -> HashSet<usize> {
    let line = |n: usize| doc.text[doc.line_range(n)].trim();
    let marks: Vec<usize> = (1..=doc.line_count())
        .filter(|&n| is_page_mark(line(n), page_words))
        .collect();
    if marks.is_empty() {
        return HashSet::new();
    }
    let mut beside = Vec::new();
    for &mark in &marks {
        let before = (1..mark).rev().find(|&n| !line(n).is_empty());
        let after = (mark + 1..=doc.line_count()).find(|&n| !line(n).is_empty());
        beside.extend(before.into_iter().chain(after));
    }
    let candidates: HashSet<String> = beside.iter().filter_map(|&n| shape(line(n))).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for n in 1..=doc.line_count() {
        if let Some(shape) = shape(line(n)).filter(|s| candidates.contains(s)) {
            *seen.entry(shape).or_default() += 1;
        }
    }
    let recurs = |n: &usize| shape(line(*n)).is_some_and(|s| seen.get(&s) > Some(&1));
    let running = beside.into_iter().filter(recurs);
    marks.into_iter().chain(running).collect()
}

fn is_page_mark(text: &str, page_words: &[String]) -> bool {
    // Most lines are prose: too long, or with no figure.
    if text.len() > MAX_PAGE_MARK_BYTES || !text.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let lower = text.to_lowercase();
    let says_so = text.starts_with(['-', '–'])
        || text.contains('/')
        || page_words
            .iter()
            .any(|word| lower.starts_with(word.as_str()));
    says_so && is_page_number(text, page_words)
}

/// A line with its figures as `#`, which a running header changes from page to page.
fn shape(text: &str) -> Option<String> {
    let short = !text.is_empty() && text.chars().count() <= MAX_FURNITURE_CHARS;
    short.then(|| {
        text.chars()
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn furniture_of(text: &str) -> Vec<usize> {
        let mut lines: Vec<usize> = furniture(&normalize("t", text), &["trang".to_string()])
            .into_iter()
            .collect();
        lines.sort_unstable();
        lines
    }

    #[test]
    fn a_page_number_and_the_running_header_beside_it_are_furniture() {
        let text = "UBND XÃ AN BÌNH\nThu ngân sách đạt 95% dự\n        Trang 2/5\n\
                    UBND xã An Bình - Báo cáo tháng 3/2025\ntoán năm.\nChi ngân sách\n\
                    - 3 -\nUBND xã An Bình - Báo cáo tháng 3/2025\nđạt 40% dự toán.\n";
        assert_eq!(furniture_of(text), [3, 4, 7, 8]);
    }

    #[test]
    fn a_bare_number_and_a_line_that_does_not_recur_stay_text() {
        // "2025" alone may be a report's own; "Chi ngân sách" stands beside a page number
        // once only.
        assert_eq!(
            furniture_of("Kết quả năm\n2025\nThu đạt 95% dự toán.\n"),
            [0; 0]
        );
        assert_eq!(
            furniture_of("Chi ngân sách\nTrang 3\nđạt 40% dự toán.\n"),
            [2]
        );
    }
}
