//! `extract compare` end to end: the four Sơn Thủy half-year reports (2022-2025) passed in
//! shuffled order, as reports and as fact files, in every format; hand-written fact files
//! (`tests/data/compare/`) whose documents cover months, quarters, five months, halves, nine
//! months and whole years, with one indicator spelled seven ways; and reports of two
//! provinces over two half-years (`tests/data/provinces/`), one with plan figures against
//! two kinds of basis.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

/// The reports, in an order that is not chronological.
const SHUFFLED: [&str; 4] = [
    "corpus/son-thuy-2024-h1.txt",
    "corpus/son-thuy-2022-h1.txt",
    "corpus/son-thuy-2025-h1.txt",
    "corpus/son-thuy-2023-h1.txt",
];

const HEADER: &str =
    "indicator,basis,6 tháng đầu năm 2022,6 tháng đầu năm 2023,6 tháng đầu năm 2024,6 tháng đầu năm 2025";

/// "đạt 46,2% kế hoạch giao", "đạt 48% KH tỉnh giao", "đạt 49,1% kế hoạch giao",
/// "bằng 50,3% KH năm": the retail-sales plan figures of 2022, 2023, 2024, 2025, against
/// bases of one kind (the row shows the most frequent wording).
const RETAIL: &str =
    "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng,kế hoạch giao,46.2,48,49.1,50.3";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn extract() -> Command {
    let mut command = Command::from_std(crate::common::binary());
    command.current_dir(root());
    command
}

fn compare(args: &[&str]) -> Output {
    extract()
        .arg("compare")
        .args(args)
        .output()
        .expect("extract runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}, stderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn line_starting<'a>(text: &'a str, start: &str) -> &'a str {
    text.lines()
        .find(|line| line.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting with {start:?} in:\n{text}"))
}

#[test]
fn retail_plan_figures_come_in_chronological_order_from_shuffled_reports() {
    let text = stdout(&compare(
        &[&["--measure", "plan", "--format", "csv"][..], &SHUFFLED[..]].concat(),
    ));
    assert_eq!(text.lines().next(), Some(HEADER));
    assert_eq!(line_starting(&text, "Tổng mức bán lẻ"), RETAIL);
}

#[test]
fn argument_order_does_not_change_the_table() {
    let mut sorted = SHUFFLED;
    sorted.sort();
    let mut reversed = sorted;
    reversed.reverse();
    assert_eq!(
        stdout(&compare(&sorted)),
        stdout(&compare(&reversed)),
        "output depends on argument order"
    );
}

/// Facts and document records written by `extract`, one pair of files per report.
fn fact_files(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for (index, report) in SHUFFLED.iter().enumerate() {
        let facts = dir.join(format!("facts-{index}.jsonl"));
        let docs = dir.join(format!("docs-{index}.jsonl"));
        extract()
            .args(["-q", report, "-o"])
            .arg(&facts)
            .arg("--docs")
            .arg(&docs)
            .assert()
            .success();
        files.push(facts.display().to_string());
        files.push(docs.display().to_string());
    }
    files
}

#[test]
fn fact_files_give_the_same_table_as_reports() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let files = fact_files(dir.path());
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    assert_eq!(stdout(&compare(&args)), stdout(&compare(&SHUFFLED)));
}

#[test]
fn fact_files_without_records_take_periods_from_facts() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let files = fact_files(dir.path());
    // Only the facts, not the --docs records, still in shuffled order.
    let facts: Vec<&str> = files
        .iter()
        .map(String::as_str)
        .filter(|f| f.contains("facts-"))
        .collect();
    let text = stdout(&compare(&facts));
    let retail = line_starting(&text, "Tổng mức bán lẻ");
    assert!(retail.ends_with(",46.2,48,49.1,50.3"), "{retail}");
    let header = text.lines().next().unwrap_or_default();
    for year in ["2022", "2023", "2024", "2025"] {
        assert!(header.contains(year), "{header}");
    }
}

#[test]
fn markdown_is_a_table_of_equal_rows() {
    let text = stdout(&compare(
        &[&["--format", "markdown"][..], &SHUFFLED[..]].concat(),
    ));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "| indicator | basis | 6 tháng đầu năm 2022 | 6 tháng đầu năm 2023 | 6 tháng đầu năm 2024 | 6 tháng đầu năm 2025 |"
    );
    assert_eq!(lines[1], "| --- | --- | ---: | ---: | ---: | ---: |");
    for line in &lines {
        assert!(line.starts_with("| ") && line.ends_with(" |"), "{line}");
        assert_eq!(line.matches(" | ").count(), 5, "{line}");
    }
    assert!(lines.contains(
        &"| Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng | kế hoạch giao | 46.2 | 48 | 49.1 | 50.3 |"
    ));
}

