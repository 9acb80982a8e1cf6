//! The `extract` binary on fixtures: the output contract read back into typed structs,
//! determinism, equivalent inputs, exit codes, error messages and a closed stdout.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use assert_cmd::Command;
use baocao::Fact;
use predicates::prelude::*;

fn extract() -> Command {
    Command::from_std(crate::common::binary())
}

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus/ exists")
        .map(|e| e.expect("listable").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

/// The facts of the first sample report, as the plain CLI writes them.
fn first_report_facts() -> Vec<Fact> {
    facts(
        &extract()
            .arg(&corpus()[0])
            .arg("-q")
            .output()
            .unwrap()
            .stdout,
    )
}

fn facts(stdout: &[u8]) -> Vec<Fact> {
    String::from_utf8(stdout.to_vec())
        .expect("output is UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("every line is a fact of the contract"))
        .collect()
}

/// Facts without the document name, as compact JSON: what must not depend on how a report arrived.
fn without_doc(facts: &[Fact]) -> Vec<String> {
    facts
        .iter()
        .map(|f| {
            serde_json::to_string(&Fact {
                doc: String::new(),
                ..f.clone()
            })
            .unwrap()
        })
        .collect()
}

#[test]
fn corpus_facts_follow_the_contract() {
    let output = extract().args(corpus()).arg("--quiet").output().unwrap();
    assert!(output.status.success());
    let facts = facts(&output.stdout);
    assert!(facts.len() > 100, "only {} facts", facts.len());
    for fact in &facts {
        assert!(!fact.measures.is_empty());
        assert!(fact.span[0] < fact.span[1]);
        assert!(!fact.text.contains("footnoteRef") && !fact.indicator.contains('['));
    }
    assert!(
        facts.iter().any(|f| f.footnote.is_some()),
        "footnote facts are found"
    );
    assert!(
        facts.iter().all(|f| !f.section.is_empty()),
        "every fact has a section"
    );
}

#[test]
fn output_is_the_same_at_any_thread_count() {
    let one = extract()
        .args(corpus())
        .args(["--jobs", "1", "-q"])
        .output()
        .unwrap();
    let four = extract()
        .args(corpus())
        .args(["--jobs", "4", "-q"])
        .output()
        .unwrap();
    assert!(one.status.success());
    assert_eq!(one.stdout, four.stdout);
}

#[test]
fn nfd_crlf_and_bom_copies_give_the_same_facts() {
    use unicode_normalization::UnicodeNormalization;
    let original = &corpus()[0];
    let text = std::fs::read_to_string(original).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copies = [
        ("nfd.txt", text.nfd().collect::<String>().into_bytes()),
        ("crlf.txt", text.replace('\n', "\r\n").into_bytes()),
        (
            "bom.txt",
            [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        ),
    ];
    let expected = without_doc(&facts(
        &extract().arg(original).arg("-q").output().unwrap().stdout,
    ));
    for (name, bytes) in copies {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let got = without_doc(&facts(
            &extract().arg(&path).arg("-q").output().unwrap().stdout,
        ));
        assert_eq!(got, expected, "{name} gives other facts");
    }
}

#[test]
fn two_arguments_give_twice_the_facts() {
    let file = &corpus()[1];
    let once = facts(&extract().arg(file).arg("-q").output().unwrap().stdout).len();
    let twice = facts(
        &extract()
            .arg(file)
            .arg(file)
            .arg("-q")
            .output()
            .unwrap()
            .stdout,
    )
    .len();
    assert_eq!(twice, 2 * once);
}

#[test]
fn a_missing_file_is_named_and_the_others_still_written() {
    let output = extract()
        .arg("no-such-report.txt")
        .arg(&corpus()[0])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no-such-report.txt: no such file or folder"),
        "{stderr}"
    );
    assert!(!facts(&output.stdout).is_empty());
}

#[test]
fn a_folder_is_walked_and_an_empty_one_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.xls"), b"\xD0\xCF").unwrap();
    extract()
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("folder holds no readable reports"));
    let corpus_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let walked = facts(
        &extract()
            .arg(&corpus_dir)
            .arg("-q")
            .output()
            .unwrap()
            .stdout,
    );
    let listed = facts(&extract().args(corpus()).arg("-q").output().unwrap().stdout);
    assert_eq!(walked.len(), listed.len());
}

#[test]
fn stdin_is_read_with_a_dash() {
    let text = std::fs::read(&corpus()[0]).unwrap();
    let output = extract()
        .arg("-")
        .arg("-q")
        .write_stdin(text)
        .output()
        .unwrap();
    let facts = facts(&output.stdout);
    assert!(!facts.is_empty());
    assert!(facts.iter().all(|f| f.doc == "-"));
}

