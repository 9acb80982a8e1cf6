//! Properties over generated inputs (issue 7, part 3): figures written the Vietnamese way
//! parse back exactly; normalization is idempotent and NFC/NFD spellings give the same
//! facts; sentences built from report phrases give back the figures they were built from;
//! the `extract` run's output does not depend on thread count, argument order or the other
//! documents of the run; the layout survives unbalanced markers and keeps byte offsets.

use crate::common::rules;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use baocao::number::{self, Decimal};
use baocao::{layout, normalize, Fact, Kind};
use proptest::prelude::*;
use proptest::sample::select;
use unicode_normalization::UnicodeNormalization;

// ---------------------------------------------------------------------------------
// Numbers

/// Dots between thousands: 1234567 -> "1.234.567".
fn group_thousands(digits: &str) -> String {
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(digit);
    }
    out
}

/// The exact decimal of an integer part and fraction digits (trailing zeros are not
/// significant, as in the parser).
fn exact(integer: u64, fraction: &str) -> Decimal {
    let fraction = fraction.trim_end_matches('0');
    let scale = fraction.len() as u32;
    let fraction_value: u64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().expect("digits")
    };
    Decimal {
        mantissa: integer * 10u64.pow(scale) + fraction_value,
        scale,
    }
}

/// An integer of exactly `digits` digits (1 to 18): every magnitude a report can state.
fn integer_of_magnitude() -> impl Strategy<Value = u64> {
    (1u32..=18).prop_flat_map(|digits| {
        let low = if digits == 1 {
            0
        } else {
            10u64.pow(digits - 1)
        };
        low..10u64.pow(digits)
    })
}

/// An integer of 1 to 12 digits and 1 to 6 fraction digits: at most the parser's 18
/// significant digits together.
fn integer_and_fraction() -> impl Strategy<Value = (u64, String)> {
    let integer = (1u32..=12).prop_flat_map(|digits| {
        let low = if digits == 1 {
            0
        } else {
            10u64.pow(digits - 1)
        };
        low..10u64.pow(digits)
    });
    (integer, "[0-9]{1,6}")
}

proptest! {
    #[test]
    fn whole_numbers_of_any_magnitude_parse_back(integer in integer_of_magnitude()) {
        let written = group_thousands(&integer.to_string());
        prop_assert_eq!(number::parse(&written), Some(Decimal { mantissa: integer, scale: 0 }), "{}", written);
    }

    #[test]
    fn decimal_commas_parse_back((integer, fraction) in integer_and_fraction()) {
        let written = format!("{},{fraction}", group_thousands(&integer.to_string()));
        prop_assert_eq!(number::parse(&written), Some(exact(integer, &fraction)), "{}", written);
    }

    /// Modern texts write "98.4%": a dot not followed by exactly three digits is a decimal
    /// point, and means what the comma would.
    #[test]
    fn a_decimal_point_reads_as_the_comma(integer in 0u64..1_000_000, fraction in "[0-9]{1,2}|[0-9]{4,6}") {
        let with_point = number::parse(&format!("{integer}.{fraction}"));
        prop_assert_eq!(with_point, Some(exact(integer, &fraction)));
        prop_assert_eq!(with_point, number::parse(&format!("{integer},{fraction}")));
    }

    /// "03 xã", "0,58%": leading zeros do not change a figure.
    #[test]
    fn leading_zeros_do_not_change_the_value(zeros in 1usize..4, integer in 0u64..1000, fraction in "[0-9]{0,3}") {
        let padded = format!("{}{integer}", "0".repeat(zeros));
        let written = if fraction.is_empty() { padded } else { format!("{padded},{fraction}") };
        prop_assert_eq!(number::parse(&written), Some(exact(integer, &fraction)), "{}", written);
    }

    /// Money converts to đồng exactly: "260,9 tỷ" is 260 900 000 000, not ...0003.
    #[test]
    fn billions_convert_to_dong_exactly(integer in 0u64..10_000_000, fraction in "[0-9]{1,9}") {
        let written = format!("{},{fraction}", group_thousands(&integer.to_string()));
        let padded: u64 = format!("{fraction:0<9}").parse().expect("digits");
        let dong = number::parse(&written).and_then(|d| d.times(1_000_000_000));
        prop_assert_eq!(dong, Some(integer * 1_000_000_000 + padded), "{}", written);
    }
}

