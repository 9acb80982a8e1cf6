//! Reports that arrive as Markdown or DOCX are rendered to the plain report text that the
//! layout stage reads (the conventions of a DOCX export): one paragraph per line, headings
//! on lines of their own, footnote anchors `[footnoteRef:N]` and bodies `[N:  ...]`, table
//! rows as sentences (`patterns/tables.toml`). Each rendered line remembers the input line
//! it came from, and a heading's level travels beside the text ([`Rendered::headings`]),
//! not in it: a report that writes `[heading:2]` is only text. Likewise the note markers:
//! the reader declares each anchor it writes ([`Rendered::anchor`]) and each body it writes
//! ([`Rendered::note`]), and [`Rendered::notes`] says on which line each one is; a report
//! whose own text reads `[footnoteRef:3]` or `[3:  ...]` has no note there.

use crate::rules::Rules;
use crate::words::collapse_spaces;

/// What a note marker that the input format declared is: an anchor in the text or a
/// footnote body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoteMark {
    Anchor,
    Body,
}

/// A note marker the input format declared: (1-based line, note number, what it is).
pub type MarkedNote = (usize, u32, NoteMark);

/// Report text rendered from another format.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub text: String,
    /// For each rendered line, the 1-based input line (or paragraph number) it came from.
    pub source_lines: Vec<usize>,
    /// The headings the format marks (a DOCX heading style, a Markdown `#`): (1-based
    /// rendered line, level).
    pub headings: Vec<(usize, u8)>,
    /// The note markers the reader wrote: (1-based rendered line, number, anchor or body).
    pub notes: Vec<MarkedNote>,
    pub warnings: Vec<String>,
    /// Anchors declared whose text is not pushed yet: a reader writes an anchor into a
    /// paragraph or cell before it knows which line that text will be.
    pending_anchors: Vec<u32>,
}

/// One table row: its cells' text and the input line (or paragraph) where it starts.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub cells: Vec<String>,
    pub line: usize,
}

impl Rendered {
    /// Append one rendered line that came from `source_line`.
    pub fn line(&mut self, text: &str, source_line: usize) {
        for part in text.split('\n') {
            self.text.push_str(part);
            self.text.push('\n');
            self.source_lines.push(source_line);
            self.place_anchors(part);
        }
    }

    /// Declare that the reader wrote note `number`'s anchor, [`anchor_marker`], into text
    /// it will push next; the line that text lands on is noted as holding the anchor.
    pub fn anchor(&mut self, number: u32) {
        self.pending_anchors.push(number);
    }

    /// Note the pending anchors whose marker is on the line just pushed.
    fn place_anchors(&mut self, line_text: &str) {
        if self.pending_anchors.is_empty() {
            return;
        }
        let line = self.source_lines.len();
        let notes = &mut self.notes;
        self.pending_anchors.retain(|&number| {
            let here = line_text.contains(&anchor_marker(number));
            if here {
                notes.push((line, number, NoteMark::Anchor));
            }
            !here
        });
    }

    /// End a block with a blank line. Layout runs a line that does not end a sentence on
    /// into the next one (for hard-wrapped text); paragraphs, headings and cells are whole
    /// already, so a blank line keeps "a) Trồng trọt" from swallowing the paragraph after it.
    pub fn blank(&mut self, source_line: usize) {
        self.line("", source_line);
    }

    /// A heading paragraph: its text on a line of its own, its level noted, then a blank
    /// line.
    pub fn heading(&mut self, level: u8, text: &str, source_line: usize) {
        let text = collapse_spaces(text);
        if text.is_empty() {
            return;
        }
        self.headings.push((self.source_lines.len() + 1, level));
        self.line(&text, source_line);
        self.blank(source_line);
    }