#[test]
fn binary_and_empty_files_do_not_stop_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("scan.txt");
    std::fs::write(&binary, [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let output = extract()
        .arg(&binary)
        .arg(&empty)
        .arg(&corpus()[0])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("scan.txt: not a text file"), "{stderr}");
    assert!(
        stderr.contains("empty.txt: warning: empty file"),
        "{stderr}"
    );
    assert!(!facts(&output.stdout).is_empty());
}

#[test]
fn invalid_utf8_is_read_lossily_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.txt");
    let mut bytes = "Tổng thu ngân sách đạt 1.250 tỷ đồng, đạt 52% kế hoạch.\n"
        .as_bytes()
        .to_vec();
    bytes.extend([0xff, 0xfe, b'x', b'\n']);
    std::fs::write(&path, bytes).unwrap();
    let output = extract().arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.txt: warning"), "{stderr}");
    let facts = facts(&output.stdout);
    assert_eq!(facts.len(), 1);
    assert_eq!(
        facts[0]
            .measures
            .iter()
            .find(|m| m.kind == baocao::Kind::Plan)
            .unwrap()
            .value,
        52.0
    );
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let mut child = crate::common::binary()
        .args(corpus().iter().cycle().take(40))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(first.starts_with("{\"doc\""));
    assert_eq!(output.status.code(), Some(0));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn malformed_rule_files_stop_before_any_input_with_exit_2() {
    let dir = copy_of_patterns();
    let plan = dir.path().join("plan.toml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, text.replacen("pattern = ", "patern = ", 1)).unwrap();
    extract()
        .arg("--patterns")
        .arg(dir.path())
        .arg(&corpus()[0])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::is_match(r"plan\.toml:\d+: unknown field `patern`").unwrap());
}

#[test]
fn a_rule_added_to_a_copy_of_the_patterns_changes_the_output() {
    let dir = copy_of_patterns();
    let sentence = "Doanh thu du lịch nhích 12% so với cùng kỳ.";
    let before = facts(
        &extract()
            .arg("-")
            .arg("-q")
            .arg("--patterns")
            .arg(dir.path())
            .write_stdin(sentence)
            .output()
            .unwrap()
            .stdout,
    );
    assert!(before.is_empty());
    let fragments = dir.path().join("fragments.toml");
    let text = std::fs::read_to_string(&fragments).unwrap();
    std::fs::write(
        &fragments,
        text.replacen("words = [\"tăng\", ", "words = [\"nhích\", \"tăng\", ", 1),
    )
    .unwrap();
    let after = facts(
        &extract()
            .arg("-")
            .arg("-q")
            .arg("--patterns")
            .arg(dir.path())
            .write_stdin(sentence)
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].measures[0].value, 12.0);
}

#[test]
fn rules_test_passes_on_the_shipped_rules_and_names_a_broken_example() {
    extract()
        .args(["rules", "test"])
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"\d+ passed, 0 failed").unwrap());
    let dir = copy_of_patterns();
    let relative = dir.path().join("relative.toml");
    let text = std::fs::read_to_string(&relative).unwrap();
    std::fs::write(&relative, text.replacen("value = 96.3", "value = 69.3", 1)).unwrap();
    extract()
        .args(["rules", "test"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "relative.bang-pct-cung-ky: missing relative 69.3",
        ));
}

#[test]
fn stream_mode_turns_failures_into_records() {
    let input =
        "{\"id\": \"a\", \"text\": \"Doanh thu đạt 5 tỷ đồng, đạt 50% kế hoạch.\"}\nnot json\n";
    let output = extract()
        .args(["--input", "jsonl", "-q"])
        .write_stdin(input)
        .output()
        .unwrap();
    // Failures are part of the output, so the run succeeds (Spark's pipe would kill the task).
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty());
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["doc"], "a");
    assert_eq!(lines[1]["doc"], "stdin:2");
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .contains("not a document record"));
}

#[test]
fn shards_split_the_documents_between_them() {
    let all = facts(&extract().args(corpus()).arg("-q").output().unwrap().stdout).len();
    let parts: usize = (0..3)
        .map(|i| {
            facts(
                &extract()
                    .args(corpus())
                    .args(["-q", "--shard", &format!("{i}/3")])
                    .output()
                    .unwrap()
                    .stdout,
            )
            .len()
        })
        .sum();
    assert_eq!(parts, all);
}

