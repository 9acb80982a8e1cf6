//! DOCX -> report text (the conventions of `render.rs`).
//!
//! In: the bytes of a `.docx` (a zip of WordprocessingML parts). Out: a [`Rendered`] text
//! with one line per paragraph of `word/document.xml` in order, heading paragraphs (by
//! style or outline level) with their level noted, list paragraphs with the number or bullet
//! Word shows, footnote anchors `[footnoteRef:N]` where `w:footnoteReference` stands and
//! bodies `[N:  ...]` from `word/footnotes.xml` at the end, tables as in Markdown
//! ([`Rendered::table`]). Each line remembers its paragraph's 1-based number. Issue 4,
//! parts 2 and 4 (legacy fonts).
//!
//! Why: archives keep reports as Word files, and their structure (headings, footnotes)
//! is lost when they are flattened to text by hand. Old files typed in TCVN3 or VNI fonts
//! store legacy bytes as if they were Windows-1252 text, marked only by the run's font, so
//! such runs are decoded one by one. A DOCX is untrusted input: parts are read with size
//! limits (zip bombs), and every problem is an error message, never a panic.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use zip::result::ZipError;
use zip::ZipArchive;

use crate::legacy::{self, Legacy};
use crate::render::{anchor_marker, Rendered, Row};
use crate::rules::Rules;
use crate::words::collapse_spaces;

use super::{MAX_PART, MAX_TOTAL, OLE_MAGIC};

/// What an OLE compound file given as DOCX is.
const ENCRYPTED: &str = "encrypted or password-protected DOCX (or a .doc file), not readable";

const DOCUMENT: &str = "word/document.xml";
const FOOTNOTES: &str = "word/footnotes.xml";
const STYLES: &str = "word/styles.xml";
const NUMBERING: &str = "word/numbering.xml";

/// Render a DOCX file's bytes to report text; the error says what is wrong with the file.
pub fn render(bytes: &[u8], rules: &Rules) -> Result<Rendered, String> {
    if bytes.starts_with(&OLE_MAGIC) {
        return Err(ENCRYPTED.to_string());
    }
    let mut package = Package::open(bytes)?;
    let document = package
        .read(DOCUMENT)?
        .ok_or_else(|| format!("not a DOCX: the zip has no {DOCUMENT}"))?;
    let mut styles = match package.read(STYLES)? {
        Some(xml) => Styles::parse(&xml)?,
        None => Styles::default(),
    };
    styles.heading_names = rules.marks.heading_styles.clone();
    let numbering = match package.read(NUMBERING)? {
        Some(xml) => Numbering::parse(&xml)?,
        None => Numbering::default(),
    };
    let footnotes = package.read(FOOTNOTES)?;
    let mut reader = Reader::new(&styles, &numbering);
    reader.read(&document, DOCUMENT)?;
    let body = std::mem::take(&mut reader.blocks);
    if let Some(xml) = footnotes {
        reader.read(&xml, FOOTNOTES)?;
    }
    Ok(reader.render(&body, rules))
}

// ---------------------------------------------------------------------------------
// The zip

/// The zip, read part by part within the size limits.
struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    unpacked: u64,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8]) -> Result<Package<'a>, String> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
        Ok(Package {
            archive,
            unpacked: 0,
        })
    }

    /// A part's text, or None when the zip does not hold it.
    fn read(&mut self, name: &str) -> Result<Option<String>, String> {
        let mut file = match self.archive.by_name(name) {
            Ok(file) => file,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(ZipError::UnsupportedArchive(why)) if why == ZipError::PASSWORD_REQUIRED => {
                return Err(ENCRYPTED.to_string())
            }
            Err(error) => return Err(corrupt(error)),
        };
        let too_big = || {
            format!(
                "DOCX part {name} unpacks to more than {} MiB (a zip bomb?), not read",
                MAX_PART >> 20
            )
        };
        // The declared size can lie, so the read itself is bounded too.
        if file.size() > MAX_PART {
            return Err(too_big());
        }
        let budget = MAX_PART.min(MAX_TOTAL.saturating_sub(self.unpacked));
        let mut data = Vec::new();
        (&mut file)
            .take(budget + 1)
            .read_to_end(&mut data)
            .map_err(|e| format!("corrupt DOCX: {name}: {e}"))?;
        if data.len() as u64 > budget {
            return Err(if budget < MAX_PART {
                format!(
                    "DOCX parts unpack to more than {} MiB in all (a zip bomb?), not read",
                    MAX_TOTAL >> 20
                )
            } else {
                too_big()
            });
        }
        self.unpacked += data.len() as u64;
        let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&data);
        String::from_utf8(data.to_vec())
            .map(Some)
            .map_err(|_| format!("corrupt DOCX: {name} is not UTF-8 XML"))
    }
}

fn corrupt(error: ZipError) -> String {
    format!("corrupt DOCX: {error}")
}

// ---------------------------------------------------------------------------------
// XML walking

/// The namespaces whose elements matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// WordprocessingML, transitional or strict.
    Word,
    /// Markup compatibility (`mc:AlternateContent`).
    Compat,
    Other,
}