    /// The text with each marked heading's level before it (`[heading:N]`), for tests
    /// to show what was rendered.
    #[cfg(test)]
    pub(crate) fn marked_text(&self) -> String {
        self.text
            .split('\n')
            .enumerate()
            .map(
                |(i, line)| match self.headings.iter().find(|h| h.0 == i + 1) {
                    Some((_, level)) => format!("[heading:{level}]{line}"),
                    None => line.to_string(),
                },
            )
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The non-empty lines of [`Rendered::marked_text`], for tests.
    #[cfg(test)]
    pub(crate) fn marked_lines(&self) -> Vec<String> {
        self.marked_text()
            .lines()
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect()
    }

    /// A footnote body, `[N:  body]`, on one line (layout reads a body within one line) and
    /// with its brackets balanced (a stray `]` would end the body early).
    pub fn note(&mut self, number: u32, body: &str, source_line: usize) {
        let body = balance_brackets(&collapse_spaces(body));
        self.notes
            .push((self.source_lines.len() + 1, number, NoteMark::Body));
        self.line(&format!("[{number}:  {body}]"), source_line);
        self.blank(source_line);
    }

    /// A table. When its first row names columns that `patterns/tables.toml` knows, it is a
    /// table of figures: the first row is the header and every other row one sentence
    /// ([`table_row`]). Otherwise it is a table used for page layout (the national-motto
    /// header of a report, signatures) and each cell is read as a paragraph.
    pub fn table(&mut self, rules: &Rules, rows: &[Row]) {
        let Some((header, body)) = rows.split_first() else {
            return;
        };
        if is_figure_table(rules, &header.cells, body) {
            let bodies: Vec<&[String]> = body.iter().map(|r| r.cells.as_slice()).collect();
            let columns = Columns::of(rules, &header.cells, &bodies);
            for row in body
                .iter()
                .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
                .filter(|r| !numbers_columns(&r.cells))
            {
                let cells: Vec<String> = row.cells.iter().map(|c| collapse_spaces(c)).collect();
                self.line(&columns.sentence(&cells), row.line);
                self.blank(row.line);
                for sentence in columns.prose_cells(&cells) {
                    self.line(&sentence, row.line);
                    self.blank(row.line);
                }
            }
        } else {
            for row in rows {
                let cells: Vec<String> = row.cells.iter().map(|c| collapse_spaces(c)).collect();
                for paragraph in layout_row(&cells) {
                    self.line(&paragraph, row.line);
                    self.blank(row.line);
                }
            }
        }
        // Anchors in cells that are not rendered (a header row) must not claim a marker
        // written in some later text.
        self.pending_anchors.clear();
    }
}

/// The text a reader writes for note `number`'s anchor, as a DOCX export does.
pub fn anchor_marker(number: u32) -> String {
    format!("[footnoteRef:{number}]")
}

/// Whether the header names a column of figures and some row has a figure in one. The
/// second half keeps a layout table whose header merely looks like a column title (the
/// "TH" of "ỦY BAN NHÂN DÂN HUYỆN SƠN THỦY" reads as "thực hiện") from losing its cells.
pub(crate) fn is_figure_table(rules: &Rules, header: &[String], body: &[Row]) -> bool {
    let columns: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, title)| {
            rules
                .tables
                .columns
                .iter()
                .any(|c| c.header.is_match(title))
        })
        .map(|(index, _)| index)
        .collect();
    body.iter().any(|row| {
        columns.iter().any(|&index| {
            row.cells
                .get(index)
                .is_some_and(|cell| cell.trim().starts_with(|c: char| c.is_ascii_digit()))
        })
    })
}

/// Brackets without a partner become parentheses, so the text can sit inside a `[N:  ...]`
/// marker; balanced pairs ("[a]") are kept.
fn balance_brackets(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let mut open = Vec::new();
    for (index, c) in chars.iter_mut().enumerate() {
        match *c {
            '[' => open.push(index),
            ']' if open.pop().is_none() => *c = ')',
            _ => {}
        }
    }
    for index in open {
        chars[index] = '(';
    }
    chars.into_iter().collect()
}

/// A layout table's row, a paragraph a cell; a cell that states a share ("Ước đạt 1.260
/// tỷ đồng, đạt 105% dự toán") after a cell that names something ("Thu ngân sách") reads as
/// one sentence with it, as a report's "label | result" tables mean. A share, since the
/// other cells of a layout table (the header's place and date) hold figures too.
fn layout_row(cells: &[String]) -> Vec<String> {
    let labels: Vec<Option<usize>> = (0..cells.len())
        .map(|index| {
            let states_share = cells[index].contains('%') && has_letter(&cells[index]);
            let label = (0..index).rev().find(|&i| is_label(&cells[i]));
            label.filter(|_| states_share)
        })
        .collect();
    let mut paragraphs = Vec::new();
    for (index, cell) in cells.iter().enumerate() {
        if cell.is_empty() || labels.contains(&Some(index)) {
            continue;
        }
        match labels[index] {
            Some(label) => paragraphs.push(format!("{}: {cell}", cells[label])),
            None => paragraphs.push(cell.clone()),
        }
    }
    paragraphs
}

