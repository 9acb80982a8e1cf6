//! Reporting periods as comparable values.
//!
//! In: a period phrase as a title or a fact states it ("6 tháng đầu năm 2025", "quý II/2024",
//! "tháng 6 năm 2024", "9 tháng năm 2024", "cả năm 2025", "đến ngày 15/6/2025", "năm học
//! 2023-2024"). Out: a [`Period`] holding the stretch of time it covers, or `None` when the
//! phrase has no year or is not understood. Why: `extract compare` orders its columns
//! chronologically whatever the argument order, so periods must compare by the time they
//! cover, not by how they are spelled ("Sáu tháng đầu năm" and "6 tháng đầu năm" are equal).

use std::cmp::{Ordering, Reverse};
use std::sync::OnceLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// What shape of period was written; the last tie-breaker between equal stretches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shape {
    /// From January to a stated day ("đến ngày 15/6/2025").
    ToDate,
    Month,
    Quarter,
    Half,
    /// Several months, counted from January unless "cuối năm" ("9 tháng năm 2024").
    Months,
    SchoolYear,
    Year,
}

/// A stretch of time: first month covered, last day covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// (year, month) of the first month covered.
    pub start: (i32, u8),
    /// (year, month, day) of the last day covered; day 31 stands for "end of the month".
    pub end: (i32, u8, u8),
    pub shape: Shape,
}

impl Period {
    /// Whether a figure stated for `self` belongs in a column of `column`: it ends within
    /// it (a figure up to 15/6 or for the school year in a half-year report does; a
    /// whole-year estimate or last year's rate does not).
    pub fn ends_within(&self, column: &Period) -> bool {
        self.end <= column.end && (self.end.0, self.end.1) >= column.start
    }
}

/// By the day the period ends; among periods ending together the shorter first (tháng 6,
/// quý II, 6 tháng đầu năm), because a reader sees the cumulative figure as the later one.
impl Ord for Period {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.end, Reverse(self.start), self.shape).cmp(&(
            other.end,
            Reverse(other.start),
            other.shape,
        ))
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The period a phrase states; `None` without a year or when not understood.
pub fn parse(text: &str) -> Option<Period> {
    parse_in(text, None)
}

/// The period a phrase states, in `year` when it names none ("6 tháng đầu năm", "cả năm",
/// "tháng 6" in a report of 2025); `None` when not understood.
pub fn parse_in(text: &str, year: Option<i32>) -> Option<Period> {
    let p = patterns()?;
    let text = clean(text);
    if let Some(period) = school_year(p, &text) {
        return Some(period);
    }
    let stated = capture(&p.year, &text, 1).and_then(|y| y.parse().ok());
    let year = stated.or(year)?;
    let (first, last, shape) = to_date(p, &text)
        .or_else(|| half(p, &text))
        .or_else(|| months(p, &text))
        .or_else(|| quarter(p, &text))
        .or_else(|| month(p, &text))
        .or_else(|| {
            (stated.is_some() || p.whole_year.is_match(&text)).then_some((1, 12, Shape::Year))
        })?;
    let day = match shape {
        Shape::ToDate => to_date_day(p, &text).unwrap_or(31),
        _ => 31,
    };
    // "đến hết tháng 6", "tính đến quý II": everything from January up to there.
    let cumulative = shape != Shape::ToDate && p.until.is_match(&text);
    Some(Period {
        start: (year, if cumulative { 1 } else { first }),
        end: (year, last, day),
        shape: if cumulative { Shape::ToDate } else { shape },
    })
}

fn clean(text: &str) -> String {
    let lower: String = text.nfc().collect::<String>().to_lowercase();
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The phrase shapes, compiled once.
struct Patterns {
    year: Regex,
    school_year: Regex,
    date: Regex,
    until: Regex,
    whole_year: Regex,
    half: Regex,
    months: Regex,
    quarter: Regex,
    month: Regex,
}

impl Patterns {
    fn compile() -> Result<Patterns, regex::Error> {
        Ok(Patterns {
            year: Regex::new(r"(?:^|[^0-9])((?:19|20)[0-9]{2})(?:[^0-9]|$)")?,
            school_year: Regex::new(r"năm học ((?:19|20)[0-9]{2}) ?[-–] ?((?:19|20)[0-9]{2})")?,
            date: Regex::new(r"(?:đến|tới) (?:hết )?(?:ngày )?([0-9]{1,2})/([0-9]{1,2})\b")?,
            until: Regex::new(r"(?:đến|tới) (?:hết )?(?:tháng|quý)\b")?,
            whole_year: Regex::new(r"\b(?:cả|hết|cuối|trong) năm\b|\bnăm nay\b")?,
            half: Regex::new(r"(?:(?:6|06|sáu) tháng|nửa) (đầu|cuối) năm")?,
            months: Regex::new(
                r"(?:^|[^\w/])(ngày )?([0-9]{1,2}|một|hai|ba|bốn|sáu|bảy|tám|chín|mười một|mười hai|mười) tháng(?: (đầu|cuối) năm)?",
            )?,
            quarter: Regex::new(r"quý (iv|iii|ii|i|[1-4])\b")?,
            month: Regex::new(
                r"tháng (1[0-2]|0?[1-9]|mười một|mười hai|mười|một|giêng|hai|ba|tư|bốn|sáu|bảy|tám|chín|chạp)\b",
            )?,
        })
    }
}

/// `None` only if a pattern above fails to compile: a bug the unit tests catch; the parser
/// then answers "not understood" rather than panicking.
fn patterns() -> Option<&'static Patterns> {
    static PATTERNS: OnceLock<Option<Patterns>> = OnceLock::new();
    PATTERNS.get_or_init(|| Patterns::compile().ok()).as_ref()
}