/// One step of a part, as the readers see it.
enum Node<'x> {
    Open(Ns, &'x [u8], &'x BytesStart<'x>),
    Close(Ns, &'x [u8]),
    Text(&'x str),
}

/// Stream a part's elements and text to `visit`; an empty element comes as open + close.
fn walk(xml: &str, part: &str, mut visit: impl FnMut(Node<'_>)) -> Result<(), String> {
    let mut reader = NsReader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let bad = |e: &dyn std::fmt::Display| format!("corrupt DOCX: {part}: {e}");
    loop {
        let (ns, event) = reader.read_resolved_event().map_err(|e| bad(&e))?;
        match event {
            Event::Start(element) => {
                visit(Node::Open(
                    namespace(&ns),
                    element.local_name().into_inner(),
                    &element,
                ));
            }
            Event::End(element) => visit(Node::Close(
                namespace(&ns),
                element.local_name().into_inner(),
            )),
            Event::Text(text) => visit(Node::Text(&text.unescape().map_err(|e| bad(&e))?)),
            Event::CData(data) => visit(Node::Text(&String::from_utf8_lossy(&data))),
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn namespace(resolved: &ResolveResult) -> Ns {
    match resolved {
        ResolveResult::Bound(ns) => match ns.into_inner() {
            b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
            | b"http://purl.oclc.org/ooxml/wordprocessingml/main" => Ns::Word,
            b"http://schemas.openxmlformats.org/markup-compatibility/2006" => Ns::Compat,
            _ => Ns::Other,
        },
        _ => Ns::Other,
    }
}

/// An attribute's value by local name (`w:val` -> "val"). A malformed attribute reads as
/// absent: the paragraph's text still comes through, only that property is lost.
fn attr(element: &BytesStart, name: &str) -> Option<String> {
    element
        .attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.local_name().into_inner() == name.as_bytes())
        .and_then(|a| a.unescape_value().ok())
        .map(|v| v.into_owned())
}

// ---------------------------------------------------------------------------------
// Styles: heading levels and fonts

/// What a paragraph or character style contributes.
#[derive(Debug, Clone, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    font: Option<String>,
}

/// `word/styles.xml`: styles by id, and the document's default font.
#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, Style>,
    default_font: Option<String>,
    /// Style names that mark a heading before its level (`headings.toml`).
    heading_names: Vec<String>,
}

/// How far `w:basedOn` chains are followed (they may loop in a broken file).
const MAX_BASED_ON: usize = 16;

impl Styles {
    fn parse(xml: &str) -> Result<Styles, String> {
        let mut styles = Styles::default();
        let mut current: Option<(String, Style)> = None;
        let mut in_defaults = false;
        walk(xml, STYLES, |node| match node {
            Node::Open(Ns::Word, name, element) => match name {
                b"style" => {
                    current = attr(element, "styleId").map(|id| (id, Style::default()));
                }
                b"docDefaults" => in_defaults = true,
                b"name" => set(&mut current, |s| {
                    s.name = attr(element, "val").unwrap_or_default()
                }),
                b"basedOn" => set(&mut current, |s| s.based_on = attr(element, "val")),
                b"outlineLvl" => set(&mut current, |s| s.outline = outline(element)),
                b"rFonts" if in_defaults => styles.default_font = font(element),
                b"rFonts" => set(&mut current, |s| s.font = font(element)),
                _ => {}
            },
            Node::Close(Ns::Word, b"style") => {
                if let Some((id, style)) = current.take() {
                    styles.by_id.insert(id, style);
                }
            }
            Node::Close(Ns::Word, b"docDefaults") => in_defaults = false,
            _ => {}
        })?;
        Ok(styles)
    }

    /// The styles from `id` down its `w:basedOn` chain.
    fn chain<'s>(&'s self, id: Option<&'s str>) -> impl Iterator<Item = &'s Style> + 's {
        std::iter::successors(id.and_then(|id| self.by_id.get(id)), |style| {
            style.based_on.as_deref().and_then(|b| self.by_id.get(b))
        })
        .take(MAX_BASED_ON)
    }

    /// The heading level a paragraph style gives: "heading N" by name (Word keeps the
    /// English built-in names whatever the UI language, e.g. id "u1" is named "heading 1"),
    /// else its outline level, else those of the style it is based on. Without a
    /// styles part, the id itself is read ("Heading2", "Tieude1").
    fn heading_level(&self, id: &str) -> Option<u8> {
        if !self.by_id.contains_key(id) {
            return heading_name_level(&self.heading_names, id);
        }
        self.chain(Some(id))
            .find_map(|s| heading_name_level(&self.heading_names, &s.name).or(s.outline))
    }

    /// Whether paragraphs of this style are table-of-contents entries ("toc 1" ...): they
    /// repeat the headings with page numbers and would open the sections twice.
    fn is_toc(&self, id: &str) -> bool {
        let name = self.by_id.get(id).map_or(id, |s| s.name.as_str());
        let key: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        key.to_lowercase()
            .strip_prefix("toc")
            .is_some_and(|rest| rest.parse::<u8>().is_ok())
    }

    /// The font a run is shown in: its own, its character style's, its paragraph style's,
    /// or the document default.
    fn font<'s>(&'s self, run: &'s Run, paragraph_style: Option<&'s str>) -> Option<&'s str> {
        run.font
            .as_deref()
            .or_else(|| {
                self.chain(run.style.as_deref())
                    .find_map(|s| s.font.as_deref())
            })
            .or_else(|| self.chain(paragraph_style).find_map(|s| s.font.as_deref()))
            .or(self.default_font.as_deref())
    }
}

fn set(current: &mut Option<(String, Style)>, change: impl FnOnce(&mut Style)) {
    if let Some((_, style)) = current {
        change(style);
    }
}