/// A cell that names what a later cell states: words, no share, not a row number.
fn is_label(cell: &str) -> bool {
    has_letter(cell)
        && !cell.contains('%')
        && cell.chars().count() <= MAX_LABEL_CHARS
        && !is_row_number(cell)
}

/// Longer cells are statements, not names.
const MAX_LABEL_CHARS: usize = 200;

/// "1", "II", "a)", "2.1": a row's number, not its label.
fn is_row_number(cell: &str) -> bool {
    let core = cell.trim_matches(|c: char| matches!(c, '.' | ')' | '(' | ' '));
    core.chars().count() <= 4
        && core
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || "IVXivx".contains(c))
}

/// A row under the header that only numbers or letters the columns and gives their
/// formulas ("A | B | C | 1 | 2 | 3 | 4=3/1 | 5=3/2", "(1) | (2) | (3)=(2)/(1)"): no row
/// of figures.
fn numbers_columns(cells: &[String]) -> bool {
    let is_code = |cell: &str| {
        let bytes = cell.as_bytes();
        bytes.len() <= 16
            && bytes
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b"()=/*+-% ".contains(&b))
            && !bytes
                .windows(2)
                .any(|w| w.iter().all(u8::is_ascii_alphabetic))
            && !bytes.windows(3).any(|w| w.iter().all(u8::is_ascii_digit))
    };
    let written: Vec<&str> = cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    written.len() >= 3 && written.iter().all(|c| is_code(c))
}

fn has_letter(text: &str) -> bool {
    text.chars().any(char::is_alphabetic)
}

/// A label that writes its row's unit in a closing bracket, for a table without a unit
/// column: "Dư nợ cho vay (tỷ đồng)" -> ("Dư nợ cho vay", "tỷ đồng"). Only a unit the rules
/// know: "Thu nội địa (trừ tiền đất)" is kept whole and gives none.
fn label_unit<'l>(rules: &Rules, label: &'l str) -> (&'l str, &'l str) {
    let Some(open) = label.strip_suffix(')').and_then(|l| l.rfind('(')) else {
        return (label, "");
    };
    let inner = label[open + 1..label.len() - 1].trim();
    match open > 0 && !inner.is_empty() && rules.unit(inner).1.is_some() {
        true => (label[..open].trim_end(), inner),
        false => (label, ""),
    }
}

/// The unit each header writes; a figure column that writes none takes the one unit the
/// others write ("Dự toán (triệu đồng) | Thực hiện | %"), if they agree on one.
fn header_units(split: &[(&str, &str)]) -> Vec<String> {
    let mut written = split
        .iter()
        .map(|(_, unit)| *unit)
        .filter(|u| !u.is_empty() && *u != "%");
    let only = written
        .next()
        .filter(|first| written.all(|unit| unit == *first));
    split
        .iter()
        .map(|(_, unit)| match (*unit, only) {
            ("", Some(only)) => only.to_string(),
            (unit, _) => unit.to_string(),
        })
        .collect()
}

/// Whether column `at` holds units: some filled cell is a unit the rules know, or none is
/// filled. "Đơn vị" heads the units ("tỷ đồng", "ha") or the bodies reporting ("Xã Xuân
/// Hòa"); a column of units writes some the rules know even where it abbreviates others.
fn holds_units(rules: &Rules, rows: &[&[String]], at: usize) -> bool {
    let mut filled = rows
        .iter()
        .filter_map(|row| row.get(at))
        .map(|cell| cell.trim())
        .filter(|cell| !cell.is_empty())
        .peekable();
    filled.peek().is_none() || filled.any(|cell| rules.unit(cell).1.is_some())
}

/// Which columns of a figure table the label, the unit and each template read.
struct Columns<'r> {
    rules: &'r Rules,
    label: usize,
    unit: Option<usize>,
    templates: Vec<Option<&'r crate::rules::TableColumn>>,
    /// The unit each column's header writes in its closing bracket ("Kế hoạch vốn (tỷ
    /// đồng)") or shares with the others ([`header_units`]), for rows that give none.
    header_units: Vec<String>,
}