#[test]
fn csv_has_one_row_per_measure() {
    let jsonl = first_report_facts();
    let output = extract()
        .arg(&corpus()[0])
        .args(["-q", "--format", "csv"])
        .output()
        .unwrap();
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "doc");
    assert_eq!(&headers[7], "kind");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(
        rows.len(),
        jsonl.iter().map(|f| f.measures.len()).sum::<usize>()
    );
    assert!(
        rows.iter().any(|r| r[2].contains(" > ")),
        "section paths are joined"
    );
}

#[test]
fn json_is_one_array_of_the_same_facts() {
    let jsonl = first_report_facts();
    let output = extract()
        .arg(&corpus()[0])
        .args(["-q", "--format", "json"])
        .output()
        .unwrap();
    let array: Vec<Fact> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(array, jsonl);
}

#[test]
fn output_file_is_written_whole_under_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("facts.jsonl");
    extract()
        .arg(&corpus()[0])
        .arg("-q")
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    assert!(!facts(&std::fs::read(&out).unwrap()).is_empty());
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file is left behind");
}

/// Every fact has the fields the published schema requires, and no field the schema does not
/// describe. (The schema's every constraint is checked by a JSON Schema validator in CI, on
/// the samples' and the dev set's facts: `scripts/check-schema.py`.)
#[test]
fn facts_have_the_fields_of_the_published_schema() {
    let schema_text = extract().arg("schema").output().unwrap().stdout;
    let schema: serde_json::Value = serde_json::from_slice(&schema_text).unwrap();
    let described = schema["properties"]
        .as_object()
        .expect("the schema lists properties");
    let required: Vec<&str> = schema["required"]
        .as_array()
        .expect("the schema lists required fields")
        .iter()
        .filter_map(|name| name.as_str())
        .collect();
    let output = extract().args(corpus()).arg("-q").output().unwrap();
    let lines = String::from_utf8(output.stdout).unwrap();
    assert!(lines.lines().count() > 0);
    for line in lines.lines() {
        let fact: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line).unwrap();
        for name in &required {
            assert!(fact.contains_key(*name), "{name} missing: {line}");
        }
        for name in fact.keys() {
            assert!(
                described.contains_key(name),
                "{name} not in the schema: {line}"
            );
        }
    }
}

#[test]
fn document_records_name_period_and_issuer() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs.jsonl");
    extract()
        .args(corpus())
        .arg("-q")
        .arg("--docs")
        .arg(&docs)
        .assert()
        .success();
    let records: Vec<baocao::DocRecord> = std::fs::read_to_string(&docs)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), corpus().len());
    assert_eq!(records[0].period.as_deref(), Some("6 tháng đầu năm 2022"));
    assert_eq!(records[0].issuer.as_deref(), Some("UBND huyện Sơn Thủy"));
    assert!(records
        .iter()
        .all(|r| r.encoding == "utf-8" && r.footnotes > 0 && r.sections > 0));
}

#[test]
fn help_shows_examples() {
    extract()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"));
    extract().arg("--version").assert().success();
}

fn copy_of_patterns() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("patterns");
    for entry in std::fs::read_dir(source).unwrap() {
        let path = entry.unwrap().path();
        let mut file = std::fs::File::create(dir.path().join(path.file_name().unwrap())).unwrap();
        file.write_all(&std::fs::read(&path).unwrap()).unwrap();
    }
    dir
}

#[test]
fn an_unreadable_file_is_named_with_its_reason() {
    // Reading /proc/self/mem from its start fails with an I/O error, even for root (for whom
    // file permissions would not stop the read).
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("locked.txt");
    std::os::unix::fs::symlink("/proc/self/mem", &link).unwrap();
    let output = extract().arg(&link).arg(&corpus()[0]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("locked.txt").count(), 1, "{stderr}");
    assert!(!facts(&output.stdout).is_empty());
}

#[test]
fn a_closed_stdin_is_an_empty_document() {
    let output = crate::common::binary()
        .arg("-")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("-: warning: empty file"));
}

#[test]
fn unbalanced_brackets_and_markers_are_read_as_text() {
    let text = "a) Thu ngân sách (tỉnh [footnoteRef:3 giao]] đạt 1.250 tỷ đồng, đạt 52% kế hoạch [7:  chưa đóng\n";
    let output = extract()
        .arg("-")
        .arg("-q")
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(output.status.success());
    let facts = facts(&output.stdout);
    assert_eq!(facts.len(), 1);
    assert!(facts[0].measures.iter().any(|m| m.value == 52.0));
}

