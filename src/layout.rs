//! `&Document` -> [`Layout`]: the section tree, the footnotes and the blocks of text that
//! facts are read from, each block knowing its section and footnote.
//!
//! Implements "Where a fact lives" of `spec/facts.md` for text as exported from DOCX:
//! anchors `[footnoteRef:N]` in body text, bodies `[N:  ...]` after the paragraph that cites
//! them, `[bookmark: ...]` markers. Markers are blanked out in a copy of the text of the same
//! byte length (`masked`), so spans found in it are spans of the document and no marker can
//! reach an indicator. A footnote body belongs to the section of its anchor. Lines that do
//! not end a sentence run on into the next line, so hard-wrapped text reads as paragraphs;
//! a wrap width read off the text tells a wrapped line from a title.
//! Plain-text notes (`[N]` in the text, `[N] ...` at the start of a line, as `pandoc -t
//! plain` writes them) are read the same way. Headings that the input format marks (a
//! DOCX heading style, a Markdown `#`) come with the document ([`Document::marked_level`]),
//! not as text. So do the notes of a report rendered from another format: there an anchor
//! or a body marker is a note only where its reader declared it ([`Document::marks_note`]),
//! plain-text notes are not read, and any other bracket is the report's own text.

use std::collections::HashMap;
use std::ops::Range;

use crate::extract::matching::whole_word_matches;
use crate::fact::Kind;
use crate::normalize::{Document, NoteMark};
use crate::rules::Rules;
use crate::words::collapse_spaces;

/// A heading and its place in the tree.
#[derive(Debug, Clone)]
pub struct Section {
    pub heading: String,
    /// The heading without its label ("Thu ngân sách" of "3. Thu ngân sách").
    pub title: String,
    pub level: u8,
    pub parent: Option<usize>,
    pub line: usize,
}

/// A footnote body and the section of its anchor.
#[derive(Debug, Clone)]
pub struct Footnote {
    pub number: u32,
    pub body: Range<usize>,
    pub section: Option<usize>,
}

/// A stretch of text read for facts: a paragraph, a heading's text, or a footnote body.
#[derive(Debug, Clone)]
pub struct Block {
    pub range: Range<usize>,
    pub section: Option<usize>,
    pub footnote: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Layout {
    /// The document text with every marker replaced by spaces (same byte offsets).
    pub masked: String,
    pub sections: Vec<Section>,
    pub footnotes: Vec<Footnote>,
    pub blocks: Vec<Block>,
}

impl Layout {
    /// Headings from the outermost section down to `section`.
    pub fn path(&self, section: Option<usize>) -> Vec<String> {
        let mut path = Vec::new();
        let mut current = section;
        while let Some(index) = current {
            path.push(self.sections[index].heading.clone());
            current = self.sections[index].parent;
        }
        path.reverse();
        path
    }
}

/// Longest heading kept in a section path; numbered items can run to a paragraph.
const MAX_HEADING_CHARS: usize = 160;

/// Split a document into sections, footnotes and blocks.
pub fn split(doc: &Document, rules: &Rules) -> Layout {
    let markers = scan_markers(doc);
    let masked = mask(&doc.text, &markers.blanks);
    let mut builder = Builder {
        rules,
        masked: &masked,
        sections: Vec::new(),
        open: Vec::new(),
        footnotes: Vec::new(),
        blocks: Vec::new(),
        anchor_section: HashMap::new(),
        awaiting_title: None,
        paragraph_open: false,
        last_line_chars: 0,
        wrap_width: wrap_width(doc, &masked),
        cut: None,
        heading_text: None,
    };
    let mut anchors = markers.anchors.iter().peekable();
    let mut bodies = markers.bodies.iter().peekable();
    let mut covered_until = 0;
    for line in 1..=doc.line_count() {
        let range = doc.line_range(line);
        if range.start < covered_until {
            continue;
        }
        let mut line_bodies = Vec::new();
        while let Some(body) = bodies.next_if(|b| b.1.start < range.end + 1) {
            covered_until = covered_until.max(body.1.end);
            line_bodies.push(body.clone());
        }
        builder.line(line, range.clone(), &line_bodies, doc.marked_level(line));
        while let Some((number, _)) = anchors.next_if(|a| a.1 < range.end + 1) {
            builder.anchor_section.insert(*number, builder.current());
        }
        for (number, body) in line_bodies {
            builder.footnote(number, body);
        }
    }
    Layout {
        masked: masked.clone(),
        sections: builder.sections,
        footnotes: builder.footnotes,
        blocks: builder.blocks,
    }
}

/// Markers found in the text: what to blank, where anchors and bodies are.
#[derive(Default)]
struct Markers {
    blanks: Vec<Range<usize>>,
    anchors: Vec<(u32, usize)>,
    bodies: Vec<(u32, Range<usize>)>,
    /// Bare `[N]`: plain-text note references or, at a line start, note bodies; the flag
    /// says whether only white space precedes it on its line.
    plain_notes: Vec<(u32, Range<usize>, bool)>,
}

/// One pass with a stack of open brackets: linear even in text full of unclosed ones.
fn scan_markers(doc: &Document) -> Markers {
    let text = doc.text.as_str();
    let bytes = text.as_bytes();
    let mut markers = Markers::default();
    // (position, whether only white space stood before it on its line)
    let mut open: Vec<(usize, bool)> = Vec::new();
    let mut blank_so_far = true;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'[' => open.push((i, blank_so_far)),
            b']' => {
                if let Some((start, at_line_start)) = open.pop() {
                    classify(doc, start, i, at_line_start, &mut markers);
                }
            }
            b'\n' => {
                // Only a footnote body ("[12:  ...") runs on over hard-wrapped lines, and
                // never past a blank line; other brackets close on their own line.
                if blank_so_far {
                    open.clear();
                } else {
                    open.retain(|&(start, _)| opens_body(&text[start + 1..]));
                }
                blank_so_far = true;
                continue;
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            blank_so_far = false;
        }
    }
    if !doc.notes_are_marked() {
        plain_notes(text, &mut markers);
    }
    markers.blanks.sort_by_key(|r| r.start);
    markers.anchors.sort_by_key(|a| a.1);
    markers.bodies.sort_by_key(|b| b.1.start);
    markers
}

