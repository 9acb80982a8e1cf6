//! PDF with a text layer -> report text (the conventions of `render.rs`). Issue 16, part 1.
//!
//! In: a PDF's bytes. Out: a [`Rendered`] text, one line per paragraph in reading order
//! (top to bottom, page after page): lines of a page joined into paragraphs when a line runs
//! to the right edge of the text, running headers, footers and page numbers dropped,
//! superscript numbers `[footnoteRef:N]` where a note N sits at the foot of a page, and the
//! notes' bodies `[N:  ...]` at the end. A line whose glyphs stand in columns far apart is
//! a table row ([`Rendered::table`]). Each rendered line remembers its paragraph's number.
//!
//! pdf-extract decodes glyphs (ToUnicode maps, font encodings) and gives each with its
//! position and size; the layout here is ours. A PDF is untrusted input, and neither crate
//! bounds what it does, so before they see a file: every Flate stream is inflated with a
//! cap (compression bombs), and the page tree, inherited attributes and form XObjects are
//! walked once for cycles (looping references would recurse forever). A panic in the crates
//! is caught and becomes an error.

mod checks;
mod glyphs;
mod lines;
mod paragraphs;

use std::panic::{catch_unwind, AssertUnwindSafe};

use lopdf::Document;

use crate::render::Rendered;
use crate::rules::Rules;
use checks::{blank_images_and_check_streams, check_references, check_streams};
use glyphs::Glyphs;
use lines::{page_lines, Line};
use paragraphs::layout;

/// Most glyphs kept: a long report has a few hundred thousand; each costs about 80 bytes.
const MAX_GLYPHS: usize = 2_000_000;
/// What a PDF without text says.
pub const NO_TEXT: &str = "no text layer: needs OCR";

/// Render a PDF file's bytes to report text; the error says what is wrong with the file.
pub fn render(bytes: &[u8], rules: &Rules) -> Result<Rendered, String> {
    check_streams(bytes)?;
    let mut doc = Document::load_mem(bytes).map_err(|e| format!("corrupt PDF: {e}"))?;
    if doc.is_encrypted() {
        return Err("encrypted PDF, not readable".to_string());
    }
    check_references(&doc)?;
    blank_images_and_check_streams(&mut doc)?;
    let mut glyphs = Glyphs::default();
    let walked = catch_unwind(AssertUnwindSafe(|| {
        pdf_extract::output_doc(&doc, &mut glyphs)
    }));
    match walked {
        Ok(Ok(())) => {}
        Ok(Err(_)) if glyphs.count > MAX_GLYPHS => {
            return Err(format!(
                "PDF draws more than {} million characters, not read",
                MAX_GLYPHS / 1_000_000
            ))
        }
        Ok(Err(e)) => return Err(format!("corrupt PDF: {e:?}")),
        Err(_) => return Err("corrupt PDF: its content could not be read".to_string()),
    }
    let pages: Vec<Vec<Line>> = glyphs.pages.iter().map(page_lines).collect();
    let mut out = layout(pages, rules);
    if out.text.trim().is_empty() {
        out.warnings.push(NO_TEXT.to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let rules = Rules::embedded().unwrap();
        assert!(render(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>", &rules).is_err());
        assert!(render(b"", &rules).is_err());
    }
}