// ---------------------------------------------------------------------------------
// Sentences from a grammar of report phrases

const INDICATORS: [&str; 6] = [
    "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng",
    "Tổng thu ngân sách nhà nước trên địa bàn",
    "Tổng chi ngân sách địa phương",
    "Doanh thu du lịch",
    "Giá trị sản xuất công nghiệp",
    "Thu tiền sử dụng đất",
];
const VERBS: [&str; 3] = ["ước đạt", "ước thực hiện", "đạt"];
const MONEY: [&str; 2] = ["tỷ đồng", "triệu đồng"];
const PERIODS: [&str; 3] = ["", " 6 tháng đầu năm", " năm 2024"];
const COMPARISONS: [&str; 3] = [
    "so với cùng kỳ",
    "so với cùng kỳ năm trước",
    "so với cùng kỳ năm 2023",
];
const PLANS: [&str; 3] = ["kế hoạch", "kế hoạch giao", "KH tỉnh giao"];

/// A figure as written ("1.234,5") and its value.
#[derive(Debug, Clone)]
struct Figure {
    written: String,
    value: f64,
}

fn figure(max_integer: u64) -> impl Strategy<Value = Figure> {
    (0..max_integer, "[0-9]{0,2}").prop_map(|(integer, fraction)| {
        let grouped = group_thousands(&integer.to_string());
        let written = if fraction.is_empty() {
            grouped
        } else {
            format!("{grouped},{fraction}")
        };
        let value = exact(integer, &fraction).to_f64();
        Figure { written, value }
    })
}

/// A measure a generated sentence states, as the extractor must report it.
#[derive(Debug, Clone, PartialEq)]
struct Expected {
    kind: Kind,
    value: f64,
    unit: String,
}

/// One sentence: indicator, period, "ước đạt N tỷ đồng", then change and plan phrases.
#[derive(Debug, Clone)]
struct Sentence {
    text: String,
    indicator: String,
    measures: Vec<Expected>,
}

/// ", tăng 7,8% so với cùng kỳ" or ", giảm ..." (a decrease is a negative change).
fn change_phrase() -> impl Strategy<Value = (String, Expected)> {
    (any::<bool>(), figure(100), select(COMPARISONS.to_vec())).prop_map(
        |(down, percent, comparison)| {
            let (verb, sign) = if down {
                ("giảm", -1.0)
            } else {
                ("tăng", 1.0)
            };
            let text = format!(", {verb} {}% {comparison}", percent.written);
            let expected = Expected {
                kind: Kind::Change,
                value: sign * percent.value,
                unit: "%".to_string(),
            };
            (text, expected)
        },
    )
}

/// ", đạt 49,1% kế hoạch giao".
fn plan_phrase() -> impl Strategy<Value = (String, Expected)> {
    (figure(100), select(PLANS.to_vec())).prop_map(|(percent, plan)| {
        let text = format!(", đạt {}% {plan}", percent.written);
        let expected = Expected {
            kind: Kind::Plan,
            value: percent.value,
            unit: "%".to_string(),
        };
        (text, expected)
    })
}

fn sentence() -> impl Strategy<Value = Sentence> {
    let head = (
        select(INDICATORS.to_vec()),
        select(PERIODS.to_vec()),
        select(VERBS.to_vec()),
        // At least 1: an amount of zero is no report's figure.
        figure(100_000).prop_filter("a non-zero amount", |f| f.value > 0.0),
        select(MONEY.to_vec()),
    );
    let tail = (
        proptest::option::of(change_phrase()),
        proptest::option::of(plan_phrase()),
        any::<bool>(),
    );
    (head, tail).prop_map(
        |((indicator, period, verb, amount, unit), (change, plan, plan_first))| {
            let mut text = format!("{indicator}{period} {verb} {} {unit}", amount.written);
            let mut measures = vec![Expected {
                kind: Kind::Actual,
                value: amount.value,
                unit: unit.to_string(),
            }];
            let mut phrases: Vec<(String, Expected)> = change.into_iter().chain(plan).collect();
            if plan_first {
                phrases.reverse();
            }
            for (phrase, expected) in phrases {
                text.push_str(&phrase);
                measures.push(expected);
            }
            text.push('.');
            Sentence {
                text,
                indicator: indicator.to_string(),
                measures,
            }
        },
    )
}

