//! Pages of lines -> paragraphs: running headers, footers and page numbers dropped, lines
//! that run to the right edge joined, notes at the foot taken as footnote bodies, lines of
//! columns far apart read as table rows.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::lines::{Line, Piece};
use crate::render::{anchor_marker, Rendered, Row};
use crate::rules::Rules;
use crate::words::is_page_number;

/// The margin at the top and the foot of a page where running headers and footers stand.
const MARGIN: f64 = 0.1;

/// Drop running headers and footers, take the notes off each page's foot, join the rest
/// into paragraphs and tables.
pub(super) fn layout(mut pages: Vec<Vec<Line>>, rules: &Rules) -> Rendered {
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
            for line in &body[start..index] {
                declare_anchors(line, &notes, &mut out);
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
        declare_anchors(&body[index], &notes, &mut out);
        while index + 1 < body.len() && runs_on(&body[index], &body[index + 1], right) {
            index += 1;
            declare_anchors(&body[index], &notes, &mut out);
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
pub(super) fn rendered(line: &Line, notes: &BTreeMap<u32, String>) -> String {
    let mut text = String::new();
    for piece in &line.pieces {
        match piece {
            Piece::Text(t) => text.push_str(t),
            Piece::Superscript(n) if notes.contains_key(n) => text.push_str(&anchor_marker(*n)),
            Piece::Superscript(n) => text.push_str(&n.to_string()),
            Piece::Cell => text.push(' '),
        }
    }
    crate::words::collapse_spaces(&text)
}

/// Declare the anchors [`rendered`] writes for a line: its superscripts that name a note.
fn declare_anchors(line: &Line, notes: &BTreeMap<u32, String>, out: &mut Rendered) {
    for piece in &line.pieces {
        if let Piece::Superscript(n) = piece {
            if notes.contains_key(n) {
                out.anchor(*n);
            }
        }
    }
}

pub(super) fn cells(line: &Line, notes: &BTreeMap<u32, String>) -> Vec<String> {
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
}
