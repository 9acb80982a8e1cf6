//! Markdown (pandoc style) -> report text (the conventions of `render.rs`).
//!
//! In: Markdown as pandoc and people write it: ATX (`## I. ...`) and setext headings,
//! `[^N]` references with `[^N]: ...` definitions, pipe tables, lists, emphasis and links.
//! Out: a [`Rendered`] text that the layout stage reads like a DOCX export: headings with
//! their level noted, anchors `[footnoteRef:N]`, bodies `[N:  ...]` (all after the text, so
//! every anchor comes first), table rows as sentences, emphasis, links and pandoc's
//! bracketed spans as their text, list items with their marker ("1.", "-") so numbered
//! items still match the heading patterns. Issue 4, part 1; "Where a fact lives" of
//! `spec/facts.md`.
//!
//! Why line by line: a wrapped paragraph keeps its lines where layout would join them again
//! anyway, so a fact's `line` and each measure's `line` point at the user's line; only a
//! line that layout would take as the end of a paragraph (it ends a sentence, or the next
//! one looks like a heading or bullet) is joined to its neighbour here instead.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

use crate::render::{anchor_marker, Rendered, Row};
use crate::rules::Rules;
use crate::words::collapse_spaces;

/// Render Markdown to report text.
pub fn render(markdown: &str, rules: &Rules) -> Rendered {
    // Heading attributes: pandoc writes `# Phần I {#_Toc1}` for Word's bookmarks.
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_HEADING_ATTRIBUTES;
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(markdown, options)
        .into_offset_iter()
        .collect();
    let mut renderer = Renderer {
        rules,
        source: markdown,
        line_starts: line_starts(markdown),
        labels: footnote_numbers(&events),
        out: Rendered::default(),
        text: Vec::new(),
        heading: None,
        item_marker: None,
        note: None,
        notes: Vec::new(),
        table: None,
        hidden: 0,
    };
    for (event, range) in events {
        renderer.event(event, range);
    }
    renderer.finish()
}

/// Whether inline HTML is a line break (`<br>`, `<br/>`, `<BR />`).
fn is_line_break(html: &str) -> bool {
    let tag: String = html
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '/')
        .collect();
    tag.eq_ignore_ascii_case("<br>")
}

/// A run of text and the 1-based source line it starts on.
#[derive(Debug, Clone)]
struct Segment {
    text: String,
    line: usize,
}

/// A footnote definition being read or read.
struct Note {
    number: u32,
    body: String,
    line: usize,
}

/// A table being read: finished rows (the header first) and the row being read.
#[derive(Default)]
struct Table {
    rows: Vec<Row>,
    row: Row,
}

struct Renderer<'a> {
    rules: &'a Rules,
    source: &'a str,
    line_starts: Vec<usize>,
    labels: HashMap<String, u32>,
    out: Rendered,
    /// Inline text of the block being read, one segment per source line.
    text: Vec<Segment>,
    heading: Option<u8>,
    /// The marker of a list item whose first text is not written yet.
    item_marker: Option<String>,
    note: Option<Note>,
    notes: Vec<Note>,
    table: Option<Table>,
    /// Depth inside images and HTML, whose text is not report text.
    hidden: usize,
}

