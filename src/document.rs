//! The document record written with `--docs`: one line per input with its title, reporting
//! period, issuing body, encoding, counts and warnings, so a researcher can see at a glance
//! what each archive file is and whether it was read well.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::extract::year_of;
use crate::layout::Layout;
use crate::normalize::Document;
use crate::period::Found;
use crate::rules::{Groups, HeaderRules, ProvincePhrase, ProvincePhrases, Rules};
use crate::words::{collapse_spaces, is_year, old_tone_placement};

/// Lines searched for the title and the issuing body.
const HEADER_LINES: usize = 40;

/// A header line longer than this is body text, not a title.
const MAX_HEADER_CHARS: usize = 400;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocRecord {
    pub doc: String,
    /// Document type from the header's type line, lower case ("báo cáo", "kế hoạch").
    #[serde(rename = "type", default)]
    pub doc_type: Option<String>,
    /// Number and symbol ("0204/KH-UBND").
    #[serde(default)]
    pub number: Option<String>,
    pub issuer: Option<String>,
    /// The province reported on: the issuer's, or the one a central body writes about.
    #[serde(default)]
    pub province: Option<String>,
    /// Date of issue (of publication for a web page), ISO.
    #[serde(default)]
    pub date: Option<String>,
    pub title: Option<String>,
    /// Reporting period read from the title ("6 tháng đầu năm 2025").
    pub period: Option<String>,
    /// The period as ISO 8601 ("2025-01/2025-06").
    #[serde(default)]
    pub period_iso: Option<String>,
    pub format: String,
    pub encoding: String,
    pub sections: usize,
    pub footnotes: usize,
    pub facts: usize,
    pub warnings: Vec<String>,
}

/// What the header of a document says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub doc_type: Option<String>,
    pub number: Option<String>,
    pub issuer: Option<String>,
    pub province: Option<String>,
    pub date: Option<String>,
    pub title: Option<String>,
    pub period: Option<String>,
    pub period_iso: Option<String>,
}

/// Read the header from the first lines: the administrative block (issuer, motto, number,
/// place and date, type line, title lines) in whatever shape it survives, else a web
/// page's title and date line, else the first line that reads as a title.
pub fn header(doc: &Document, layout: &Layout, rules: &Rules) -> Header {
    let raw: Vec<&str> = (1..=doc.line_count().min(HEADER_LINES))
        .map(|n| layout.masked[doc.line_range(n)].trim())
        .filter(|line| line.len() <= MAX_HEADER_CHARS * 4)
        .collect();
    read_header(&raw, rules)
}

/// [`header`] over lines of text.
pub fn read_header(raw: &[&str], rules: &Rules) -> Header {
    let h = &rules.header;
    let mut lines: Vec<String> = raw.iter().map(|l| clean(l, h)).collect();
    // What a web page or an export puts above the administrative block (the document's
    // name, a summary in long sentences) is no part of it: the block starts a few lines
    // above the national motto.
    // (The motto's patterns are asked in the `regex` crate's form: the issuer's lines cut
    // them out with it.)
    let motto = lines
        .iter()
        .position(|l| h.motto.iter().any(|m| m.is_match(l)));
    if let Some(motto) = motto {
        lines.drain(..motto.saturating_sub(LINES_ABOVE_MOTTO));
    }
    // The header ends where body text starts: a type line below it is a heading.
    let body_starts = lines
        .iter()
        .position(|l| l.split(' ').count() > MAX_HEADER_LINE_WORDS)
        .unwrap_or(lines.len());
    let type_line = lines
        .iter()
        .take(h.lines.max(1).min(body_starts))
        .position(|l| doc_type(l, h).is_some());
    // With no type line (a công văn), an administrative block runs to the body text; a
    // web page's header is its first lines.
    let untyped_end = match motto {
        Some(_) => body_starts.min(h.lines),
        None => body_starts.min(WEB_HEADER_LINES),
    };
    let zone = &lines[..type_line.unwrap_or(untyped_end)];
    let subject = match type_line {
        Some(_) => None,
        None => subject_line(zone, h),
    };
    let doc_type = match (type_line, &subject) {
        (Some(i), _) => doc_type(&lines[i], h),
        (None, Some((_, subject_type))) => Some(subject_type.clone()),
        (None, None) => None,
    };
    let title = match (type_line, subject) {
        (Some(i), _) => title_lines(&lines[i + 1..], h),
        (None, Some((line, _))) => Some(line),
        (None, None) => {
            let present: Vec<&str> = lines
                .iter()
                .map(String::as_str)
                .filter(|l| !l.is_empty())
                .collect();
            title(&present, rules)
        }
    };
    let date = issue_date(zone, h).or_else(|| web_date(&lines, h));
    let (period, period_iso) = title
        .as_deref()
        .and_then(|t| report_period(t, rules).or_else(|| dated_period(t, date.as_deref()?, rules)))
        .map_or((None, None), |(p, iso)| (Some(p), iso));
    let issuer = header_issuer(zone, h, motto.is_some()).or_else(|| {
        raw.iter()
            .filter(|l| !l.is_empty())
            .find_map(|line| issuer(line, rules))
    });
    let province = province(issuer.as_deref(), title.as_deref(), h).or_else(|| {
        issuer
            .as_deref()
            .filter(|issuer| below_province(issuer, h))
            .and_then(|_| province_named_most(raw, h))
    });
    Header {
        doc_type,
        // "Số:" and the number may stand on lines of their own (a narrow column).
        number: zone
            .iter()
            .find_map(|l| number(l, h))
            .or_else(|| number(&zone.join(" "), h)),
        issuer,
        province,
        date,
        title,
        period,
        period_iso,
    }
}

/// The subject line of a document with no type line ("V/v chỉ tiêu báo cáo thống kê", with
/// any number written beside it cut off), and the type it gives.
fn subject_line(zone: &[String], h: &HeaderRules) -> Option<(String, String)> {
    let (pattern, subject_type) = h.subject.as_ref()?;
    zone.iter().find_map(|line| {
        let at = pattern.find(line)?.start();
        Some((line[at..].trim().to_string(), subject_type.clone()))
    })
}