impl<'r> Columns<'r> {
    /// The columns `header` names; `rows` are the table's body, whose cells show whether
    /// a column headed "Đơn vị" holds units or bodies (it means both).
    fn of(rules: &'r Rules, header: &[String], rows: &[&[String]]) -> Self {
        let tables = &rules.tables;
        let column_of = |regex: &Option<crate::rules::Pattern>| {
            regex
                .as_ref()
                .and_then(|r| header.iter().position(|h| r.is_match(h)))
        };
        let template = |title: &str| tables.columns.iter().find(|c| c.header.is_match(title));
        let split: Vec<(&str, &str)> = header.iter().map(|h| label_unit(rules, h)).collect();
        let mut columns = Columns {
            rules,
            label: 0,
            unit: column_of(&tables.unit_header).filter(|&at| holds_units(rules, rows, at)),
            // As written first: a bracket may be what makes it a column of shares ("Tỷ lệ (%)").
            templates: header
                .iter()
                .zip(&split)
                .map(|(title, (bare, _))| template(title).or_else(|| template(bare)))
                .collect(),
            header_units: header_units(&split),
        };
        columns.label = column_of(&tables.label_header)
            .or_else(|| columns.first_naming(header))
            .unwrap_or(0);
        columns
    }

    /// Without a header that names the label column, the first column that neither numbers
    /// the rows ("STT | Dự án | Kế hoạch vốn | ...") nor holds the unit or a figure.
    fn first_naming(&self, header: &[String]) -> Option<usize> {
        let numbers = self.rules.tables.number_header.as_ref();
        (0..header.len()).find(|&index| {
            Some(index) != self.unit
                && self.templates.get(index).is_some_and(Option::is_none)
                && !numbers.is_some_and(|pattern| pattern.is_match(&header[index]))
        })
    }

    /// A figure its column's template reads.
    fn reads(&self, index: usize, value: &str) -> bool {
        index != self.label
            && Some(index) != self.unit
            && value.starts_with(|c: char| c.is_ascii_digit())
            && self.templates.get(index).is_some_and(Option::is_some)
    }

    fn label<'c>(&self, row: &'c [String]) -> &'c str {
        row.get(self.label).map_or("", |l| l.trim())
    }

    /// The row as a sentence ([`table_row`]).
    fn sentence(&self, row: &[String]) -> String {
        let (label, unit) = match self.unit.and_then(|i| row.get(i)) {
            Some(unit) => (self.label(row), unit.trim()),
            None => label_unit(self.rules, self.label(row)),
        };
        let mut phrases = Vec::new();
        for (index, cell) in row.iter().enumerate() {
            let value = cell.trim();
            if !self.reads(index, value) {
                continue;
            }
            if let Some(column) = self.templates[index] {
                // "104,0%" under a header that says the column is in %: the template writes it.
                let value = if column.template.contains("{value}%") {
                    value.trim_end_matches('%').trim_end()
                } else {
                    value
                };
                // A unit that opens with a figure is a scale ("1.000 tấn": thousands of
                // tonnes): written after the value it would read as a figure of its own.
                let unit = match unit {
                    "" => self.header_units[index].as_str(),
                    scale if scale.starts_with(|c: char| c.is_ascii_digit()) => "",
                    unit => unit,
                };
                let phrase = column
                    .template
                    .replace("{value}", value)
                    .replace("{unit}", unit);
                phrases.push(phrase.trim().to_string());
            }
        }
        if phrases.is_empty() {
            return format!("{label}.");
        }
        format!("{label}: {}.", phrases.join(", "))
    }

    /// The cells of the row that no column reads but that state something with a figure
    /// ("Đạt 105% dự toán" under "Đánh giá"), each as a sentence of the row's label.
    fn prose_cells(&self, row: &[String]) -> Vec<String> {
        let label = self.label(row);
        row.iter()
            .enumerate()
            .filter(|&(index, cell)| {
                index != self.label
                    && Some(index) != self.unit
                    && !self.reads(index, cell.trim())
                    && has_letter(cell)
                    && cell.bytes().any(|b| b.is_ascii_digit())
            })
            .map(|(_, cell)| match label {
                "" => cell.trim().to_string(),
                label => format!("{label}: {}", cell.trim()),
            })
            .collect()
    }
}