/// "heading 1", "Heading1", "Tieude2", "Tiêu đề 3", "Đầu đề 1" -> the level, given the
/// style names before the level (lower case, without white space).
fn heading_name_level(names: &[String], name: &str) -> Option<u8> {
    let key: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let digits = names
        .iter()
        .find_map(|prefix| key.strip_prefix(prefix.as_str()))?;
    digits.parse().ok().filter(|level| (1..=9).contains(level))
}

/// `w:outlineLvl w:val="0"` is level 1; 9 means body text.
fn outline(element: &BytesStart) -> Option<u8> {
    let value: u8 = attr(element, "val")?.parse().ok()?;
    (value < 9).then_some(value + 1)
}

/// The font of `w:rFonts`: the one for letters past ASCII first, since legacy text lives
/// there.
fn font(element: &BytesStart) -> Option<String> {
    attr(element, "hAnsi").or_else(|| attr(element, "ascii"))
}

// ---------------------------------------------------------------------------------
// Numbering: the labels Word draws before list paragraphs

#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

/// A list's levels by ilvl.
type Levels = BTreeMap<usize, Level>;
/// A list's start values that override its levels', by ilvl.
type Starts = HashMap<usize, u32>;

#[derive(Debug, Default)]
struct Numbering {
    /// numId -> abstractNumId and start overrides.
    nums: HashMap<String, (String, Starts)>,
    /// abstractNumId -> levels.
    abstracts: HashMap<String, Levels>,
}

/// Word has nine list levels.
const LIST_LEVELS: usize = 9;

impl Numbering {
    fn parse(xml: &str) -> Result<Numbering, String> {
        let mut numbering = Numbering::default();
        let mut abstract_id: Option<String> = None;
        let mut level: Option<(usize, Level)> = None;
        let mut num: Option<(String, String, Starts)> = None;
        let mut override_level = 0;
        walk(xml, NUMBERING, |node| match node {
            Node::Open(Ns::Word, name, element) => match name {
                b"abstractNum" => abstract_id = attr(element, "abstractNumId"),
                b"lvl" if num.is_none() => {
                    level = list_level(element).map(|ilvl| (ilvl, Level::default()));
                }
                b"start" => {
                    if let Some((_, l)) = &mut level {
                        l.start = number_attr(element).unwrap_or(0);
                    }
                }
                b"numFmt" => {
                    if let Some((_, l)) = &mut level {
                        l.format = attr(element, "val").unwrap_or_default();
                    }
                }
                b"lvlText" => {
                    if let Some((_, l)) = &mut level {
                        l.text = attr(element, "val").unwrap_or_default();
                    }
                }
                b"num" => {
                    num = attr(element, "numId").map(|id| (id, String::new(), HashMap::new()));
                }
                b"abstractNumId" => {
                    if let Some((_, a, _)) = &mut num {
                        *a = attr(element, "val").unwrap_or_default();
                    }
                }
                b"lvlOverride" => override_level = list_level(element).unwrap_or(0),
                b"startOverride" => {
                    if let (Some((_, _, starts)), Some(start)) = (&mut num, number_attr(element)) {
                        starts.insert(override_level, start);
                    }
                }
                _ => {}
            },
            Node::Close(Ns::Word, b"lvl") => {
                if let (Some(id), Some((ilvl, l))) = (&abstract_id, level.take()) {
                    numbering
                        .abstracts
                        .entry(id.clone())
                        .or_default()
                        .insert(ilvl, l);
                }
            }
            Node::Close(Ns::Word, b"abstractNum") => abstract_id = None,
            Node::Close(Ns::Word, b"num") => {
                if let Some((id, abstract_id, starts)) = num.take() {
                    numbering.nums.insert(id, (abstract_id, starts));
                }
            }
            _ => {}
        })?;
        Ok(numbering)
    }

    /// The levels and start overrides of a list.
    fn list(&self, num_id: &str) -> Option<(&Levels, &Starts)> {
        let (abstract_id, starts) = self.nums.get(num_id)?;
        Some((self.abstracts.get(abstract_id)?, starts))
    }
}

fn list_level(element: &BytesStart) -> Option<usize> {
    attr(element, "ilvl")?
        .parse()
        .ok()
        .filter(|&l| l < LIST_LEVELS)
}

fn number_attr(element: &BytesStart) -> Option<u32> {
    attr(element, "val")?.parse().ok()
}

/// The counters of the lists met so far, to label the next paragraph of each.
#[derive(Default)]
struct Counters(HashMap<String, [Option<u32>; LIST_LEVELS]>);

impl Counters {
    /// The label of the next paragraph of list `num_id` at level `ilvl`: "1.", "a)", "II."
    /// or "-" for a bullet; None for an unknown list or an unnumbered level.
    fn next(&mut self, numbering: &Numbering, num_id: &str, ilvl: usize) -> Option<String> {
        let (levels, starts) = numbering.list(num_id)?;
        let start_of = |l: usize| {
            starts
                .get(&l)
                .copied()
                .or_else(|| levels.get(&l).map(|level| level.start))
                .unwrap_or(1)
        };
        let level = levels.get(&ilvl)?;
        let counters = self.0.entry(num_id.to_string()).or_default();
        let current = counters.get(ilvl).copied().flatten();
        let value = current.map_or_else(|| start_of(ilvl), |v| v.saturating_add(1));
        for (index, counter) in counters.iter_mut().enumerate() {
            if index == ilvl {
                *counter = Some(value);
            } else if index > ilvl {
                *counter = None;
            }
        }
        match level.format.as_str() {
            "bullet" => return Some("-".to_string()),
            "none" => return None,
            _ => {}
        }
        let mut label = level.text.clone();
        for (index, counter) in counters.iter().enumerate() {
            let placeholder = format!("%{}", index + 1);
            if label.contains(&placeholder) {
                let value = counter.unwrap_or_else(|| start_of(index));
                let format = levels.get(&index).map_or("decimal", |l| l.format.as_str());
                label = label.replace(&placeholder, &format_number(value, format));
            }
        }
        Some(label.trim().to_string()).filter(|l| !l.is_empty())
    }
}