#[test]
fn json_has_columns_and_rows() {
    let text = stdout(&compare(
        &[&["--format", "json"][..], &SHUFFLED[..]].concat(),
    ));
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(value["measure"], "plan");
    let labels: Vec<&str> = value["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .filter_map(|c| c["label"].as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "6 tháng đầu năm 2022",
            "6 tháng đầu năm 2023",
            "6 tháng đầu năm 2024",
            "6 tháng đầu năm 2025"
        ]
    );
    let rows = value["rows"].as_array().expect("rows");
    let retail = rows
        .iter()
        .find(|r| r["key"] == "mức bán lẻ hàng hóa doanh thu dịch vụ tiêu dùng")
        .expect("a retail row");
    assert_eq!(retail["values"], serde_json::json!([46.2, 48, 49.1, 50.3]));
    assert_eq!(retail["cells"][0]["line"], 21);
}

#[test]
fn html_is_one_self_contained_page_with_charts() {
    let text = stdout(&compare(
        &[&["--format", "html"][..], &SHUFFLED[..]].concat(),
    ));
    assert!(text.starts_with("<!DOCTYPE html>"));
    assert!(text.contains("<svg"));
    assert!(
        !text.contains("http"),
        "the page must not reach the network"
    );
    assert!(!text.contains("<script"));
    assert!(!text.contains("<link"));
    assert!(text.contains("Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng"));
    // One chart per row, each point labelled with its figure.
    assert_eq!(
        text.matches("<svg").count(),
        text.matches("<tr><td").count()
    );
    for value in [">46.2<", ">48<", ">49.1<", ">50.3<"] {
        assert!(text.contains(value), "{value}");
    }
}

#[test]
fn output_file_extension_chooses_the_format() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let page = dir.path().join("compare.html");
    let page_arg = page.display().to_string();
    let output = compare(&[&["-o", &page_arg][..], &SHUFFLED[..]].concat());
    assert!(stdout(&output).is_empty());
    let text = std::fs::read_to_string(&page).expect("the page is written");
    assert!(text.contains("<svg"));
}

#[test]
fn explain_keys_lists_the_raw_indicators_of_each_row() {
    let output = compare(&[&["--explain-keys"][..], &SHUFFLED[..]].concat());
    let table = stdout(&output);
    assert_eq!(
        line_starting(&table, "Tổng mức bán lẻ"),
        RETAIL,
        "CSV stays clean"
    );
    let account = String::from_utf8_lossy(&output.stderr);
    assert!(account.contains("key: mức bán lẻ hàng hóa doanh thu dịch vụ tiêu dùng"));
    // 2023 writes "... trên địa bàn"; each summary repeats the indicator without a plan.
    assert!(account.contains(
        "corpus/son-thuy-2023-h1.txt:15  \"Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng trên địa bàn\""
    ));
    assert!(account.contains("corpus/son-thuy-2022-h1.txt:21"));
    assert!(account.contains("no plan"));

    let json = stdout(&compare(
        &[&["--explain-keys", "--format", "json"][..], &SHUFFLED[..]].concat(),
    ));
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let sources = value["rows"][0]["sources"].as_array().expect("sources");
    assert!(!sources.is_empty());
}

const DATA: [&str; 2] = [
    "tests/data/compare/facts.jsonl",
    "tests/data/compare/docs.jsonl",
];

/// The columns' order is that of their periods in ISO 8601, by the library's grammar:
/// "năm tháng đầu năm 2024" is the first five months (2024-01/2024-05), before June.
#[test]
fn periods_sort_chronologically_and_undated_documents_last() {
    let text = stdout(&compare(&DATA));
    assert_eq!(
        text.lines().next(),
        Some("indicator,basis,năm 2023,năm tháng đầu năm 2024,tháng 6 năm 2024,quý II/2024,6 tháng đầu năm 2024,9 tháng năm 2024,năm 2024,khong-ro.txt")
    );
}

#[test]
fn spelling_variants_of_one_indicator_make_one_row() {
    // hoá / hóa, "trên địa bàn", a comma for "và", capitals, NFD, "(theo giá hiện hành)";
    // in the half-year report the whole-year estimate before it and the summary after it
    // do not replace its 47.6.
    let text = stdout(&compare(&DATA));
    assert_eq!(
        line_starting(&text, "Tổng mức bán lẻ"),
        "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng,kế hoạch,101.5,40.2,8.1,24.3,47.6,72.4,99,12"
    );
    assert_eq!(text.lines().count(), 3, "{text}");
}