/// A short report: a heading, then one sentence a line.
fn report() -> impl Strategy<Value = Vec<Sentence>> {
    proptest::collection::vec(sentence(), 1..5)
}

fn report_text(sentences: &[Sentence]) -> String {
    let mut text = String::from("I. KINH TẾ\n");
    for sentence in sentences {
        text.push_str(&sentence.text);
        text.push('\n');
    }
    text
}

fn measures_of(fact: &Fact) -> Vec<Expected> {
    fact.measures
        .iter()
        .map(|m| Expected {
            kind: m.kind,
            value: m.value,
            unit: m.unit.clone().unwrap_or_default(),
        })
        .collect()
}

/// Facts as compact JSON without the document name: what must not depend on how or with
/// what else a document was read.
fn without_doc(facts: &[Fact]) -> Vec<String> {
    facts
        .iter()
        .map(|fact| {
            let fact = Fact {
                doc: String::new(),
                ..fact.clone()
            };
            serde_json::to_string(&fact).expect("a fact serializes")
        })
        .collect()
}

proptest! {
    #[test]
    fn generated_sentences_give_back_their_figures(sentences in report()) {
        let extraction = baocao::extract_text("r.txt", &report_text(&sentences), rules());
        prop_assert_eq!(extraction.facts.len(), sentences.len(), "{:#?}", extraction.facts);
        for (fact, sentence) in extraction.facts.iter().zip(&sentences) {
            prop_assert_eq!(&fact.indicator, &sentence.indicator, "{}", sentence.text);
            prop_assert_eq!(measures_of(fact), sentence.measures.clone(), "{}", sentence.text);
        }
    }

    /// The same report decomposed (NFD, as some editors save it) gives the same facts,
    /// spans included, because spans are offsets of the NFC text.
    #[test]
    fn nfc_and_nfd_give_the_same_facts(sentences in report()) {
        let text = report_text(&sentences);
        let decomposed: String = text.nfd().collect();
        prop_assume!(decomposed != text);
        let nfc = baocao::extract_bytes("a.txt", text.as_bytes(), rules(), &Default::default());
        let nfd = baocao::extract_bytes("b.txt", decomposed.as_bytes(), rules(), &Default::default());
        let (nfc, nfd) = (nfc.expect("readable"), nfd.expect("readable"));
        prop_assert!(!nfc.facts.is_empty());
        prop_assert_eq!(without_doc(&nfc.facts), without_doc(&nfd.facts));
    }

    /// No-break, thin and ideographic spaces (Word and PDF exports hold them) read as
    /// spaces: the same facts, and each span still cuts its fact's text out of the report
    /// as written, those spaces included.
    #[test]
    fn foreign_spaces_read_as_spaces(
        sentences in report(),
        picks in proptest::collection::vec(0..6usize, 1..40),
    ) {
        let text = report_text(&sentences);
        let foreign = ['\u{A0}', '\u{2009}', '\u{202F}', '\u{3000}'];
        let mut spaces = 0;
        let spaced: String = text
            .chars()
            .map(|c| match c {
                ' ' => {
                    spaces += 1;
                    foreign.get(picks[spaces % picks.len()]).copied().unwrap_or(c)
                }
                _ => c,
            })
            .collect();
        prop_assume!(spaced != text);
        let read = |text: &str| {
            baocao::extract_bytes("a.txt", text.as_bytes(), rules(), &Default::default())
                .expect("readable")
                .facts
        };
        let (plain, foreign) = (read(&text), read(&spaced));
        let without_span = |facts: &[Fact]| {
            let facts: Vec<Fact> = facts.iter().map(|f| Fact { span: [0, 0], ..f.clone() }).collect();
            without_doc(&facts)
        };
        prop_assert_eq!(without_span(&plain), without_span(&foreign));
        for fact in &foreign {
            let cut = spaced.get(fact.span[0]..fact.span[1]);
            prop_assert_eq!(cut.map(baocao::words::collapse_spaces), Some(fact.text.clone()));
        }
    }
}