/// A list number in a Word number format; formats other than these read as decimal.
fn format_number(value: u32, format: &str) -> String {
    match format {
        "decimalZero" => format!("{value:02}"),
        "lowerLetter" => letters(value),
        "upperLetter" => letters(value).to_uppercase(),
        "lowerRoman" => roman(value).to_lowercase(),
        "upperRoman" => roman(value),
        _ => value.to_string(),
    }
}

/// Word's letters: a..z, then aa..zz, ... (past zzzz, a broken start value, decimal).
fn letters(value: u32) -> String {
    let Some(index) = value.checked_sub(1).filter(|&i| i < 26 * 4) else {
        return value.to_string();
    };
    let letter = char::from(b'a' + (index % 26) as u8);
    letter.to_string().repeat(index as usize / 26 + 1)
}

fn roman(mut value: u32) -> String {
    const NUMERALS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (amount, numeral) in NUMERALS {
        while value >= amount && out.len() < 64 {
            out.push_str(numeral);
            value -= amount;
        }
    }
    out
}

// ---------------------------------------------------------------------------------
// Paragraphs, tables and footnotes

/// What the body of a part holds, in order.
enum Block {
    Paragraph {
        text: String,
        level: Option<u8>,
        number: usize,
        /// The notes whose anchors this reader wrote into the text.
        anchors: Vec<u32>,
    },
    /// The rows, and the notes whose anchors this reader wrote into their cells.
    Table(Vec<Row>, Vec<u32>),
}

/// A paragraph being read.
#[derive(Default)]
struct Paragraph {
    text: String,
    style: Option<String>,
    outline: Option<u8>,
    num_id: Option<String>,
    ilvl: usize,
    number: usize,
    /// The notes whose anchors are written into `text`.
    anchors: Vec<u32>,
}

/// A run being read: its text and the properties that decide how to decode it.
#[derive(Default)]
struct Run {
    text: String,
    font: Option<String>,
    style: Option<String>,
}

/// A table being read.
#[derive(Default)]
struct Table {
    rows: Vec<Row>,
    row: Option<Row>,
    cell: Option<String>,
    /// The notes whose anchors are written into its cells.
    anchors: Vec<u32>,
}

/// Elements whose content is not the document's text: deleted or moved-away revisions,
/// the old properties of a tracked change, and the fallback copy of `mc:AlternateContent`
/// (the same text box again).
fn is_skipped(ns: Ns, name: &[u8]) -> bool {
    match ns {
        Ns::Word => matches!(
            name,
            b"del" | b"moveFrom" | b"pPrChange" | b"rPrChange" | b"delText" | b"instrText"
        ),
        Ns::Compat => name == b"Fallback",
        Ns::Other => false,
    }
}

struct Reader<'s> {
    styles: &'s Styles,
    numbering: &'s Numbering,
    counters: Counters,
    /// Runs decoded from a legacy font: (font, encoding) -> count.
    legacy_runs: BTreeMap<(String, &'static str), usize>,
    /// Footnote id -> the number Word shows (footnotes are numbered in reference order).
    note_numbers: HashMap<String, u32>,
    /// Footnote ids in the order of first reference, with the citing paragraph.
    anchors: Vec<(String, usize)>,
    /// Footnote id -> body text.
    notes: HashMap<String, String>,
    /// The footnote being read and where its blocks start.
    note: Option<(String, usize)>,
    paragraphs: usize,
    /// Open paragraphs: more than one inside a text box.
    open: Vec<Paragraph>,
    runs: Vec<Run>,
    tables: Vec<Table>,
    in_paragraph_props: usize,
    in_run_props: usize,
    in_text: bool,
    /// Depth inside skipped elements.
    skip: usize,
    blocks: Vec<Block>,
}