#[test]
fn the_summary_counts_in_words_a_person_reads() {
    extract()
        .arg(&corpus()[0])
        .assert()
        .success()
        .stderr(predicate::str::contains("extract: 1 file, "))
        .stderr(predicate::str::contains(" 0 errors"));
    extract()
        .args(&corpus()[..2])
        .assert()
        .success()
        .stderr(predicate::str::contains("extract: 2 files, "));
    extract()
        .args(["--input", "jsonl"])
        .write_stdin("{\"id\": \"a\", \"text\": \"Thu ngân sách đạt 51% dự toán.\"}\n")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "extract: 1 record, 1 fact, 0 errors",
        ));
}

#[test]
fn zero_worker_threads_are_refused() {
    extract()
        .args(["-j", "0"])
        .arg(&corpus()[0])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at least one worker thread"));
    extract()
        .args(["compare", "-j", "0"])
        .arg(&corpus()[0])
        .assert()
        .code(2);
}

#[test]
fn dash_as_output_is_stdout() {
    let output = extract()
        .arg(&corpus()[0])
        .args(["-q", "-o", "-"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(facts(&output.stdout), first_report_facts());
}

#[test]
fn a_write_error_names_the_file_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("missing-folder").join("facts.jsonl");
    extract()
        .arg(&corpus()[0])
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "cannot write {}",
            out.display()
        )))
        .stderr(predicate::str::contains(".facts.jsonl.").not());
}

#[test]
fn completions_and_a_manual_page_come_from_the_flags() {
    extract()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--patterns"));
    extract()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH extract"));
}

#[test]
fn the_output_file_extension_chooses_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("measures.csv");
    extract()
        .arg(&corpus()[0])
        .arg("-q")
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("doc,line,"),
        "{}",
        &text[..40.min(text.len())]
    );
    let out = dir.path().join("facts.json");
    extract()
        .arg(&corpus()[0])
        .args(["-q", "--format", "jsonl", "-o"])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("{\"doc\""),
        "--format outranks the extension"
    );
}

#[test]
fn document_records_read_the_administrative_header() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs.jsonl");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/header");
    extract()
        .arg(fixtures.join("quang-tri-2026-h1.wrapped.md"))
        .arg(fixtures.join("nha-trang-web-2025-q3.txt"))
        .arg("-q")
        .arg("--docs")
        .arg(&docs)
        .assert()
        .success();
    let text = std::fs::read_to_string(&docs).unwrap();
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    let field = |row: usize, name: &str| rows[row][name].as_str().map(str::to_string);
    assert_eq!(field(0, "type").as_deref(), Some("báo cáo"));
    assert_eq!(field(0, "number").as_deref(), Some("117/BC-UBND"));
    assert_eq!(
        field(0, "issuer").as_deref(),
        Some("Ủy ban nhân dân tỉnh Quảng Trị")
    );
    assert_eq!(field(0, "province").as_deref(), Some("Quảng Trị"));
    assert_eq!(field(0, "date").as_deref(), Some("2026-07-03"));
    assert_eq!(
        field(0, "title").as_deref(),
        Some("TÌNH HÌNH KINH TẾ - XÃ HỘI QUÝ II VÀ 6 THÁNG ĐẦU NĂM 2026")
    );
    assert_eq!(field(0, "period_iso").as_deref(), Some("2026-01/2026-06"));
    assert_eq!(field(0, "format").as_deref(), Some("markdown"));
    assert_eq!(field(1, "date").as_deref(), Some("2025-10-12"));
    assert_eq!(field(1, "province").as_deref(), Some("Khánh Hòa"));
    assert_eq!(field(1, "type"), None);
    // The record reads back as the library's type.
    let record: baocao::DocRecord = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(record.period.as_deref(), Some("6 THÁNG ĐẦU NĂM 2026"));
}

#[test]
fn csv_rows_carry_the_fact_id_and_the_documents_issuer_and_period() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs.csv");
    let output = extract()
        .arg(&corpus()[0])
        .args(["-q", "--format", "csv", "--docs"])
        .arg(&docs)
        .output()
        .unwrap();
    assert!(output.status.success());
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let facts = first_report_facts();
    let ids: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| &r[column("fact_id")]).collect();
    assert_eq!(ids.len(), facts.len(), "rows regroup into the facts");
    assert!(rows
        .iter()
        .all(|r| r[column("issuer")].contains("Sơn Thủy")));
    assert!(rows
        .iter()
        .all(|r| r[column("report_period_iso")].ends_with("-06")));
    let mut records = csv::Reader::from_path(&docs).unwrap();
    assert_eq!(&records.headers().unwrap()[1], "type");
    assert_eq!(records.records().count(), 1, "--docs follows --format");
}