/// Lines the issuer's block may take above the motto beside it (its name, rules, blanks).
const LINES_ABOVE_MOTTO: usize = 8;

/// Lines searched for a web page's date line, and the header block of a document with no
/// type line.
const WEB_HEADER_LINES: usize = 8;

/// A line with more words than this is body text, below the header.
const MAX_HEADER_LINE_WORDS: usize = 30;

/// How many months before its period ends a report may be dated (a year's estimates in
/// November, a half-year's in May).
const MONTHS_ISSUED_EARLY: u32 = 2;

/// A header line without markup (table bars, emphasis), white space collapsed.
fn clean(line: &str, h: &HeaderRules) -> String {
    let line = match &h.markup {
        Some(markup) => markup.replace_all(line, " "),
        None => line.into(),
    };
    collapse_spaces(&line)
}

/// Lower case, one tone placement ("hoà" = "hòa"), white space collapsed: for comparing
/// names however they are typed.
pub fn fold(text: &str) -> String {
    old_tone_placement(&collapse_spaces(&text.to_lowercase()))
}

/// The document type a type line names ("KẾ HOẠCH" -> "kế hoạch").
fn doc_type(line: &str, h: &HeaderRules) -> Option<String> {
    let folded = fold(line.trim_matches(|c: char| !c.is_alphanumeric()));
    h.types.iter().find(|t| fold(t) == folded).cloned()
}

/// Number and symbol ("Số: 0204/KH-UBND" -> "0204/KH-UBND").
fn number(line: &str, h: &HeaderRules) -> Option<String> {
    let caps = h.number.as_ref()?.captures(line)?;
    Some(caps.name("number")?.as_str().to_string())
}

/// Date of issue from the place-and-date line, which may be broken over lines.
fn issue_date(zone: &[String], h: &HeaderRules) -> Option<String> {
    let joined = zone.join(" ");
    let caps = h.date.as_ref()?.captures(&joined)?;
    iso_date(&caps)
}

/// A web page's date line ("04/09/2025 08:04") among its first lines.
fn web_date(lines: &[String], h: &HeaderRules) -> Option<String> {
    let regex = h.web_date.as_ref()?;
    lines
        .iter()
        .filter(|l| !l.is_empty())
        .take(WEB_HEADER_LINES)
        .find_map(|l| iso_date(&regex.captures(l)?))
}

fn iso_date(caps: &Groups) -> Option<String> {
    let part = |name: &str| caps.name(name)?.as_str().parse::<u32>().ok();
    let (day, month, year) = (part("day")?, part("month")?, part("year")?);
    let valid =
        (1..=31).contains(&day) && (1..=12).contains(&month) && (1900..2100).contains(&year);
    valid.then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// The title lines after the type line, joined: up to a blank line, a line that opens the
/// body ("Kính gửi", "Căn cứ"), a rule, or, for a title in capitals, a line that is not.
fn title_lines(lines: &[String], h: &HeaderRules) -> Option<String> {
    let mut taken: Vec<&str> = Vec::new();
    for line in lines {
        if line.is_empty() {
            if taken.is_empty() {
                continue;
            }
            break;
        }
        // A line in capitals that opens like body text ("THỰC HIỆN CHƯƠNG TRÌNH ...") is a
        // title: body text is not written in capitals.
        let opens_body = h.body.as_ref().is_some_and(|b| b.is_match(line)) && !capitals(line);
        let ends = opens_body
            || h.rule.as_ref().is_some_and(|r| r.is_match(line))
            || h.web_date.as_ref().is_some_and(|r| r.is_match(line))
            || taken
                .first()
                .is_some_and(|first| capitals(first) && !capitals(line))
            || taken.len() >= MAX_TITLE_LINES;
        if ends {
            break;
        }
        taken.push(line);
    }
    let title = collapse_spaces(&taken.join(" "));
    (!title.is_empty()).then_some(title)
}

/// Lines a title may run to.
const MAX_TITLE_LINES: usize = 6;

/// Whether a line's letters are all capitals (and it has some).
fn capitals(line: &str) -> bool {
    line.chars().any(char::is_alphabetic)
        && !line
            .split_whitespace()
            .filter(|word| !is_symbol(word))
            .any(|word| word.chars().any(char::is_lowercase))
}

/// A document's number and symbol ("856/QĐ-TTg", "19/CT-TTg"): its small letters do not
/// make a title in capitals end.
fn is_symbol(word: &str) -> bool {
    word.contains('/') && word.chars().any(|c| c.is_ascii_digit())
}

/// The issuing body from the header block: its lines from the top, joined, up to the rule
/// under it, the motto, the number or the date. A flattened two-column header puts the
/// motto beside the issuer's lines; it is cut out of them.
fn header_issuer(zone: &[String], h: &HeaderRules, letterhead: bool) -> Option<String> {
    let mut taken: Vec<String> = Vec::new();
    let mut skipped: Option<String> = None;
    for line in zone {
        if line.is_empty() {
            if taken.is_empty() {
                continue;
            }
            break;
        }
        if h.rule.as_ref().is_some_and(|r| r.is_match(line)) {
            if taken.is_empty() {
                continue;
            }
            break;
        }
        let mut rest = line.clone();
        let mut cut = false;
        for motto in &h.motto {
            if let Cow::Owned(without) = motto.replace_all(&rest, " ") {
                rest = without;
                cut = true;
            }
        }
        // A cut line keeps the issuer's half only when it stands before the motto's.
        let mut rest =
            collapse_spaces(rest.trim_matches(|c: char| !c.is_alphanumeric() && c != '.'));
        // The number's line ends the issuer's, even a draft's with the number left blank.
        let stop = h.number.as_ref().is_some_and(|n| n.is_match(&rest))
            || h.date.as_ref().is_some_and(|d| d.is_match(&rest))
            || h.web_date.as_ref().is_some_and(|d| d.is_match(&rest))
            || (cut && rest.is_empty());
        if stop && !taken.is_empty() {
            break;
        }
        if rest.is_empty() || stop {
            continue;
        }
        // A sentence that opens with a body's name is body text, not the header; other
        // lines before the issuer's are what a web page or an export put above it ("Hệ
        // thống pháp luật", the document's name and number as a page title, a summary).
        let sentence = rest.split(' ').count() > MAX_ISSUER_LINE_WORDS;
        if taken.is_empty() && sentence && opening_body(&rest, h).is_some() {
            return None;
        }
        // With no national motto, a page's title in sentence case that opens with a body's
        // name ("Trường Đại học Đà Lạt tuyển sinh vượt chỉ tiêu") is no letterhead: an
        // issuer block there is written in capitals.
        if taken.is_empty() && !letterhead && !capitals(&rest) {
            skipped = None;
            continue;
        }
        if taken.is_empty() {
            // A name broken in a narrow column ("ỦY" over "BAN NHÂN DÂN") opens on the
            // line before.
            let joined = skipped.take().map(|before| format!("{before} {rest}"));
            let body_len = |text: &str| opening_body(text, h).map(str::len);
            match joined {
                Some(joined) if body_len(&joined) > body_len(&rest) => rest = joined,
                _ if body_len(&rest).is_none() => {
                    skipped = Some(rest);
                    continue;
                }
                _ => {}
            }
        }
        if sentence {
            break;
        }
        taken.push(rest);
        if taken.len() >= MAX_ISSUER_LINES {
            break;
        }
    }
    if taken.is_empty() {
        return None;
    }
    Some(issuer_name(&taken, h))
}

/// Lines an issuer's name may run to.
const MAX_ISSUER_LINES: usize = 4;

/// Words in one line of an issuer's name, at most.
const MAX_ISSUER_LINE_WORDS: usize = 12;

/// Whether a name opens with an organisation's ("Tổng công ty Điện lực ...", "Sở Tài
/// chính"): a subject of the sentence, not an indicator.
pub fn names_a_body(name: &str, rules: &Rules) -> bool {
    opening_body(name, &rules.header).is_some()
}

/// The body word a name opens with, lower case ("SỞ TÀI CHÍNH" -> "sở").
fn opening_body<'a>(name: &str, h: &'a HeaderRules) -> Option<&'a str> {
    let folded = fold(name);
    h.bodies
        .iter()
        .filter(|b| {
            let b = fold(b);
            folded.starts_with(&b) && !folded[b.len()..].starts_with(|c: char| c.is_alphanumeric())
        })
        .max_by_key(|b| b.len())
        .map(String::as_str)
}