/// A table row as a sentence: "<label>: kế hoạch 170,3 tỷ đồng, đạt 97% kế hoạch."
pub fn table_row(rules: &Rules, header: &[String], row: &[String]) -> String {
    Columns::of(rules, header, &[row]).sentence(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Kind;

    #[test]
    fn a_row_reads_as_a_sentence_with_its_measures() {
        let rules = Rules::shipped();
        let header: Vec<String> = [
            "Chỉ tiêu",
            "ĐVT",
            "Kế hoạch",
            "Ước thực hiện",
            "% so với KH",
        ]
        .map(String::from)
        .to_vec();
        let row: Vec<String> = ["Tổng thu NSNN", "tỷ đồng", "170,3", "165,2", "97"]
            .map(String::from)
            .to_vec();
        let sentence = table_row(rules, &header, &row);
        assert_eq!(
            sentence,
            "Tổng thu NSNN: kế hoạch 170,3 tỷ đồng, ước thực hiện 165,2 tỷ đồng, đạt 97% kế hoạch."
        );
        let facts = crate::extract_text("t", &sentence, rules).facts;
        assert_eq!(facts[0].indicator, "Tổng thu NSNN");
        let kinds: Vec<_> = facts[0]
            .measures
            .iter()
            .map(|m| (m.kind.name(), m.value))
            .collect();
        assert_eq!(
            kinds,
            [("target", 170.3), ("actual", 165.2), ("plan", 97.0)]
        );
    }

    #[test]
    fn a_row_number_column_is_no_label_and_a_header_may_write_its_unit() {
        let rules = Rules::shipped();
        let cells = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let cases = [
            (
                ["STT", "Dự án", "Kế hoạch vốn 2025 (tỷ đồng)", "Đã giải ngân (tỷ đồng)", "Tỷ lệ so với KH (%)"],
                ["1", "Đường ven biển", "820,0", "612,5", "74,7"],
                "Đường ven biển: kế hoạch 820,0 tỷ đồng, ước thực hiện 612,5 tỷ đồng, đạt 74,7% kế hoạch.",
            ),
            (
                ["TT", "Địa phương", "Dự toán (triệu đồng)", "Thực hiện", "% so với dự toán"],
                ["2", "Huyện Tân Lập", "45.000", "41.200", "91,6"],
                "Huyện Tân Lập: kế hoạch 45.000 triệu đồng, ước thực hiện 41.200 triệu đồng, đạt 91,6% kế hoạch.",
            ),
            (
                ["Số TT", "Xã", "Kế hoạch", "Kết quả", "Tỷ lệ (%)"],
                ["a", "Xã Đông Phong", "120", "96", "80"],
                "Xã Đông Phong: kế hoạch 120, ước thực hiện 96, đạt 80%.",
            ),
        ];
        for (header, row, sentence) in cases {
            assert_eq!(table_row(rules, &cells(&header), &cells(&row)), sentence);
        }
    }

    fn row(cells: &[&str], line: usize) -> Row {
        Row {
            cells: cells.iter().map(|c| c.to_string()).collect(),
            line,
        }
    }

    fn lines(r: &Rendered) -> Vec<String> {
        r.marked_lines()
    }

    #[test]
    fn a_table_of_figures_reads_one_sentence_per_row() {
        let rules = Rules::shipped();
        let mut r = Rendered::default();
        r.table(
            rules,
            &[
                row(&["Chỉ tiêu", "ĐVT", "Kế hoạch"], 1),
                row(&["Đàn bò", "con", "1.200"], 2),
                row(&["", "", ""], 3),
            ],
        );
        assert_eq!(lines(&r), ["Đàn bò: kế hoạch 1.200 con."]);
        assert_eq!(r.source_lines, [2, 2]);
    }

    #[test]
    fn shares_of_the_plan_and_of_last_year_are_read_under_headers_that_name_the_comparison_first() {
        let rules = Rules::shipped();
        for (plan, last_year) in [
            ("So với KH (%)", "So với cùng kỳ (%)"),
            ("TH/KH (%)", "TH/CK (%)"),
            ("Ước TH so KH năm (%)", "% so với cùng kỳ"),
        ] {
            let header = ["Chỉ tiêu", "ĐVT", "Thực hiện", plan, last_year].map(String::from);
            let read = table_row(
                rules,
                &header,
                &["Thu ngân sách", "tỷ đồng", "520", "104", "108,5"].map(String::from),
            );
            assert_eq!(
                read,
                "Thu ngân sách: ước thực hiện 520 tỷ đồng, đạt 104% kế hoạch, bằng 108,5% cùng kỳ.",
                "{plan} / {last_year}"
            );
        }
    }

    #[test]
    fn a_bare_percentage_column_is_a_share_of_the_plan_only_where_the_row_gives_it() {
        let rules = Rules::shipped();
        let header =
            ["Chỉ tiêu", "ĐVT", "Kế hoạch vốn", "Giải ngân", "Tỷ lệ (%)"].map(String::from);
        let plans = |cells: [&str; 5]| {
            let sentence = table_row(rules, &header, &cells.map(String::from));
            let facts = crate::extract_text("t", &sentence, rules).facts;
            let plans = facts.iter().flat_map(|f| &f.measures);
            plans
                .filter(|m| m.kind == Kind::Plan)
                .map(|m| m.value)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            plans(["Vốn đầu tư công", "tỷ đồng", "400", "300", "75%"]),
            [75.0]
        );
        assert_eq!(
            plans(["Tỷ lệ hộ nghèo", "%", "3", "2,5", "35"]),
            Vec::<f64>::new()
        );
    }

    #[test]
    fn a_result_column_of_any_count_of_months_is_read() {
        let rules = Rules::shipped();
        for result in [
            "Ước TH 11 tháng",
            "Thực hiện 10 tháng đầu năm",
            "TH 6 tháng năm 2025",
        ] {
            let header = ["Chỉ tiêu", "ĐVT", result].map(String::from);
            let read = table_row(
                rules,
                &header,
                &["Thu ngân sách", "tỷ đồng", "520"].map(String::from),
            );
            assert_eq!(
                read, "Thu ngân sách: ước thực hiện 520 tỷ đồng.",
                "{result}"
            );
        }
    }

    #[test]
    fn a_table_without_a_unit_column_takes_the_unit_its_label_writes() {
        let rules = Rules::shipped();
        let header = ["Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)"].map(String::from);
        let read = |cells: [&str; 4]| table_row(rules, &header, &cells.map(String::from));
        assert_eq!(
            read(["Dư nợ cho vay (tỷ đồng)", "21.000", "20.635", "98,3"]),
            "Dư nợ cho vay: kế hoạch 21.000 tỷ đồng, ước thực hiện 20.635 tỷ đồng, đạt 98,3%."
        );
        // The arithmetic then makes the bare share a share of the plan.
        let sentence = read(["Diện tích lúa (ha)", "12.000", "12.360", "103"]);
        let facts = crate::extract_text("t", &sentence, rules).facts;
        let plans: Vec<f64> = facts
            .iter()
            .flat_map(|f| &f.measures)
            .filter(|m| m.kind == Kind::Plan)
            .map(|m| m.value)
            .collect();
        assert_eq!(plans, [103.0]);
        // A bracket that is no unit stays in the label.
        for kept in [
            "Thu nội địa (trừ tiền đất)",
            "Vốn (giai đoạn 2021-2025)",
            "(tấn)",
        ] {
            assert_eq!(label_unit(rules, kept), (kept, ""));
        }
        assert_eq!(
            label_unit(rules, "Sản lượng (nghìn tấn)"),
            ("Sản lượng", "nghìn tấn")
        );
    }

    #[test]
    fn a_layout_table_reads_cell_by_cell() {
        let rules = Rules::shipped();
        let mut r = Rendered::default();
        r.table(
            rules,
            &[
                row(
                    &[
                        "ỦY BAN NHÂN DÂN HUYỆN SƠN THỦY",
                        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                    ],
                    1,
                ),
                row(&["Số: 12/BC-UBND", "Sơn Thủy, ngày 20 tháng 6 năm 2024"], 2),
            ],
        );
        assert_eq!(
            lines(&r),
            [
                "ỦY BAN NHÂN DÂN HUYỆN SƠN THỦY",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Số: 12/BC-UBND",
                "Sơn Thủy, ngày 20 tháng 6 năm 2024"
            ]
        );
    }

    #[test]
    fn a_share_in_a_layout_table_reads_with_the_cell_that_names_it() {
        let rules = Rules::shipped();
        let mut r = Rendered::default();
        r.table(
            rules,
            &[
                row(&["TT", "Nội dung", "Kết quả"], 1),
                row(
                    &[
                        "1",
                        "Thu ngân sách",
                        "Ước đạt 1.260 tỷ đồng, đạt 105% dự toán",
                    ],
                    2,
                ),
                row(&["2", "Trồng rừng", "Đã trồng 320 ha"], 3),
                row(
                    &["II.", "Tỷ lệ che phủ rừng 2024", "Bằng 98,5% chỉ tiêu"],
                    4,
                ),
            ],
        );
        assert_eq!(
            lines(&r),
            [
                "TT",
                "Nội dung",
                "Kết quả",
                "1",
                "Thu ngân sách: Ước đạt 1.260 tỷ đồng, đạt 105% dự toán",
                "2",
                "Trồng rừng",
                "Đã trồng 320 ha",
                "II.",
                "Tỷ lệ che phủ rừng 2024: Bằng 98,5% chỉ tiêu"
            ]
        );
        let facts = crate::extract_text("t", &lines(&r)[4], rules).facts;
        assert_eq!(facts[0].indicator, "Thu ngân sách");
        assert!(facts[0]
            .measures
            .iter()
            .any(|m| m.kind == Kind::Plan && m.value == 105.0));
    }

    #[test]
    fn a_statement_no_column_reads_follows_its_rows_sentence() {
        let rules = Rules::shipped();
        let mut r = Rendered::default();
        r.table(
            rules,
            &[
                row(&["Chỉ tiêu", "ĐVT", "Kế hoạch", "Đánh giá"], 1),
                row(
                    &["Thu nội địa", "tỷ đồng", "900", "Ước đạt 103% dự toán"],
                    2,
                ),
                row(&["Đàn bò", "con", "1.200", "Đạt"], 3),
            ],
        );
        assert_eq!(
            lines(&r),
            [
                "Thu nội địa: kế hoạch 900 tỷ đồng.",
                "Thu nội địa: Ước đạt 103% dự toán",
                "Đàn bò: kế hoạch 1.200 con."
            ]
        );
    }

    #[test]
    fn a_note_is_one_line_with_balanced_brackets() {
        let mut r = Rendered::default();
        r.note(3, "Trong đó: lúa [xã A] 3 tấn]\nngô [2 tấn", 7);
        assert_eq!(lines(&r), ["[3:  Trong đó: lúa [xã A] 3 tấn) ngô (2 tấn]"]);
    }

    #[test]
    fn a_heading_is_marked_and_an_empty_one_dropped() {
        let mut r = Rendered::default();
        r.heading(2, "  Nông  nghiệp ", 4);
        r.heading(3, " ", 5);
        assert_eq!(r.text.trim(), "Nông nghiệp", "no marker in the text");
        assert_eq!(lines(&r), ["[heading:2]Nông nghiệp"]);
        assert_eq!(r.headings, [(1, 2)]);
        assert_eq!(r.source_lines[0], 4);
    }

    #[test]
    fn declared_anchors_and_bodies_are_noted_on_their_lines() {
        let mut r = Rendered::default();
        r.line("Như văn bản viết [footnoteRef:1].", 1);
        r.anchor(1);
        r.line("Dòng một\nThu đạt 5 tỷ đồng[footnoteRef:1].", 2);
        r.note(1, "Trong đó: thuế 3 tỷ đồng.", 3);
        assert_eq!(
            r.notes,
            [(3, 1, NoteMark::Anchor), (4, 1, NoteMark::Body)],
            "the undeclared marker on line 1 is not noted"
        );
        assert!(r.text.contains("[footnoteRef:1]."), "marker text kept");
    }

    #[test]
    fn a_tables_anchors_are_noted_on_their_rows_and_unrendered_ones_dropped() {
        let rules = Rules::shipped();
        let mut r = Rendered::default();
        r.anchor(1);
        r.anchor(2);
        r.table(
            rules,
            &[
                row(&["Chỉ tiêu[footnoteRef:1]", "ĐVT", "Kế hoạch"], 1),
                row(&["Đàn bò[footnoteRef:2]", "con", "1.200"], 2),
            ],
        );
        r.line("Xem [footnoteRef:1].", 3);
        assert_eq!(r.notes, [(1, 2, NoteMark::Anchor)]);
    }
}