/// Issue 16, part 3: a folder of .txt, .TXT, .pdf, .doc and .rtf files. Every report format
/// is read, the RTF and a spreadsheet are counted as skipped with their kinds, the document
/// records carry each file's format, and a hostile file fails alone.
#[test]
fn a_mixed_folder_reports_what_it_skipped() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let formats = root.join("tests/data/formats");
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: &Path, to: &str| std::fs::copy(from, dir.path().join(to)).unwrap();
    copy(&corpus()[0], "a.txt");
    copy(&corpus()[1], "B.TXT");
    copy(&formats.join("son-thuy-2024-h1.pdf"), "c.pdf");
    copy(&formats.join("son-thuy-2024-h1.doc"), "d.doc");
    std::fs::write(dir.path().join("e.rtf"), b"{\\rtf1 x}").unwrap();
    std::fs::write(dir.path().join("f.rtf"), b"{\\rtf1 y}").unwrap();
    std::fs::write(dir.path().join("g.xls"), b"\xD0\xCF\x11\xE0").unwrap();
    let docs = dir.path().join("docs.jsonl");
    let output = extract()
        .arg(dir.path())
        .arg("--docs")
        .arg(&docs)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("extract: 4 files, 3 skipped (2 .rtf, 1 .xls: not a report format)"),
        "{stderr}"
    );
    let formats: Vec<String> = std::fs::read_to_string(&docs)
        .unwrap()
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            record["format"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(formats, ["text", "text", "pdf", "doc"]);
    let facts = facts(&output.stdout);
    for name in ["a.txt", "B.TXT", "c.pdf", "d.doc"] {
        assert!(
            facts.iter().any(|f| f.doc.ends_with(name)),
            "no facts from {name}"
        );
    }

    // A compression bomb among them fails alone: the other files' facts are written.
    let mut bomb = b"%PDF-1.4\n1 0 obj\n<< /Length 1 >>\nstream\n".to_vec();
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![0u8; 100 << 20]).unwrap();
    bomb.extend(encoder.finish().unwrap());
    std::fs::write(dir.path().join("bomb.pdf"), bomb).unwrap();
    let output = extract().arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("bomb.pdf: PDF one stream unpacks to more than"),
        "{stderr}"
    );
    assert_eq!(self::facts(&output.stdout).len(), facts.len());
}

/// A directly named file in no format read says which formats would work.
#[test]
fn an_unsupported_file_named_directly_says_what_would_work() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("budget.xls");
    std::fs::write(&sheet, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00").unwrap();
    extract()
        .arg(&sheet)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "not a report format; readable: .txt, .text, .md, .markdown, .docx, .pdf, .doc",
        ));
}

/// A PDF that makes the PDF crates panic (a font without a subtype) is a corrupt file,
/// named once, without the panic's message.
#[test]
fn a_pdf_the_crates_panic_on_is_reported_as_corrupt() {
    let content = b"BT /F1 12 Tf (Hello) Tj ET";
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
          /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        [
            format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(),
            content,
            b"\nendstream",
        ]
        .concat(),
        b"<< /Type /Font >>".to_vec(),
    ];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("font.pdf");
    std::fs::write(&file, crate::common::pdf(&objects)).unwrap();
    let output = extract().arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("font.pdf: corrupt PDF"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Compiled automata kept in `BAOCAO_CACHE` give the same facts as compiling them; damaged
/// entries are compiled again; an empty `BAOCAO_CACHE` keeps none.
#[test]
fn kept_automata_give_the_same_facts_and_damaged_ones_are_compiled_again() {
    let dir = tempfile::tempdir().unwrap();
    let run = |cache: &Path| {
        let output = extract()
            .env("BAOCAO_CACHE", cache)
            .arg("-q")
            .args(corpus())
            .output()
            .unwrap();
        assert!(output.status.success());
        output.stdout
    };
    let uncached = run(Path::new(""));
    let cache = dir.path().join("automata");
    assert!(!cache.exists(), "an empty BAOCAO_CACHE keeps nothing");
    assert_eq!(run(&cache), uncached, "compiling and keeping");
    let kept: Vec<PathBuf> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert!(kept.len() > 50, "only {} automata kept", kept.len());
    assert_eq!(run(&cache), uncached, "reading them back");
    for (index, path) in kept.iter().enumerate() {
        let mut bytes = std::fs::read(path).unwrap();
        match index % 3 {
            0 => bytes.truncate(bytes.len() / 2),
            1 => bytes
                .iter_mut()
                .skip(40)
                .step_by(7)
                .for_each(|b| *b ^= 0x5a),
            _ => bytes.clear(),
        }
        std::fs::write(path, bytes).unwrap();
    }
    assert_eq!(run(&cache), uncached, "damaged entries compiled again");
}