/// Whether text after a `[` opens a footnote body: digits, then a colon.
fn opens_body(after_bracket: &str) -> bool {
    let digits = after_bracket.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && after_bracket.as_bytes().get(digits) == Some(&b':')
}

/// Longest marker label read ("footnoteRef:123" and the like); only the start of a bracket's
/// text is looked at, so nested brackets cost no more than flat ones.
const MARKER_HEAD: usize = 24;

fn classify(doc: &Document, open: usize, close: usize, at_line_start: bool, markers: &mut Markers) {
    let text = doc.text.as_str();
    let inner = &text[open + 1..close];
    // In a rendered report a marker counts only where its reader wrote one.
    let marked = |number: u32, mark: NoteMark| {
        !doc.notes_are_marked() || doc.marks_note(doc.text_line_of(open), number, mark)
    };
    let head = &inner[..floor_char(inner, MARKER_HEAD)];
    let short = inner.len() <= MARKER_HEAD;
    // Word's endnotes are exported like its footnotes.
    if let Some(number) = head
        .strip_prefix("footnoteRef:")
        .or_else(|| head.strip_prefix("endnoteRef:"))
        .filter(|_| short)
        .and_then(|n| n.trim().parse().ok())
    {
        if !marked(number, NoteMark::Anchor) {
            return;
        }
        markers.blanks.push(open..close + 1);
        markers.anchors.push((number, open));
    } else if head.starts_with("bookmark:") {
        markers.blanks.push(open..close + 1);
    } else if let Some(number) = short
        .then(|| inner.parse::<u32>().ok())
        .flatten()
        .filter(|_| !doc.notes_are_marked())
    {
        markers
            .plain_notes
            .push((number, open..close + 1, at_line_start));
    } else if let Some((digits, _)) = head.split_once(':') {
        let Some(number) = digits
            .parse::<u32>()
            .ok()
            .filter(|&n| marked(n, NoteMark::Body))
        else {
            return;
        };
        // After the colon as written: "[01:" has two digits, though 1 prints as one.
        let rest = &inner[digits.len()..];
        let content_start = close - rest.trim_start_matches(':').trim_start().len();
        markers.blanks.push(open..content_start);
        markers.blanks.push(close..close + 1);
        markers.bodies.push((number, content_start..close));
    }
}

