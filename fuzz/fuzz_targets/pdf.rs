//! `baocao::pdf::render` on arbitrary bytes: whatever they are, the result is report text
//! or an error, within the reader's bounds (no panic, no endless loop, no runaway memory),
//! and the text has one source line per rendered line.
#![no_main]

use std::sync::OnceLock;

use baocao::{pdf, Rules};
use libfuzzer_sys::fuzz_target;

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::embedded().expect("the shipped rules load"))
}

fuzz_target!(|data: &[u8]| {
    if let Ok(rendered) = pdf::render(data, rules()) {
        assert_eq!(rendered.text.lines().count(), rendered.source_lines.len());
    }
});