impl Renderer<'_> {
    fn event(&mut self, event: Event, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(text) | Event::Code(text) => self.push_text(&text, range.start),
            Event::FootnoteReference(label) => {
                let number = self.labels.get(label.as_ref()).copied().unwrap_or(0);
                if self.hidden == 0 {
                    self.out.anchor(number);
                }
                self.push_text(&anchor_marker(number), range.start);
            }
            Event::SoftBreak | Event::HardBreak => self.text.push(Segment {
                text: String::new(),
                line: self.line_of(range.end),
            }),
            // `<br>` breaks the lines of a table cell (a header's "ỦY BAN NHÂN DÂN<br>TỈNH X").
            Event::InlineHtml(html) if is_line_break(&html) => self.text.push(Segment {
                text: String::new(),
                line: self.line_of(range.end),
            }),
            Event::Rule => self.flush(),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag, range: Range<usize>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some(level as u8);
            }
            Tag::Paragraph | Tag::CodeBlock(_) | Tag::List(_) | Tag::BlockQuote(_) => self.flush(),
            Tag::Item => {
                self.flush();
                self.item_marker = Some(self.marker_at(range.start));
            }
            Tag::FootnoteDefinition(label) => {
                self.flush();
                self.note = Some(Note {
                    number: self.labels.get(label.as_ref()).copied().unwrap_or(0),
                    body: String::new(),
                    line: self.line_of(range.start),
                });
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some(Table::default());
            }
            Tag::TableHead | Tag::TableRow => {
                let line = self.line_of(range.start);
                if let Some(table) = &mut self.table {
                    table.row = Row {
                        cells: Vec::new(),
                        line,
                    };
                }
            }
            Tag::TableCell => self.text.clear(),
            Tag::Image { .. } | Tag::HtmlBlock => self.hidden += 1,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, _range: Range<usize>) {
        match tag {
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::CodeBlock
            | TagEnd::Item
            | TagEnd::BlockQuote(_) => self.flush(),
            TagEnd::FootnoteDefinition => {
                self.flush();
                self.notes.extend(self.note.take());
            }
            TagEnd::TableCell => {
                let cell = strip_spans(&join(&self.text));
                self.text.clear();
                if let Some(table) = &mut self.table {
                    table.row.cells.push(cell);
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(table) = &mut self.table {
                    let row = std::mem::take(&mut table.row);
                    table.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.out.table(self.rules, &table.rows);
                }
            }
            TagEnd::Image | TagEnd::HtmlBlock => self.hidden = self.hidden.saturating_sub(1),
            _ => {}
        }
    }

    /// Add inline text; a line break inside it (code blocks) starts a new segment.
    fn push_text(&mut self, text: &str, offset: usize) {
        if self.hidden > 0 {
            return;
        }
        let first_line = self.line_of(offset);
        for (index, piece) in text.split('\n').enumerate() {
            if index > 0 {
                self.text.push(Segment {
                    text: String::new(),
                    line: first_line + index,
                });
            }
            match self.text.last_mut() {
                Some(last) => {
                    if last.text.is_empty() && index == 0 {
                        last.line = first_line;
                    }
                    last.text.push_str(piece);
                }
                None => self.text.push(Segment {
                    text: piece.to_string(),
                    line: first_line,
                }),
            }
        }
    }

    /// Write the block read so far: into the footnote being defined, as a heading, or as a
    /// paragraph. Table cells collect their own text and are left alone.
    fn flush(&mut self) {
        if self.table.is_some() {
            return;
        }
        let heading = self.heading.take();
        let mut segments = std::mem::take(&mut self.text);
        for segment in &mut segments {
            segment.text = strip_spans(&segment.text);
        }
        segments.retain(|s| !s.text.trim().is_empty());
        let Some(first) = segments.first_mut() else {
            return;
        };
        if let Some(marker) = self.item_marker.take() {
            first.text = format!("{marker} {}", first.text.trim_start());
        }
        if let Some(note) = &mut self.note {
            if !note.body.is_empty() {
                note.body.push(' ');
            }
            note.body.push_str(&join(&segments));
            return;
        }
        let line = first.line;
        if let Some(level) = heading {
            self.out.heading(level, &join(&segments), line);
            return;
        }
        for segment in self.lines(segments) {
            self.out.line(&collapse_spaces(&segment.text), segment.line);
        }
        self.out.blank(line);
    }

    /// The lines of a paragraph: a source line stays a line where layout runs it on into
    /// the previous one, and is joined to the previous one where layout would not.
    fn lines(&self, segments: Vec<Segment>) -> Vec<Segment> {
        let mut lines: Vec<Segment> = Vec::new();
        for segment in segments {
            match lines.last_mut() {
                Some(last) if !runs_on(self.rules, &last.text, &segment.text) => {
                    last.text.push(' ');
                    last.text.push_str(segment.text.trim());
                }
                _ => lines.push(segment),
            }
        }
        lines
    }

    /// Footnote bodies go last, after every anchor, whatever the order in the file.
    fn finish(mut self) -> Rendered {
        self.flush();
        self.notes.sort_by_key(|n| n.number);
        for note in &self.notes {
            self.out.note(note.number, &note.body, note.line);
        }
        self.out
    }

    /// The list marker as written ("1.", "a)", "-") at the start of an item.
    fn marker_at(&self, offset: usize) -> String {
        let rest = self.source.get(offset..).unwrap_or("").trim_start();
        rest.split_whitespace().next().unwrap_or("-").to_string()
    }

    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }
}