impl<'s> Reader<'s> {
    fn new(styles: &'s Styles, numbering: &'s Numbering) -> Reader<'s> {
        Reader {
            styles,
            numbering,
            counters: Counters::default(),
            legacy_runs: BTreeMap::new(),
            note_numbers: HashMap::new(),
            anchors: Vec::new(),
            notes: HashMap::new(),
            note: None,
            paragraphs: 0,
            open: Vec::new(),
            runs: Vec::new(),
            tables: Vec::new(),
            in_paragraph_props: 0,
            in_run_props: 0,
            in_text: false,
            skip: 0,
            blocks: Vec::new(),
        }
    }

    fn read(&mut self, xml: &str, part: &str) -> Result<(), String> {
        walk(xml, part, |node| match node {
            Node::Open(ns, name, element) => self.open_element(ns, name, element),
            Node::Close(ns, name) => self.close_element(ns, name),
            Node::Text(text) => {
                if self.in_text && self.skip == 0 {
                    if let Some(run) = self.runs.last_mut() {
                        run.text.push_str(text);
                    }
                }
            }
        })
    }

    fn open_element(&mut self, ns: Ns, name: &[u8], element: &BytesStart) {
        if self.skip > 0 || is_skipped(ns, name) {
            self.skip += 1;
            return;
        }
        if ns != Ns::Word {
            return;
        }
        match name {
            b"p" => {
                self.paragraphs += 1;
                self.open.push(Paragraph {
                    number: self.paragraphs,
                    ..Paragraph::default()
                });
            }
            b"pPr" => self.in_paragraph_props += 1,
            b"rPr" => self.in_run_props += 1,
            b"r" => self.runs.push(Run::default()),
            b"t" => self.in_text = true,
            b"tbl" => self.tables.push(Table::default()),
            b"tr" => self.start_row(),
            b"tc" => {
                if let Some(table) = self.tables.last_mut() {
                    table.cell = Some(String::new());
                }
            }
            b"footnote" => self.start_note(element),
            _ if self.in_paragraph_props > 0 && self.in_run_props == 0 => {
                self.paragraph_property(name, element);
            }
            _ if self.in_run_props > 0 && self.in_paragraph_props == 0 => {
                self.run_property(name, element);
            }
            _ if self.in_run_props == 0 => self.run_content(name, element),
            _ => {}
        }
    }

    fn close_element(&mut self, ns: Ns, name: &[u8]) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        if ns != Ns::Word {
            return;
        }
        match name {
            b"p" => self.end_paragraph(),
            b"pPr" => self.in_paragraph_props = self.in_paragraph_props.saturating_sub(1),
            b"rPr" => self.in_run_props = self.in_run_props.saturating_sub(1),
            b"r" => self.end_run(),
            b"t" => self.in_text = false,
            b"tc" => {
                if let Some(table) = self.tables.last_mut() {
                    let cell = table.cell.take().unwrap_or_default();
                    if let Some(row) = &mut table.row {
                        row.cells.push(cell);
                    }
                }
            }
            b"tr" => {
                if let Some(table) = self.tables.last_mut() {
                    table.rows.extend(table.row.take());
                }
            }
            b"tbl" => self.end_table(),
            b"footnote" => self.end_note(),
            _ => {}
        }
    }

    fn paragraph_property(&mut self, name: &[u8], element: &BytesStart) {
        let Some(paragraph) = self.open.last_mut() else {
            return;
        };
        match name {
            b"pStyle" => paragraph.style = attr(element, "val"),
            b"outlineLvl" => paragraph.outline = outline(element),
            b"numId" => paragraph.num_id = attr(element, "val").filter(|id| id != "0"),
            b"ilvl" => {
                paragraph.ilvl = number_attr(element)
                    .map_or(0, |l| l as usize)
                    .min(LIST_LEVELS - 1);
            }
            _ => {}
        }
    }

    fn run_property(&mut self, name: &[u8], element: &BytesStart) {
        let Some(run) = self.runs.last_mut() else {
            return;
        };
        match name {
            b"rFonts" => run.font = font(element),
            b"rStyle" => run.style = attr(element, "val"),
            _ => {}
        }
    }

    /// Run content other than `w:t`: tabs, breaks (a break inside a paragraph is not a new
    /// paragraph, so it reads as a space), hyphens and footnote references.
    fn run_content(&mut self, name: &[u8], element: &BytesStart) {
        let Some(run) = self.runs.last_mut() else {
            return;
        };
        match name {
            b"tab" => run.text.push('\t'),
            b"br" | b"cr" => run.text.push(' '),
            b"noBreakHyphen" => run.text.push('-'),
            b"footnoteReference" => {
                if let Some(id) = attr(element, "id") {
                    self.end_run_text();
                    let number = self.note_number(&id);
                    if let Some(paragraph) = self.open.last_mut() {
                        paragraph.text.push_str(&anchor_marker(number));
                        paragraph.anchors.push(number);
                    }
                }
            }
            _ => {}
        }
    }

    /// The number Word shows for a footnote: its place in the order of first references.
    fn note_number(&mut self, id: &str) -> u32 {
        if let Some(&number) = self.note_numbers.get(id) {
            return number;
        }
        let number = self.note_numbers.len() as u32 + 1;
        self.note_numbers.insert(id.to_string(), number);
        let paragraph = self.open.first().map_or(self.paragraphs, |p| p.number);
        self.anchors.push((id.to_string(), paragraph));
        number
    }

    fn end_run(&mut self) {
        self.end_run_text();
        self.runs.pop();
    }

    /// Move the text read so far in the current run into its paragraph, decoded from
    /// the run's legacy font if it has one.
    fn end_run_text(&mut self) {
        let paragraph_style = self.open.last().and_then(|p| p.style.clone());
        let Some(run) = self.runs.last_mut() else {
            return;
        };
        if run.text.is_empty() {
            return;
        }
        let mut text = std::mem::take(&mut run.text);
        let font = self.styles.font(run, paragraph_style.as_deref());
        if let Some((enc, capitals)) = font.and_then(legacy_font) {
            if let Some(decoded) = decode_legacy(&text, enc, capitals) {
                text = decoded;
                let key = (font.unwrap_or_default().to_string(), enc.name());
                *self.legacy_runs.entry(key).or_default() += 1;
            }
        }
        if let Some(paragraph) = self.open.last_mut() {
            paragraph.text.push_str(&text);
        }
    }

    fn start_row(&mut self) {
        let line = self.paragraphs + 1;
        if let Some(table) = self.tables.last_mut() {
            table.row = Some(Row {
                cells: Vec::new(),
                line,
            });
        }
    }

    /// A finished paragraph goes into the open table cell, or out as a block (before
    /// its outer paragraph, for one in a text box).
    fn end_paragraph(&mut self) {
        let Some(paragraph) = self.open.pop() else {
            return;
        };
        if paragraph
            .style
            .as_deref()
            .is_some_and(|s| self.styles.is_toc(s))
        {
            return;
        }
        let label = paragraph
            .num_id
            .as_deref()
            .and_then(|id| self.counters.next(self.numbering, id, paragraph.ilvl));
        let text = match label {
            Some(label) => format!("{label} {}", paragraph.text.trim_start()),
            None => paragraph.text,
        };
        if self.open.is_empty() {
            if let Some(table) = self.tables.last_mut().filter(|t| t.cell.is_some()) {
                if let Some(cell) = table.cell.as_mut() {
                    cell.push(' ');
                    cell.push_str(&text);
                }
                table.anchors.extend(paragraph.anchors);
                return;
            }
        }
        let level = paragraph.outline.or_else(|| {
            paragraph
                .style
                .as_deref()
                .and_then(|s| self.styles.heading_level(s))
        });
        self.blocks.push(Block::Paragraph {
            text,
            level,
            number: paragraph.number,
            anchors: paragraph.anchors,
        });
    }

    /// A table inside a table cell reads as that cell's text; others become a block.
    fn end_table(&mut self) {
        let Some(table) = self.tables.pop() else {
            return;
        };
        if let Some(outer) = self.tables.last_mut().filter(|t| t.cell.is_some()) {
            if let Some(cell) = outer.cell.as_mut() {
                for text in table.rows.iter().flat_map(|r| &r.cells) {
                    cell.push(' ');
                    cell.push_str(text);
                }
            }
            outer.anchors.extend(table.anchors);
            return;
        }
        self.blocks.push(Block::Table(table.rows, table.anchors));
    }

    /// Separators (ids -1 and 0, or typed) are drawing marks, not notes: skipped whole.
    fn start_note(&mut self, element: &BytesStart) {
        let id = attr(element, "id").unwrap_or_default();
        let kind = attr(element, "type").unwrap_or_default();
        let separator = matches!(id.as_str(), "-1" | "0")
            || matches!(
                kind.as_str(),
                "separator" | "continuationSeparator" | "continuationNotice"
            );
        if separator {
            self.skip += 1;
            return;
        }
        self.note = Some((id, self.blocks.len()));
    }

    /// A footnote's paragraphs and tables become one body text.
    fn end_note(&mut self) {
        let Some((id, first)) = self.note.take() else {
            return;
        };
        let mut body = Vec::new();
        for block in self.blocks.drain(first.min(self.blocks.len())..) {
            match block {
                Block::Paragraph { text, .. } => body.push(text),
                Block::Table(rows, _) => body.extend(rows.into_iter().flat_map(|r| r.cells)),
            }
        }
        self.notes.insert(id, collapse_spaces(&body.join(" ")));
    }

    /// The report text: body blocks in order, then the bodies of the cited footnotes,
    /// each on the line of the paragraph that cites it.
    fn render(&self, body: &[Block], rules: &Rules) -> Rendered {
        let mut out = Rendered::default();
        for block in body {
            let anchors = match block {
                Block::Paragraph { anchors, .. } | Block::Table(_, anchors) => anchors,
            };
            for &number in anchors {
                out.anchor(number);
            }
            match block {
                Block::Paragraph {
                    text,
                    level: Some(level),
                    number,
                    ..
                } => out.heading(*level, text, *number),
                Block::Paragraph { text, number, .. } => {
                    let text = collapse_spaces(text);
                    if !text.is_empty() {
                        out.line(&text, *number);
                        out.blank(*number);
                    }
                }
                Block::Table(rows, _) => out.table(rules, rows),
            }
        }
        for (id, paragraph) in &self.anchors {
            if let (Some(body), Some(number)) = (self.notes.get(id), self.note_numbers.get(id)) {
                out.note(*number, body, *paragraph);
            }
        }
        if !self.legacy_runs.is_empty() {
            let fonts: Vec<String> = self
                .legacy_runs
                .iter()
                .map(|((font, enc), runs)| format!("{font} as {enc} ({runs} runs)"))
                .collect();
            out.warnings
                .push(format!("legacy fonts decoded: {}", fonts.join(", ")));
        }
        out
    }
}

