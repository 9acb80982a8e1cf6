//! Period phrases -> ISO 8601 ("6 tháng đầu năm 2025" -> "2025-01/2025-06"): the one grammar
//! of `patterns/periods.toml`, for facts, the document record and `extract compare`; and
//! ISO values back to the stretch of months they cover, to order and compare periods.

use std::cmp::{Ordering, Reverse};
use std::collections::HashMap;

use crate::rules::{Groups, Pattern};
use crate::words::collapse_spaces;

/// How a period's named groups make an ISO value (see `patterns/periods.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeKind {
    FirstMonths,
    LastMonths,
    /// "nửa đầu năm 2024": the first six months.
    FirstHalf,
    SecondHalf,
    Months,
    Quarter,
    Month,
    Years,
    Year,
    WholeYear,
}

impl ShapeKind {
    pub fn from_name(name: &str) -> Option<ShapeKind> {
        Some(match name {
            "first-months" => ShapeKind::FirstMonths,
            "last-months" => ShapeKind::LastMonths,
            "first-half" => ShapeKind::FirstHalf,
            "second-half" => ShapeKind::SecondHalf,
            "months" => ShapeKind::Months,
            "quarter" => ShapeKind::Quarter,
            "month" => ShapeKind::Month,
            "years" => ShapeKind::Years,
            "year" => ShapeKind::Year,
            "whole-year" => ShapeKind::WholeYear,
            _ => return None,
        })
    }
}

/// One way of writing a period.
#[derive(Debug)]
pub struct Shape {
    pub kind: ShapeKind,
    pub regex: Pattern,
}

/// The compiled grammar: shapes and the words for numbers and quarters.
#[derive(Debug, Default)]
pub struct Calendar {
    pub shapes: Vec<Shape>,
    /// Number words, lower case ("sáu" -> 6).
    pub numbers: HashMap<String, u32>,
    /// Quarter numerals, upper case ("III" -> 3).
    pub quarters: HashMap<String, u32>,
    /// Count words that need a year to make a period ("năm"), lower case.
    pub ambiguous_counts: Vec<String>,
    /// The periods that name a day or a month of a year (`dated` in periods.toml).
    pub dated: Option<Pattern>,
}

/// A period found in a text: where, as written, and what it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub span: Span,
}

/// What a period covers, before a missing year is supplied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First and last month (1-12) within the year, or the whole year(s).
    pub months: Option<(u32, u32)>,
    /// First and last year, when written.
    pub years: Option<(u32, u32)>,
}

impl Span {
    /// Number of months covered (a year-less whole year counts 12).
    pub fn length(&self) -> u32 {
        let years = self.years.map_or(1, |(a, b)| b.saturating_sub(a) + 1);
        match self.months {
            Some((a, b)) => b.saturating_sub(a) + 1,
            None => 12 * years,
        }
    }

    /// The ISO value, with `year` standing in for a year the phrase does not write.
    pub fn iso(&self, year: Option<u32>) -> Option<String> {
        let (first, last) = self.years.or(year.map(|y| (y, y)))?;
        Some(match self.months {
            Some((a, b)) if a == b => format!("{first}-{a:02}"),
            Some((a, b)) => format!("{first}-{a:02}/{last}-{b:02}"),
            None if first == last => format!("{first}"),
            None => format!("{first}/{last}"),
        })
    }
}

/// The months an ISO 8601 period value covers: "2025-01/2025-06", "2025-06", "2024",
/// "2016/2020". Ordered by the month it ends; among periods ending together the shorter
/// first (tháng 6, quý II, 6 tháng đầu năm), as a reader takes the cumulative figure for
/// the later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stretch {
    /// (year, month) of the first month covered.
    pub start: (u32, u32),
    /// (year, month) of the last month covered.
    pub end: (u32, u32),
}

impl Stretch {
    /// The stretch an ISO value covers; None for anything else.
    pub fn parse(iso: &str) -> Option<Stretch> {
        let (first, last) = iso.split_once('/').unwrap_or((iso, iso));
        let start = month_of(first, 1)?;
        let end = month_of(last, 12)?;
        (start <= end).then_some(Stretch { start, end })
    }

    /// Whether a figure of `self` belongs to a report of `report`: it ends within it (the
    /// second quarter in a half-year report does; a whole-year estimate or last year's rate
    /// does not).
    pub fn ends_within(&self, report: &Stretch) -> bool {
        self.end <= report.end && self.end >= report.start
    }
}

