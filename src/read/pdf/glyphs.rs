//! Glyphs as pdf-extract draws them: text, position and size, page by page.

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use super::MAX_GLYPHS;

/// One glyph as drawn: top-left origin, y down, in points.
#[derive(Debug, Clone)]
pub(super) struct Glyph {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) end: f64,
    pub(super) size: f64,
    pub(super) text: String,
}

#[derive(Default)]
pub(super) struct Glyphs {
    pub(super) pages: Vec<Page>,
    pub(super) count: usize,
}

#[derive(Default)]
pub(super) struct Page {
    pub(super) height: f64,
    pub(super) glyphs: Vec<Glyph>,
}

impl OutputDev for Glyphs {
    fn begin_page(
        &mut self,
        _: u32,
        media_box: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.pages.push(Page {
            height: media_box.ury - media_box.lly,
            glyphs: Vec::new(),
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        self.count += 1;
        if self.count > MAX_GLYPHS {
            // Stops pdf-extract's walk; `render` says why.
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        let Some(page) = self.pages.last_mut() else {
            return Ok(());
        };
        // The font size as the text matrix scales it (the side of a square of equal area).
        let (vx, vy) = (
            font_size * (trm.m11 + trm.m21),
            font_size * (trm.m12 + trm.m22),
        );
        let size = (vx * vy).abs().sqrt();
        if !size.is_finite() || size <= 0.0 || text.is_empty() {
            return Ok(());
        }
        let x = trm.m31;
        page.glyphs.push(Glyph {
            x,
            y: page.height - trm.m32,
            end: x + width * size,
            size,
            text: crate::words::plain_spaces(text).into_owned(),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}