// ---------------------------------------------------------------------------------
// Legacy fonts

/// The encoding a font name implies, and whether it is a TCVN3 capitals ("H") font.
fn legacy_font(name: &str) -> Option<(Legacy, bool)> {
    let name = name.trim();
    let lower = name.to_lowercase();
    if lower.starts_with(".vn") {
        return Some((Legacy::Tcvn3, name.ends_with('H')));
    }
    if lower.starts_with("vni-") || lower.starts_with("vni ") {
        return Some((Legacy::Vni, false));
    }
    None
}

/// A legacy-font run's text (its bytes seen as Windows-1252) as Vietnamese. None when the
/// text holds characters Windows-1252 has no byte for (ư, ạ ...): it was typed in Unicode
/// already and only the font name is old, so decoding would garble it.
fn decode_legacy(text: &str, enc: Legacy, capitals: bool) -> Option<String> {
    let (_, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    if unmappable || (text.is_ascii() && !capitals) {
        return None;
    }
    let decoded = legacy::repair_mojibake(text, enc);
    Some(if capitals {
        decoded.to_uppercase()
    } else {
        decoded
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::NoteMark;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    /// A DOCX holding the given parts.
    fn docx(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, xml) in parts {
            zip.start_file(*name, SimpleFileOptions::default()).unwrap();
            zip.write_all(xml.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn document(body: &str) -> String {
        format!(r#"<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>"#)
    }

    fn paragraph(props: &str, text: &str) -> String {
        format!(
            r#"<w:p><w:pPr>{props}</w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#
        )
    }

    fn lines(bytes: &[u8]) -> Vec<String> {
        render(bytes, rules()).unwrap().marked_lines()
    }

    #[test]
    fn headings_by_style_and_outline_level() {
        let body = [
            paragraph(r#"<w:pStyle w:val="Heading1"/>"#, "Kinh tế"),
            paragraph(r#"<w:pStyle w:val="u2"/>"#, "Nông nghiệp"),
            paragraph(r#"<w:outlineLvl w:val="2"/>"#, "Trồng trọt"),
            paragraph("", "Sản lượng đạt 5 tấn."),
        ]
        .concat();
        let styles = format!(
            r#"<w:styles {W}><w:style w:type="paragraph" w:styleId="u2"><w:name w:val="heading 2"/></w:style></w:styles>"#
        );
        let bytes = docx(&[
            ("word/document.xml", &document(&body)),
            ("word/styles.xml", &styles),
        ]);
        assert_eq!(
            lines(&bytes),
            [
                "[heading:1]Kinh tế",
                "[heading:2]Nông nghiệp",
                "[heading:3]Trồng trọt",
                "Sản lượng đạt 5 tấn."
            ]
        );
    }

    #[test]
    fn footnotes_are_numbered_in_reference_order_and_listed_last() {
        let body = r#"<w:p><w:r><w:t>Bán lẻ đạt 5 tỷ đồng</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r><w:r><w:t>.</w:t></w:r></w:p>"#;
        let notes = format!(
            r#"<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="7"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Thương nghiệp đạt 4 tỷ đồng.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        );
        let bytes = docx(&[
            ("word/document.xml", &document(body)),
            ("word/footnotes.xml", &notes),
        ]);
        assert_eq!(
            lines(&bytes),
            [
                "Bán lẻ đạt 5 tỷ đồng[footnoteRef:1].",
                "[1:  Thương nghiệp đạt 4 tỷ đồng.]"
            ]
        );
    }

    #[test]
    fn only_footnote_references_are_declared_as_anchors() {
        let body = r#"<w:p><w:r><w:t>Viết tay [footnoteRef:1].</w:t></w:r></w:p><w:p><w:r><w:t>Bán lẻ đạt 5 tỷ đồng</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Ô</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r></w:p></w:tc></w:tr></w:tbl>"#;
        let notes = format!(
            r#"<w:footnotes {W}><w:footnote w:id="7"><w:p><w:r><w:t>Thương nghiệp đạt 4 tỷ đồng.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        );
        let bytes = docx(&[
            ("word/document.xml", &document(body)),
            ("word/footnotes.xml", &notes),
        ]);
        let r = render(&bytes, rules()).expect("the docx renders");
        assert!(r.text.starts_with("Viết tay [footnoteRef:1]."));
        assert_eq!(
            r.notes,
            [
                (3, 1, NoteMark::Anchor),
                (5, 1, NoteMark::Anchor),
                (7, 1, NoteMark::Body)
            ],
            "{}",
            r.text
        );
    }

    #[test]
    fn list_paragraphs_carry_the_label_word_draws() {
        let numbering = format!(
            r#"<w:numbering {W}><w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val=""/></w:lvl></w:abstractNum><w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num></w:numbering>"#
        );
        let item = |ilvl: u8, text: &str| {
            paragraph(
                &format!(r#"<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="5"/></w:numPr>"#),
                text,
            )
        };
        let body = [
            item(0, "Trồng trọt"),
            item(1, "Lúa đạt 5 tấn."),
            item(0, "Chăn nuôi"),
        ]
        .concat();
        let bytes = docx(&[
            ("word/document.xml", &document(&body)),
            ("word/numbering.xml", &numbering),
        ]);
        assert_eq!(
            lines(&bytes),
            ["a) Trồng trọt", "- Lúa đạt 5 tấn.", "b) Chăn nuôi"]
        );
    }

    #[test]
    fn a_table_of_figures_reads_row_by_row() {
        let cell = |t: &str| format!("<w:tc>{}</w:tc>", paragraph("", t));
        let row = |cells: &[&str]| {
            format!(
                "<w:tr>{}</w:tr>",
                cells.iter().map(|c| cell(c)).collect::<String>()
            )
        };
        let table = format!(
            "<w:tbl>{}{}</w:tbl>",
            row(&[
                "Chỉ tiêu",
                "ĐVT",
                "Kế hoạch",
                "Ước thực hiện",
                "% so với KH"
            ]),
            row(&["Tổng thu NSNN", "tỷ đồng", "170,3", "165,2", "97"])
        );
        let bytes = docx(&[("word/document.xml", &document(&table))]);
        assert_eq!(
            lines(&bytes),
            ["Tổng thu NSNN: kế hoạch 170,3 tỷ đồng, ước thực hiện 165,2 tỷ đồng, đạt 97% kế hoạch."]
        );
    }

    #[test]
    fn legacy_font_runs_are_decoded_and_capitals_fonts_uppercased() {
        let run = |font: &str, text: &str| {
            format!(
                r#"<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#
            )
        };
        let body = format!(
            "<w:p>{}</w:p><w:p>{}</w:p><w:p>{}</w:p>",
            run(".VnTimeH", "B¸o c¸o"),
            run(".VnTime", "t×nh h×nh"),
            run(".VnTime", "tình hình ư"),
        );
        let r = render(&docx(&[("word/document.xml", &document(&body))]), rules()).unwrap();
        let text: Vec<&str> = r.text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(text, ["BÁO CÁO", "tình hình", "tình hình ư"]);
        assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    }

    #[test]
    fn deleted_text_and_fallback_copies_are_not_read() {
        let body = r#"<w:p><w:del><w:r><w:delText>cũ</w:delText></w:r></w:del><w:r><w:t>mới</w:t></w:r></w:p><w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps"><w:t>hộp</w:t></mc:Choice><mc:Fallback><w:t>hộp</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;
        assert_eq!(
            lines(&docx(&[("word/document.xml", &document(body))])),
            ["mới", "hộp"]
        );
    }

    #[test]
    fn broken_files_give_errors_not_panics() {
        let rules = Rules::shipped();
        assert!(render(b"PK\x03\x04garbage", rules)
            .unwrap_err()
            .starts_with("corrupt DOCX"));
        assert_eq!(render(&OLE_MAGIC, rules).unwrap_err(), ENCRYPTED);
        let no_document = docx(&[("word/styles.xml", "<x/>")]);
        assert!(render(&no_document, rules)
            .unwrap_err()
            .contains("word/document.xml"));
        let bad_xml = docx(&[("word/document.xml", "<w:document><w:body></w:p>")]);
        assert!(render(&bad_xml, rules)
            .unwrap_err()
            .starts_with("corrupt DOCX: word/document.xml"));
    }

    #[test]
    fn table_of_contents_entries_are_skipped() {
        let body = [
            paragraph(r#"<w:pStyle w:val="TOC1"/>"#, "I. KẾT QUẢ\t3"),
            paragraph(r#"<w:pStyle w:val="Heading2"/>"#, "I. KẾT QUẢ"),
        ]
        .concat();
        assert_eq!(
            lines(&docx(&[("word/document.xml", &document(&body))])),
            ["[heading:2]I. KẾT QUẢ"]
        );
    }

    #[test]
    fn list_numbers_format_like_word() {
        assert_eq!(format_number(4, "upperRoman"), "IV");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
        assert_eq!(format_number(3, "decimalZero"), "03");
        let names = &rules().marks.heading_styles;
        assert_eq!(heading_name_level(names, "Tiêu đề 3"), Some(3));
        assert_eq!(heading_name_level(names, "Heading1"), Some(1));
        assert_eq!(heading_name_level(names, "Normal"), None);
        assert_eq!(format_number(u32::MAX, "lowerLetter"), u32::MAX.to_string());
    }

    fn rules() -> &'static Rules {
        Rules::shipped()
    }

    fn sample() -> Vec<u8> {
        let body = [
            paragraph(r#"<w:pStyle w:val="Heading1"/>"#, "Kinh tế"),
            r#"<w:p><w:r><w:t>Bán lẻ đạt 5 tỷ đồng</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r></w:p>"#.to_string(),
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Chỉ tiêu</w:t></w:r></w:p></w:tc></w:tr></w:tbl>".to_string(),
        ]
        .concat();
        let notes = format!(
            r#"<w:footnotes {W}><w:footnote w:id="2"><w:p><w:r><w:t>Thu 4 tỷ đồng.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        );
        docx(&[
            ("word/document.xml", &document(&body)),
            ("word/footnotes.xml", &notes),
        ])
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_give_text_or_an_error(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..600)) {
            let _ = render(&bytes, rules());
        }

        #[test]
        fn a_damaged_zip_gives_text_or_an_error(at in 0usize..4096, byte in proptest::num::u8::ANY) {
            let mut bytes = sample();
            let index = at % bytes.len();
            bytes[index] = byte;
            let _ = render(&bytes, rules());
        }

        #[test]
        fn damaged_xml_gives_text_or_an_error(at in 0usize..4096, byte in 0x20u8..0x7f) {
            let mut xml = document(&sample_body()).into_bytes();
            let index = at % xml.len();
            xml[index] = byte;
            let xml = String::from_utf8_lossy(&xml).into_owned();
            let _ = render(&docx(&[("word/document.xml", &xml)]), rules());
        }
    }

    #[test]
    fn nested_tables_tabs_and_breaks_read_as_text() {
        let bytes = docx(&[("word/document.xml", &document(&sample_body()))]);
        assert_eq!(lines(&bytes), ["[heading:1]Kinh tế", "BÁO CÁO", "Lồng"]);
    }

    fn sample_body() -> String {
        [
            paragraph(r#"<w:pStyle w:val="Heading1"/><w:numPr><w:ilvl w:val="8"/><w:numId w:val="1"/></w:numPr>"#, "Kinh tế"),
            r#"<w:p><w:r><w:rPr><w:rFonts w:hAnsi=".VnTimeH"/></w:rPr><w:t>B¸o c¸o</w:t><w:tab/><w:br/></w:r></w:p>"#.to_string(),
            "<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Lồng</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>".to_string(),
        ]
        .concat()
    }
}