fn capture<'t>(regex: &Regex, text: &'t str, group: usize) -> Option<&'t str> {
    Some(regex.captures(text)?.get(group)?.as_str())
}

fn school_year(p: &Patterns, text: &str) -> Option<Period> {
    let caps = p.school_year.captures(text)?;
    let first: i32 = caps.get(1)?.as_str().parse().ok()?;
    let last: i32 = caps.get(2)?.as_str().parse().ok()?;
    // A school year runs from September to May.
    Some(Period {
        start: (first, 9),
        end: (last, 5, 31),
        shape: Shape::SchoolYear,
    })
}

type Months = (u8, u8, Shape);

fn to_date(p: &Patterns, text: &str) -> Option<Months> {
    let month: u8 = capture(&p.date, text, 2)?.parse().ok()?;
    (1..=12)
        .contains(&month)
        .then_some((1, month, Shape::ToDate))
}

fn to_date_day(p: &Patterns, text: &str) -> Option<u8> {
    let day: u8 = capture(&p.date, text, 1)?.parse().ok()?;
    (1..=31).contains(&day).then_some(day)
}

fn half(p: &Patterns, text: &str) -> Option<Months> {
    match capture(&p.half, text, 1)? {
        "đầu" => Some((1, 6, Shape::Half)),
        _ => Some((7, 12, Shape::Half)),
    }
}

/// "9 tháng", "3 tháng đầu năm", "4 tháng cuối năm": a count of months ("ngày 5 tháng 6"
/// is a date, not five months).
fn months(p: &Patterns, text: &str) -> Option<Months> {
    let caps = p.months.captures(text)?;
    if caps.get(1).is_some() {
        return None;
    }
    let count = number(caps.get(2)?.as_str()).filter(|n| (1..=12).contains(n))?;
    let from_end = caps.get(3).is_some_and(|m| m.as_str() == "cuối");
    let (first, last) = if from_end {
        (13 - count, 12)
    } else {
        (1, count)
    };
    // The same stretch as a quarter, half or year is that, whichever way it was written.
    let shape = match (first, last) {
        (1, 12) => Shape::Year,
        (1, 6) | (7, 12) => Shape::Half,
        (1, 3) | (10, 12) => Shape::Quarter,
        _ => Shape::Months,
    };
    Some((first, last, shape))
}

fn quarter(p: &Patterns, text: &str) -> Option<Months> {
    let quarter = match capture(&p.quarter, text, 1)? {
        "i" | "1" => 1,
        "ii" | "2" => 2,
        "iii" | "3" => 3,
        _ => 4,
    };
    Some((quarter * 3 - 2, quarter * 3, Shape::Quarter))
}

fn month(p: &Patterns, text: &str) -> Option<Months> {
    let month = match capture(&p.month, text, 1)? {
        "giêng" => 1,
        "tư" => 4,
        "chạp" => 12,
        other => number(other)?,
    };
    Some((month, month, Shape::Month))
}

