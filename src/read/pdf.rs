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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};

use lopdf::{Dictionary, Document, Object, ObjectId};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use crate::render::{Rendered, Row};
use crate::rules::Rules;

use super::{MAX_PART, MAX_TOTAL};

/// Most objects visited when looking for cycles.
const MAX_VISITS: usize = 1_000_000;
/// Filters nested in one stream that are inflated in turn (`[/FlateDecode /FlateDecode]`).
const MAX_NESTING: usize = 4;
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

// ---------------------------------------------------------------------------------
// Checks before the crates see the file

/// Inflate every Flate stream of the file with a cap, without keeping the output (unless a
/// second filter is to be inflated after it).
fn check_streams(bytes: &[u8]) -> Result<(), String> {
    let mut total = 0u64;
    let finder = memchr::memmem::Finder::new(b"stream");
    let mut at = 0;
    while let Some(found) = finder.find(&bytes[at..]) {
        let start = at + found + b"stream".len();
        at = start;
        // "endstream" contains "stream": skip it, and "stream" inside a word.
        if bytes[..start - 6].ends_with(b"end") || is_image(&bytes[..start]) {
            continue;
        }
        let body = match bytes[start..] {
            [b'\r', b'\n', ..] => &bytes[start + 2..],
            [b'\n', ..] | [b'\r', ..] => &bytes[start + 1..],
            _ => continue,
        };
        total += inflated_size(body, 0)?;
        if total > MAX_TOTAL {
            return Err(bomb(MAX_TOTAL, "all streams"));
        }
    }
    Ok(())
}

/// Images emptied (pdf-extract would unpack one a page draws and read it as page content: a
/// scan's page would be slow garbage, not "no text layer"), and every other stream, as
/// lopdf parsed it, held to the caps again: the byte scan before may have taken a stream
/// for an image that is none.
fn blank_images_and_check_streams(doc: &mut Document) -> Result<(), String> {
    let mut total = 0u64;
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let image = stream
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|name| name == b"Image");
        if image {
            stream.dict.remove(b"Filter");
            stream.dict.remove(b"DecodeParms");
            stream.set_plain_content(Vec::new());
            continue;
        }
        total += inflated_size(&stream.content, 0)?;
        if total > MAX_TOTAL {
            return Err(bomb(MAX_TOTAL, "all streams"));
        }
    }
    Ok(())
}

/// Whether the dictionary before a stream says it is an image: images are not unpacked
/// here (a scan's pages may well unpack to more than the caps, and take long), and are
/// emptied once lopdf has parsed the file.
fn is_image(before: &[u8]) -> bool {
    let window = &before[before.len().saturating_sub(2048)..];
    let dict = match memchr::memmem::rfind(window, b"obj") {
        Some(at) => &window[at..],
        None => window,
    };
    memchr::memmem::find(dict, b"/Image").is_some()
}

/// The unpacked size of a zlib stream at the start of `body` (0 when it is none).
fn inflated_size(body: &[u8], depth: usize) -> Result<u64, String> {
    if !is_zlib(body) {
        return Ok(0);
    }
    let mut decoder = flate2::read::ZlibDecoder::new(body);
    let mut head = [0u8; 2];
    let mut size = 0u64;
    let mut buffer = vec![0u8; 64 * 1024];
    let mut kept = Vec::new();
    loop {
        let n = match decoder.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            // A corrupt stream is lopdf's to report; what it holds so far is counted.
            Err(_) => break,
        };
        if size == 0 && n >= 2 {
            head.copy_from_slice(&buffer[..2]);
        }
        size += n as u64;
        if size > MAX_PART {
            return Err(bomb(MAX_PART, "one stream"));
        }
        if is_zlib(&head) && depth < MAX_NESTING {
            kept.extend_from_slice(&buffer[..n]);
        }
    }
    if !kept.is_empty() {
        size += inflated_size(&kept, depth + 1)?;
    }
    Ok(size)
}

/// A zlib header: deflate, and a check sum the header passes.
fn is_zlib(bytes: &[u8]) -> bool {
    matches!(bytes, [cmf, flg, ..] if cmf & 0x0F == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0)
}

fn bomb(limit: u64, what: &str) -> String {
    format!(
        "PDF {what} unpacks to more than {} MiB (a compression bomb?), not read",
        limit >> 20
    )
}