// ---------------------------------------------------------------------------------
// Normalization

/// Letters of Vietnamese in both spellings, combining marks on their own, line ends of
/// every kind and byte order marks anywhere: what text from archives is made of.
fn archive_text() -> impl Strategy<Value = String> {
    let pieces = select(vec![
        "a",
        "ư",
        "ơ",
        "đ",
        "ệ",
        "Ấ",
        "e\u{302}\u{301}",
        "u\u{31b}",
        "\u{301}",
        "\u{323}",
        "\u{309}",
        " ",
        "5",
        ".",
        "\n",
        "\r\n",
        "\r",
        "\u{feff}",
        "\u{a0}",
    ]);
    proptest::collection::vec(pieces, 0..40).prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn normalizing_twice_changes_nothing(text in archive_text()) {
        let once = normalize::normalize("x", &text);
        let twice = normalize::normalize("x", &once.text);
        prop_assert_eq!(&twice.text, &once.text);
        prop_assert_eq!(twice.line_count(), once.line_count());
    }

    /// CRLF, lone CR and LF each end one line, so line numbers of the input survive.
    #[test]
    fn every_line_end_ends_one_line(text in archive_text()) {
        let expected = text.replace("\r\n", "\n").replace('\r', "\n").matches('\n').count() + 1;
        prop_assert_eq!(normalize::normalize("x", &text).line_count(), expected);
    }
}

// ---------------------------------------------------------------------------------
// Layout on unbalanced markers

/// Report text with footnote anchors and bodies, bookmarks, headings and brackets, closed
/// or not, in any order.
fn marked_text() -> impl Strategy<Value = String> {
    let pieces = select(vec![
        "[footnoteRef:",
        "[footnoteRef:3]",
        "[footnoteRef: 12]",
        "[12:",
        "[3:  Trong đó: thu 4 tỷ đồng.",
        "[7]",
        "[bookmark: _Toc1]",
        "[heading:2]",
        "[heading:",
        "[",
        "]",
        "(",
        ")",
        "(2). ",
        "a) ",
        "I. KINH TẾ",
        "Doanh thu đạt 5 tỷ đồng",
        ", tăng 2,5%",
        ", đạt 49% kế hoạch",
        ". ",
        "; ",
        ":",
        " ",
        "\n",
        "\n\n",
        "\r\n",
        "ệ",
        "e\u{302}\u{301}",
    ]);
    proptest::collection::vec(pieces, 0..60).prop_map(|pieces| pieces.concat())
}

fn assert_slicable(text: &str, range: &std::ops::Range<usize>) -> Result<(), TestCaseError> {
    prop_assert!(
        range.start <= range.end && range.end <= text.len(),
        "{:?}",
        range
    );
    prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
    Ok(())
}

proptest! {
    #[test]
    fn layout_keeps_byte_offsets_of_unbalanced_markers(text in marked_text()) {
        let doc = normalize::normalize("x", &text);
        let layout = layout::split(&doc, rules());
        prop_assert_eq!(layout.masked.len(), doc.text.len());
        for block in &layout.blocks {
            assert_slicable(&doc.text, &block.range)?;
        }
        for note in &layout.footnotes {
            assert_slicable(&doc.text, &note.body)?;
        }
    }

    #[test]
    fn facts_of_marked_text_point_into_it(text in marked_text()) {
        let doc = normalize::normalize("x", &text);
        let extraction = baocao::extract_document(&doc, rules());
        for fact in &extraction.facts {
            assert_slicable(&doc.text, &(fact.span[0]..fact.span[1]))?;
            prop_assert!(fact.span[0] < fact.span[1] && fact.line >= 1);
        }
    }
}