/// Byte offsets where lines start.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn join(segments: &[Segment]) -> String {
    let texts: Vec<&str> = segments.iter().map(|s| s.text.as_str()).collect();
    collapse_spaces(&texts.join(" "))
}

/// Footnote numbers by label: numeric labels keep their number (it is what the reader
/// sees); other labels (`[^nguon]`) take the next free numbers in order of appearance.
fn footnote_numbers(events: &[(Event, Range<usize>)]) -> HashMap<String, u32> {
    let labels: Vec<&str> = events
        .iter()
        .filter_map(|(event, _)| match event {
            Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label)) => {
                Some(label.as_ref())
            }
            _ => None,
        })
        .collect();
    let mut numbers: HashMap<String, u32> = labels
        .iter()
        .filter_map(|label| Some((label.to_string(), label.parse::<u32>().ok()?)))
        .collect();
    let mut next = numbers.values().max().copied().unwrap_or(0);
    for label in labels {
        if !numbers.contains_key(label) {
            next += 1;
            numbers.insert(label.to_string(), next);
        }
    }
    numbers
}

/// Whether layout runs `next` on into `previous` (mirrors its rule: the previous line does
/// not end a sentence, neither line is a numbered heading, and the next is no bullet).
fn runs_on(rules: &Rules, previous: &str, next: &str) -> bool {
    let is_heading = |line: &str| rules.headings.iter().any(|h| h.regex.is_match(line));
    let ends_sentence = crate::words::ends_sentence(strip_trailing_anchors(previous.trim_end()));
    let next = next.trim_start();
    let bullet = crate::words::starts_with_bullet(next);
    !ends_sentence && !bullet && !is_heading(previous) && !is_heading(next)
}

/// pandoc's bracketed spans read as their text: Markdown that pandoc made from a Word file
/// carries `[gạch chân]{.underline}` for underlined words and `[]{#_Hlk1 .anchor}` for
/// bookmarks, which pulldown-cmark (no spans) leaves as literal text.
fn strip_spans(text: &str) -> String {
    static SPAN: OnceLock<Regex> = OnceLock::new();
    let span = SPAN.get_or_init(|| {
        Regex::new(r"\[([^\[\]]*)\]\{[#.][^{}]*\}").expect("the span pattern compiles")
    });
    span.replace_all(text, "$1").into_owned()
}