/// The page tree, each page's chain of parents and the form XObjects drawn from its
/// resources, walked with a visited set: a loop anywhere there is an error.
fn check_references(doc: &Document) -> Result<(), String> {
    let mut walk = Walk {
        doc,
        visits: 0,
        path: HashSet::new(),
    };
    let root = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|e| format!("corrupt PDF: no page tree ({e})"))?;
    walk.node(root)
}

struct Walk<'d> {
    doc: &'d Document,
    visits: usize,
    /// Objects on the path from the root to here: meeting one again is a loop.
    path: HashSet<ObjectId>,
}

const LOOP: &str = "corrupt PDF: its object references loop";

impl<'d> Walk<'d> {
    fn enter(&mut self, id: ObjectId) -> Result<Option<&'d Dictionary>, String> {
        self.visits += 1;
        if self.visits > MAX_VISITS {
            return Err("PDF too complex: more than a million objects to visit".to_string());
        }
        if !self.path.insert(id) {
            return Err(LOOP.to_string());
        }
        let doc = self.doc;
        Ok(match doc.get_object(id) {
            Ok(Object::Dictionary(dict)) => Some(dict),
            Ok(Object::Stream(stream)) => Some(&stream.dict),
            _ => None,
        })
    }

    /// A node of the page tree: its kids, or as a page its parents and resources.
    fn node(&mut self, id: ObjectId) -> Result<(), String> {
        let doc = self.doc;
        if let Some(dict) = self.enter(id)? {
            match dict.get_deref(b"Kids", doc).and_then(Object::as_array) {
                Ok(kids) => {
                    for kid in kids.iter().filter_map(|k| k.as_reference().ok()) {
                        self.node(kid)?;
                    }
                }
                Err(_) => {
                    self.parents(dict)?;
                    self.resources(dict)?;
                }
            }
        }
        self.path.remove(&id);
        Ok(())
    }

    /// pdf-extract looks attributes up the parents: a chain longer than the objects is a loop.
    fn parents(&mut self, page: &'d Dictionary) -> Result<(), String> {
        let mut seen = HashSet::new();
        let mut current = page.get(b"Parent").and_then(Object::as_reference).ok();
        while let Some(id) = current {
            if !seen.insert(id) {
                return Err(LOOP.to_string());
            }
            current = self
                .doc
                .get_dictionary(id)
                .and_then(|d| d.get(b"Parent"))
                .and_then(Object::as_reference)
                .ok();
        }
        Ok(())
    }

    /// Form XObjects draw with resources of their own, which may name them again.
    fn resources(&mut self, dict: &'d Dictionary) -> Result<(), String> {
        let doc = self.doc;
        let Ok(resources) = dict.get_deref(b"Resources", doc).and_then(Object::as_dict) else {
            return Ok(());
        };
        let Ok(xobjects) = resources
            .get_deref(b"XObject", doc)
            .and_then(Object::as_dict)
        else {
            return Ok(());
        };
        for (_, object) in xobjects.iter() {
            if let Ok(id) = object.as_reference() {
                if let Some(form) = self.enter(id)? {
                    self.resources(form)?;
                }
                self.path.remove(&id);
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------
// Glyphs

/// One glyph as drawn: top-left origin, y down, in points.
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    text: String,
}

#[derive(Default)]
struct Glyphs {
    pages: Vec<Page>,
    count: usize,
}

#[derive(Default)]
struct Page {
    height: f64,
    glyphs: Vec<Glyph>,
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
            text: text.to_string(),
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

// ---------------------------------------------------------------------------------
// Lines

/// A piece of a line: text, or the number of a raised, smaller run of digits.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Superscript(u32),
    /// Columns far apart: a table's cell boundary.
    Cell,
}

/// One line of a page.
#[derive(Debug, Clone)]
struct Line {
    pieces: Vec<Piece>,
    /// Top-down baseline position, and the body glyphs' size.
    y: f64,
    size: f64,
    end: f64,
    /// How wide the line's first word is: had it fitted at the end of the line before,
    /// that line ended its paragraph (ragged-right text).
    first_word: f64,
    page_height: f64,
}

impl Line {
    /// The line's text with superscripts as plain digits (for comparing headers).
    fn plain(&self) -> String {
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

    fn cells(&self) -> usize {
        1 + self.pieces.iter().filter(|p| **p == Piece::Cell).count()
    }
}

/// A page's glyphs as lines, top to bottom: glyphs within half a font size of a line's
/// baseline belong to it (superscripts, raised a third of one, too).
fn page_lines(page: &Page) -> Vec<Line> {
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

fn first_word(glyphs: &[&Glyph]) -> f64 {
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

// ---------------------------------------------------------------------------------
// Pages to paragraphs

/// The margin at the top and the foot of a page where running headers and footers stand.
const MARGIN: f64 = 0.1;

/// Drop running headers and footers, take the notes off each page's foot, join the rest
/// into paragraphs and tables.
fn layout(mut pages: Vec<Vec<Line>>, rules: &Rules) -> Rendered {
    drop_running(&mut pages, &rules.marks.page_words);
    let mut notes: BTreeMap<u32, String> = BTreeMap::new();
    let mut body: Vec<Line> = Vec::new();
    for mut lines in pages {
        for (number, text) in take_notes(&mut lines) {
            notes.entry(number).or_insert(text);
        }
        body.extend(lines);
    }
    if notes.is_empty() {
        notes = take_end_notes(&mut body);
    }
    let mut out = Rendered::default();
    let right = body.iter().map(|l| l.end).fold(0.0, f64::max);
    let mut paragraph = 0usize;
    let mut index = 0;
    while index < body.len() {
        paragraph += 1;
        if body[index].cells() > 1 {
            let start = index;
            while index < body.len() && body[index].cells() > 1 {
                index += 1;
            }
            let rows: Vec<Row> = body[start..index]
                .iter()
                .map(|line| Row {
                    cells: cells(line, &notes),
                    line: paragraph,
                })
                .collect();
            out.table(rules, &rows);
            continue;
        }
        let mut text = rendered(&body[index], &notes);
        while index + 1 < body.len() && runs_on(&body[index], &body[index + 1], right) {
            index += 1;
            text.push(' ');
            text.push_str(&rendered(&body[index], &notes));
        }
        index += 1;
        out.line(text.trim(), paragraph);
        out.blank(paragraph);
    }
    for (number, text) in &notes {
        paragraph += 1;
        out.note(*number, text, paragraph);
    }
    out
}

/// Whether `next` continues the paragraph `line` is in: `line` runs to the right edge of
/// the text (justified), or `next`'s first word would not have fitted after it (wrapped);
/// `next` is set in the same size just below it (or starts the next page) and is no table
/// row.
fn runs_on(line: &Line, next: &Line, right: f64) -> bool {
    let full = line.end >= right - 3.0 * line.size
        || line.end + 0.3 * line.size + next.first_word > right + 0.5 * line.size;
    let same_size = (line.size - next.size).abs() < 0.1 * line.size;
    let gap = next.y - line.y;
    let below = (gap > 0.0 && gap < 1.8 * line.size) || gap < 0.0;
    full && same_size && below && next.cells() == 1
}

/// A line's text with its note anchors; superscripts that name no note stay digits.
fn rendered(line: &Line, notes: &BTreeMap<u32, String>) -> String {
    let mut text = String::new();
    for piece in &line.pieces {
        match piece {
            Piece::Text(t) => text.push_str(t),
            Piece::Superscript(n) if notes.contains_key(n) => {
                text.push_str(&format!("[footnoteRef:{n}]"))
            }
            Piece::Superscript(n) => text.push_str(&n.to_string()),
            Piece::Cell => text.push(' '),
        }
    }
    crate::words::collapse_spaces(&text)
}

fn cells(line: &Line, notes: &BTreeMap<u32, String>) -> Vec<String> {
    line.pieces
        .split(|p| *p == Piece::Cell)
        .map(|pieces| {
            let part = Line {
                pieces: pieces.to_vec(),
                ..line.clone()
            };
            rendered(&part, notes)
        })
        .collect()
}

/// Lines in a page's top or foot margin that recur on other pages (digits aside), and page
/// numbers there ("5", "- 5 -", "Trang 5", "5/12"; `page_words` lower case).
fn drop_running(pages: &mut [Vec<Line>], page_words: &[String]) {
    let in_margin = |l: &Line| l.y < MARGIN * l.page_height || l.y > (1.0 - MARGIN) * l.page_height;
    let shape = |l: &Line| -> String {
        l.plain()
            .chars()
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    };
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages.iter() {
        let shapes: HashSet<String> = page.iter().filter(|l| in_margin(l)).map(shape).collect();
        for s in shapes {
            *counts.entry(s).or_default() += 1;
        }
    }
    let several = pages.len() > 1;
    let recurring = |s: &String| several && counts.get(s).copied().unwrap_or(0) > 1;
    for page in pages.iter_mut() {
        page.retain(|l| {
            !(in_margin(l) && (recurring(&shape(l)) || is_page_number(&l.plain(), page_words)))
        });
    }
}

fn is_page_number(text: &str, page_words: &[String]) -> bool {
    let text = text
        .trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace())
        .to_lowercase();
    let text = page_words
        .iter()
        .find_map(|word| text.strip_prefix(word.as_str()))
        .unwrap_or(&text)
        .trim();
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '/' || c == ' ')
}

/// The notes at a page's foot: from the first line in the page's lower half that starts
/// with a raised number and stands apart from the body (set smaller, or after a gap wider
/// than a line, where the separator rule is) to the page's end.
fn take_notes(lines: &mut Vec<Line>) -> Vec<(u32, String)> {
    let Some(body) = page_body_size(lines) else {
        return Vec::new();
    };
    let starts_foot = |i: usize| {
        let line: &Line = &lines[i];
        let apart = line.size < 0.95 * body
            || i == 0
            || line.y - lines[i - 1].y > 1.6 * line.size.max(lines[i - 1].size);
        line.y > 0.5 * line.page_height && apart && note_number(line).is_some()
    };
    let Some(first) = (0..lines.len()).find(|&i| starts_foot(i)) else {
        return Vec::new();
    };
    let mut notes: Vec<(u32, String)> = Vec::new();
    for line in &lines[first..] {
        match note_number(line) {
            Some((number, rest)) => notes.push((number, rest)),
            None => {
                if let Some((_, text)) = notes.last_mut() {
                    text.push(' ');
                    text.push_str(&line.plain());
                }
            }
        }
    }
    lines.truncate(first);
    notes
}

/// Notes listed at the end of the text ("1. ...", "2. ..."), as a browser prints a web
/// page's: taken when the body has raised anchors for every one of them.
fn take_end_notes(body: &mut Vec<Line>) -> BTreeMap<u32, String> {
    let numbered = |line: &Line, n: u32| {
        let plain = line.plain();
        let rest = plain.strip_prefix(&format!("{n}."))?;
        rest.starts_with(' ').then(|| rest.trim().to_string())
    };
    let Some(start) = (0..body.len())
        .rev()
        .find(|&i| numbered(&body[i], 1).is_some())
    else {
        return BTreeMap::new();
    };
    let mut notes: BTreeMap<u32, String> = BTreeMap::new();
    for line in &body[start..] {
        let next = notes.len() as u32 + 1;
        match numbered(line, next) {
            Some(text) => {
                notes.insert(next, text);
            }
            None => {
                if let Some(text) = notes.values_mut().last() {
                    text.push(' ');
                    text.push_str(&line.plain());
                }
            }
        }
    }
    let anchors: HashSet<u32> = body[..start]
        .iter()
        .flat_map(|l| &l.pieces)
        .filter_map(|p| match p {
            Piece::Superscript(n) => Some(*n),
            _ => None,
        })
        .collect();
    if !notes.keys().all(|n| anchors.contains(n)) {
        return BTreeMap::new();
    }
    body.truncate(start);
    // A web page's notes end with a link back to their anchor.
    for text in notes.values_mut() {
        *text = text
            .trim_end_matches(['\u{21A9}', '\u{FE0E}', ' '])
            .to_string();
    }
    notes
}

/// The size most lines of a page are set in.
fn page_body_size(lines: &[Line]) -> Option<f64> {
    let mut counts: Vec<(f64, usize)> = Vec::new();
    for line in lines {
        let size = (line.size * 2.0).round() / 2.0;
        match counts.iter_mut().find(|(s, _)| *s == size) {
            Some((_, n)) => *n += 1,
            None => counts.push((size, 1)),
        }
    }
    counts.iter().max_by_key(|(_, n)| *n).map(|(s, _)| *s)
}

/// A note's number and text when the line starts one.
fn note_number(line: &Line) -> Option<(u32, String)> {
    let (first, rest) = line.pieces.split_first()?;
    let Piece::Superscript(number) = first else {
        return None;
    };
    let rest = Line {
        pieces: rest.to_vec(),
        ..line.clone()
    };
    Some((*number, rest.plain()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(y: f64, size: f64, pieces: Vec<Piece>) -> Line {
        Line {
            pieces,
            y,
            size,
            end: 500.0,
            first_word: 30.0,
            page_height: 800.0,
        }
    }

    fn text(s: &str) -> Piece {
        Piece::Text(s.to_string())
    }

    #[test]
    fn running_headers_and_page_numbers_are_dropped() {
        let page = |n: u32| {
            vec![
                line(30.0, 9.0, vec![text(&format!("Báo cáo số 12 - trang {n}"))]),
                line(100.0, 12.0, vec![text(&format!("Nội dung {n}."))]),
                line(780.0, 9.0, vec![text(&format!("- {n} -"))]),
            ]
        };
        let mut pages = vec![page(1), page(2)];
        drop_running(&mut pages, &["trang".to_string()]);
        let left: Vec<String> = pages.iter().flatten().map(Line::plain).collect();
        assert_eq!(left, ["Nội dung 1.", "Nội dung 2."]);
    }

    #[test]
    fn notes_at_the_foot_are_taken_and_anchors_kept() {
        let mut lines = vec![
            line(
                100.0,
                12.0,
                vec![text("Lúa đạt 100% KH"), Piece::Superscript(1)],
            ),
            line(114.0, 12.0, vec![text("Ngô đạt 90% KH.")]),
            line(
                700.0,
                10.0,
                vec![Piece::Superscript(1), text("Cây lúa: 1.842 ha,")],
            ),
            line(712.0, 10.0, vec![text("đạt 100% KH.")]),
        ];
        let notes = take_notes(&mut lines);
        assert_eq!(notes, [(1, "Cây lúa: 1.842 ha, đạt 100% KH.".to_string())]);
        assert_eq!(lines.len(), 2);
        let notes: BTreeMap<u32, String> = notes.into_iter().collect();
        assert_eq!(
            rendered(&lines[0], &notes),
            "Lúa đạt 100% KH[footnoteRef:1]"
        );
    }

    #[test]
    fn a_full_line_runs_on_and_a_short_one_ends_its_paragraph() {
        let full = line(100.0, 12.0, vec![text("Tổng thu ngân sách")]);
        let mut short = line(114.0, 12.0, vec![text("ước đạt 52%.")]);
        short.end = 200.0;
        let next = line(128.0, 12.0, vec![text("Chi ngân sách")]);
        assert!(runs_on(&full, &short, 500.0));
        assert!(!runs_on(&short, &next, 500.0));
    }

    #[test]
    fn a_line_of_columns_far_apart_is_a_table_row() {
        let row = |y: f64, cells: &[&str]| {
            let mut pieces = Vec::new();
            for (i, cell) in cells.iter().enumerate() {
                if i > 0 {
                    pieces.push(Piece::Cell);
                }
                pieces.push(text(cell));
            }
            line(y, 12.0, pieces)
        };
        let page = vec![
            row(
                100.0,
                &[
                    "Chỉ tiêu",
                    "ĐVT",
                    "Kế hoạch",
                    "Ước thực hiện",
                    "% so với KH",
                ],
            ),
            row(114.0, &["Tổng thu NSNN", "tỷ đồng", "170,3", "165,2", "97"]),
        ];
        let rules = Rules::embedded().unwrap();
        let out = layout(vec![page], &rules);
        assert_eq!(
            out.text.lines().next(),
            Some("Tổng thu NSNN: kế hoạch 170,3 tỷ đồng, ước thực hiện 165,2 tỷ đồng, đạt 97% kế hoạch.")
        );
    }

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

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let rules = Rules::embedded().unwrap();
        assert!(render(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>", &rules).is_err());
        assert!(render(b"", &rules).is_err());
    }
}
