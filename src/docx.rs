//! DOCX -> report text (see `render.rs`). Placeholder.

use crate::render::Rendered;
use crate::rules::Rules;

/// Render a DOCX file's bytes to report text; the error says what is wrong with the file.
pub fn render(_bytes: &[u8], _rules: &Rules) -> Result<Rendered, String> {
    Err("DOCX is not supported yet".to_string())
}