/// Layout blanks anchors before looking at how a line ends.
fn strip_trailing_anchors(mut text: &str) -> &str {
    while let Some(start) = text.rfind("[footnoteRef:") {
        if !text.ends_with(']') || text[start..].contains(' ') {
            break;
        }
        text = text[..start].trim_end();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> &'static Rules {
        Rules::shipped()
    }

    fn rendered(markdown: &str) -> Rendered {
        render(markdown, rules())
    }

    fn lines(r: &Rendered) -> Vec<String> {
        r.marked_lines()
    }

    #[test]
    fn a_line_break_in_a_table_cell_separates_its_words() {
        let r = rendered("| **SỞ TÀI CHÍNH**<br>TỈNH AN GIANG | Độc lập<BR/>Tự do |\n|---|---|\n");
        let text = lines(&r).join("\n");
        assert!(text.contains("SỞ TÀI CHÍNH TỈNH AN GIANG"), "{text}");
        assert!(text.contains("Độc lập Tự do"), "{text}");
    }

    #[test]
    fn atx_and_setext_headings_are_marked_with_their_level() {
        let r = rendered("Kinh tế\n======\n\n## Nông nghiệp\n\nSản lượng đạt 5 tấn.\n");
        assert_eq!(
            lines(&r),
            [
                "[heading:1]Kinh tế",
                "[heading:2]Nông nghiệp",
                "Sản lượng đạt 5 tấn."
            ]
        );
    }

    #[test]
    fn footnotes_are_anchored_and_their_bodies_come_last() {
        let r = rendered(
            "[^1]: Trong đó: lúa đạt 3 tấn,\n    ngô đạt 2 tấn.\n\nSản lượng đạt 5 tấn[^1]. Thu đạt 9 tỷ đồng[^ns].\n\n[^ns]: Thu thuế đạt 4 tỷ đồng.\n",
        );
        assert_eq!(
            lines(&r),
            [
                "Sản lượng đạt 5 tấn[footnoteRef:1]. Thu đạt 9 tỷ đồng[footnoteRef:2].",
                "[1:  Trong đó: lúa đạt 3 tấn, ngô đạt 2 tấn.]",
                "[2:  Thu thuế đạt 4 tỷ đồng.]",
            ]
        );
        let facts = crate::extract_text("t", &r.text, rules()).facts;
        let noted: Vec<_> = facts.iter().filter_map(|f| f.footnote).collect();
        assert_eq!(noted, [1, 1, 2]);
    }

    #[test]
    fn a_table_row_reads_as_a_sentence() {
        let r = rendered(
            "| Chỉ tiêu | ĐVT | Kế hoạch | Ước thực hiện | % so với KH |\n|---|---|---|---|---|\n| Tổng thu NSNN | tỷ đồng | 170,3 | 165,2 | 97 |\n",
        );
        assert_eq!(
            lines(&r),
            ["Tổng thu NSNN: kế hoạch 170,3 tỷ đồng, ước thực hiện 165,2 tỷ đồng, đạt 97% kế hoạch."]
        );
        assert_eq!(r.source_lines[0], 3);
    }

    #[test]
    fn emphasis_links_and_code_read_as_their_text() {
        let r =
            rendered("**1. Về kinh tế**\n\nThu *ước đạt* [9 tỷ đồng](http://x.vn) `tăng 2%`.\n");
        assert_eq!(
            lines(&r),
            ["1. Về kinh tế", "Thu ước đạt 9 tỷ đồng tăng 2%."]
        );
    }

    #[test]
    fn pandoc_spans_and_heading_attributes_read_as_text() {
        let r = rendered(
            "# Phần I {#_Toc1}\n\n[]{#_Hlk1 .anchor}Thu [ước đạt]{.underline} 9 tỷ đồng.\n",
        );
        assert_eq!(lines(&r), ["[heading:1]Phần I", "Thu ước đạt 9 tỷ đồng."]);
    }

    #[test]
    fn list_items_keep_their_markers() {
        let r = rendered("1. Kết quả đạt được\n\n- Sản lượng giảm.\n- Đàn bò tăng.\n");
        assert_eq!(
            lines(&r),
            ["1. Kết quả đạt được", "- Sản lượng giảm.", "- Đàn bò tăng."]
        );
    }

    #[test]
    fn wrapped_lines_keep_their_source_lines_where_layout_rejoins_them() {
        let r = rendered("# Nông nghiệp\n\nTổng đàn gia súc ước\nlà 52.318 con.\nTăng 2%\n(so với cùng kỳ);\nđạt 5%.\n");
        let marked = r.marked_text();
        let text: Vec<(&str, usize)> = marked
            .lines()
            .zip(r.source_lines.iter().copied())
            .filter(|(l, _)| !l.is_empty())
            .collect();
        assert_eq!(
            text,
            [
                ("[heading:1]Nông nghiệp", 1),
                ("Tổng đàn gia súc ước", 3),
                ("là 52.318 con. Tăng 2%", 4),
                ("(so với cùng kỳ); đạt 5%.", 6),
            ]
        );
        let facts = crate::extract_text("t", &r.text, rules()).facts;
        assert_eq!(facts[0].measures[0].value, 52318.0);
        // A numbered item is a heading to layout, which ends it at its line: keep it whole.
        let r = rendered("(1). Tổng thu ngân sách ước\nđạt 82.600 triệu đồng.\n");
        assert_eq!(
            r.text.lines().next(),
            Some("(1). Tổng thu ngân sách ước đạt 82.600 triệu đồng.")
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_renders_without_panic(text in "[#*_\\[\\]^:|\\-0-9a-zđ ()\n>`!]{0,200}") {
            let r = rendered(&text);
            proptest::prop_assert_eq!(r.text.lines().count(), r.source_lines.len());
        }
    }

    #[test]
    fn html_and_images_are_not_text() {
        let r = rendered("<!-- ghi chú -->\n\nẢnh ![đạt 99%](a.png) minh họa.\n");
        assert_eq!(lines(&r), ["Ảnh minh họa."]);
    }
}
