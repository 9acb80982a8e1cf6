//! Word 97-2003 `.doc` -> report text (the conventions of `render.rs`). Issue 16, part 2.
//!
//! In: the bytes of an OLE compound file holding a `WordDocument` stream. Out: a
//! [`Rendered`] text, one line per paragraph of the main document in order, tables as in
//! Markdown and DOCX ([`Rendered::table`]), footnote anchors `[footnoteRef:N]` and bodies
//! `[N:  ...]` at the end. The text is read from the piece table (the `Clx` in the table
//! stream): 8-bit pieces are Windows-1252, the others UTF-16. Legacy-font text (.VnTime,
//! VNI) comes out as Windows-1252 mojibake, which the caller's legacy detection repairs.
//! Heading styles are not read: the layout's heading shapes find the numbered headings.
//! Rows are told by their marks alone (a row's end mark follows its last cell's), without
//! the paragraph properties that say so, so an empty cell ends its row early and a cell of
//! several paragraphs keeps only its last: the figures of a report's tables are rarely
//! either.
//!
//! Why: archives of the 2000s and 2010s keep their reports as `.doc`. A `.doc` is untrusted
//! input: the sector chains are checked for loops before cfb follows them, streams are read
//! with size caps, every offset is checked, and every problem is an error message, never a
//! panic.

use std::io::{Cursor, Read};

use crate::render::{anchor_marker, Rendered, Row};
use crate::rules::Rules;
use crate::words::{collapse_spaces, is_foreign_space};

use super::{MAX_PART, OLE_MAGIC};

/// Largest piece table: one piece per edit, a few thousand at most in real files.
const MAX_PIECES: usize = 1_000_000;

/// Render a `.doc` file's bytes to report text; the error says what is wrong with the file.
pub fn render(bytes: &[u8], rules: &Rules) -> Result<Rendered, String> {
    if !bytes.starts_with(&OLE_MAGIC) {
        return Err("not a Word 97-2003 document (no OLE compound file)".to_string());
    }
    check_sector_chains(bytes)?;
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(corrupt)?;
    let word = read_stream(&mut file, "/WordDocument")?
        .ok_or("not a Word document: the compound file has no WordDocument stream")?;
    let fib = Fib::parse(&word)?;
    let table_name = if fib.table_one { "/1Table" } else { "/0Table" };
    let table = read_stream(&mut file, table_name)?
        .ok_or_else(|| format!("corrupt .doc: no {} stream", &table_name[1..]))?;
    let text = piece_text(&word, &table, &fib)?;
    let main_end = fib.ccp_text.min(text.len());
    let notes_end = main_end.saturating_add(fib.ccp_ftn).min(text.len());
    let mut out = Rendered::default();
    let mut writer = Writer::new(rules);
    writer.body(&text[..main_end], &mut out);
    writer.notes(&text[main_end..notes_end], &mut out);
    Ok(out)
}

// ---------------------------------------------------------------------------------
// The compound file's sector chains

/// The highest regular sector number; higher ones mark free sectors and chain ends.
const MAX_REGULAR_SECTOR: u32 = 0xFFFF_FFFA;

/// Refuse a file whose allocation table makes any sector chain loop, before cfb follows
/// one: the table is read from the sectors the header lists (files of up to 109 table
/// sectors, about 7 MiB with 512-byte sectors; larger ones are left to cfb's own checks).
fn check_sector_chains(bytes: &[u8]) -> Result<(), String> {
    let short = || "corrupt .doc: the compound file header is cut short".to_string();
    let shift = u16_at(bytes, 0x1E).ok_or_else(short)?;
    if !(7..=16).contains(&shift) {
        return Err(format!("corrupt .doc: sector size 2^{shift}"));
    }
    let sector = 1usize << shift;
    let fat_sectors = u32_at(bytes, 0x2C).ok_or_else(short)? as usize;
    if fat_sectors > 109 {
        return Ok(());
    }
    let mut fat = Vec::new();
    for index in 0..fat_sectors {
        let id = u32_at(bytes, 0x4C + index * 4).ok_or_else(short)? as usize;
        let at = id.saturating_add(1).saturating_mul(sector);
        let Some(data) = bytes.get(at..at.saturating_add(sector)) else {
            return Err("corrupt .doc: an allocation table sector lies outside the file".into());
        };
        fat.extend(data.chunks_exact(4).filter_map(|c| u32_at(c, 0)));
    }
    if chains_loop(&fat) {
        return Err("corrupt .doc: a sector chain loops".to_string());
    }
    Ok(())
}

