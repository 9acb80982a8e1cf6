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
use crate::rules::{Groups, HeadingRule, Rules};
use crate::words::{collapse_spaces, ends_sentence, starts_with_bullet};

mod lines;
mod notes;
mod pages;

use lines::*;
use notes::*;

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
    let mut markers = scan_markers(doc);
    let furniture = pages::furniture(doc, &rules.marks.page_words);
    // Blanked too, so that the sentence they cut reads whole.
    markers
        .blanks
        .extend(furniture.iter().map(|&line| doc.line_range(line)));
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
        furniture,
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

/// A heading shape a line has, and its groups.
type Shape<'t> = (&'t HeadingRule, Groups<'t>);

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
    /// Lines of page furniture ([`pages::furniture`]): read past, as if not there.
    furniture: std::collections::HashSet<usize>,
}

impl<'a> Builder<'a> {
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
        if self.furniture.contains(&line) {
            return;
        }
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
        let shape = self.shape(text);
        let item = marked_level
            .is_none()
            .then(|| self.item_text(shape.as_ref()))
            .flatten();
        if let Some(at) = item {
            self.push_block(range.start + at..body_end);
            self.heading_text = None;
            self.paragraph_open = bodies.is_empty() && !ends_sentence(text) && !is_title_line(text);
            self.last_line_chars = text.trim().chars().count();
            self.cut = (bodies.is_empty() && !ends_full_stop(text)).then(|| self.cut_at(text));
            return;
        }
        let numbers_items = shape.as_ref().is_some_and(|(rule, _)| rule.items);
        if let Some(title_start) = self.heading(line, range.start, text, marked_level, shape) {
            self.paragraph_open = false;
            if title_start < body_end && !self.masked[title_start..body_end].trim().is_empty() {
                self.push_block(title_start..body_end);
                let section = self.sections.len() - 1;
                let items = marked_level.is_none() && numbers_items;
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
        let continues =
            (self.paragraph_open && !starts_with_bullet(text) && !self.after_title(text))
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
    fn item_text(&self, shape: Option<&Shape>) -> Option<usize> {
        let (rule, groups) = shape?;
        if !rule.items {
            return None;
        }
        let title = groups.name("title")?;
        let words = title.as_str();
        (!in_capitals(words) && states_measure(self.rules, words)).then_some(title.start())
    }

    /// The first heading shape the line has, with its groups: read once a line, for both
    /// whether it is an item of a list and whether it opens a section (finding is cheap;
    /// the groups take a slower engine over the whole paragraph).
    fn shape(&self, text: &'a str) -> Option<Shape<'a>> {
        let rule = self
            .rules
            .headings
            .iter()
            .find(|h| h.regex.is_match(text))?;
        Some((rule, rule.regex.captures(text)?))
    }

    fn is_heading(&self, text: &str) -> bool {
        self.rules.headings.iter().any(|h| h.regex.is_match(text))
    }

    /// If the line is a heading (by shape, or marked), open its section and return where
    /// its text to read for facts starts.
    fn heading(
        &mut self,
        line: usize,
        start: usize,
        text: &str,
        marked_level: Option<u8>,
        shape: Option<Shape>,
    ) -> Option<usize> {
        let numbered = shape.map(|(rule, caps)| (rule.level, caps));
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

#[cfg(test)]
mod tests;
