//! Normalization and `baocao::layout::split` (the embedded rules) on arbitrary text. Spans
//! of facts are read from `masked` by the ranges of blocks, so the layout must keep the
//! document's byte offsets and hand out only ranges that can be sliced.
#![no_main]

use std::ops::Range;
use std::sync::OnceLock;

use baocao::layout::{self, Layout};
use baocao::normalize::{self, Document};
use baocao::Rules;
use libfuzzer_sys::fuzz_target;

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::embedded().expect("the shipped rules load"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let doc = normalize::normalize("fuzz.txt", &text);
    check_normalized(&doc);
    let layout = layout::split(&doc, rules());
    check_masked(&doc, &layout);
    for block in &layout.blocks {
        check_range(&doc.text, &block.range, "block");
        check_section(&layout, block.section);
    }
    for note in &layout.footnotes {
        check_range(&doc.text, &note.body, "footnote body");
        check_section(&layout, note.section);
    }
    for (index, section) in layout.sections.iter().enumerate() {
        // Parents come first, so `Layout::path` walks up and stops.
        assert!(section.parent.is_none_or(|parent| parent < index));
        assert!(section.line >= 1 && section.line <= doc.line_count());
    }
});

/// Normalizing twice changes nothing: the text facts point into is a fixed point.
fn check_normalized(doc: &Document) {
    let again = normalize::normalize("fuzz.txt", &doc.text);
    assert_eq!(again.text, doc.text, "normalization is not idempotent");
}

/// `masked` is the text with markers blanked: same length, and every byte either the
/// document's own or a space.
fn check_masked(doc: &Document, layout: &Layout) {
    assert_eq!(
        layout.masked.len(),
        doc.text.len(),
        "masked text changed length"
    );
    let changed = doc
        .text
        .bytes()
        .zip(layout.masked.bytes())
        .position(|(original, masked)| original != masked && masked != b' ');
    assert_eq!(changed, None, "masking wrote something other than spaces");
}

fn check_range(text: &str, range: &Range<usize>, what: &str) {
    assert!(
        range.start <= range.end && range.end <= text.len(),
        "{what} {range:?} out of bounds of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{what} {range:?} splits a character"
    );
}

fn check_section(layout: &Layout, section: Option<usize>) {
    assert!(section.is_none_or(|index| index < layout.sections.len()));
}
