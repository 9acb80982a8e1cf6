//! Inputs that broke, or could break, the pipeline (issue 7): the pathological shapes of
//! archive files (one 30 MB line, thousands of unterminated markers, brackets that never
//! balance) and what the property tests found. Each must come back from `extract_bytes`
//! with a result; none may take more than linear time (the sizes here would make a
//! quadratic step run for hours). The fuzz targets (`fuzz/README.md`) have found no crash
//! or hang so far; an input that does goes here as a test of its own.

use crate::common::rules;

use baocao::{normalize, Extraction, Options};

fn extract(name: &str, bytes: &[u8]) -> Extraction {
    baocao::extract_bytes(name, bytes, rules(), &Options::default())
        .unwrap_or_else(|err| panic!("{name} is readable text: {err}"))
}

/// Every fact points into the normalized text, non-empty, on a line that exists.
fn assert_facts_point_into(text: &str, extraction: &Extraction) {
    for fact in &extraction.facts {
        let [start, end] = fact.span;
        assert!(start < end && end <= text.len(), "span {:?}", fact.span);
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        assert!(fact.line >= 1);
    }
}

// ---------------------------------------------------------------------------------
// One line of 30 MB

/// 30 MB in release builds (what issue 7 names); 256 KB in debug builds, where the code runs
/// some ten times slower and the point still shows: a quadratic step over a quarter of a
/// million bytes would take an hour.
const LONG_LINE_BYTES: usize = if cfg!(debug_assertions) {
    256_000
} else {
    30_000_000
};

/// `piece` repeated to at least `bytes` bytes, with no line break.
fn one_line(piece: &str, bytes: usize) -> String {
    piece.repeat(bytes.div_ceil(piece.len()))
}

const SENTENCE: &str =
    "Doanh thu du lịch ước đạt 12,5 tỷ đồng, tăng 8,2% so với cùng kỳ, đạt 51% kế hoạch. ";

#[test]
fn a_long_line_of_sentences_gives_every_fact() {
    let text = one_line(SENTENCE, LONG_LINE_BYTES);
    let extraction = extract("long.txt", text.as_bytes());
    // One fact per sentence: the line is read whole, not cut at some length.
    let sentences = text.matches(SENTENCE).count();
    assert_eq!(extraction.facts.len(), sentences);
    let last = extraction.facts.last().expect("facts");
    assert!(last.span[0] >= (sentences - 1) * SENTENCE.len(), "{last:?}");
    assert_eq!(last.line, 1);
}

#[test]
fn a_long_line_without_a_full_stop_is_read() {
    // No sentence ends: every figure's context must stay bounded (CONTEXT_BYTES), and what
    // is read from the sentence's start (whether a share of the plan was reached) read
    // from the figure back, not from the start again for each figure.
    let clause =
        "thu ngân sách đạt 1.234 triệu đồng, tăng 5% so với cùng kỳ, chi ước đạt 95% dự toán, ";
    let text = one_line(clause, LONG_LINE_BYTES);
    let extraction = extract("clauses.txt", text.as_bytes());
    assert!(!extraction.facts.is_empty());
    let doc = normalize::normalize("clauses.txt", &text);
    assert_facts_point_into(&doc.text, &extraction);
}

#[test]
fn a_long_line_of_digits_and_separators_is_read() {
    // Figure-shaped runs with no word between them: the number patterns and the parser
    // see the longest candidates there are.
    let text = one_line("1.234,5.6,7 ", LONG_LINE_BYTES);
    let extraction = extract("digits.txt", text.as_bytes());
    // Figures with no word around them name no indicator and no unit.
    assert!(
        extraction.facts.is_empty(),
        "{:?}",
        extraction.facts.first()
    );
    assert_eq!(extraction.record.facts, 0);
}

// ---------------------------------------------------------------------------------
// Unterminated and unbalanced markers

/// 5,000 in release builds; 1,000 in debug builds, where the code runs some ten times
/// slower: a step quadratic in a thousand markers' 50 KB still stands out.
const MARKERS: usize = if cfg!(debug_assertions) { 1_000 } else { 5_000 };

/// A report sentence after each of `count` copies of `marker`.
fn after_each(marker: &str, count: usize, separator: &str) -> String {
    let sentence = "Sản lượng lúa đạt 5.120 tấn, tăng 3% so với cùng kỳ.";
    (0..count)
        .map(|_| format!("{marker}{sentence}"))
        .collect::<Vec<_>>()
        .join(separator)
}