#[test]
fn min_docs_filters_rows() {
    let text = stdout(&compare(&[&["--min-docs", "3"][..], &DATA[..]].concat()));
    assert_eq!(text.lines().count(), 2, "only the retail row: {text}");
    let output = compare(&[&["--min-docs", "9"][..], &DATA[..]].concat());
    assert_eq!(stdout(&output).lines().count(), 1, "the header alone");
    assert!(String::from_utf8_lossy(&output.stderr).contains("no indicator"));
    let zero = compare(&[&["--min-docs", "0"][..], &DATA[..]].concat());
    assert_eq!(zero.status.code(), Some(2));
}

#[test]
fn unreadable_inputs_are_named_and_the_rest_compared() {
    let output = compare(&[&["no/such/report.txt"][..], &DATA[..]].concat());
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no/such/report.txt"));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("101.5"));

    let nothing = compare(&["no/such/report.txt"]);
    assert_eq!(nothing.status.code(), Some(2));
}

#[test]
fn a_broken_fact_file_is_named_with_its_line() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let broken = dir.path().join("broken.jsonl");
    std::fs::write(&broken, "{\"doc\":\"x\"}\n").expect("written");
    let output = compare(&[&broken.display().to_string()[..], DATA[0], DATA[1]]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("broken.jsonl:1"));
}

const PROVINCES: &str = "tests/data/provinces";

#[test]
fn by_province_gives_one_column_per_province_for_one_period() {
    let text = stdout(&compare(&[
        "--by",
        "province",
        "--period",
        "2026-01/2026-06",
        "--format",
        "csv",
        PROVINCES,
    ]));
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("indicator,basis,Quảng Trị,Điện Biên"));
    assert!(
        text.contains("Tổng thu ngân sách nhà nước trên địa bàn,dự toán,51,47.5"),
        "{text}"
    );
    // Other formats without --period: the latest period.
    let markdown = stdout(&compare(&[
        "--by", "province", "--format", "markdown", PROVINCES,
    ]));
    assert!(markdown.contains("| 51 | 47.5 |"), "{markdown}");
    let page = stdout(&compare(&[
        "--by", "province", "--format", "html", PROVINCES,
    ]));
    assert!(page.contains("<h1>Chỉ tiêu theo tỉnh, thành phố, 6 tháng đầu năm 2026</h1>"));
    // Places are no sequence: points, no line between them.
    assert!(!page.contains("class=\"line\""));
    // A period none of them reports on is an error that says so.
    extract()
        .args(["compare", "--by", "province", "--period", "2024", PROVINCES])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no report is of the period 2024"));
}

#[test]
fn plan_figures_against_two_bases_are_two_rows_and_basis_picks_one() {
    let args = ["--by", "province", "--period", "2026-01/2026-06", PROVINCES];
    let text = stdout(&compare(&args));
    assert!(
        text.contains("Tổng vốn đầu tư toàn xã hội,kế hoạch tỉnh giao,48.5,46.2\n"),
        "{text}"
    );
    assert!(
        text.contains("Tổng vốn đầu tư toàn xã hội,Nghị quyết HĐND tỉnh,45.1,44\n"),
        "{text}"
    );
    // Any case, and NFD as a shell may pass it.
    for word in ["NGHỊ QUYẾT", "nghi\u{323} quyê\u{301}t"] {
        let picked = stdout(&compare(&[&["--basis", word][..], &args[..]].concat()));
        assert_eq!(
            picked,
            "indicator,basis,Quảng Trị,Điện Biên\n\
             Tổng vốn đầu tư toàn xã hội,Nghị quyết HĐND tỉnh,45.1,44\n",
            "{word}"
        );
    }
    // JSON keeps each cell's basis as written.
    let json = stdout(&compare(&[&["--format", "json"][..], &args[..]].concat()));
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["rows"][0]["cells"][0]["basis"], "dự toán");
    assert_eq!(
        value["columns"][0]["issuer"],
        "Ủy ban nhân dân tỉnh Quảng Trị"
    );
}