/// Whether following `next` from any sector comes back to a sector already on the way.
fn chains_loop(next: &[u32]) -> bool {
    // 0: not seen, 1: on the chain being followed, 2: leads to an end.
    let mut state = vec![0u8; next.len()];
    for start in 0..next.len() {
        let mut chain = Vec::new();
        let mut current = start;
        loop {
            match state[current] {
                1 => return true,
                2 => break,
                _ => {}
            }
            state[current] = 1;
            chain.push(current);
            match next[current] {
                n if n <= MAX_REGULAR_SECTOR && (n as usize) < next.len() => current = n as usize,
                _ => break,
            }
        }
        for sector in chain {
            state[sector] = 2;
        }
    }
    false
}

fn corrupt(error: std::io::Error) -> String {
    format!("corrupt .doc: {error}")
}

/// A stream's bytes, within the cap, or None when the file has no such stream.
fn read_stream(
    file: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    path: &str,
) -> Result<Option<Vec<u8>>, String> {
    if !file.is_stream(path) {
        return Ok(None);
    }
    let len = file.entry(path).map_err(corrupt)?.len();
    if len > MAX_PART {
        return Err(format!(
            ".doc stream {} is larger than {} MiB, not read",
            &path[1..],
            MAX_PART >> 20
        ));
    }
    let mut data = Vec::new();
    file.open_stream(path)
        .map_err(corrupt)?
        .take(MAX_PART)
        .read_to_end(&mut data)
        .map_err(corrupt)?;
    Ok(Some(data))
}

// ---------------------------------------------------------------------------------
// The File Information Block and the piece table

