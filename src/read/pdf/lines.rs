//! A page's glyphs -> its lines: runs of text and superscript note numbers, with the
//! size and place of each line.

use super::glyphs::{Glyph, Page};

/// A piece of a line: text, or the number of a raised, smaller run of digits.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Piece {
    Text(String),
    Superscript(u32),
    /// Columns far apart: a table's cell boundary.
    Cell,
}

/// One line of a page.
#[derive(Debug, Clone)]
pub(super) struct Line {
    pub(super) pieces: Vec<Piece>,
    /// Top-down baseline position, and the body glyphs' size.
    pub(super) y: f64,
    pub(super) size: f64,
    pub(super) end: f64,
    /// How wide the line's first word is: had it fitted at the end of the line before,
    /// that line ended its paragraph (ragged-right text).
    pub(super) first_word: f64,
    pub(super) page_height: f64,
}

impl Line {
    /// The line's text with superscripts as plain digits (for comparing headers).
    pub(super) fn plain(&self) -> String {
        let mut text = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => text.push_str(t),
                Piece::Superscript(n) => text.push_str(&n.to_string()),
                Piece::Cell => text.push(' '),
            }
        }
        text.trim().to_string()
    }

    pub(super) fn cells(&self) -> usize {
        1 + self.pieces.iter().filter(|p| **p == Piece::Cell).count()
    }
}

/// A page's glyphs as lines, top to bottom: glyphs within half a font size of a line's
/// baseline belong to it (superscripts, raised a third of one, too).
pub(super) fn page_lines(page: &Page) -> Vec<Line> {
    let merged = with_marks_merged(&page.glyphs);
    let mut glyphs: Vec<&Glyph> = merged.iter().collect();
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    // Each group with the largest size in it.
    let mut groups: Vec<(Vec<&Glyph>, f64)> = Vec::new();
    for glyph in glyphs {
        match groups.last_mut() {
            Some((group, size)) if glyph.y - group[0].y <= 0.5 * size.max(glyph.size) => {
                group.push(glyph);
                *size = size.max(glyph.size);
            }
            _ => groups.push((vec![glyph], glyph.size)),
        }
    }
    groups
        .into_iter()
        .filter_map(|(group, _)| line_of(group, page.height))
        .collect()
}

/// Glyphs with the combining marks drawn on their own (a tone mark over a vowel, as some
/// producers and VNI fonts draw them) joined to the letter drawn before them, so that
/// ordering by position cannot put a mark before its letter.
fn with_marks_merged(glyphs: &[Glyph]) -> Vec<Glyph> {
    let mut out: Vec<Glyph> = Vec::with_capacity(glyphs.len());
    for glyph in glyphs {
        let mark = glyph
            .text
            .chars()
            .all(unicode_normalization::char::is_combining_mark);
        match out.last_mut() {
            Some(letter) if mark => letter.text.push_str(&glyph.text),
            _ => out.push(glyph.clone()),
        }
    }
    out
}

/// The size most of a line's letters have.
fn body_size(glyphs: &[&Glyph]) -> f64 {
    let mut counts: Vec<(f64, usize)> = Vec::new();
    for glyph in glyphs.iter().filter(|g| !g.text.trim().is_empty()) {
        let size = (glyph.size * 2.0).round() / 2.0;
        match counts.iter_mut().find(|(s, _)| *s == size) {
            Some((_, n)) => *n += 1,
            None => counts.push((size, 1)),
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or(glyphs[0].size, |(s, _)| *s)
}

fn line_of(mut glyphs: Vec<&Glyph>, page_height: f64) -> Option<Line> {
    glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    let size = body_size(&glyphs);
    let baseline = glyphs
        .iter()
        .filter(|g| (g.size - size).abs() < 0.5)
        .map(|g| g.y)
        .fold(f64::NEG_INFINITY, f64::max);
    let raised = |g: &Glyph| g.size < 0.85 * size && g.y < baseline - 0.15 * size;
    let mut pieces: Vec<Piece> = Vec::new();
    let mut text = String::new();
    let mut superscript = String::new();
    let mut last_end: Option<f64> = None;
    for glyph in &glyphs {
        if let Some(end) = last_end {
            let gap = glyph.x - end;
            if gap > 2.5 * size {
                flush(&mut pieces, &mut text, &mut superscript);
                pieces.push(Piece::Cell);
            } else if gap > 0.15 * size && !text.ends_with(' ') && !glyph.text.starts_with(' ') {
                flush_superscript(&mut pieces, &mut text, &mut superscript);
                text.push(' ');
            }
        }
        if raised(glyph) && glyph.text.chars().all(|c| c.is_ascii_digit()) {
            superscript.push_str(&glyph.text);
        } else {
            flush_superscript(&mut pieces, &mut text, &mut superscript);
            text.push_str(&glyph.text);
        }
        last_end = Some(glyph.end.max(glyph.x));
    }
    flush(&mut pieces, &mut text, &mut superscript);
    let empty = pieces
        .iter()
        .all(|p| matches!(p, Piece::Text(t) if t.trim().is_empty()) || *p == Piece::Cell);
    if empty {
        return None;
    }
    Some(Line {
        pieces,
        y: baseline,
        size,
        end: glyphs
            .iter()
            .map(|g| g.end)
            .fold(f64::NEG_INFINITY, f64::max),
        first_word: first_word(&glyphs),
        page_height,
    })
}

pub(super) fn first_word(glyphs: &[&Glyph]) -> f64 {
    let start = glyphs[0].x;
    let end = glyphs
        .iter()
        .take_while(|g| !g.text.starts_with(' '))
        .map(|g| g.end)
        .fold(start, f64::max);
    end - start
}

fn flush(pieces: &mut Vec<Piece>, text: &mut String, superscript: &mut String) {
    flush_superscript(pieces, text, superscript);
    if !text.is_empty() {
        pieces.push(Piece::Text(std::mem::take(text)));
    }
}

fn flush_superscript(pieces: &mut Vec<Piece>, text: &mut String, superscript: &mut String) {
    if superscript.is_empty() {
        return;
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(std::mem::take(text)));
    }
    match superscript.parse::<u32>() {
        Ok(n) if superscript.len() <= 3 => pieces.push(Piece::Superscript(n)),
        _ => pieces.push(Piece::Text(superscript.clone())),
    }
    superscript.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tone_mark_drawn_on_its_own_stays_with_its_letter() {
        let glyph = |x: f64, text: &str| Glyph {
            x,
            y: 100.0,
            end: x + 6.0,
            size: 12.0,
            text: text.to_string(),
        };
        let page = Page {
            height: 800.0,
            // "Mạ": the dot below is drawn after the a, a little to its left.
            glyphs: vec![glyph(10.0, "M"), glyph(16.0, "a"), glyph(15.0, "\u{323}")],
        };
        let lines = page_lines(&page);
        assert_eq!(lines[0].plain(), "Ma\u{323}");
    }
}