/// The issuer's lines as one name: a parent body over its office ("UBND TỈNH X" over "SỞ
/// TÀI CHÍNH") names the office with the parent's place; abbreviations spelled out, a
/// central body spelled as listed, a name in capitals in the usual case.
fn issuer_name(lines: &[String], h: &HeaderRules) -> String {
    // A central body's name may run over two lines ("ỦY BAN THƯỜNG VỤ" over "QUỐC HỘI").
    let whole = fold(&collapse_spaces(&lines.join(" ")));
    if let Some(central) = h.central.iter().find(|c| fold(c) == whole) {
        return central.clone();
    }
    let office = lines
        .iter()
        .skip(1)
        .position(|l| opening_body(l, h).is_some())
        .map(|i| i + 1);
    let name = match office {
        Some(i) => {
            let parent = lines[..i].join(" ");
            let office = lines[i..].join(" ");
            match place_phrase(&parent, h) {
                Some(place) if !fold(&office).contains(&fold(&place)) => {
                    format!("{office} {place}")
                }
                _ => office,
            }
        }
        None => lines.join(" "),
    };
    let mut name = collapse_spaces(&name);
    for (short, long) in &h.abbreviations {
        let words: Vec<String> = name
            .split(' ')
            .map(|w| {
                if w == short {
                    long.clone()
                } else {
                    w.to_string()
                }
            })
            .collect();
        name = words.join(" ");
    }
    if let Some(central) = h.central.iter().find(|c| fold(c) == fold(&name)) {
        return central.clone();
    }
    usual_case(&name, h)
}

