//! Paragraphs, tables and footnotes: the body of a part read into blocks.

use super::*;

/// What the body of a part holds, in order.
pub(super) enum Block {
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
pub(super) struct Paragraph {
    pub(super) text: String,
    pub(super) style: Option<String>,
    pub(super) outline: Option<u8>,
    pub(super) num_id: Option<String>,
    pub(super) ilvl: usize,
    pub(super) number: usize,
    /// The notes whose anchors are written into `text`.
    pub(super) anchors: Vec<u32>,
}

/// A run being read: its text and the properties that decide how to decode it.
#[derive(Default)]
pub(super) struct Run {
    pub(super) text: String,
    pub(super) font: Option<String>,
    pub(super) style: Option<String>,
}

/// A table being read.
#[derive(Default)]
pub(super) struct Table {
    pub(super) rows: Vec<Row>,
    pub(super) row: Option<Row>,
    pub(super) cell: Option<String>,
    /// The notes whose anchors are written into its cells.
    pub(super) anchors: Vec<u32>,
}

/// Elements whose content is not the document's text: deleted or moved-away revisions,
/// the old properties of a tracked change, and the fallback copy of `mc:AlternateContent`
/// (the same text box again).
pub(super) fn is_skipped(ns: Ns, name: &[u8]) -> bool {
    match ns {
        Ns::Word => matches!(
            name,
            b"del" | b"moveFrom" | b"pPrChange" | b"rPrChange" | b"delText" | b"instrText"
        ),
        Ns::Compat => name == b"Fallback",
        Ns::Other => false,
    }
}

pub(super) struct Reader<'s> {
    pub(super) styles: &'s Styles,
    pub(super) numbering: &'s Numbering,
    pub(super) counters: Counters,
    /// Runs decoded from a legacy font: (font, encoding) -> count.
    pub(super) legacy_runs: BTreeMap<(String, &'static str), usize>,
    /// Footnote id -> the number Word shows (footnotes are numbered in reference order).
    pub(super) note_numbers: HashMap<String, u32>,
    /// Footnote ids in the order of first reference, with the citing paragraph.
    pub(super) anchors: Vec<(String, usize)>,
    /// Footnote id -> body text.
    pub(super) notes: HashMap<String, String>,
    /// The footnote being read and where its blocks start.
    pub(super) note: Option<(String, usize)>,
    pub(super) paragraphs: usize,
    /// Open paragraphs: more than one inside a text box.
    pub(super) open: Vec<Paragraph>,
    pub(super) runs: Vec<Run>,
    pub(super) tables: Vec<Table>,
    pub(super) in_paragraph_props: usize,
    pub(super) in_run_props: usize,
    pub(super) in_text: bool,
    /// Depth inside skipped elements.
    pub(super) skip: usize,
    pub(super) blocks: Vec<Block>,
}

impl<'s> Reader<'s> {
    pub(super) fn new(styles: &'s Styles, numbering: &'s Numbering) -> Reader<'s> {
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

    pub(super) fn read(&mut self, xml: &str, part: &str) -> Result<(), String> {
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

    pub(super) fn open_element(&mut self, ns: Ns, name: &[u8], element: &BytesStart) {
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

    pub(super) fn close_element(&mut self, ns: Ns, name: &[u8]) {
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

    pub(super) fn paragraph_property(&mut self, name: &[u8], element: &BytesStart) {
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

    pub(super) fn run_property(&mut self, name: &[u8], element: &BytesStart) {
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
    pub(super) fn run_content(&mut self, name: &[u8], element: &BytesStart) {
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
    pub(super) fn note_number(&mut self, id: &str) -> u32 {
        if let Some(&number) = self.note_numbers.get(id) {
            return number;
        }
        let number = self.note_numbers.len() as u32 + 1;
        self.note_numbers.insert(id.to_string(), number);
        let paragraph = self.open.first().map_or(self.paragraphs, |p| p.number);
        self.anchors.push((id.to_string(), paragraph));
        number
    }

    pub(super) fn end_run(&mut self) {
        self.end_run_text();
        self.runs.pop();
    }

    /// Move the text read so far in the current run into its paragraph, decoded from
    /// the run's legacy font if it has one.
    pub(super) fn end_run_text(&mut self) {
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
            paragraph.text.push_str(&plain_spaces(&text));
        }
    }

    pub(super) fn start_row(&mut self) {
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
    pub(super) fn end_paragraph(&mut self) {
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
    pub(super) fn end_table(&mut self) {
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
    pub(super) fn start_note(&mut self, element: &BytesStart) {
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
    pub(super) fn end_note(&mut self) {
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
    pub(super) fn render(&self, body: &[Block], rules: &Rules) -> Rendered {
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