/// Unterminated markers are text, not markers: every sentence after one still gives its
/// fact, and nothing is blanked.
fn assert_markers_left_as_text(name: &str, text: &str) {
    let extraction = extract(name, text.as_bytes());
    assert_eq!(extraction.facts.len(), MARKERS, "{name}");
    assert_eq!(extraction.record.footnotes, 0, "{name}");
    let doc = normalize::normalize(name, text);
    assert_facts_point_into(&doc.text, &extraction);
}

#[test]
fn unterminated_footnote_anchors_on_one_line() {
    let text = after_each("[footnoteRef:", MARKERS, " ");
    assert_markers_left_as_text("anchors.txt", &text);
}

#[test]
fn unterminated_footnote_bodies_on_one_line() {
    let text = after_each("[12: ", MARKERS, " ");
    assert_markers_left_as_text("bodies.txt", &text);
}

#[test]
fn unterminated_markers_one_a_line() {
    let anchors = after_each("[footnoteRef:7 ", MARKERS / 2, "\n");
    let bodies = after_each("[12:  ", MARKERS / 2, "\n");
    assert_markers_left_as_text("lines.txt", &format!("{anchors}\n{bodies}\n"));
}

#[test]
fn a_long_line_of_nested_brackets_is_read() {
    let half = LONG_LINE_BYTES / 2;
    let text = format!("{}{}", "[".repeat(half), "]".repeat(half));
    let extraction = extract("nested.txt", text.as_bytes());
    assert_eq!(extraction.record.footnotes, 0);
    assert!(extraction.facts.is_empty());
}

#[test]
fn deeply_unbalanced_brackets_and_parentheses() {
    // Thousands of openers that never close, then closers that never opened, around
    // figures: the marker scan keeps a stack, the indicator finder counts depth.
    let text = format!(
        "{}Doanh thu đạt 5 tỷ đồng{} tăng 2%.\n{}(đạt 40% kế hoạch{}\n",
        "[(".repeat(MARKERS),
        ")]".repeat(2 * MARKERS),
        "(".repeat(MARKERS),
        "]".repeat(MARKERS),
    );
    let extraction = extract("brackets.txt", text.as_bytes());
    assert!(!extraction.facts.is_empty());
    let doc = normalize::normalize("brackets.txt", &text);
    assert_facts_point_into(&doc.text, &extraction);
}

// ---------------------------------------------------------------------------------
// Byte order marks

#[test]
fn normalizing_text_with_two_byte_order_marks_is_idempotent() {
    let once = normalize::normalize("x", "\u{feff}\u{feff}BÁO CÁO\n");
    let twice = normalize::normalize("x", &once.text);
    assert_eq!(twice.text, once.text);
}

#[test]
fn repeated_byte_order_marks_do_not_hide_the_title() {
    let report = "BÁO CÁO\nTình hình kinh tế - xã hội 6 tháng đầu năm 2025\n";
    let plain = extract("plain.txt", report.as_bytes());
    let marked = extract(
        "marked.txt",
        format!("{}{report}", "\u{feff}".repeat(3)).as_bytes(),
    );
    assert!(plain.record.title.is_some());
    assert_eq!(marked.record.title, plain.record.title);
}

// ---------------------------------------------------------------------------------
// Footnote bodies

/// A body marker's number as written ("[01:", "[12:"): the body is the text after its
/// colon, whatever the digits, and the marker itself is blanked.
fn assert_body_read(written: &str, number: u32) {
    let body = "Trong đó: thu 4 tỷ đồng.";
    let text = format!("Doanh thu đạt 5 tỷ đồng[footnoteRef:{number}].\n[{written}:  {body}]\n");
    let doc = normalize::normalize("notes.txt", &text);
    let layout = baocao::layout::split(&doc, rules());
    let notes: Vec<(u32, &str)> = layout
        .footnotes
        .iter()
        .map(|note| (note.number, &doc.text[note.body.clone()]))
        .collect();
    assert_eq!(notes, [(number, body)], "{written}");
    assert!(!layout.masked.contains(&format!("{written}:")), "{written}");
}

#[test]
fn footnote_body_numbers_are_read_whole() {
    assert_body_read("12", 12);
    assert_body_read("3", 3);
}

#[test]
fn footnote_body_numbers_with_leading_zeros() {
    assert_body_read("01", 1);
    assert_body_read("007", 7);
}