/// A name in capitals in the usual case: the first word and the first word of the body's
/// own name capitalized ("Sở Tài chính", "Cục Thống kê"), a place's words capitalized
/// ("tỉnh Cà Mau"). Words already in lower case stay as written.
fn usual_case(name: &str, h: &HeaderRules) -> String {
    let words: Vec<&str> = name.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    let mut in_place = false;
    let mut capitalize_next = true;
    while i < words.len() {
        let rest = fold(&words[i..].join(" "));
        let body = (!in_place)
            .then(|| opening_body(&words[i..].join(" "), h))
            .flatten();
        // A body named with a level's word ("HUYỆN ỦY", "TỈNH ỦY") is a body, not a place.
        let level = h
            .levels
            .iter()
            .find(|l| {
                rest.starts_with(l.as_str())
                    && !rest[l.len()..].starts_with(|c: char| c.is_alphanumeric())
            })
            .filter(|level| body.is_none_or(|body| body.len() <= level.len()));
        if let Some(level) = level {
            let n = level.split(' ').count().min(words.len() - i);
            push_level_words(&mut out, &words[i..i + n]);
            i += n;
            in_place = true;
            continue;
        }
        if let Some(body) = body {
            let n = body.split(' ').count().clamp(1, words.len() - i);
            push_body_words(&mut out, &words[i..i + n]);
            i += n;
            capitalize_next = true;
            in_place = h.place_bodies.iter().any(|b| b == body);
            continue;
        }
        let word = words[i];
        out.push(if in_place || capitalize_next {
            capitalized(word)
        } else {
            lowered(word)
        });
        capitalize_next = false;
        i += 1;
    }
    out.iter()
        .map(|word| one_spelling(word))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A word of a name with its tone where most names put it: "Uỷ ban" and "Ủy ban", "Thuỷ"
/// and "Thủy" are the same name.
fn one_spelling(word: &str) -> String {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    if !first.is_uppercase() {
        return old_tone_placement(word);
    }
    let lower: String = first.to_lowercase().chain(chars).collect();
    let mut placed = old_tone_placement(&lower).chars().collect::<Vec<_>>();
    let head: String = placed.remove(0).to_uppercase().collect();
    head + &placed.into_iter().collect::<String>()
}

/// A body's words in usual case: its first capitalized, the rest lower case ("Ban Chấp
/// hành Hội Nông dân", "Văn phòng Ủy ban nhân dân").
fn push_body_words(out: &mut Vec<String>, words: &[&str]) {
    for (i, word) in words.iter().enumerate() {
        out.push(if i == 0 {
            capitalized(word)
        } else {
            lowered(word)
        });
    }
}

/// A level's words in usual case: lower case, but capitalized to open the name.
fn push_level_words(out: &mut Vec<String>, words: &[&str]) {
    for word in words {
        out.push(if out.is_empty() {
            capitalized(word)
        } else {
            lowered(word)
        });
    }
}
/// A word in capitals as "Word"; others as written.
fn capitalized(word: &str) -> String {
    if !capitals(word) {
        return word.to_string();
    }
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// A word in capitals in lower case (a one-letter word or an abbreviation like "UBND" with
/// no vowel sign stays); others as written.
fn lowered(word: &str) -> String {
    if capitals(word) {
        word.to_lowercase()
    } else {
        word.to_string()
    }
}

/// The first place phrase of a name: an administrative level and the place's words
/// ("TỈNH CÀ MAU" in "UBND TỈNH CÀ MAU").
fn place_phrase(name: &str, h: &HeaderRules) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    (0..words.len()).find_map(|i| {
        let rest = fold(&words[i..].join(" "));
        let level = h.levels.iter().find(|l| {
            rest.starts_with(l.as_str())
                && !rest[l.len()..].starts_with(|c: char| c.is_alphanumeric())
        })?;
        let n = level.split(' ').count();
        (words.len() > i + n).then(|| words[i..].join(" "))
    })
}

/// The province a document reports on: the issuer's, unless the issuer is a central body
/// (or unknown), then the one its title names.
fn province(issuer: Option<&str>, title: Option<&str>, h: &HeaderRules) -> Option<String> {
    let central = issuer.is_some_and(|i| h.central.iter().any(|c| fold(c) == fold(i)));
    let from_issuer = issuer
        .filter(|_| !central)
        .and_then(|i| province_in(i, h, true));
    from_issuer.or_else(|| title.and_then(|t| province_in(t, h, false)))
}

/// Whether an issuer is a body of a district, commune or ward ("UBND huyện Đức Trọng"),
/// whose name holds no province.
fn below_province(issuer: &str, h: &HeaderRules) -> bool {
    let folded = fold(issuer);
    h.district_levels.iter().any(|level| {
        let level = fold(level);
        folded
            .match_indices(level.as_str())
            .any(|(at, _)| at_word_edges(&folded, at..at + level.len()))
    })
}

/// The province the first lines name most often after a level's word, the earliest of
/// equals: a district's report cites its province's decisions ("Căn cứ Quyết định số
/// 2215/QĐ-UBND của UBND tỉnh Lâm Đồng ...").
fn province_named_most(lines: &[&str], h: &HeaderRules) -> Option<String> {
    let named: Vec<String> = lines
        .iter()
        .filter_map(|line| province_in(line, h, false))
        .collect();
    let count = |p: &String| named.iter().filter(|q| *q == p).count();
    // The earliest of those named most: max_by_key keeps the last maximum, so go backwards.
    named.iter().rev().max_by_key(|p| count(p)).cloned()
}

/// The first province named in a text after an administrative level ("tỉnh Đắk Lắk",
/// "thành phố Lai Châu"), or by one of its cities ("thành phố Đà Lạt"); in an issuer's name
/// also a province named bare ("Cục Thống kê Hưng Yên").
pub fn province_in(text: &str, h: &HeaderRules, bare: bool) -> Option<String> {
    let folded = fold(text);
    let phrases = province_phrases(h);
    // The earliest, then the longest, then the first listed: (start, longer first, index).
    let mut best: Option<(usize, std::cmp::Reverse<usize>, usize)> = None;
    for found in phrases.automaton.find_overlapping_iter(&folded) {
        let index = found.pattern().as_usize();
        if (bare || !phrases.list[index].bare) && at_word_edges(&folded, found.range()) {
            let key = (found.start(), std::cmp::Reverse(found.len()), index);
            if best.is_none_or(|known| key < known) {
                best = Some(key);
            }
        }
    }
    best.map(|(_, _, index)| canonical_province(&phrases.list[index].province, h))
}

/// The phrases that name a province, in the order they are tried, folded once per rules.
fn province_phrases(h: &HeaderRules) -> &ProvincePhrases {
    h.province_phrases.get_or_init(|| {
        let phrase = |phrase: String, province: &str, bare: bool| ProvincePhrase {
            phrase,
            province: province.to_string(),
            bare,
        };
        let mut list = Vec::new();
        for province in &h.provinces {
            let name = fold(province);
            for level in &h.levels {
                list.push(phrase(format!("{level} {name}"), province, false));
            }
            list.push(phrase(name, province, true));
        }
        for (city, province) in &h.cities {
            let name = fold(city);
            for level in &h.city_levels {
                list.push(phrase(format!("{level} {name}"), province, false));
            }
        }
        let automaton = aho_corasick::AhoCorasick::new(list.iter().map(|p| &p.phrase))
            .expect("a few hundred place names fit an automaton");
        ProvincePhrases { list, automaton }
    })
}

/// Whether nothing alphanumeric touches `range` of `text` on either side.
fn at_word_edges(text: &str, range: std::ops::Range<usize>) -> bool {
    !text[..range.start].ends_with(|c: char| c.is_alphanumeric())
        && !text[range.end..].starts_with(|c: char| c.is_alphanumeric())
}

/// A province's usual spelling (the first of the list that folds the same).
fn canonical_province(name: &str, h: &HeaderRules) -> String {
    h.provinces
        .iter()
        .find(|p| fold(p) == fold(name))
        .cloned()
        .unwrap_or_else(|| name.to_string())
}

/// The report's period from its title, as written (completed with the title's year when
/// it has none) and as ISO. Periods joined by "và" ("tháng 12 và cả năm 2024") are read as
/// one report: the widest is its period.
pub fn report_period(title: &str, rules: &Rules) -> Option<(String, Option<String>)> {
    let (found, found_any) = periods_outside_dates(title, rules);
    if found.is_empty() && found_any {
        return None;
    }
    if found.is_empty() {
        // Phrases the grammar has no ISO form for still give the period as written.
        return period(title, rules).map(|p| (p, None));
    }
    let mut group = vec![&found[0]];
    for next in &found[1..] {
        let last = group.last().expect("the group starts with one");
        let between = fold(&title[last.end..next.start]);
        let joined = between
            .trim_matches(|c: char| c.is_whitespace() || c == ',')
            .is_empty()
            || rules
                .header
                .period_joints
                .iter()
                .any(|j| between.trim() == j);
        if !joined {
            break;
        }
        group.push(next);
    }
    let chosen = group
        .iter()
        .copied()
        .fold(None::<&Found>, |best, f| match best {
            Some(b) if b.span.length() >= f.span.length() => Some(b),
            _ => Some(f),
        })
        .expect("the group is not empty");
    let written = collapse_spaces(chosen.text.trim_matches(|c: char| !c.is_alphanumeric()));
    if chosen.span.years.is_some() {
        return Some((written, chosen.span.iso(None)));
    }
    // With no year anywhere after it, the title dates nothing (an excerpt's heading).
    let year = year_of(&title[chosen.end..])?;
    Some((format!("{written} {year}"), chosen.span.iso(Some(year))))
}

/// The period phrases of a title, but those inside a date: a date in a title ("... Chỉ thị
/// số 19/CT-TTg ngày 16 tháng 7 năm 2021") names a document, not the period reported on.
/// Also whether there were any at all.
fn periods_outside_dates(title: &str, rules: &Rules) -> (Vec<Found>, bool) {
    let dates: Vec<_> = rules
        .header
        .date
        .as_ref()
        .map(|d| d.find_iter(title).map(|m| m.range()).collect())
        .unwrap_or_default();
    let all = rules.calendar.find_all(title);
    let found_any = !all.is_empty();
    let found = all
        .into_iter()
        .filter(|f| !dates.iter().any(|d| d.start <= f.start && f.end <= d.end))
        .collect();
    (found, found_any)
}

/// A title's period that names no year ("Sơ kết 6 tháng đầu năm, phương hướng ..."), in
/// the year of the document's date: the year before when the period ends months after the
/// date ("tháng 12" in a report dated in January), since a report may come out a month or
/// two before its period ends (estimates for the year in November), never many months.
fn dated_period(title: &str, date: &str, rules: &Rules) -> Option<(String, Option<String>)> {
    let found = periods_outside_dates(title, rules).0.into_iter().next()?;
    if found.span.years.is_some() {
        return None;
    }
    let year: u32 = date.get(..4)?.parse().ok()?;
    let month: u32 = date.get(5..7)?.parse().ok()?;
    let ends = found.span.months.map_or(12, |(_, last)| last);
    let year = if ends > month + MONTHS_ISSUED_EARLY {
        year - 1
    } else {
        year
    };
    let written = collapse_spaces(found.text.trim_matches(|c: char| !c.is_alphanumeric()));
    Some((written, found.span.iso(Some(year))))
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
    (is_year(year) && !rest[4..].starts_with(|c: char| c.is_ascii_digit())).then_some(year)
}

fn issuer(line: &str, rules: &Rules) -> Option<String> {
    rules.issuers.iter().find_map(|rule| {
        let caps = rule.regex.captures(line)?;
        let mut name = rule.template.clone();
        for group in caps.names() {
            let value = caps.name(group).map_or("", |m| m.as_str());
            name = name.replace(&format!("{{{group}}}"), value.trim());
        }
        Some(collapse_spaces(&name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> &'static Rules {
        Rules::shipped()
    }

    fn read(text: &str) -> Header {
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        read_header(&lines, rules())
    }

    #[test]
    fn number_and_symbol_with_or_without_year_and_colon() {
        let h = &rules().header;
        assert_eq!(number("Số: 58/TB-SNV", h).as_deref(), Some("58/TB-SNV"));
        assert_eq!(
            number("Số 09/2027/NQ-HĐND", h).as_deref(),
            Some("09/2027/NQ-HĐND")
        );
        assert_eq!(
            number("Số: 211/BC-UBND Lào Cai, ngày 2 tháng 3 năm 2026", h).as_deref(),
            Some("211/BC-UBND")
        );
        assert_eq!(number("Số liệu sơ bộ cho thấy", h), None);
        assert_eq!(number("Số: 512/QĐ-TTg", h).as_deref(), Some("512/QĐ-TTg"));
        assert_eq!(
            number("Nghị quyết số: 71/2026/UBTVQH15", h).as_deref(),
            Some("71/2026/UBTVQH15")
        );
        assert_eq!(number("căn cứ Nghị quyết số 12/2026/NQ-HĐND", h), None);
        assert_eq!(number("Số 125-BC/HU", h).as_deref(), Some("125-BC/HU"));
        assert_eq!(number("Số 2025-2026", h), None);
        let broken = read("ỦY BAN NHÂN DÂN\nTỈNH SƠN THỦY\n|\nSố:\n06/2026/QĐ-UBND\nQUYẾT ĐỊNH");
        assert_eq!(broken.number.as_deref(), Some("06/2026/QĐ-UBND"));
    }

    #[test]
    fn the_date_line_may_be_broken_over_lines() {
        let h = &rules().header;
        let zone = [
            "*Sơn La, ngày 05".to_string(),
            "tháng 1 năm 2027*".to_string(),
        ];
        assert_eq!(issue_date(&zone, h).as_deref(), Some("2027-01-05"));
        let bad = ["Sơn La, ngày 35 tháng 1 năm 2027".to_string()];
        assert_eq!(issue_date(&bad, h), None);
        let web = ["Một tiêu đề".to_string(), "21/08/2026 14:30".to_string()];
        assert_eq!(web_date(&web, h).as_deref(), Some("2026-08-21"));
    }

    #[test]
    fn the_type_line_is_a_listed_type_alone() {
        let h = &rules().header;
        assert_eq!(doc_type("TỜ TRÌNH", h).as_deref(), Some("tờ trình"));
        assert_eq!(doc_type("**NGHỊ QUYẾT**", h).as_deref(), Some("nghị quyết"));
        assert_eq!(doc_type("Kế hoạch", h).as_deref(), Some("kế hoạch"));
        assert_eq!(doc_type("BÁO CÁO TÌNH HÌNH KINH TẾ", h), None);
    }

    #[test]
    fn a_document_with_a_subject_line_and_no_type_line_is_a_cong_van() {
        let header = read(
            "BẢO HIỂM XÃ HỘI\nVIỆT NAM\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
             Số: 1250/BHXH-KHTC V/v chỉ tiêu thu năm 2026\nHà Nội, ngày 5 tháng 1 năm 2026\n\
             Kính gửi: Bảo hiểm xã hội các tỉnh",
        );
        assert_eq!(header.doc_type.as_deref(), Some("công văn"));
        assert_eq!(header.title.as_deref(), Some("V/v chỉ tiêu thu năm 2026"));
        assert_eq!(header.number.as_deref(), Some("1250/BHXH-KHTC"));
        assert_eq!(header.date.as_deref(), Some("2026-01-05"));
    }

    #[test]
    fn a_title_in_capitals_may_open_like_body_text_and_a_blank_number_ends_the_issuer() {
        let header = read(
            "VĂN PHÒNG CHÍNH PHỦ\nSố:\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nKẾ HOẠCH\n\
             THỰC HIỆN CHƯƠNG TRÌNH CHUYỂN ĐỔI SỐ GIAI ĐOẠN 2026-2030\n\
             Thực hiện Quyết định số 12/QĐ-TTg, Văn phòng Chính phủ ban hành kế hoạch như sau:",
        );
        assert_eq!(header.issuer.as_deref(), Some("Văn phòng Chính phủ"));
        assert_eq!(header.number, None);
        assert_eq!(
            header.title.as_deref(),
            Some("THỰC HIỆN CHƯƠNG TRÌNH CHUYỂN ĐỔI SỐ GIAI ĐOẠN 2026-2030")
        );
    }

    #[test]
    fn a_web_pages_breadcrumb_is_no_title_and_its_labelled_date_dates_it() {
        let header = read(
            "Trang chủ > Tin tức\nBáo cáo tình hình kinh tế - xã hội tháng 6 năm 2026\n\
             Cập nhật: 05/07/2026 09:15\nTổng mức bán lẻ hàng hóa tăng 8,2% so với cùng kỳ.",
        );
        assert_eq!(
            header.title.as_deref(),
            Some("Báo cáo tình hình kinh tế - xã hội tháng 6 năm 2026")
        );
        assert_eq!(header.date.as_deref(), Some("2026-07-05"));
        assert_eq!(header.period_iso.as_deref(), Some("2026-06"));
    }

    #[test]
    fn a_symbol_with_small_letters_does_not_end_a_title_in_capitals() {
        let header = read(
            "BẢO HIỂM XÃ HỘI VIỆT NAM\nSố: 12/KH-BHXH\nKẾ HOẠCH\nTHỰC\n\
             HIỆN QUYẾT ĐỊNH SỐ 856/QĐ-TTg CỦA THỦ TƯỚNG CHÍNH PHỦ\n\
             Căn cứ Quyết định số 856/QĐ-TTg, Bảo hiểm xã hội Việt Nam ban hành kế hoạch:",
        );
        assert_eq!(
            header.title.as_deref(),
            Some("THỰC HIỆN QUYẾT ĐỊNH SỐ 856/QĐ-TTg CỦA THỦ TƯỚNG CHÍNH PHỦ")
        );
    }

    #[test]
    fn a_date_in_a_title_is_no_period() {
        let rules = rules();
        let directive = "THỰC HIỆN CHỈ THỊ SỐ 19/CT-TTG NGÀY 16 THÁNG 7 NĂM 2026 CỦA THỦ TƯỚNG";
        assert_eq!(report_period(directive, rules), None);
        let plan = "Thực hiện Nghị quyết ngày 10 tháng 12 năm 2026 về kế hoạch năm 2027";
        let (period, iso) = report_period(plan, rules).unwrap();
        assert_eq!(
            (period.as_str(), iso.as_deref()),
            ("năm 2027", Some("2027"))
        );
    }

    #[test]
    fn lines_a_web_page_puts_above_the_header_are_skipped() {
        let header = read(
            "Hệ thống pháp luật\nNghị quyết 30/2011/NQ-HĐND về đặt tên đường\n\nHỘI ĐỒNG NHÂN DÂN\n\
             TỈNH BÌNH SƠN\n--------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 30/2011/NQ-HĐND\n\
             NGHỊ QUYẾT\nVỀ ĐẶT TÊN ĐƯỜNG",
        );
        assert_eq!(
            header.issuer.as_deref(),
            Some("Hội đồng nhân dân tỉnh Bình Sơn")
        );
        let sentence = read(
            "Ủy ban nhân dân tỉnh đã chỉ đạo các sở, ngành tập trung triển khai nhiều giải pháp \
             đồng bộ để hoàn thành các chỉ tiêu của năm 2024 theo nghị quyết\nBÁO CÁO",
        );
        assert_eq!(sentence.issuer, None);
    }

    #[test]
    fn a_name_broken_in_a_narrow_column_is_joined_and_spelled_one_way() {
        let header =
            read("UỶ\nBAN NHÂN DÂN\nTỈNH SƠN THUỶ\n--------\nSố: 14/2007/QĐ-UBND\nQUYẾT ĐỊNH");
        assert_eq!(
            header.issuer.as_deref(),
            Some("Ủy ban nhân dân tỉnh Sơn Thủy")
        );
    }

    #[test]
    fn issuer_lines_are_joined_in_the_usual_case() {
        let h = &rules().header;
        let lines = |ls: &[&str]| ls.iter().map(|l| l.to_string()).collect::<Vec<_>>();
        let cases: &[(&[&str], &str)] = &[
            (
                &["UBND", "THÀNH PHỐ ĐÀ LẠT"],
                "Ủy ban nhân dân thành phố Đà Lạt",
            ),
            (
                &["ỦY BAN NHÂN DÂN TỈNH BẮC NINH", "SỞ TÀI CHÍNH"],
                "Sở Tài chính tỉnh Bắc Ninh",
            ),
            (&["BỘ TÀI CHÍNH"], "Bộ Tài chính"),
            (
                &["ỦY BAN THƯỜNG VỤ", "QUỐC HỘI"],
                "Ủy ban Thường vụ Quốc hội",
            ),
            (&["HUYỆN ỦY TÂN LỘC"], "Huyện ủy Tân Lộc"),
            (
                &["CỤC THỐNG KÊ", "TỈNH NINH BÌNH"],
                "Cục Thống kê tỉnh Ninh Bình",
            ),
            // Courts and mass organisations issue reports too.
            (
                &["TÒA ÁN NHÂN DÂN", "TỈNH LÂM ĐỒNG"],
                "Tòa án nhân dân tỉnh Lâm Đồng",
            ),
            (
                &["HỘI NÔNG DÂN VIỆT NAM", "BCH HỘI NÔNG DÂN HUYỆN ĐỨC TRỌNG"],
                "Ban Chấp hành Hội Nông dân huyện Đức Trọng",
            ),
        ];
        for (written, expected) in cases {
            assert_eq!(issuer_name(&lines(written), h), *expected, "{written:?}");
        }
        // The office under its group; a region's name ("miền Bắc") cannot be told from
        // the words around it in capitals, so only the words are checked.
        let firm = issuer_name(
            &lines(&[
                "TẬP ĐOÀN ĐIỆN LỰC VIỆT NAM",
                "TỔNG CÔNG TY ĐIỆN LỰC MIỀN BẮC",
            ]),
            h,
        );
        assert_eq!(firm.to_lowercase(), "tổng công ty điện lực miền bắc");
    }

    #[test]
    fn a_flattened_header_cuts_the_motto_out_of_the_issuer() {
        let h = read(
            "HỘI ĐỒNG NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
             HUYỆN MINH LONG Độc lập - Tự do - Hạnh phúc\n\
             Số: 31/NQ-HĐND Minh Long, ngày 18 tháng 12 năm 2026\n\
             NGHỊ QUYẾT\n\
             Về dự toán ngân sách năm 2027\n",
        );
        assert_eq!(
            h.issuer.as_deref(),
            Some("Hội đồng nhân dân huyện Minh Long")
        );
        assert_eq!(h.doc_type.as_deref(), Some("nghị quyết"));
        assert_eq!(h.number.as_deref(), Some("31/NQ-HĐND"));
        assert_eq!(h.date.as_deref(), Some("2026-12-18"));
        assert_eq!(h.title.as_deref(), Some("Về dự toán ngân sách năm 2027"));
        assert_eq!(h.period_iso.as_deref(), Some("2027"));
        // A district the lists do not know: no province is guessed.
        assert_eq!(h.province, None);
    }

    #[test]
    fn a_title_with_no_year_is_dated_by_the_documents_date() {
        let header = |date: &str, title: &str| {
            read(&format!(
                "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG\nSố: 12/BC-UBND\nLâm Đồng, {date}\nBÁO CÁO\n{title}\n"
            ))
        };
        let h = header(
            "ngày 12 tháng 6 năm 2026",
            "Sơ kết 6 tháng đầu năm, phương hướng nhiệm vụ 6 tháng cuối năm",
        );
        assert_eq!(h.period.as_deref(), Some("6 tháng đầu năm"));
        assert_eq!(h.period_iso.as_deref(), Some("2026-01/2026-06"));
        // A month's report comes out in the month after: January dates December's.
        let h = header("ngày 5 tháng 1 năm 2027", "Kết quả công tác tháng 12");
        assert_eq!(h.period_iso.as_deref(), Some("2026-12"));
        // The year's estimates come out in November.
        let h = header("ngày 20 tháng 11 năm 2026", "Ước thực hiện cả năm");
        assert_eq!(h.period_iso.as_deref(), Some("2026"));
        // A date in the title dates nothing.
        let h = header(
            "ngày 19 tháng 7 năm 2026",
            "Thực hiện Quyết định số 856/QĐ-TTg ngày 10 tháng 7 năm 2026 của Thủ tướng",
        );
        assert_eq!(h.period, None);
    }

    #[test]
    fn a_page_title_that_opens_with_a_bodys_name_is_no_issuer() {
        for page in [
            "Trường Đại học Sơn Thủy tuyển sinh vượt chỉ tiêu\nNgày 05/09/2026\nNăm nay trường tuyển 3.200 sinh viên.\n",
            "Hội đồng nhân dân huyện Sơn Thủy tổ chức kỳ họp thứ 10\n12/07/2026 09:30\nKỳ họp thông qua 12 nghị quyết.\n",
        ] {
            let h = read(page);
            assert_eq!(h.issuer, None, "{page}");
            assert!(h.date.is_some(), "{page}");
        }
        // A letterhead in capitals is an issuer's, motto or not.
        let h = read("TÒA ÁN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nSố: 52/BC-TA\nBÁO CÁO\nCông tác năm 2026\n");
        assert_eq!(h.issuer.as_deref(), Some("Tòa án nhân dân tỉnh Lâm Đồng"));
    }

    #[test]
    fn the_partys_name_beside_a_party_committee_is_its_motto() {
        let h = read(
            "ĐẢNG BỘ TỈNH LÂM ĐỒNG          ĐẢNG CỘNG SẢN VIỆT NAM\n\
             HUYỆN ỦY ĐỨC TRỌNG\n\
             *\n\
             Số 45-BC/HU                    Đức Trọng, ngày 15 tháng 12 năm 2026\n\
             BÁO CÁO\n\
             Kết quả lãnh đạo thực hiện nhiệm vụ năm 2026\n",
        );
        assert_eq!(
            h.issuer.as_deref(),
            Some("Huyện ủy Đức Trọng tỉnh Lâm Đồng")
        );
        assert_eq!(h.number.as_deref(), Some("45-BC/HU"));
        assert_eq!(h.date.as_deref(), Some("2026-12-15"));
    }

    #[test]
    fn a_district_report_takes_the_province_its_legal_bases_cite() {
        let h = read(
            "ỦY BAN NHÂN DÂN\n\
             HUYỆN ĐỨC TRỌNG\n\
             Số: 310/BC-UBND\n\
             BÁO CÁO\n\
             Tình hình kinh tế - xã hội 6 tháng đầu năm 2026\n\
             Căn cứ Quyết định số 2380/QĐ-UBND ngày 15/12/2025 của UBND tỉnh Lâm Đồng về việc giao chỉ tiêu kế hoạch năm 2026;\n\
             Căn cứ Kế hoạch số 12/KH-UBND của UBND tỉnh Lâm Đồng; theo đề nghị của Sở Tài chính tỉnh Khánh Hòa;\n",
        );
        assert_eq!(h.issuer.as_deref(), Some("Ủy ban nhân dân huyện Đức Trọng"));
        assert_eq!(h.province.as_deref(), Some("Lâm Đồng"));
    }

    #[test]
    fn a_sentence_that_opens_with_a_body_is_no_header() {
        let h = read(
            "Ủy ban nhân dân huyện Tân Lập báo cáo kết quả thực hiện nhiệm vụ 6 tháng đầu năm 2026 như sau:\n",
        );
        assert_eq!(h.issuer.as_deref(), Some("UBND huyện Tân Lập"));
        assert_eq!(h.doc_type, None);
    }

    #[test]
    fn a_date_in_body_text_is_no_date_of_issue() {
        let h = read(
            "Thu ngân sách quý I tăng mạnh\nTheo Sở Tài chính, ngày 2 tháng 4 năm 2027 tỉnh đã tổng hợp số thu của quý I và cho biết tổng thu ngân sách ước đạt 1.200 tỷ đồng, tăng 9% so với cùng kỳ.\nTHÔNG BÁO\n",
        );
        assert_eq!(h.date, None);
        assert_eq!(h.doc_type, None);
        assert_eq!(h.title.as_deref(), Some("Thu ngân sách quý I tăng mạnh"));
    }

    #[test]
    fn a_title_with_no_year_dates_nothing() {
        let h = read("BÁO CÁO\nKết quả 6 tháng đầu năm\n");
        assert_eq!(h.period, None);
        assert_eq!(h.period_iso, None);
    }

    #[test]
    fn a_title_in_capitals_ends_where_capitals_end() {
        let h = read(
            "BÁO CÁO\nTÌNH HÌNH THỰC HIỆN DỰ TOÁN\nQUÝ III/2026\nTrong quý, thu ngân sách đạt 30%.\n",
        );
        assert_eq!(
            h.title.as_deref(),
            Some("TÌNH HÌNH THỰC HIỆN DỰ TOÁN QUÝ III/2026")
        );
        assert_eq!(h.period_iso.as_deref(), Some("2026-07/2026-09"));
    }

    #[test]
    fn the_report_period_is_the_widest_of_periods_joined_by_and() {
        let period = |t: &str| report_period(t, rules());
        assert_eq!(
            period("Tình hình kinh tế tháng 3 và quý I năm 2027"),
            Some(("quý I năm 2027".into(), Some("2027-01/2027-03".into())))
        );
        assert_eq!(
            period("Kết quả 9 tháng, nhiệm vụ 3 tháng cuối năm 2026"),
            Some(("9 tháng 2026".into(), Some("2026-01/2026-09".into())))
        );
        assert_eq!(
            period("Báo cáo tháng mười một và mười một tháng năm 2025").map(|p| p.1),
            Some(Some("2025-01/2025-11".into()))
        );
        assert_eq!(period("Kết luận buổi làm việc với tỉnh Gia Lai"), None);
    }

    #[test]
    fn a_central_body_reports_on_the_province_its_title_names() {
        let h = &rules().header;
        assert_eq!(
            province(
                Some("Văn phòng Chính phủ"),
                Some("KẾT LUẬN TẠI BUỔI LÀM VIỆC VỚI LÃNH ĐẠO TỈNH KHÁNH HOÀ"),
                h
            )
            .as_deref(),
            Some("Khánh Hòa")
        );
        assert_eq!(
            province(Some("UBND thành phố Buôn Ma Thuột"), None, h).as_deref(),
            Some("Đắk Lắk")
        );
        assert_eq!(
            province(Some("Cục Thống kê Tây Ninh"), None, h).as_deref(),
            Some("Tây Ninh")
        );
        assert_eq!(
            province(Some("UBND thành phố Hải Phòng"), None, h).as_deref(),
            Some("Hải Phòng")
        );
    }
}
