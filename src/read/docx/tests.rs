use super::*;
use crate::normalize::NoteMark;
use std::io::Write;
use zip::write::SimpleFileOptions;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

/// A DOCX holding the given parts.
fn docx(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, xml) in parts {
        zip.start_file(*name, SimpleFileOptions::default()).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn document(body: &str) -> String {
    format!(r#"<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>"#)
}

fn paragraph(props: &str, text: &str) -> String {
    format!(r#"<w:p><w:pPr>{props}</w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

fn lines(bytes: &[u8]) -> Vec<String> {
    render(bytes, rules()).unwrap().marked_lines()
}

#[test]
fn headings_by_style_and_outline_level() {
    let body = [
        paragraph(r#"<w:pStyle w:val="Heading1"/>"#, "Kinh tế"),
        paragraph(r#"<w:pStyle w:val="u2"/>"#, "Nông nghiệp"),
        paragraph(r#"<w:outlineLvl w:val="2"/>"#, "Trồng trọt"),
        paragraph("", "Sản lượng đạt 5 tấn."),
    ]
    .concat();
    let styles = format!(
        r#"<w:styles {W}><w:style w:type="paragraph" w:styleId="u2"><w:name w:val="heading 2"/></w:style></w:styles>"#
    );
    let bytes = docx(&[
        ("word/document.xml", &document(&body)),
        ("word/styles.xml", &styles),
    ]);
    assert_eq!(
        lines(&bytes),
        [
            "[heading:1]Kinh tế",
            "[heading:2]Nông nghiệp",
            "[heading:3]Trồng trọt",
            "Sản lượng đạt 5 tấn."
        ]
    );
}

#[test]
fn footnotes_are_numbered_in_reference_order_and_listed_last() {
    let body = r#"<w:p><w:r><w:t>Bán lẻ đạt 5 tỷ đồng</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r><w:r><w:t>.</w:t></w:r></w:p>"#;
    let notes = format!(
        r#"<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="7"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Thương nghiệp đạt 4 tỷ đồng.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
    );
    let bytes = docx(&[
        ("word/document.xml", &document(body)),
        ("word/footnotes.xml", &notes),
    ]);
    assert_eq!(
        lines(&bytes),
        [
            "Bán lẻ đạt 5 tỷ đồng[footnoteRef:1].",
            "[1:  Thương nghiệp đạt 4 tỷ đồng.]"
        ]
    );
}

#[test]
fn only_footnote_references_are_declared_as_anchors() {
    let body = r#"<w:p><w:r><w:t>Viết tay [footnoteRef:1].</w:t></w:r></w:p><w:p><w:r><w:t>Bán lẻ đạt 5 tỷ đồng</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Ô</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r></w:p></w:tc></w:tr></w:tbl>"#;
    let notes = format!(
        r#"<w:footnotes {W}><w:footnote w:id="7"><w:p><w:r><w:t>Thương nghiệp đạt 4 tỷ đồng.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
    );
    let bytes = docx(&[
        ("word/document.xml", &document(body)),
        ("word/footnotes.xml", &notes),
    ]);
    let r = render(&bytes, rules()).expect("the docx renders");
    assert!(r.text.starts_with("Viết tay [footnoteRef:1]."));
    assert_eq!(
        r.notes,
        [
            (3, 1, NoteMark::Anchor),
            (5, 1, NoteMark::Anchor),
            (7, 1, NoteMark::Body)
        ],
        "{}",
        r.text
    );
}

#[test]
fn list_paragraphs_carry_the_label_word_draws() {
    let numbering = format!(
        r#"<w:numbering {W}><w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val=""/></w:lvl></w:abstractNum><w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num></w:numbering>"#
    );
    let item = |ilvl: u8, text: &str| {
        paragraph(
            &format!(r#"<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="5"/></w:numPr>"#),
            text,
        )
    };
    let body = [
        item(0, "Trồng trọt"),
        item(1, "Lúa đạt 5 tấn."),
        item(0, "Chăn nuôi"),
    ]
    .concat();
    let bytes = docx(&[
        ("word/document.xml", &document(&body)),
        ("word/numbering.xml", &numbering),
    ]);
    assert_eq!(
        lines(&bytes),
        ["a) Trồng trọt", "- Lúa đạt 5 tấn.", "b) Chăn nuôi"]
    );
}

#[test]
fn a_table_of_figures_reads_row_by_row() {
    let cell = |t: &str| format!("<w:tc>{}</w:tc>", paragraph("", t));
    let row = |cells: &[&str]| {
        format!(
            "<w:tr>{}</w:tr>",
            cells.iter().map(|c| cell(c)).collect::<String>()
        )
    };
    let table = format!(
        "<w:tbl>{}{}</w:tbl>",
        row(&[
            "Chỉ tiêu",
            "ĐVT",
            "Kế hoạch",
            "Ước thực hiện",
            "% so với KH"
        ]),
        row(&["Tổng thu NSNN", "tỷ đồng", "170,3", "165,2", "97"])
    );
    let bytes = docx(&[("word/document.xml", &document(&table))]);
    assert_eq!(
        lines(&bytes),
        ["Tổng thu NSNN: kế hoạch 170,3 tỷ đồng, ước thực hiện 165,2 tỷ đồng, đạt 97% kế hoạch."]
    );
}

#[test]
fn legacy_font_runs_are_decoded_and_capitals_fonts_uppercased() {
    let run = |font: &str, text: &str| {
        format!(
            r#"<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#
        )
    };
    let body = format!(
        "<w:p>{}</w:p><w:p>{}</w:p><w:p>{}</w:p>",
        run(".VnTimeH", "B¸o c¸o"),
        run(".VnTime", "t×nh h×nh"),
        run(".VnTime", "tình hình ư"),
    );
    let r = render(&docx(&[("word/document.xml", &document(&body))]), rules()).unwrap();
    let text: Vec<&str> = r.text.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(text, ["BÁO CÁO", "tình hình", "tình hình ư"]);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
}

#[test]
fn deleted_text_and_fallback_copies_are_not_read() {
    let body = r#"<w:p><w:del><w:r><w:delText>cũ</w:delText></w:r></w:del><w:r><w:t>mới</w:t></w:r></w:p><w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps"><w:t>hộp</w:t></mc:Choice><mc:Fallback><w:t>hộp</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;
    assert_eq!(
        lines(&docx(&[("word/document.xml", &document(body))])),
        ["mới", "hộp"]
    );
}

#[test]
fn broken_files_give_errors_not_panics() {
    let rules = Rules::shipped();
    assert!(render(b"PK\x03\x04garbage", rules)
        .unwrap_err()
        .starts_with("corrupt DOCX"));
    assert_eq!(render(&OLE_MAGIC, rules).unwrap_err(), ENCRYPTED);
    let no_document = docx(&[("word/styles.xml", "<x/>")]);
    assert!(render(&no_document, rules)
        .unwrap_err()
        .contains("word/document.xml"));
    let bad_xml = docx(&[("word/document.xml", "<w:document><w:body></w:p>")]);
    assert!(render(&bad_xml, rules)
        .unwrap_err()
        .starts_with("corrupt DOCX: word/document.xml"));
}

#[test]
fn table_of_contents_entries_are_skipped() {
    let body = [
        paragraph(r#"<w:pStyle w:val="TOC1"/>"#, "I. KẾT QUẢ\t3"),
        paragraph(r#"<w:pStyle w:val="Heading2"/>"#, "I. KẾT QUẢ"),
    ]
    .concat();
    assert_eq!(
        lines(&docx(&[("word/document.xml", &document(&body))])),
        ["[heading:2]I. KẾT QUẢ"]
    );
}

#[test]
fn list_numbers_format_like_word() {
    assert_eq!(format_number(4, "upperRoman"), "IV");
    assert_eq!(format_number(28, "lowerLetter"), "bb");
    assert_eq!(format_number(3, "decimalZero"), "03");
    let names = &rules().marks.heading_styles;
    assert_eq!(heading_name_level(names, "Tiêu đề 3"), Some(3));
    assert_eq!(heading_name_level(names, "Heading1"), Some(1));
    assert_eq!(heading_name_level(names, "Normal"), None);
    assert_eq!(format_number(u32::MAX, "lowerLetter"), u32::MAX.to_string());
}

fn rules() -> &'static Rules {
    Rules::shipped()
}

fn sample() -> Vec<u8> {
    let body = [
        paragraph(r#"<w:pStyle w:val="Heading1"/>"#, "Kinh tế"),
        r#"<w:p><w:r><w:t>Bán lẻ đạt 5 tỷ đồng</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r></w:p>"#.to_string(),
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Chỉ tiêu</w:t></w:r></w:p></w:tc></w:tr></w:tbl>".to_string(),
    ]
    .concat();
    let notes = format!(
        r#"<w:footnotes {W}><w:footnote w:id="2"><w:p><w:r><w:t>Thu 4 tỷ đồng.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
    );
    docx(&[
        ("word/document.xml", &document(&body)),
        ("word/footnotes.xml", &notes),
    ])
}

proptest::proptest! {
    #[test]
    fn any_bytes_give_text_or_an_error(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..600)) {
        let _ = render(&bytes, rules());
    }

    #[test]
    fn a_damaged_zip_gives_text_or_an_error(at in 0usize..4096, byte in proptest::num::u8::ANY) {
        let mut bytes = sample();
        let index = at % bytes.len();
        bytes[index] = byte;
        let _ = render(&bytes, rules());
    }

    #[test]
    fn damaged_xml_gives_text_or_an_error(at in 0usize..4096, byte in 0x20u8..0x7f) {
        let mut xml = document(&sample_body()).into_bytes();
        let index = at % xml.len();
        xml[index] = byte;
        let xml = String::from_utf8_lossy(&xml).into_owned();
        let _ = render(&docx(&[("word/document.xml", &xml)]), rules());
    }
}

#[test]
fn nested_tables_tabs_and_breaks_read_as_text() {
    let bytes = docx(&[("word/document.xml", &document(&sample_body()))]);
    assert_eq!(lines(&bytes), ["[heading:1]Kinh tế", "BÁO CÁO", "Lồng"]);
}

fn sample_body() -> String {
    [
        paragraph(r#"<w:pStyle w:val="Heading1"/><w:numPr><w:ilvl w:val="8"/><w:numId w:val="1"/></w:numPr>"#, "Kinh tế"),
        r#"<w:p><w:r><w:rPr><w:rFonts w:hAnsi=".VnTimeH"/></w:rPr><w:t>B¸o c¸o</w:t><w:tab/><w:br/></w:r></w:p>"#.to_string(),
        "<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Lồng</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>".to_string(),
    ]
    .concat()
}