/// What the reader needs of the File Information Block at the start of WordDocument.
struct Fib {
    table_one: bool,
    ccp_text: usize,
    ccp_ftn: usize,
    fc_clx: usize,
    lcb_clx: usize,
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

impl Fib {
    fn parse(word: &[u8]) -> Result<Fib, String> {
        let short = || "corrupt .doc: the WordDocument stream is cut short".to_string();
        if u16_at(word, 0) != Some(0xA5EC) {
            return Err("not a Word 97-2003 document (unknown WordDocument header)".to_string());
        }
        let n_fib = u16_at(word, 2).ok_or_else(short)?;
        if n_fib < 0xC0 {
            return Err("a Word 6 or Word 95 document: not readable (save it as DOCX)".to_string());
        }
        let flags = u16_at(word, 0x0A).ok_or_else(short)?;
        if flags & 0x0100 != 0 {
            return Err("encrypted or password-protected .doc, not readable".to_string());
        }
        // Base (32 bytes), then counted arrays of 16-bit words, 32-bit longs and fc/lcb pairs.
        let csw = usize::from(u16_at(word, 32).ok_or_else(short)?);
        let lw_at = 34 + csw * 2;
        let cslw = usize::from(u16_at(word, lw_at).ok_or_else(short)?);
        let long = |i: usize| u32_at(word, lw_at + 2 + i * 4).ok_or_else(short);
        let pairs_at = lw_at + 2 + cslw * 4 + 2;
        // fcClx is the 34th pair of FibRgFcLcb97.
        let fc_clx = u32_at(word, pairs_at + 33 * 8).ok_or_else(short)?;
        let lcb_clx = u32_at(word, pairs_at + 33 * 8 + 4).ok_or_else(short)?;
        Ok(Fib {
            table_one: flags & 0x0200 != 0,
            ccp_text: long(3)? as usize,
            ccp_ftn: long(4)? as usize,
            fc_clx: fc_clx as usize,
            lcb_clx: lcb_clx as usize,
        })
    }
}

/// The document's characters in CP order, from the piece table.
fn piece_text(word: &[u8], table: &[u8], fib: &Fib) -> Result<Vec<char>, String> {
    let bad = |what: &str| format!("corrupt .doc: {what}");
    let clx = table
        .get(fib.fc_clx..fib.fc_clx.saturating_add(fib.lcb_clx))
        .ok_or_else(|| bad("the piece table lies outside the table stream"))?;
    let plc = piece_table(clx).ok_or_else(|| bad("no piece table"))?;
    let pieces = (plc.len().saturating_sub(4)) / 12;
    if pieces == 0 || pieces > MAX_PIECES {
        return Err(bad("the piece table is empty or too large"));
    }
    let mut text = Vec::new();
    for i in 0..pieces {
        let (start, end) = (u32_at(plc, i * 4), u32_at(plc, i * 4 + 4));
        let fc = u32_at(plc, (pieces + 1) * 4 + i * 8 + 2);
        let (Some(start), Some(end), Some(fc)) = (start, end, fc) else {
            return Err(bad("the piece table is cut short"));
        };
        let count = end.saturating_sub(start) as usize;
        // Every character takes at least one byte of the stream: more is a lie.
        if text.len() + count > word.len() {
            return Err(bad("pieces hold more characters than the file"));
        }
        read_piece(word, fc, count, &mut text)
            .ok_or_else(|| bad("a piece lies outside the file"))?;
    }
    Ok(text)
}

/// The PlcPcd of a Clx: after any number of property runs (0x01), the piece table (0x02).
fn piece_table(clx: &[u8]) -> Option<&[u8]> {
    let mut at = 0;
    loop {
        match *clx.get(at)? {
            0x01 => at += 3 + usize::from(u16_at(clx, at + 1)?),
            0x02 => {
                let len = u32_at(clx, at + 1)? as usize;
                return clx.get(at + 5..at + 5usize.checked_add(len)?);
            }
            _ => return None,
        }
    }
}

/// One piece's characters: bit 30 of its fc marks 8-bit text (Windows-1252) at fc / 2.
fn read_piece(word: &[u8], fc: u32, count: usize, text: &mut Vec<char>) -> Option<()> {
    if fc & 0x4000_0000 != 0 {
        let at = ((fc & 0x3FFF_FFFF) / 2) as usize;
        let bytes = word.get(at..at.checked_add(count)?)?;
        let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
        text.extend(decoded.chars());
    } else {
        let at = fc as usize;
        let bytes = word.get(at..at.checked_add(count.checked_mul(2)?)?)?;
        let units = bytes
            .chunks_exact(2)
            .map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
        text.extend(char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')));
    }
    Some(())
}

// ---------------------------------------------------------------------------------
// Characters to paragraphs

const PARAGRAPH: char = '\r';
const CELL: char = '\u{7}';
const NOTE: char = '\u{2}';
const FIELD_BEGIN: char = '\u{13}';
const FIELD_SEPARATOR: char = '\u{14}';
const FIELD_END: char = '\u{15}';

struct Writer<'r> {
    rules: &'r Rules,
    paragraph: usize,
    notes: u32,
}

impl<'r> Writer<'r> {
    fn new(rules: &'r Rules) -> Writer<'r> {
        Writer {
            rules,
            paragraph: 0,
            notes: 0,
        }
    }

    /// The main document: paragraphs end with CR, cells with 0x07 and a row with a second
    /// 0x07 right after its last cell's.
    fn body(&mut self, chars: &[char], out: &mut Rendered) {
        let chars = field_results(chars);
        let mut current = String::new();
        let mut cells: Vec<String> = Vec::new();
        let mut rows: Vec<Row> = Vec::new();
        let mut previous = None;
        for &c in &chars {
            match c {
                PARAGRAPH | '\u{C}' => {
                    self.end_table(&mut rows, out);
                    self.paragraph(&std::mem::take(&mut current), out);
                }
                CELL if previous == Some(CELL) => {
                    self.paragraph += 1;
                    rows.push(Row {
                        cells: std::mem::take(&mut cells),
                        line: self.paragraph,
                    });
                }
                CELL => cells.push(collapse_spaces(&std::mem::take(&mut current))),
                NOTE => {
                    self.notes += 1;
                    current.push_str(&anchor_marker(self.notes));
                    out.anchor(self.notes);
                }
                '\u{B}' | '\t' => current.push(' '),
                c if is_foreign_space(c) => current.push(' '),
                '\u{1E}' => current.push('-'),
                // The optional hyphen: Word's own, or U+00AD typed in a .VnTime run, where
                // it is the letter ư (the caller drops the ones left after legacy repair).
                '\u{1F}' => current.push('\u{AD}'),
                c if c < ' ' => {}
                c => current.push(c),
            }
            previous = Some(c);
        }
        self.end_table(&mut rows, out);
        self.paragraph(&current, out);
    }

    fn paragraph(&mut self, text: &str, out: &mut Rendered) {
        self.paragraph += 1;
        let text = collapse_spaces(text);
        if !text.is_empty() {
            out.line(&text, self.paragraph);
            out.blank(self.paragraph);
        }
    }

    fn end_table(&mut self, rows: &mut Vec<Row>, out: &mut Rendered) {
        if !rows.is_empty() {
            out.table(self.rules, rows);
            rows.clear();
        }
    }

    /// The footnote document: each note starts with its reference mark (0x02).
    fn notes(&mut self, chars: &[char], out: &mut Rendered) {
        let chars = field_results(chars);
        let mut number = 0;
        let mut body = String::new();
        for &c in &chars {
            match c {
                NOTE => {
                    self.note(number, &body, out);
                    number += 1;
                    body.clear();
                }
                c if c < ' ' => body.push(' '),
                c => body.push(c),
            }
        }
        self.note(number, &body, out);
    }

    fn note(&mut self, number: u32, body: &str, out: &mut Rendered) {
        let body = collapse_spaces(body);
        if number > 0 && !body.is_empty() {
            self.paragraph += 1;
            out.note(number, &body, self.paragraph);
        }
    }
}

/// Fields (page numbers, hyperlinks, tables of contents) as their results: the code between
/// a field's begin and separator marks is dropped, nested fields too.
fn field_results(chars: &[char]) -> Vec<char> {
    // For each open field: whether its result has started.
    let mut open: Vec<bool> = Vec::new();
    let mut out = Vec::with_capacity(chars.len());
    for &c in chars {
        match c {
            FIELD_BEGIN => open.push(false),
            FIELD_SEPARATOR => {
                if let Some(last) = open.last_mut() {
                    *last = true;
                }
            }
            FIELD_END => {
                open.pop();
            }
            c if open.iter().all(|&result| result) => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_of(text: &str) -> String {
        let rules = Rules::embedded().unwrap();
        let mut out = Rendered::default();
        let chars: Vec<char> = text.chars().collect();
        Writer::new(&rules).body(&chars, &mut out);
        out.text
    }

    #[test]
    fn paragraphs_notes_and_fields() {
        let text = "Lúa đạt 100% KH\u{2}.\r\u{13} PAGE \u{14}3\u{15} trang\r";
        assert_eq!(
            body_of(text),
            "Lúa đạt 100% KH[footnoteRef:1].\n\n3 trang\n\n"
        );
    }

    #[test]
    fn a_layout_table_reads_cell_by_cell() {
        let text = "ỦY BAN\u{7}CỘNG HÒA\u{7}\u{7}Số 12\u{7}Hà Nội\u{7}\u{7}Sau bảng.\r";
        assert_eq!(
            body_of(text),
            "ỦY BAN\n\nCỘNG HÒA\n\nSố 12\n\nHà Nội\n\nSau bảng.\n\n"
        );
    }

    #[test]
    fn looping_chains_are_found() {
        assert!(!chains_loop(&[1, 2, 0xFFFF_FFFE, 0xFFFF_FFFF]));
        assert!(chains_loop(&[1, 2, 1]));
        assert!(chains_loop(&[0xFFFF_FFFE, 1]));
        assert!(!chains_loop(&[2, 2, 0xFFFF_FFFE]));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let rules = Rules::embedded().unwrap();
        let mut ole = OLE_MAGIC.to_vec();
        ole.resize(2048, 0xFF);
        assert!(render(&ole, &rules).is_err());
        assert!(render(b"{\\rtf1 x}", &rules).is_err());
    }
}