/// Digits or a Vietnamese number word up to twelve ("năm", five, is left out: it is also
/// "year").
fn number(text: &str) -> Option<u8> {
    if let Ok(n) = text.parse() {
        return Some(n);
    }
    const WORDS: [&str; 12] = [
        "một",
        "hai",
        "ba",
        "bốn",
        "",
        "sáu",
        "bảy",
        "tám",
        "chín",
        "mười",
        "mười một",
        "mười hai",
    ];
    let index = WORDS.iter().position(|w| !w.is_empty() && *w == text)?;
    u8::try_from(index + 1).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Period {
        parse(text).unwrap_or_else(|| panic!("{text:?} should parse"))
    }

    fn span(text: &str) -> ((i32, u8), (i32, u8, u8), Shape) {
        let period = p(text);
        (period.start, period.end, period.shape)
    }

    #[test]
    fn halves() {
        assert_eq!(
            span("6 tháng đầu năm 2025"),
            ((2025, 1), (2025, 6, 31), Shape::Half)
        );
        assert_eq!(p("Sáu tháng đầu năm 2025"), p("6 tháng đầu năm 2025"));
        assert_eq!(
            span("6 tháng cuối năm 2024"),
            ((2024, 7), (2024, 12, 31), Shape::Half)
        );
        assert_eq!(p("nửa đầu năm 2024"), p("6 tháng đầu năm 2024"));
    }

    #[test]
    fn quarters_months_and_counts() {
        assert_eq!(
            span("quý II/2024"),
            ((2024, 4), (2024, 6, 31), Shape::Quarter)
        );
        assert_eq!(p("Quý IV năm 2024").start, (2024, 10));
        assert_eq!(p("quý 3 - 2024").start, (2024, 7));
        assert_eq!(
            span("tháng 6/2024"),
            ((2024, 6), (2024, 6, 31), Shape::Month)
        );
        assert_eq!(p("tháng mười hai năm 2024").start, (2024, 12));
        assert_eq!(p("tháng giêng năm 2024").start, (2024, 1));
        assert_eq!(
            span("9 tháng năm 2024"),
            ((2024, 1), (2024, 9, 31), Shape::Months)
        );
        assert_eq!(p("chín tháng đầu năm 2024"), p("9 tháng năm 2024"));
        assert_eq!(p("3 tháng đầu năm 2024"), p("quý I năm 2024"));
        assert_eq!(p("ngày 5 tháng 6 năm 2024"), p("tháng 6/2024"));
    }

    #[test]
    fn years_and_cumulative() {
        assert_eq!(span("năm 2025"), ((2025, 1), (2025, 12, 31), Shape::Year));
        assert_eq!(p("cả năm 2025"), p("năm 2025"));
        assert_eq!(p("12 tháng năm 2025"), p("năm 2025"));
        assert_eq!(
            span("đến ngày 15/6/2022"),
            ((2022, 1), (2022, 6, 15), Shape::ToDate)
        );
        assert_eq!(
            span("tính đến hết tháng 6/2022"),
            ((2022, 1), (2022, 6, 31), Shape::ToDate)
        );
        assert_eq!(
            span("năm học 2021-2022"),
            ((2021, 9), (2022, 5, 31), Shape::SchoolYear)
        );
    }

    #[test]
    fn phrases_without_a_year_take_the_reports() {
        assert_eq!(
            parse_in("6 tháng đầu năm", Some(2025)),
            parse("6 tháng đầu năm 2025")
        );
        assert_eq!(parse_in("cả năm", Some(2025)), parse("năm 2025"));
        assert_eq!(parse_in("tháng 6", Some(2025)), parse("tháng 6/2025"));
        assert_eq!(parse_in("cuối năm 2024", Some(2025)), parse("năm 2024"));
        assert_eq!(parse_in("đến nay", Some(2025)), None);
    }

    #[test]
    fn figures_belong_to_columns_they_end_in() {
        let half = p("6 tháng đầu năm 2022");
        for inside in [
            "đến ngày 15/6/2022",
            "quý II/2022",
            "tháng 1/2022",
            "năm học 2021-2022",
        ] {
            assert!(p(inside).ends_within(&half), "{inside}");
        }
        for outside in [
            "năm 2022",
            "cả năm 2022",
            "năm 2021",
            "6 tháng cuối năm 2022",
        ] {
            assert!(!p(outside).ends_within(&half), "{outside}");
        }
    }

    #[test]
    fn no_year_or_no_period_is_none() {
        for text in ["6 tháng đầu năm", "cả năm", "quý I", "", "đến nay", "20245"] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn order_is_by_end_then_shorter_first() {
        let written = [
            "năm 2025",
            "6 tháng đầu năm 2025",
            "quý II/2025",
            "tháng 6/2025",
            "9 tháng năm 2024",
            "quý IV/2024",
            "năm 2024",
            "tháng 12/2024",
            "đến ngày 15/6/2025",
            "quý I/2025",
        ];
        let mut periods: Vec<(Period, &str)> = written.iter().map(|t| (p(t), *t)).collect();
        periods.sort();
        let order: Vec<&str> = periods.iter().map(|(_, t)| *t).collect();
        assert_eq!(
            order,
            [
                "9 tháng năm 2024",
                "tháng 12/2024",
                "quý IV/2024",
                "năm 2024",
                "quý I/2025",
                "đến ngày 15/6/2025",
                "tháng 6/2025",
                "quý II/2025",
                "6 tháng đầu năm 2025",
                "năm 2025",
            ]
        );
    }
}