/// "2025-06" -> (2025, 6); "2025" -> (2025, `month`).
fn month_of(text: &str, month: u32) -> Option<(u32, u32)> {
    let (year, written) = match text.split_once('-') {
        Some((year, m)) => (year, Some(m)),
        None => (text, None),
    };
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let month = match written {
        Some(m) if m.len() == 2 => m.parse().ok().filter(|m| (1..=12).contains(m))?,
        Some(_) => return None,
        None => month,
    };
    Some((year.parse().ok()?, month))
}

impl Ord for Stretch {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.end, Reverse(self.start)).cmp(&(other.end, Reverse(other.start)))
    }
}

impl PartialOrd for Stretch {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Calendar {
    /// Every period in `text`, in order, without overlaps: where shapes overlap, the one
    /// that starts first wins, then the longest.
    pub fn find_all(&self, text: &str) -> Vec<Found> {
        let mut candidates: Vec<(usize, usize, Span)> = Vec::new();
        for shape in &self.shapes {
            for caps in shape.regex.captures_iter(text) {
                let Some(whole) = caps.get(0) else { continue };
                if let Some(span) = self.span(shape.kind, &caps) {
                    candidates.push((whole.start(), whole.end(), span));
                }
            }
        }
        candidates.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut found: Vec<Found> = Vec::new();
        for (start, end, span) in candidates {
            if found.last().is_some_and(|last| start < last.end) {
                continue;
            }
            found.push(Found {
                start,
                end,
                text: text[start..end].to_string(),
                span,
            });
        }
        found
    }

    /// Whether a period phrase names a day or a month of a year, not a whole year.
    pub fn is_dated(&self, phrase: &str) -> bool {
        self.dated
            .as_ref()
            .is_some_and(|dated| dated.is_match(phrase))
    }

    /// The ISO value of a period phrase (its first period), or None when it names none or
    /// names no year and `year` is None.
    pub fn iso(&self, phrase: &str, year: Option<u32>) -> Option<String> {
        self.find_all(phrase).first()?.span.iso(year)
    }

    fn number(&self, word: &str) -> Option<u32> {
        let word = collapse_spaces(word);
        word.parse()
            .ok()
            .or_else(|| self.numbers.get(&word.to_lowercase()).copied())
    }