// ---------------------------------------------------------------------------------
// The extract run: threads, argument order, other documents

/// Runs of the binary are slow next to library calls: a few cases each.
const RUN_CASES: u32 = 4;

/// Reports written to a temporary folder, named r0.txt, r1.txt ... in generation order.
struct Reports {
    dir: tempfile::TempDir,
    paths: Vec<PathBuf>,
}

fn write_reports(reports: &[Vec<Sentence>]) -> Reports {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let paths = reports
        .iter()
        .enumerate()
        .map(|(i, sentences)| {
            let path = dir.path().join(format!("r{i}.txt"));
            std::fs::write(&path, report_text(sentences)).expect("the report is written");
            path
        })
        .collect();
    Reports { dir, paths }
}

/// `extract -q --jobs N paths...`: the facts of each document, in output order, by document.
fn run_extract(paths: &[&Path], jobs: usize) -> BTreeMap<String, Vec<Fact>> {
    let output = crate::common::binary()
        .args(["--quiet", "--jobs", &jobs.to_string()])
        .args(paths)
        .output()
        .expect("extract runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut by_doc: BTreeMap<String, Vec<Fact>> = BTreeMap::new();
    for line in String::from_utf8(output.stdout)
        .expect("UTF-8 output")
        .lines()
    {
        let fact: Fact = serde_json::from_str(line).expect("a fact per line");
        by_doc.entry(fact.doc.clone()).or_default().push(fact);
    }
    by_doc
}

fn reports(count: std::ops::Range<usize>) -> impl Strategy<Value = Vec<Vec<Sentence>>> {
    proptest::collection::vec(report(), count)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(RUN_CASES))]

    #[test]
    fn output_is_the_same_at_any_thread_count(docs in reports(2..8), jobs in 2usize..6) {
        let written = write_reports(&docs);
        let paths: Vec<&Path> = written.paths.iter().map(PathBuf::as_path).collect();
        let one = crate::common::binary()
            .args(["-q", "-j", "1"]).args(&paths).output().expect("extract runs");
        let many = crate::common::binary()
            .args(["-q", "-j", &jobs.to_string()]).args(&paths).output().expect("extract runs");
        prop_assert!(!one.stdout.is_empty());
        // Byte for byte: documents are written in argument order whatever finishes first.
        prop_assert_eq!(one.stdout, many.stdout);
        drop(written.dir);
    }

    /// Each document's facts, and their order within it, do not depend on where the
    /// document stands among the arguments.
    #[test]
    fn argument_order_does_not_change_a_documents_facts(
        docs in reports(2..6),
        order in any::<u64>(),
        jobs in 1usize..4,
    ) {
        let written = write_reports(&docs);
        let forward: Vec<&Path> = written.paths.iter().map(PathBuf::as_path).collect();
        let mut shuffled = forward.clone();
        let count = shuffled.len();
        // A rotation and a swap from the seed: every document moves in some cases.
        shuffled.rotate_left(order as usize % count);
        shuffled.swap(0, (order as usize / 7) % count);
        prop_assert_eq!(run_extract(&forward, jobs), run_extract(&shuffled, jobs));
    }

    #[test]
    fn other_documents_do_not_change_a_documents_facts(
        docs in reports(2..6),
        jobs in 1usize..4,
    ) {
        let written = write_reports(&docs);
        let target = written.paths[0].as_path();
        let alone = run_extract(&[target], jobs);
        let others: Vec<&Path> = written.paths.iter().map(PathBuf::as_path).collect();
        // The document among others, in the middle of the run.
        let mut together = others[1..].to_vec();
        together.insert(together.len() / 2, target);
        let with_others = run_extract(&together, jobs);
        let key = target.display().to_string();
        prop_assert!(alone.contains_key(&key));
        prop_assert_eq!(alone.get(&key), with_others.get(&key));
    }
}
