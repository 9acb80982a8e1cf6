//! The document record written with `--docs`: one line per input with its title, reporting
//! period, issuing body, encoding, counts and warnings, so a researcher can see at a glance
//! what each archive file is and whether it was read well.

use serde::{Deserialize, Serialize};

use crate::extract::year_of;
use crate::layout::Layout;
use crate::normalize::Document;
use crate::rules::Rules;

/// Lines searched for the title and the issuing body.
const HEADER_LINES: usize = 40;

/// A header line longer than this is body text, not a title.
const MAX_HEADER_CHARS: usize = 400;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocRecord {
    pub doc: String,
    pub title: Option<String>,
    /// Reporting period read from the title ("6 tháng đầu năm 2025").
    pub period: Option<String>,
    pub issuer: Option<String>,
    pub format: String,
    pub encoding: String,
    pub sections: usize,
    pub footnotes: usize,
    pub facts: usize,
    pub warnings: Vec<String>,
}

/// What the header of a document says.
pub struct Header {
    pub title: Option<String>,
    pub period: Option<String>,
    pub issuer: Option<String>,
}

/// Read title, period and issuer from the first lines.
pub fn header(doc: &Document, layout: &Layout, rules: &Rules) -> Header {
    let lines: Vec<&str> = (1..=doc.line_count().min(HEADER_LINES))
        .map(|n| layout.masked[doc.line_range(n)].trim())
        .filter(|line| !line.is_empty() && line.len() <= MAX_HEADER_CHARS * 4)
        .collect();
    let title = title(&lines, rules);
    let period = title.as_deref().and_then(|t| period(t, rules));
    let issuer = lines.iter().find_map(|line| issuer(line, rules));
    Header {
        title,
        period,
        issuer,
    }
}

fn title(lines: &[&str], rules: &Rules) -> Option<String> {
    let document = &rules.document;
    if let Some(i) = lines.iter().position(|l| document.title_marker.is_match(l)) {
        return lines.get(i + 1).map(|l| l.to_string());
    }
    // With no "BÁO CÁO" line, the first line past the letterhead is the title unless it
    // reads as body text (a bare excerpt): its years are no reporting period.
    lines
        .iter()
        .find(|l| !document.title_skip.iter().any(|skip| skip.is_match(l)))
        .filter(|l| !document.title_body.is_match(l))
        .map(|l| l.to_string())
}

/// The first period phrase of the title, completed with the title's year when it has none
/// ("6 tháng đầu năm, nhiệm vụ 6 tháng cuối năm 2025" -> "6 tháng đầu năm 2025").
pub fn period(title: &str, rules: &Rules) -> Option<String> {
    let found = rules.lexicon.period.find(title)?;
    let mut phrase = crate::extract::trim_edges(found.as_str())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // "5 năm 2016-2020": a review of years reports in the last of them.
    // (The match takes the character after its last word, as a word edge.)
    let phrase_end = found.start()
        + found
            .as_str()
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .len();
    if let Some(last) = range_end(&title[phrase_end..]) {
        phrase = format!("{phrase}-{last}");
    }
    if year_of(&phrase).is_some() {
        return Some(phrase);
    }
    let year = year_of(&title[found.end()..])?;
    Some(format!("{phrase} {year}"))
}

/// The end year of a range that continues a period phrase: "-2020" in "năm 2016-2020".
fn range_end(rest: &str) -> Option<&str> {
    let rest = rest.trim_start().strip_prefix(['-', '–'])?.trim_start();
    let year = rest.get(..4)?;
    let is_year = year.bytes().all(|b| b.is_ascii_digit())
        && (year.starts_with("19") || year.starts_with("20"))
        && !rest[4..].starts_with(|c: char| c.is_ascii_digit());
    is_year.then_some(year)
}

fn issuer(line: &str, rules: &Rules) -> Option<String> {
    rules.issuers.iter().find_map(|rule| {
        let caps = rule.regex.captures(line)?;
        let mut name = rule.template.clone();
        for group in rule.regex.capture_names().flatten() {
            let value = caps.name(group).map_or("", |m| m.as_str());
            name = name.replace(&format!("{{{group}}}"), value.trim());
        }
        Some(name.split_whitespace().collect::<Vec<_>>().join(" "))
    })
}