    fn span(&self, kind: ShapeKind, caps: &Groups) -> Option<Span> {
        let group = |name: &str| caps.name(name).map(|m| m.as_str());
        let year_of = |name: &str| group(name).and_then(|y| y.parse::<u32>().ok());
        let years = year_of("year").map(|y| (y, y));
        let month = |name: &str| {
            group(name)
                .and_then(|w| self.number(w))
                .filter(|m| (1..=12).contains(m))
        };
        let span = match kind {
            ShapeKind::Months
                if years.is_none()
                    && group("count")
                        .is_some_and(|c| self.ambiguous_counts.contains(&c.to_lowercase())) =>
            {
                return None
            }
            ShapeKind::FirstMonths | ShapeKind::Months => Span {
                months: Some((1, month("count")?)),
                years,
            },
            ShapeKind::LastMonths => Span {
                months: Some((13 - month("count")?, 12)),
                years,
            },
            ShapeKind::FirstHalf => Span {
                months: Some((1, 6)),
                years,
            },
            ShapeKind::SecondHalf => Span {
                months: Some((7, 12)),
                years,
            },
            ShapeKind::Month => {
                let m = month("month")?;
                Span {
                    months: Some((m, m)),
                    years,
                }
            }
            ShapeKind::Quarter => {
                let written = group("quarter")?.to_uppercase();
                let q = written
                    .parse::<u32>()
                    .ok()
                    .or_else(|| self.quarters.get(&written).copied())
                    .filter(|q| (1..=4).contains(q))?;
                Span {
                    months: Some((3 * q - 2, 3 * q)),
                    years,
                }
            }
            ShapeKind::Years => {
                let (from, to) = (year_of("from")?, year_of("to")?);
                if to < from {
                    return None;
                }
                Span {
                    months: None,
                    years: Some((from, to)),
                }
            }
            ShapeKind::Year | ShapeKind::WholeYear => Span {
                months: None,
                years,
            },
        };
        Some(span)
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::Rules;

    fn iso(phrase: &str, year: Option<u32>) -> Option<String> {
        Rules::shipped().calendar.iso(phrase, year)
    }

    #[test]
    fn periods_normalize_to_iso_months_and_intervals() {
        let cases = [
            ("6 tháng đầu năm 2025", "2025-01/2025-06"),
            ("sáu tháng đầu năm 2023", "2023-01/2023-06"),
            // Five months, not the year: "năm" counts before "tháng đầu năm".
            ("năm tháng đầu năm 2024", "2024-01/2024-05"),
            ("nửa đầu năm 2024", "2024-01/2024-06"),
            ("nửa cuối năm 2023", "2023-07/2023-12"),
            ("Năm tháng đầu năm 2024", "2024-01/2024-05"),
            ("mười một tháng năm 2024", "2024-01/2024-11"),
            ("quý IV năm 2024", "2024-10/2024-12"),
            ("tháng 6.2025", "2025-06"),
            ("Giai đoạn 2021-2025", "2021/2025"),
            ("9 tháng năm 2025", "2025-01/2025-09"),
            ("3 tháng cuối năm 2022", "2022-10/2022-12"),
            ("quý III/2025", "2025-07/2025-09"),
            ("Quý 1 năm 2024", "2024-01/2024-03"),
            ("tháng 6/2025", "2025-06"),
            ("tháng mười hai năm 2021", "2021-12"),
            ("năm 2024", "2024"),
            ("cả năm 2024", "2024"),
            ("giai đoạn 2016-2020", "2016/2020"),
            ("nhiệm kỳ 2020 - 2025", "2020/2025"),
            ("03 năm 2027 - 2029", "2027/2029"),
        ];
        for (phrase, want) in cases {
            assert_eq!(iso(phrase, None).as_deref(), Some(want), "{phrase}");
        }
    }

    #[test]
    fn a_period_without_a_year_takes_the_one_given() {
        assert_eq!(
            iso("6 tháng đầu năm", Some(2026)).as_deref(),
            Some("2026-01/2026-06")
        );
        assert_eq!(iso("cả năm", Some(2019)).as_deref(), Some("2019"));
        assert_eq!(iso("năm nay", Some(2019)).as_deref(), Some("2019"));
        assert_eq!(
            iso("6 tháng đầu năm nay", Some(2026)).as_deref(),
            Some("2026-01/2026-06")
        );
        assert_eq!(iso("6 tháng đầu năm", None), None);
        assert_eq!(iso("tình hình kinh tế", Some(2020)), None);
        // "năm tháng" without its year may be "years and months": no five months; with
        // "đầu năm" after it, it can only count months.
        assert_eq!(iso("năm tháng", Some(2026)), None);
        assert_eq!(
            iso("sáu tháng", Some(2026)).as_deref(),
            Some("2026-01/2026-06")
        );
        assert_eq!(
            iso("năm tháng đầu năm", Some(2026)).as_deref(),
            Some("2026-01/2026-05")
        );
    }

    #[test]
    fn five_months_with_no_year_reads_as_years_and_months() {
        assert_eq!(iso("bao năm tháng", Some(2020)), None);
        assert_eq!(
            iso("9 tháng", Some(2020)).as_deref(),
            Some("2020-01/2020-09")
        );
    }

    #[test]
    fn iso_values_order_by_their_end_then_shorter_first() {
        use super::Stretch;
        let written = [
            "2025",
            "2025-01/2025-06",
            "2025-04/2025-06",
            "2025-06",
            "2024",
            "2016/2020",
        ];
        let mut stretches: Vec<(Stretch, &str)> = written
            .iter()
            .map(|w| (Stretch::parse(w).unwrap(), *w))
            .collect();
        stretches.sort();
        let order: Vec<&str> = stretches.iter().map(|(_, w)| *w).collect();
        assert_eq!(
            order,
            [
                "2016/2020",
                "2024",
                "2025-06",
                "2025-04/2025-06",
                "2025-01/2025-06",
                "2025"
            ]
        );
        for bad in ["", "25", "2025-13", "2025-6", "2026/2025", "năm 2025"] {
            assert_eq!(Stretch::parse(bad), None, "{bad}");
        }
        let half = Stretch::parse("2022-01/2022-06").unwrap();
        let inside = |iso: &str| Stretch::parse(iso).unwrap().ends_within(&half);
        assert!(inside("2022-04/2022-06") && inside("2022-01"));
        assert!(!inside("2022") && !inside("2021") && !inside("2022-07/2022-12"));
    }

    #[test]
    fn impossible_months_and_quarters_are_no_period() {
        assert_eq!(iso("tháng 13/2025", None), None);
        assert_eq!(iso("quý 5/2025", None), None);
    }
}
