//! Markdown (pandoc style) -> report text (see `render.rs`). Placeholder: read as plain text.

use crate::render::Rendered;
use crate::rules::Rules;

/// Render Markdown to report text.
pub fn render(markdown: &str, _rules: &Rules) -> Rendered {
    let mut rendered = Rendered::default();
    for (index, line) in markdown.lines().enumerate() {
        rendered.line(line, index + 1);
    }
    rendered
}