/// The largest character boundary of `text` at or before `at`.
fn floor_char(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `[N] text` at the start of a line is a note body (running on over indented lines) when
/// the text also cites `[N]`; those citations become anchors. Other `[N]` stay as text.
fn plain_notes(text: &str, markers: &mut Markers) {
    let (definitions, citations): (Vec<_>, Vec<_>) =
        markers.plain_notes.drain(..).partition(|note| note.2);
    let defined: std::collections::HashSet<u32> = definitions.iter().map(|note| note.0).collect();
    let cited: std::collections::HashSet<u32> = citations.iter().map(|note| note.0).collect();
    for (number, range, _) in citations
        .into_iter()
        .filter(|note| defined.contains(&note.0))
    {
        markers.blanks.push(range.clone());
        markers.anchors.push((number, range.start));
    }
    for (number, range, _) in definitions
        .into_iter()
        .filter(|note| cited.contains(&note.0))
    {
        let end = note_end(text, range.end);
        let content_start =
            range.end + (text[range.end..end].len() - text[range.end..end].trim_start().len());
        markers.blanks.push(range);
        markers.bodies.push((number, content_start..end));
    }
}

/// A plain-text note runs over the lines after it (wrapped, indented or not) up to a blank
/// line or the next note.
fn note_end(text: &str, from: usize) -> usize {
    let mut end = text[from..].find('\n').map_or(text.len(), |i| from + i);
    while end < text.len() {
        let next_start = end + 1;
        let next_end = text[next_start..]
            .find('\n')
            .map_or(text.len(), |i| next_start + i);
        let next = text[next_start..next_end].trim_start();
        if next.is_empty() || starts_plain_note(next) {
            break;
        }
        end = next_end;
    }
    end
}

/// "[12] ..." opens a plain-text note.
fn starts_plain_note(line: &str) -> bool {
    line.strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .is_some_and(|(number, _)| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
}

/// Replace each marker with spaces; the text keeps its byte offsets and stays valid UTF-8
/// because markers start and end on character boundaries.
fn mask(text: &str, blanks: &[Range<usize>]) -> String {
    if blanks.is_empty() {
        return text.to_string();
    }
    let mut bytes = text.as_bytes().to_vec();
    for range in blanks {
        bytes[range.clone()].fill(b' ');
    }
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

struct Builder<'a> {
    rules: &'a Rules,
    masked: &'a str,
    sections: Vec<Section>,
    /// Indices of the open sections, outermost first.
    open: Vec<usize>,
    footnotes: Vec<Footnote>,
    blocks: Vec<Block>,
    anchor_section: HashMap<u32, Option<usize>>,
    /// A "Phần I" heading whose title is on the next line.
    awaiting_title: Option<usize>,
    /// The last block is a paragraph that may run on into the next line.
    paragraph_open: bool,
    /// Length of the last paragraph line, which tells a title from a cut sentence.
    last_line_chars: usize,
    /// The width the text was hard-wrapped at, if it was.
    wrap_width: Option<usize>,
    /// The last line may have been cut by a hard wrap though it looks ended: a heading's
    /// text ("(4). Tỷ lệ ... đạt 87,4% kế") or a line ending in a clause mark or a bracket
    /// ("với 28 người (27 vụ việc)"). A next line that reads as the rest of a sentence
    /// runs on into it.
    cut: Option<Cut>,
    /// The last block is a heading's text, which a wrapped line may still extend.
    heading_text: Option<HeadingText>,
}

impl Builder<'_> {
    fn current(&self) -> Option<usize> {
        self.open.last().copied()
    }

    fn line(
        &mut self,
        line: usize,
        range: Range<usize>,
        bodies: &[(u32, Range<usize>)],
        marked_level: Option<u8>,
    ) {
        let body_end = bodies
            .first()
            .map_or(range.end, |b| b.1.start.max(range.start));
        let text = &self.masked[range.start..body_end];
        let cut = self.cut.take();
        if text.trim().is_empty() {
            self.paragraph_open = false;
            self.heading_text = None;
            return;
        }
        if let Some(section) = self.awaiting_title.take() {
            if !self.is_heading(text) {
                let title = shorten(text.trim());
                self.sections[section].heading.push(' ');
                self.sections[section].heading.push_str(&title);
                self.sections[section].title = title;
                return;
            }
        }
        // A numbered line that states a measure is an item of a list, read as body text
        // under the section it stands in; a block of its own, from its text.
        let item = marked_level
            .is_none()
            .then(|| self.item_text(text))
            .flatten();
        if let Some(at) = item {
            self.push_block(range.start + at..body_end);
            self.heading_text = None;
            self.paragraph_open = bodies.is_empty() && !ends_sentence(text) && !is_title_line(text);
            self.last_line_chars = text.trim().chars().count();
            self.cut = (bodies.is_empty() && !ends_full_stop(text)).then(|| self.cut_at(text));
            return;
        }
        if let Some(title_start) = self.heading(line, range.start, text, marked_level) {
            self.paragraph_open = false;
            if title_start < body_end && !self.masked[title_start..body_end].trim().is_empty() {
                self.push_block(title_start..body_end);
                let section = self.sections.len() - 1;
                let items = marked_level.is_none()
                    && self
                        .rules
                        .headings
                        .iter()
                        .find(|h| h.regex.regex().is_match(text))
                        .is_some_and(|h| h.items);
                self.heading_text = Some(HeadingText {
                    section,
                    line_start: range.start,
                    title_start,
                    items,
                });
                self.cut = (bodies.is_empty() && !ends_full_stop(text)).then(|| self.cut_at(text));
            }
            return;
        }
        let continues = (self.paragraph_open && !starts_new_item(text) && !self.after_title(text))
            || cut.is_some_and(|cut| cut.runs_on_into(text));
        match self.blocks.last_mut() {
            Some(last) if continues => {
                last.range.end = body_end;
                self.retitle(body_end);
            }
            _ => {
                self.push_block(range.start..body_end);
                self.heading_text = None;
            }
        }
        self.paragraph_open = bodies.is_empty() && !ends_sentence(text) && !is_title_line(text);
        self.last_line_chars = text.trim().chars().count();
        self.cut = (bodies.is_empty() && !ends_full_stop(text)).then(|| self.cut_at(text));
    }

    /// In text with a paragraph a line, a short line without a full stop before a line
    /// that opens a sentence is a title ("Sản xuất công nghiệp tiếp tục tăng"), not the
    /// start of that sentence.
    fn after_title(&self, text: &str) -> bool {
        self.wrap_width.is_none()
            && self.last_line_chars <= MAX_TITLE_CHARS
            && !continues_wrapped(text)
    }

    /// A line that may stop before its sentence ends.
    fn cut_at(&self, text: &str) -> Cut {
        Cut {
            chars: text.trim_end().chars().count(),
            capitals: in_capitals(text),
            wrap_width: self.wrap_width,
        }
    }

    /// A heading's text that runs on over wrapped lines names its section in full, as it
    /// would unwrapped.
    fn retitle(&mut self, end: usize) {
        let Some(heading) = self.heading_text else {
            return;
        };
        let whole = &self.masked[heading.title_start..end];
        // A numbered line cut by a wrap before its figure ("(1). Tổng thu ngân sách nhà
        // nước trên địa bàn ước thực hiện năm 2022 là" / "74.500 triệu đồng, đạt ...") is an
        // item as it would be unwrapped: its section goes, its text stays a block.
        if heading.items && !in_capitals(whole) && states_measure(self.rules, whole) {
            self.unmake_section(heading.section);
            self.heading_text = None;
            return;
        }
        let title = shorten(whole.trim());
        let label = self.masked[heading.line_start..heading.title_start].trim();
        let section = &mut self.sections[heading.section];
        section.heading = format!("{label} {title}").trim().to_string();
        section.title = title;
    }

    /// Take back the section a heading opened last, when its line proves to be a list item:
    /// what was placed in it (its text, anchors on its lines) goes to the section around it.
    fn unmake_section(&mut self, index: usize) {
        if index + 1 != self.sections.len() || self.open.last() != Some(&index) {
            return;
        }
        let parent = self.sections[index].parent;
        self.sections.pop();
        self.open.pop();
        for block in self.blocks.iter_mut().rev() {
            if block.section != Some(index) {
                break;
            }
            block.section = parent;
        }
        for section in self.anchor_section.values_mut() {
            if *section == Some(index) {
                *section = parent;
            }
        }
    }

    fn push_block(&mut self, range: Range<usize>) {
        self.blocks.push(Block {
            range,
            section: self.current(),
            footnote: None,
        });
    }

    /// Where the text of a numbered list item starts, when the line is one: a line of a
    /// heading shape that also numbers items ("8. Thu ngân sách trên địa bàn tỉnh đạt
    /// 2.310 tỷ đồng, tăng 11,6% ...;", "(2). Thu nhập bình quân ... đạt 100% KH.") whose
    /// text states a measure. A title names a topic and states none ("1. Tăng trưởng kinh
    /// tế", "2. Kết quả thực hiện 6 tháng đầu năm 2025"); one in capitals stays a title.
    fn item_text(&self, text: &str) -> Option<usize> {
        let rule = self
            .rules
            .headings
            .iter()
            .find(|h| h.regex.regex().is_match(text))?;
        if !rule.items {
            return None;
        }
        let title = rule.regex.captures(text)?.name("title")?;
        let words = title.as_str();
        (!in_capitals(words) && states_measure(self.rules, words)).then_some(title.start())
    }

    fn is_heading(&self, text: &str) -> bool {
        self.rules
            .headings
            .iter()
            .any(|h| h.regex.regex().is_match(text))
    }

    /// If the line is a heading (by shape, or marked), open its section and return where
    /// its text to read for facts starts.
    fn heading(
        &mut self,
        line: usize,
        start: usize,
        text: &str,
        marked_level: Option<u8>,
    ) -> Option<usize> {
        let numbered = self
            .rules
            .headings
            .iter()
            // Finding is cheap; capturing runs a slower engine over the whole paragraph.
            .filter(|rule| rule.regex.regex().is_match(text))
            .find_map(|rule| rule.regex.captures(text).map(|caps| (rule.level, caps)));
        let (level, label, title) = match (numbered, marked_level) {
            (Some((level, caps)), _) => (
                level,
                caps.name("label")
                    .map_or("", |m| m.as_str())
                    .trim()
                    .to_string(),
                caps.name("title")
                    .map(|m| (m.start(), m.as_str().trim().to_string())),
            ),
            (None, Some(level)) => (
                level,
                String::new(),
                Some((
                    text.len() - text.trim_start().len(),
                    text.trim().to_string(),
                )),
            ),
            (None, None) => return None,
        };
        let title_text = title.as_ref().map_or("", |t| t.1.as_str());
        // The label's own full stop ("Phần thứ hai. NHIỆM VỤ") does not end the heading.
        let heading = match &title {
            Some((at, title)) if !title.is_empty() => {
                format!("{} {}", text[..*at].trim(), shorten(title))
                    .trim()
                    .to_string()
            }
            _ => label.clone(),
        };
        while let Some(&top) = self.open.last() {
            if self.sections[top].level >= level {
                self.open.pop();
            } else {
                break;
            }
        }
        self.sections.push(Section {
            heading,
            title: shorten(title_text),
            level,
            parent: self.current(),
            line,
        });
        let index = self.sections.len() - 1;
        self.open.push(index);
        if title_text.is_empty() && marked_level.is_none() {
            self.awaiting_title = Some(index);
        }
        Some(title.map_or(start + text.len(), |(at, _)| start + at))
    }

    fn footnote(&mut self, number: u32, body: Range<usize>) {
        let section = self
            .anchor_section
            .get(&number)
            .copied()
            .unwrap_or_else(|| self.current());
        self.footnotes.push(Footnote {
            number,
            body: body.clone(),
            section,
        });
        self.blocks.push(Block {
            range: body,
            section,
            footnote: Some(number),
        });
        self.paragraph_open = false;
    }
}

/// Whether a measure rule (other than a bare target) finds a figure in `text`. A title
/// that opens with goal words ("2. Kế hoạch năm 2025: tăng trưởng 8%") heads targets,
/// whatever figure it names.
fn states_measure(rules: &Rules, text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
        && !rules.lexicon.goal_section.regex().is_match(text)
        && {
            let near = rules.screen.rules_near_figures(text, 0..text.len());
            rules
                .measures
                .iter()
                .enumerate()
                .filter(|(i, rule)| rule.kind != Kind::Target && near.may_match(*i))
                .any(|(i, rule)| {
                    !whole_word_matches(rule.regex.engine(), text, 0..text.len(), near.starts(i))
                        .is_empty()
                })
        }
}

/// A heading kept to its first sentence and a readable length.
fn shorten(text: &str) -> String {
    let first_sentence = text
        .find(". ")
        .filter(|&i| i > 8)
        .map_or(text, |i| &text[..=i]);
    let collapsed = collapse_spaces(first_sentence);
    if collapsed.chars().count() <= MAX_HEADING_CHARS {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(MAX_HEADING_CHARS).collect();
    format!("{}…", cut.trim_end())
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .chars()
        .last()
        .is_some_and(|c| ".;:!?…)\"”".contains(c))
}

/// A line that ends a clause (";", ":"), a bracket or a quote may be cut mid-sentence by a
/// wrap ("với 28 người (27 vụ việc)"); only a full stop surely ends one.
fn ends_full_stop(text: &str) -> bool {
    text.trim_end()
        .chars()
        .last()
        .is_some_and(|c| ".!?…".contains(c))
}

/// Whether every letter of the text is a capital (and it has some).
fn in_capitals(text: &str) -> bool {
    let mut letters = text.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(char::is_uppercase)
}

/// A line in capitals ("KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2017") is a title: the next line
/// does not continue it, though it has no full stop.
fn is_title_line(text: &str) -> bool {
    // Most lines fail on their first lowercase letter, before any counting.
    let letters = || text.chars().filter(|c| c.is_alphabetic());
    letters().all(char::is_uppercase) && letters().nth(MIN_TITLE_LETTERS - 1).is_some()
}

/// Fewer capitals than this are an acronym or a label ("GRDP", "KH"), not a title.
const MIN_TITLE_LETTERS: usize = 12;

/// The most characters a greedy wrap leaves unused at a line's end: the longest word that
/// did not fit ("1.625.313.564", "đồng/người/năm,").
const WRAP_SLACK: usize = 20;

/// Where a heading's text stands: its section, and where its line and its title start.
#[derive(Clone, Copy)]
struct HeadingText {
    section: usize,
    line_start: usize,
    title_start: usize,
    /// Its shape also numbers list items.
    items: bool,
}

/// A line that may have been cut by a hard wrap.
#[derive(Clone, Copy)]
struct Cut {
    chars: usize,
    /// A title in capitals runs on only into more capitals.
    capitals: bool,
    wrap_width: Option<usize>,
}

impl Cut {
    /// The next line reads as the rest of a sentence, or its first word did not fit on
    /// this line: what a wrap does, and a paragraph break does not.
    fn runs_on_into(self, next: &str) -> bool {
        let next = next.trim_start();
        let first_word = next
            .split_whitespace()
            .next()
            .map_or(0, |w| w.chars().count());
        if self.capitals && !in_capitals(next) {
            return false;
        }
        continues_wrapped(next)
            || (self
                .wrap_width
                .is_some_and(|width| self.chars + 1 + first_word > width)
                && !starts_new_item(next))
    }
}

/// The width a hard-wrapped text was wrapped at: its long lines end near one width, most
/// of them mid-sentence. None for text with a paragraph a line, whose long lines end
/// sentences.
fn wrap_width(doc: &Document, masked: &str) -> Option<usize> {
    let lines: Vec<(usize, bool)> = (1..=doc.line_count())
        .map(|line| masked[doc.line_range(line)].trim_end())
        .filter(|text| !text.trim().is_empty())
        .map(|text| (text.chars().count(), ends_sentence(text)))
        .collect();
    if lines.len() < MIN_WRAPPED_LINES {
        return None;
    }
    let mut lengths: Vec<usize> = lines.iter().map(|line| line.0).collect();
    lengths.sort_unstable();
    let width = lengths[lengths.len() * 9 / 10];
    let long: Vec<bool> = lines
        .iter()
        .filter(|line| line.0 + WRAP_SLACK >= width)
        .map(|line| line.1)
        .collect();
    let cut = long.iter().filter(|ended| !**ended).count();
    (width <= MAX_WRAP_WIDTH && cut * 2 > long.len()).then_some(width)
}

/// Longer lines without a full stop are sentences that lost it, not titles.
const MAX_TITLE_CHARS: usize = 120;

/// Fewer lines than this say nothing about wrapping.
const MIN_WRAPPED_LINES: usize = 20;
/// Wider lines are paragraphs, not a wrap.
const MAX_WRAP_WIDTH: usize = 200;

/// A paragraph after a heading opens with a capital; a line in lowercase or opening with a
/// figure ("100% kế hoạch.") is the rest of a wrapped line.
fn continues_wrapped(text: &str) -> bool {
    text.trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit())
}

/// Bullets start a new item even after a line that did not end a sentence.
fn starts_new_item(text: &str) -> bool {
    text.trim_start()
        .chars()
        .next()
        .is_some_and(|c| "-+•*–".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn layout(text: &str) -> (Document, Layout) {
        let rules = Rules::shipped();
        let doc = normalize("t", text);
        let layout = split(&doc, rules);
        (doc, layout)
    }

    #[test]
    fn a_title_in_capitals_does_not_run_into_the_next_line() {
        let (_, l) = layout(
            "KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2017\nTổng sản phẩm tăng 7,36%.\nGRDP\nbình quân tăng 6%.\n",
        );
        let texts: Vec<&str> = l
            .blocks
            .iter()
            .map(|b| l.masked[b.range.clone()].trim())
            .collect();
        assert!(texts.contains(&"Tổng sản phẩm tăng 7,36%."), "{texts:?}");
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("GRDP") && t.contains("bình quân")),
            "{texts:?}"
        );
    }

    #[test]
    fn sections_nest_by_level() {
        let (_, l) = layout("Phần I\nĐÁNH GIÁ\nI. KINH TẾ\n1. Nông nghiệp\na) Trồng trọt\nSản lượng đạt 5 tấn.\nb) Chăn nuôi\nĐàn bò là 20 con.\n");
        let last = l.blocks.last().unwrap();
        assert_eq!(
            l.path(last.section),
            [
                "Phần I ĐÁNH GIÁ",
                "I. KINH TẾ",
                "1. Nông nghiệp",
                "b) Chăn nuôi"
            ]
        );
    }

    #[test]
    fn endnote_anchors_are_read_like_footnote_anchors() {
        let text =
            "a) Thương mại\nBán lẻ đạt 5 tỷ đồng[endnoteRef:2]. [2:  Thương nghiệp 4 tỷ đồng.]\n";
        let (_, l) = layout(text);
        assert!(!l.masked.contains("endnoteRef"));
        assert_eq!(l.footnotes[0].number, 2);
        assert_eq!(l.path(l.footnotes[0].section), ["a) Thương mại"]);
    }

    #[test]
    fn footnotes_are_linked_to_their_anchor_section() {
        let text = "a) Thương mại\nBán lẻ đạt 5 tỷ đồng[footnoteRef:1]. [1:  Trong đó: thương nghiệp 4 tỷ đồng.]\nb) Khác\n";
        let (doc, l) = layout(text);
        let note = &l.footnotes[0];
        assert_eq!(note.number, 1);
        assert_eq!(
            &doc.text[note.body.clone()],
            "Trong đó: thương nghiệp 4 tỷ đồng."
        );
        assert_eq!(l.path(note.section), ["a) Thương mại"]);
        assert!(!l.masked.contains("footnoteRef"));
        assert!(!l.masked.contains("[1:"));
        assert_eq!(l.masked.len(), doc.text.len());
    }

    #[test]
    fn a_rendered_report_reads_only_the_notes_its_reader_declared() {
        let text = "Bán lẻ đạt 5 tỷ đồng[footnoteRef:1]. Thu[footnoteRef:2] đạt 4 tỷ đồng[3].\n[1:  Trong đó: thương nghiệp 4 tỷ đồng.]\n[2:  viết trong văn bản]\n[3] chú thích\n[bookmark: x]\n";
        let doc = normalize("t", text)
            .with_marked_notes(vec![(1, 1, NoteMark::Anchor), (2, 1, NoteMark::Body)]);
        let l = split(&doc, Rules::shipped());
        let numbers: Vec<u32> = l.footnotes.iter().map(|n| n.number).collect();
        assert_eq!(numbers, [1]);
        assert_eq!(
            &doc.text[l.footnotes[0].body.clone()],
            "Trong đó: thương nghiệp 4 tỷ đồng."
        );
        assert!(!l.masked.contains("[footnoteRef:1]"));
        for text in ["[footnoteRef:2]", "[2:  viết", "[3]", "[3] chú"] {
            assert!(l.masked.contains(text), "{text} stays text");
        }
        assert!(
            !l.masked.contains("bookmark"),
            "bookmarks are blanked as before"
        );
    }

    #[test]
    fn a_rendered_report_without_notes_has_none() {
        let text = "Bán lẻ đạt 5 tỷ đồng[footnoteRef:1]. [1:  Trong đó: 4 tỷ đồng.]\nThu [2].\n\n[2] chú thích\n";
        let doc = normalize("t", text).with_marked_notes(Vec::new());
        let l = split(&doc, Rules::shipped());
        assert!(l.footnotes.is_empty());
        assert_eq!(l.masked, doc.text);
        let (_, plain) = layout(text);
        assert_eq!(
            plain.footnotes.len(),
            2,
            "plain text still reads its markers"
        );
    }

    #[test]
    fn unterminated_markers_are_left_as_text() {
        let text = "Doanh thu [footnoteRef:2 đạt 5 tỷ đồng. [3:  chưa đóng\n";
        let (doc, l) = layout(text);
        assert_eq!(l.masked, doc.text);
        assert!(l.footnotes.is_empty());
    }

    #[test]
    fn wrapped_lines_join_into_one_paragraph() {
        let (doc, l) =
            layout("Tổng mức bán lẻ hàng hóa ước\nđạt 2.327 tỷ đồng, tăng 2%.\nCâu khác.\n");
        assert_eq!(l.blocks.len(), 2);
        assert_eq!(doc.line_of(l.blocks[0].range.end), 2);
    }

    #[test]
    fn plain_text_notes_are_footnotes() {
        let text = "a) Nông nghiệp\nSản lượng đạt 5 tấn[1], tăng 2%.\n\n[1] Trong đó: lúa 3 tấn,\n    ngô 2 tấn.\n\nb) Khác\n";
        let (doc, l) = layout(text);
        assert_eq!(l.footnotes.len(), 1);
        assert_eq!(
            &doc.text[l.footnotes[0].body.clone()],
            "Trong đó: lúa 3 tấn,\n    ngô 2 tấn."
        );
        assert_eq!(l.path(l.footnotes[0].section), ["a) Nông nghiệp"]);
        assert!(!l.masked.contains("[1]"));
        assert_eq!(l.blocks.iter().filter(|b| b.footnote.is_some()).count(), 1);
    }

    #[test]
    fn a_footnote_body_runs_over_wrapped_lines_but_not_past_a_blank_line() {
        let text = "Thu đạt 5 tỷ đồng[footnoteRef:1].\n[1:  Trong đó: thuế 3 tỷ\nđồng, phí 2 tỷ đồng.]\nChi đạt 4 tỷ đồng. [2:  chưa đóng\n\nmột đoạn khác]\n";
        let (doc, l) = layout(text);
        assert_eq!(l.footnotes.len(), 1);
        assert_eq!(
            &doc.text[l.footnotes[0].body.clone()],
            "Trong đó: thuế 3 tỷ\nđồng, phí 2 tỷ đồng."
        );
    }

    /// Blocks as text, white space collapsed.
    fn block_texts(l: &Layout) -> Vec<String> {
        l.blocks
            .iter()
            .map(|b| {
                l.masked[b.range.clone()]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn a_headings_sentence_cut_by_a_wrap_runs_on() {
        let text = "(4). Tỷ lệ hộ dùng nước sạch ước 83%, đạt 87,4% kế\nhoạch. Tỷ lệ khác 5%.\n(5). Số xã đạt chuẩn là 9 xã (tăng 2 xã)\ntăng 1 xã so với cùng kỳ.\n";
        let (_, l) = layout(text);
        assert_eq!(
            block_texts(&l),
            [
                "Tỷ lệ hộ dùng nước sạch ước 83%, đạt 87,4% kế hoạch. Tỷ lệ khác 5%.",
                "Số xã đạt chuẩn là 9 xã (tăng 2 xã) tăng 1 xã so với cùng kỳ."
            ]
        );
        // Items that state measures open no section.
        assert!(l.sections.is_empty(), "{:?}", l.sections);
        // A heading whose first line states none runs on the same way and names its section
        // in full.
        let (_, l) =
            layout("(4). Công tác bảo đảm nước sạch trên địa bàn\nhuyện và các xã vùng cao.\n");
        assert_eq!(
            block_texts(&l),
            ["Công tác bảo đảm nước sạch trên địa bàn huyện và các xã vùng cao."]
        );
        assert_eq!(
            l.sections[0].heading,
            "(4). Công tác bảo đảm nước sạch trên địa bàn huyện và các xã vùng cao."
        );
    }

    #[test]
    fn a_short_heading_does_not_run_into_its_paragraph() {
        let line = "Doanh thu đạt 12 tỷ đồng, tăng 5% so với cùng kỳ, chi phí";
        let mut text = String::from("a) Thương mại\nDoanh thu dịch vụ đạt 3 tỷ đồng.\n");
        for _ in 0..MIN_WRAPPED_LINES {
            text.push_str(line);
            text.push('\n');
        }
        let (doc, l) = layout(&text);
        assert_eq!(wrap_width(&doc, &l.masked), Some(line.chars().count()));
        assert_eq!(
            block_texts(&l)[..2],
            ["Thương mại", "Doanh thu dịch vụ đạt 3 tỷ đồng."]
        );
    }

    #[test]
    fn a_line_cut_at_the_wrap_width_runs_on_whatever_its_next_word() {
        let line = "Tổng thu ngân sách trên địa bàn ước đạt 12 tỷ đồng, bằng 98%";
        let mut text = format!("(2). {line}\nKH năm.\n");
        for _ in 0..MIN_WRAPPED_LINES {
            text.push_str(&format!(
                "{line}\nkế hoạch năm, tăng 5% so với cùng kỳ năm\n"
            ));
        }
        let (_, l) = layout(&text);
        assert!(block_texts(&l)[0].ends_with("bằng 98% KH năm."));
    }

    #[test]
    fn a_title_line_does_not_run_into_the_sentence_below_it() {
        let text = "Sản xuất công nghiệp tiếp tục tăng\nChỉ số sản xuất công nghiệp tăng 5%.\nDoanh thu đạt 3 tỷ đồng,\ntăng 2% so với cùng kỳ.\n";
        let (_, l) = layout(text);
        assert_eq!(
            block_texts(&l),
            [
                "Sản xuất công nghiệp tiếp tục tăng",
                "Chỉ số sản xuất công nghiệp tăng 5%.",
                "Doanh thu đạt 3 tỷ đồng, tăng 2% so với cùng kỳ."
            ]
        );
    }

    #[test]
    fn text_with_a_paragraph_a_line_is_not_wrapped() {
        let text = "Thu ngân sách đạt 5 tỷ đồng, tăng 3% so với cùng kỳ.\n".repeat(40);
        let (doc, l) = layout(&text);
        assert_eq!(wrap_width(&doc, &l.masked), None);
    }

    #[test]
    fn marked_headings_open_sections() {
        let doc = normalize("t", "Kinh tế\nNông nghiệp\nSản lượng đạt 5 tấn.\n")
            .with_marked_headings(vec![(1, 1), (2, 2)]);
        let l = split(&doc, Rules::shipped());
        assert_eq!(
            l.path(l.blocks.last().unwrap().section),
            ["Kinh tế", "Nông nghiệp"]
        );
    }

    #[test]
    fn a_heading_marker_written_in_a_report_is_only_text() {
        let (_, l) = layout("[heading:2]Nông nghiệp\nSản lượng đạt 5 tấn.\n");
        assert!(l.sections.is_empty(), "{:?}", l.sections);
    }

    #[test]
    fn numbered_items_keep_their_text_as_a_block() {
        let (doc, l) = layout("III. CHỈ TIÊU\n(2). Thu ngân sách đạt 100% kế hoạch giao.\n");
        let block = l.blocks.last().unwrap();
        assert_eq!(
            &doc.text[block.range.clone()],
            "Thu ngân sách đạt 100% kế hoạch giao."
        );
        assert_eq!(l.path(block.section), ["III. CHỈ TIÊU"]);
    }

    #[test]
    fn numbered_sentences_with_measures_are_items_and_titles_are_headings() {
        let text = "III. KẾT QUẢ\n8. Thu ngân sách trên địa bàn tỉnh đạt 2.310 tỷ đồng, tăng 11,6% so với năm trước và đạt 104,2% dự toán năm;\n9. Tỷ lệ hộ nghèo 1,2%.\n1. Tăng trưởng kinh tế\nGRDP tăng 6,9%.\n2. Kết quả thực hiện 6 tháng đầu năm 2025\na) Chăn nuôi\nb) Đàn lợn tăng 2,5%.\n";
        let (doc, l) = layout(text);
        let headings: Vec<&str> = l.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            headings,
            [
                "III. KẾT QUẢ",
                "1. Tăng trưởng kinh tế",
                "2. Kết quả thực hiện 6 tháng đầu năm 2025",
                "a) Chăn nuôi"
            ]
        );
        let (item, path) = block_starting(&doc, &l, "Thu ngân sách");
        assert!(
            item.starts_with("Thu ngân sách trên địa bàn tỉnh đạt"),
            "{item}"
        );
        assert_eq!(path, ["III. KẾT QUẢ"]);
        let (_, path) = block_starting(&doc, &l, "Đàn lợn");
        assert_eq!(path.last().map(String::as_str), Some("a) Chăn nuôi"));
    }

    #[test]
    fn an_item_cut_before_its_figure_by_a_wrap_is_still_an_item() {
        let mut text = String::from("III. KẾT QUẢ\n(1). Tổng thu ngân sách nhà nước trên địa bàn ước\nthực hiện năm 2022 là 74.500 triệu đồng, đạt 102,2% dự\ntoán tỉnh giao.\n(2). Tỷ lệ che phủ rừng ước đạt 57%, đạt 100% kế\nhoạch.\n");
        // Enough wrapped lines for the wrap width to be read off the text.
        for _ in 0..12 {
            text.push_str("Sản xuất nông nghiệp tiếp tục phát triển ổn định, các\nloại cây trồng sinh trưởng tốt.\n");
        }
        let (doc, l) = layout(&text);
        let headings: Vec<&str> = l.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(headings, ["III. KẾT QUẢ"]);
        let (item, path) = block_starting(&doc, &l, "Tổng thu");
        assert!(item.ends_with("tỉnh giao."), "{item}");
        assert_eq!(path, ["III. KẾT QUẢ"]);
        let (_, path) = block_starting(&doc, &l, "Tỷ lệ che phủ");
        assert_eq!(path, ["III. KẾT QUẢ"]);
    }

    /// The text of the block that starts with `opening`, and its section path.
    fn block_starting(doc: &Document, l: &Layout, opening: &str) -> (String, Vec<String>) {
        let block = l
            .blocks
            .iter()
            .find(|b| doc.text[b.range.clone()].starts_with(opening))
            .unwrap_or_else(|| panic!("no block starts with {opening:?}"));
        (
            doc.text[block.range.clone()].to_string(),
            l.path(block.section),
        )
    }

    #[test]
    fn capital_letters_open_a_level_above_roman() {
        let (doc, l) = layout(
            "A. KẾT QUẢ ĐẠT ĐƯỢC\nI. KINH TẾ\n1- Nông nghiệp\na. Trồng trọt\nSản lượng đạt 5 tấn.\n\
             B. NHIỆM VỤ\nI. MỤC TIÊU\nThu đạt 5 tỷ đồng.\n",
        );
        assert_eq!(
            block_starting(&doc, &l, "Sản lượng").1,
            [
                "A. KẾT QUẢ ĐẠT ĐƯỢC",
                "I. KINH TẾ",
                "1- Nông nghiệp",
                "a. Trồng trọt"
            ]
        );
        assert_eq!(
            block_starting(&doc, &l, "Thu đạt").1,
            ["B. NHIỆM VỤ", "I. MỤC TIÊU"]
        );
    }

    #[test]
    fn dashed_numbers_and_three_part_numbers_are_headings() {
        let (doc, l) = layout(
            "1 - Kinh tế\n1.2. Thương mại\n1.2.1. Bán lẻ\nDoanh thu đạt 5 tỷ đồng.\n\
             1.2.2. Xuất khẩu\nKim ngạch đạt 2 triệu USD.\n2– Xã hội\nb. Y tế\nCó 3 trạm.\n",
        );
        assert_eq!(
            block_starting(&doc, &l, "Doanh thu").1,
            ["1 - Kinh tế", "1.2. Thương mại", "1.2.1. Bán lẻ"]
        );
        assert_eq!(
            block_starting(&doc, &l, "Kim ngạch").1,
            ["1 - Kinh tế", "1.2. Thương mại", "1.2.2. Xuất khẩu"]
        );
        assert_eq!(block_starting(&doc, &l, "Có 3").1, ["2– Xã hội", "b. Y tế"]);
    }

    #[test]
    fn a_heading_does_not_swallow_the_next_line() {
        for heading in [
            "1- Sản xuất nông nghiệp",
            "A. KẾT QUẢ",
            "a. Trồng trọt",
            "2.1.3. Lúa",
        ] {
            let (doc, l) = layout(&format!("{heading}\nSản lượng lúa đạt 5 tấn.\n"));
            assert_eq!(l.sections.len(), 1, "{heading}");
            let (text, path) = block_starting(&doc, &l, "Sản lượng");
            assert_eq!(text, "Sản lượng lúa đạt 5 tấn.", "{heading}");
            assert_eq!(path, [heading]);
            assert!(
                l.blocks
                    .iter()
                    .all(|b| !doc.text[b.range.clone()].contains("\n")),
                "{heading}: a block runs over two lines"
            );
        }
    }

    #[test]
    fn sentences_opening_with_a_figure_are_body_text() {
        for line in [
            "1.250 hộ đã thoát nghèo, đạt 105% kế hoạch.",
            "5 tháng đầu năm sản lượng điện đạt 120 triệu kWh.",
            "2024 là năm bản lề của kế hoạch 5 năm.",
            "1-2 tháng tới sẽ hoàn thành.",
            "3 - 5 ngày giải quyết xong hồ sơ.",
            "12.500 suất quà đã được trao.",
            "45 tàu đã ra khơi.",
            "v.v. đều đạt kế hoạch.",
            "m. Các tuyến đường đã hoàn thành.",
            "b.c đạt yêu cầu.",
        ] {
            let (doc, l) = layout(&format!("I. KINH TẾ\n{line}\n"));
            assert_eq!(l.sections.len(), 1, "{line:?} opened a section");
            let (text, path) = block_starting(&doc, &l, &line[..3]);
            assert_eq!(text, line);
            assert_eq!(path, ["I. KINH TẾ"]);
        }
    }
}
