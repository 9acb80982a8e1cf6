//! `baocao::extract_bytes`, the whole per-document pipeline, on arbitrary bytes. The first
//! byte picks the name (and so the format: text, Markdown, DOCX, PDF or Word 97); the rest
//! is the file. Whatever the bytes, the result is facts or an error, and every fact of a
//! text, Markdown or DOCX file points into the normalized text it came from.
#![no_main]

use std::sync::OnceLock;

use baocao::{docx, markdown, normalize, source, Extraction, Fact, Options, Rules};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 5] = ["fuzz.txt", "fuzz.md", "fuzz.docx", "fuzz.pdf", "fuzz.doc"];

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::embedded().expect("the shipped rules load"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(selector) % NAMES.len()];
    let Ok(extraction) = baocao::extract_bytes(name, bytes, rules(), &Options::default()) else {
        return;
    };
    check_record(name, &extraction);
    // PDF and Word 97 text also goes through legacy repair: only the record is checked.
    if name.ends_with(".pdf") || name.ends_with(".doc") {
        return;
    }
    let text = normalized_text(name, bytes)
        .expect("extract_bytes read the file, so its stages read it too");
    for fact in &extraction.facts {
        check_fact(&text, fact);
    }
});

/// The normalized text `extract_bytes` reads facts from, by the same public stages (the
/// text spans are byte offsets of).
fn normalized_text(name: &str, bytes: &[u8]) -> Option<String> {
    let text = if name.ends_with(".docx") {
        docx::render(bytes, rules()).ok()?.text
    } else {
        let decoded = source::decode(bytes, None).ok()?.text;
        if name.ends_with(".md") {
            markdown::render(&decoded, rules()).text
        } else {
            decoded
        }
    };
    Some(normalize::normalize(name, &text).text)
}

fn check_record(name: &str, extraction: &Extraction) {
    assert_eq!(extraction.record.doc, name);
    assert_eq!(extraction.record.facts, extraction.facts.len());
}

/// A fact's span is a non-empty slice of the text, its lines are 1-based and it can be
/// written as a JSON line.
fn check_fact(text: &str, fact: &Fact) {
    let [start, end] = fact.span;
    assert!(start < end, "empty or reversed span {:?}", fact.span);
    assert!(
        end <= text.len(),
        "span {:?} past {} bytes",
        fact.span,
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "span {:?} splits a character",
        fact.span
    );
    assert!(fact.line >= 1, "line 0 in {fact:?}");
    for measure in &fact.measures {
        assert!(measure.line >= 1, "measure on line 0 in {fact:?}");
        assert!(measure.value.is_finite(), "value not finite in {fact:?}");
    }
    serde_json::to_string(fact).expect("a fact serializes");
}
