//! The document record read from one administrative header in the shapes it survives in:
//! plain lines, the two columns flattened side by side, a Markdown pipe table, pandoc's
//! wrapped table cells. Every copy gives the same record (spec/facts.md, "The document
//! record"). The fixtures in `tests/data/header/` are invented.

use std::io::{Cursor, Write};
use std::path::Path;

use baocao::{DocRecord, Options};

fn record(name: &str) -> DocRecord {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/header")
        .join(name);
    let bytes = std::fs::read(&path).expect("fixture exists");
    let rules = crate::common::rules();
    baocao::extract_bytes(name, &bytes, rules, &Options::default())
        .expect("fixture reads")
        .record
}

/// The plain fixture's header as a Word document: a two-column table (issuer | motto,
/// number | place and date), then the type line, the title and the body as paragraphs.
fn docx_copy() -> Vec<u8> {
    let paragraph =
        |text: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>");
    let cell = |lines: &[&str]| {
        let paragraphs: String = lines.iter().map(|l| paragraph(l)).collect();
        format!("<w:tc>{paragraphs}</w:tc>")
    };
    let table = format!(
        "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
        cell(&["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG TRỊ", "-------"]),
        cell(&[
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "---------------",
        ]),
        cell(&["Số: 117/BC-UBND"]),
        cell(&["Quảng Trị, ngày 03 tháng 7 năm 2026"]),
    );
    let body: String = [
        "BÁO CÁO",
        "Tình hình kinh tế - xã hội quý II và 6 tháng đầu năm 2026",
        "Kính gửi: Hội đồng nhân dân tỉnh Quảng Trị",
        "Tổng thu ngân sách nhà nước trên địa bàn 6 tháng đầu năm ước đạt 4.250 tỷ đồng.",
    ]
    .iter()
    .map(|l| paragraph(l))
    .collect();
    let xml = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{table}{body}</w:body></w:document>"#
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .expect("zip entry starts");
    zip.write_all(xml.as_bytes()).expect("zip entry written");
    zip.finish().expect("zip finishes").into_inner()
}

/// The header fields, title and period folded to lower case (a title in capitals is the
/// same title).
fn header_fields(r: &DocRecord) -> Vec<Option<String>> {
    let lower = |v: &Option<String>| v.as_ref().map(|s| s.to_lowercase());
    vec![
        r.doc_type.clone(),
        r.number.clone(),
        r.issuer.clone(),
        r.province.clone(),
        r.date.clone(),
        lower(&r.title),
        lower(&r.period),
        r.period_iso.clone(),
    ]
}

#[test]
fn every_copy_of_a_header_gives_the_same_record() {
    let plain = record("quang-tri-2026-h1.txt");
    let want = |s: &str| Some(s.to_string());
    assert_eq!(
        header_fields(&plain),
        vec![
            want("báo cáo"),
            want("117/BC-UBND"),
            want("Ủy ban nhân dân tỉnh Quảng Trị"),
            want("Quảng Trị"),
            want("2026-07-03"),
            want("tình hình kinh tế - xã hội quý ii và 6 tháng đầu năm 2026"),
            want("6 tháng đầu năm 2026"),
            want("2026-01/2026-06"),
        ]
    );
    for copy in [
        "quang-tri-2026-h1.flat.txt",
        "quang-tri-2026-h1.md",
        "quang-tri-2026-h1.wrapped.md",
    ] {
        assert_eq!(
            header_fields(&record(copy)),
            header_fields(&plain),
            "{copy}"
        );
    }
    let rules = crate::common::rules();
    let docx = baocao::extract_bytes("h.docx", &docx_copy(), rules, &Options::default())
        .expect("the DOCX copy reads")
        .record;
    assert_eq!(header_fields(&docx), header_fields(&plain), "DOCX");
}

#[test]
fn a_web_page_gives_its_title_date_line_and_the_city_province() {
    let r = record("nha-trang-web-2025-q3.txt");
    assert_eq!(r.doc_type, None);
    assert_eq!(r.number, None);
    assert_eq!(r.date.as_deref(), Some("2025-10-12"));
    assert_eq!(r.province.as_deref(), Some("Khánh Hòa"));
    assert_eq!(r.period_iso.as_deref(), Some("2025-07/2025-09"));
}

#[test]
fn a_court_header_names_the_court_and_its_province() {
    let r = record("lam-son-court-2026.flat.txt");
    assert_eq!(r.doc_type.as_deref(), Some("báo cáo"));
    assert_eq!(r.number.as_deref(), Some("52/BC-TA"));
    assert_eq!(r.issuer.as_deref(), Some("Tòa án nhân dân tỉnh Lâm Đồng"));
    assert_eq!(r.province.as_deref(), Some("Lâm Đồng"));
    assert_eq!(r.date.as_deref(), Some("2026-10-20"));
    assert_eq!(r.period.as_deref(), Some("năm 2026"));
}