/// The long table, parsed as pandas or DuckDB would: a header, then one record per figure.
fn long_table(args: &[&str]) -> Vec<std::collections::BTreeMap<String, String>> {
    let text = stdout(&compare(args));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().expect("a header").clone();
    reader
        .records()
        .map(|record| {
            let record = record.expect("a CSV record");
            header
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn by_province_csv_without_a_period_is_a_long_table_of_every_period() {
    let rows = long_table(&["--by", "province", "--format", "csv", PROVINCES]);
    let revenue: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .filter(|r| r["indicator_key"] == "thu ngân sách nhà nước")
        .map(|r| {
            (
                r["province"].as_str(),
                r["period_iso"].as_str(),
                r["basis"].as_str(),
                r["value"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        revenue,
        [
            ("Quảng Trị", "2025-01/2025-06", "dự toán", "49.2"),
            ("Quảng Trị", "2026-01/2026-06", "dự toán", "51"),
            ("Điện Biên", "2025-01/2025-06", "dự toán", "45.8"),
            ("Điện Biên", "2026-01/2026-06", "dự toán", "47.5"),
        ]
    );
    let first = &rows[0];
    assert_eq!(first["issuer"], "Ủy ban nhân dân tỉnh Quảng Trị");
    assert_eq!(first["measure"], "plan");
    assert_eq!(first["doc"], "tests/data/provinces/quang-tri-2025-h1.txt");
    // One row per (province, issuer, period, indicator, measure, basis): none repeated.
    let mut keys: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| {
            [
                "province",
                "issuer",
                "period_iso",
                "indicator_key",
                "measure",
                "basis",
            ]
            .iter()
            .map(|c| r[*c].as_str())
            .collect()
        })
        .collect();
    let all = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), all);
    assert_eq!(all, 11);
}

#[test]
fn the_page_names_each_columns_issuer_and_draws_the_plan_line() {
    let page = stdout(&compare(&["--format", "html", PROVINCES]));
    assert!(page.contains("<html lang=\"vi\">"));
    assert!(page.contains("Chỉ tiêu qua các kỳ báo cáo"));
    for issuer in [
        "Ủy ban nhân dân tỉnh Quảng Trị",
        "Ủy ban nhân dân tỉnh Điện Biên",
    ] {
        // One header per report of the issuer (two periods each).
        let header = format!("<span class=\"issuer\" title=\"Cơ quan ban hành\">{issuer}</span>");
        assert_eq!(page.matches(&header).count(), 2, "{issuer}");
    }
    // One 100% line per chart, each y axis from 0.
    let charts = page.matches("<svg").count();
    assert!(charts > 0);
    assert_eq!(page.matches("<line class=\"reference\"").count(), charts);
    assert_eq!(page.matches(">100% KH</text>").count(), charts);
    assert_eq!(
        page.matches("class=\"tick\"").count(),
        3 * charts,
        "ticks 0, 50, 100"
    );
    // Each cell's basis as tooltip.
    assert!(page.contains("<td class=\"num\" title=\"So với: Nghị quyết HĐND tỉnh\">45.1</td>"));
    // Columns in the order of their periods.
    let first_2026 = page.find("quang-tri-2026-h1.txt").unwrap_or(0);
    assert!(page
        .find("dien-bien-2025-h1.txt")
        .is_some_and(|i| i < first_2026));

    let english = stdout(&compare(&["--format", "html", "--lang", "en", PROVINCES]));
    assert!(english.contains("<html lang=\"en\">"));
    assert!(english.contains("Indicators across reporting periods"));
    assert!(english.contains(">100% of plan</text>"));
    assert!(!english.contains("Chỉ tiêu qua"));
}

#[test]
fn each_province_is_a_line_and_a_missing_period_breaks_it() {
    // Columns by period: Điện Biên 2025, Quảng Trị 2025, Điện Biên 2026, Quảng Trị 2026.
    // Quảng Trị's 2025 report says nothing of public investment.
    let page = stdout(&compare(&["--format", "html", PROVINCES]));
    let row = |indicator: &str| {
        page.split("<tr>")
            .find(|row| row.contains(indicator))
            .unwrap_or_else(|| panic!("a row of {indicator}"))
            .to_string()
    };
    // Each province's 2025 figure joins its own 2026 one, never the other province's.
    let revenue = row("Tổng thu ngân sách");
    assert_eq!(revenue.matches("<circle").count(), 4);
    assert_eq!(
        revenue.matches("<line class=\"line s0\"").count(),
        1,
        "{revenue}"
    );
    assert_eq!(
        revenue.matches("<line class=\"line s1\"").count(),
        1,
        "{revenue}"
    );
    let investment = row("Vốn đầu tư công");
    assert_eq!(investment.matches("<circle").count(), 3);
    assert_eq!(
        investment.matches("<line class=\"line").count(),
        1,
        "{investment}"
    );
}
