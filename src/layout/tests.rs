use super::*;
use crate::normalize::normalize;

fn layout(text: &str) -> (Document, Layout) {
    let rules = Rules::shipped();
    let doc = normalize("t", text);
    let layout = split(&doc, rules);
    (doc, layout)
}

#[test]
fn a_title_in_capitals_does_not_run_into_the_next_line() {
    let (_, l) = layout(
        "KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2017\nTổng sản phẩm tăng 7,36%.\nGRDP\nbình quân tăng 6%.\n",
    );
    let texts: Vec<&str> = l
        .blocks
        .iter()
        .map(|b| l.masked[b.range.clone()].trim())
        .collect();
    assert!(texts.contains(&"Tổng sản phẩm tăng 7,36%."), "{texts:?}");
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("GRDP") && t.contains("bình quân")),
        "{texts:?}"
    );
}

#[test]
fn sections_nest_by_level() {
    let (_, l) = layout("Phần I\nĐÁNH GIÁ\nI. KINH TẾ\n1. Nông nghiệp\na) Trồng trọt\nSản lượng đạt 5 tấn.\nb) Chăn nuôi\nĐàn bò là 20 con.\n");
    let last = l.blocks.last().unwrap();
    assert_eq!(
        l.path(last.section),
        [
            "Phần I ĐÁNH GIÁ",
            "I. KINH TẾ",
            "1. Nông nghiệp",
            "b) Chăn nuôi"
        ]
    );
}

#[test]
fn endnote_anchors_are_read_like_footnote_anchors() {
    let text =
        "a) Thương mại\nBán lẻ đạt 5 tỷ đồng[endnoteRef:2]. [2:  Thương nghiệp 4 tỷ đồng.]\n";
    let (_, l) = layout(text);
    assert!(!l.masked.contains("endnoteRef"));
    assert_eq!(l.footnotes[0].number, 2);
    assert_eq!(l.path(l.footnotes[0].section), ["a) Thương mại"]);
}

#[test]
fn footnotes_are_linked_to_their_anchor_section() {
    let text = "a) Thương mại\nBán lẻ đạt 5 tỷ đồng[footnoteRef:1]. [1:  Trong đó: thương nghiệp 4 tỷ đồng.]\nb) Khác\n";
    let (doc, l) = layout(text);
    let note = &l.footnotes[0];
    assert_eq!(note.number, 1);
    assert_eq!(
        &doc.text[note.body.clone()],
        "Trong đó: thương nghiệp 4 tỷ đồng."
    );
    assert_eq!(l.path(note.section), ["a) Thương mại"]);
    assert!(!l.masked.contains("footnoteRef"));
    assert!(!l.masked.contains("[1:"));
    assert_eq!(l.masked.len(), doc.text.len());
}

#[test]
fn a_rendered_report_reads_only_the_notes_its_reader_declared() {
    let text = "Bán lẻ đạt 5 tỷ đồng[footnoteRef:1]. Thu[footnoteRef:2] đạt 4 tỷ đồng[3].\n[1:  Trong đó: thương nghiệp 4 tỷ đồng.]\n[2:  viết trong văn bản]\n[3] chú thích\n[bookmark: x]\n";
    let doc = normalize("t", text)
        .with_marked_notes(vec![(1, 1, NoteMark::Anchor), (2, 1, NoteMark::Body)]);
    let l = split(&doc, Rules::shipped());
    let numbers: Vec<u32> = l.footnotes.iter().map(|n| n.number).collect();
    assert_eq!(numbers, [1]);
    assert_eq!(
        &doc.text[l.footnotes[0].body.clone()],
        "Trong đó: thương nghiệp 4 tỷ đồng."
    );
    assert!(!l.masked.contains("[footnoteRef:1]"));
    for text in ["[footnoteRef:2]", "[2:  viết", "[3]", "[3] chú"] {
        assert!(l.masked.contains(text), "{text} stays text");
    }
    assert!(
        !l.masked.contains("bookmark"),
        "bookmarks are blanked as before"
    );
}

#[test]
fn a_rendered_report_without_notes_has_none() {
    let text = "Bán lẻ đạt 5 tỷ đồng[footnoteRef:1]. [1:  Trong đó: 4 tỷ đồng.]\nThu [2].\n\n[2] chú thích\n";
    let doc = normalize("t", text).with_marked_notes(Vec::new());
    let l = split(&doc, Rules::shipped());
    assert!(l.footnotes.is_empty());
    assert_eq!(l.masked, doc.text);
    let (_, plain) = layout(text);
    assert_eq!(
        plain.footnotes.len(),
        2,
        "plain text still reads its markers"
    );
}

#[test]
fn unterminated_markers_are_left_as_text() {
    let text = "Doanh thu [footnoteRef:2 đạt 5 tỷ đồng. [3:  chưa đóng\n";
    let (doc, l) = layout(text);
    assert_eq!(l.masked, doc.text);
    assert!(l.footnotes.is_empty());
}

#[test]
fn wrapped_lines_join_into_one_paragraph() {
    let (doc, l) = layout("Tổng mức bán lẻ hàng hóa ước\nđạt 2.327 tỷ đồng, tăng 2%.\nCâu khác.\n");
    assert_eq!(l.blocks.len(), 2);
    assert_eq!(doc.line_of(l.blocks[0].range.end), 2);
}

#[test]
fn plain_text_notes_are_footnotes() {
    let text = "a) Nông nghiệp\nSản lượng đạt 5 tấn[1], tăng 2%.\n\n[1] Trong đó: lúa 3 tấn,\n    ngô 2 tấn.\n\nb) Khác\n";
    let (doc, l) = layout(text);
    assert_eq!(l.footnotes.len(), 1);
    assert_eq!(
        &doc.text[l.footnotes[0].body.clone()],
        "Trong đó: lúa 3 tấn,\n    ngô 2 tấn."
    );
    assert_eq!(l.path(l.footnotes[0].section), ["a) Nông nghiệp"]);
    assert!(!l.masked.contains("[1]"));
    assert_eq!(l.blocks.iter().filter(|b| b.footnote.is_some()).count(), 1);
}

#[test]
fn a_footnote_body_runs_over_wrapped_lines_but_not_past_a_blank_line() {
    let text = "Thu đạt 5 tỷ đồng[footnoteRef:1].\n[1:  Trong đó: thuế 3 tỷ\nđồng, phí 2 tỷ đồng.]\nChi đạt 4 tỷ đồng. [2:  chưa đóng\n\nmột đoạn khác]\n";
    let (doc, l) = layout(text);
    assert_eq!(l.footnotes.len(), 1);
    assert_eq!(
        &doc.text[l.footnotes[0].body.clone()],
        "Trong đó: thuế 3 tỷ\nđồng, phí 2 tỷ đồng."
    );
}

/// Blocks as text, white space collapsed.
fn block_texts(l: &Layout) -> Vec<String> {
    l.blocks
        .iter()
        .map(|b| {
            l.masked[b.range.clone()]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn a_headings_sentence_cut_by_a_wrap_runs_on() {
    let text = "(4). Tỷ lệ hộ dùng nước sạch ước 83%, đạt 87,4% kế\nhoạch. Tỷ lệ khác 5%.\n(5). Số xã đạt chuẩn là 9 xã (tăng 2 xã)\ntăng 1 xã so với cùng kỳ.\n";
    let (_, l) = layout(text);
    assert_eq!(
        block_texts(&l),
        [
            "Tỷ lệ hộ dùng nước sạch ước 83%, đạt 87,4% kế hoạch. Tỷ lệ khác 5%.",
            "Số xã đạt chuẩn là 9 xã (tăng 2 xã) tăng 1 xã so với cùng kỳ."
        ]
    );
    // Items that state measures open no section.
    assert!(l.sections.is_empty(), "{:?}", l.sections);
    // A heading whose first line states none runs on the same way and names its section
    // in full.
    let (_, l) =
        layout("(4). Công tác bảo đảm nước sạch trên địa bàn\nhuyện và các xã vùng cao.\n");
    assert_eq!(
        block_texts(&l),
        ["Công tác bảo đảm nước sạch trên địa bàn huyện và các xã vùng cao."]
    );
    assert_eq!(
        l.sections[0].heading,
        "(4). Công tác bảo đảm nước sạch trên địa bàn huyện và các xã vùng cao."
    );
}

#[test]
fn a_short_heading_does_not_run_into_its_paragraph() {
    let line = "Doanh thu đạt 12 tỷ đồng, tăng 5% so với cùng kỳ, chi phí";
    let mut text = String::from("a) Thương mại\nDoanh thu dịch vụ đạt 3 tỷ đồng.\n");
    for _ in 0..MIN_WRAPPED_LINES {
        text.push_str(line);
        text.push('\n');
    }
    let (doc, l) = layout(&text);
    assert_eq!(wrap_width(&doc, &l.masked), Some(line.chars().count()));
    assert_eq!(
        block_texts(&l)[..2],
        ["Thương mại", "Doanh thu dịch vụ đạt 3 tỷ đồng."]
    );
}

#[test]
fn a_line_cut_at_the_wrap_width_runs_on_whatever_its_next_word() {
    let line = "Tổng thu ngân sách trên địa bàn ước đạt 12 tỷ đồng, bằng 98%";
    let mut text = format!("(2). {line}\nKH năm.\n");
    for _ in 0..MIN_WRAPPED_LINES {
        text.push_str(&format!(
            "{line}\nkế hoạch năm, tăng 5% so với cùng kỳ năm\n"
        ));
    }
    let (_, l) = layout(&text);
    assert!(block_texts(&l)[0].ends_with("bằng 98% KH năm."));
}

#[test]
fn a_title_line_does_not_run_into_the_sentence_below_it() {
    let text = "Sản xuất công nghiệp tiếp tục tăng\nChỉ số sản xuất công nghiệp tăng 5%.\nDoanh thu đạt 3 tỷ đồng,\ntăng 2% so với cùng kỳ.\n";
    let (_, l) = layout(text);
    assert_eq!(
        block_texts(&l),
        [
            "Sản xuất công nghiệp tiếp tục tăng",
            "Chỉ số sản xuất công nghiệp tăng 5%.",
            "Doanh thu đạt 3 tỷ đồng, tăng 2% so với cùng kỳ."
        ]
    );
}

#[test]
fn text_with_a_paragraph_a_line_is_not_wrapped() {
    let text = "Thu ngân sách đạt 5 tỷ đồng, tăng 3% so với cùng kỳ.\n".repeat(40);
    let (doc, l) = layout(&text);
    assert_eq!(wrap_width(&doc, &l.masked), None);
}

#[test]
fn marked_headings_open_sections() {
    let doc = normalize("t", "Kinh tế\nNông nghiệp\nSản lượng đạt 5 tấn.\n")
        .with_marked_headings(vec![(1, 1), (2, 2)]);
    let l = split(&doc, Rules::shipped());
    assert_eq!(
        l.path(l.blocks.last().unwrap().section),
        ["Kinh tế", "Nông nghiệp"]
    );
}

#[test]
fn a_heading_marker_written_in_a_report_is_only_text() {
    let (_, l) = layout("[heading:2]Nông nghiệp\nSản lượng đạt 5 tấn.\n");
    assert!(l.sections.is_empty(), "{:?}", l.sections);
}

#[test]
fn numbered_items_keep_their_text_as_a_block() {
    let (doc, l) = layout("III. CHỈ TIÊU\n(2). Thu ngân sách đạt 100% kế hoạch giao.\n");
    let block = l.blocks.last().unwrap();
    assert_eq!(
        &doc.text[block.range.clone()],
        "Thu ngân sách đạt 100% kế hoạch giao."
    );
    assert_eq!(l.path(block.section), ["III. CHỈ TIÊU"]);
}

#[test]
fn numbered_sentences_with_measures_are_items_and_titles_are_headings() {
    let text = "III. KẾT QUẢ\n8. Thu ngân sách trên địa bàn tỉnh đạt 2.310 tỷ đồng, tăng 11,6% so với năm trước và đạt 104,2% dự toán năm;\n9. Tỷ lệ hộ nghèo 1,2%.\n1. Tăng trưởng kinh tế\nGRDP tăng 6,9%.\n2. Kết quả thực hiện 6 tháng đầu năm 2025\na) Chăn nuôi\nb) Đàn lợn tăng 2,5%.\n";
    let (doc, l) = layout(text);
    let headings: Vec<&str> = l.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        headings,
        [
            "III. KẾT QUẢ",
            "1. Tăng trưởng kinh tế",
            "2. Kết quả thực hiện 6 tháng đầu năm 2025",
            "a) Chăn nuôi"
        ]
    );
    let (item, path) = block_starting(&doc, &l, "Thu ngân sách");
    assert!(
        item.starts_with("Thu ngân sách trên địa bàn tỉnh đạt"),
        "{item}"
    );
    assert_eq!(path, ["III. KẾT QUẢ"]);
    let (_, path) = block_starting(&doc, &l, "Đàn lợn");
    assert_eq!(path.last().map(String::as_str), Some("a) Chăn nuôi"));
}

#[test]
fn an_item_cut_before_its_figure_by_a_wrap_is_still_an_item() {
    let mut text = String::from("III. KẾT QUẢ\n(1). Tổng thu ngân sách nhà nước trên địa bàn ước\nthực hiện năm 2022 là 74.500 triệu đồng, đạt 102,2% dự\ntoán tỉnh giao.\n(2). Tỷ lệ che phủ rừng ước đạt 57%, đạt 100% kế\nhoạch.\n");
    // Enough wrapped lines for the wrap width to be read off the text.
    for _ in 0..12 {
        text.push_str("Sản xuất nông nghiệp tiếp tục phát triển ổn định, các\nloại cây trồng sinh trưởng tốt.\n");
    }
    let (doc, l) = layout(&text);
    let headings: Vec<&str> = l.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(headings, ["III. KẾT QUẢ"]);
    let (item, path) = block_starting(&doc, &l, "Tổng thu");
    assert!(item.ends_with("tỉnh giao."), "{item}");
    assert_eq!(path, ["III. KẾT QUẢ"]);
    let (_, path) = block_starting(&doc, &l, "Tỷ lệ che phủ");
    assert_eq!(path, ["III. KẾT QUẢ"]);
}

/// The text of the block that starts with `opening`, and its section path.
fn block_starting(doc: &Document, l: &Layout, opening: &str) -> (String, Vec<String>) {
    let block = l
        .blocks
        .iter()
        .find(|b| doc.text[b.range.clone()].starts_with(opening))
        .unwrap_or_else(|| panic!("no block starts with {opening:?}"));
    (
        doc.text[block.range.clone()].to_string(),
        l.path(block.section),
    )
}

#[test]
fn capital_letters_open_a_level_above_roman() {
    let (doc, l) = layout(
        "A. KẾT QUẢ ĐẠT ĐƯỢC\nI. KINH TẾ\n1- Nông nghiệp\na. Trồng trọt\nSản lượng đạt 5 tấn.\n\
         B. NHIỆM VỤ\nI. MỤC TIÊU\nThu đạt 5 tỷ đồng.\n",
    );
    assert_eq!(
        block_starting(&doc, &l, "Sản lượng").1,
        [
            "A. KẾT QUẢ ĐẠT ĐƯỢC",
            "I. KINH TẾ",
            "1- Nông nghiệp",
            "a. Trồng trọt"
        ]
    );
    assert_eq!(
        block_starting(&doc, &l, "Thu đạt").1,
        ["B. NHIỆM VỤ", "I. MỤC TIÊU"]
    );
}

#[test]
fn dashed_numbers_and_three_part_numbers_are_headings() {
    let (doc, l) = layout(
        "1 - Kinh tế\n1.2. Thương mại\n1.2.1. Bán lẻ\nDoanh thu đạt 5 tỷ đồng.\n\
         1.2.2. Xuất khẩu\nKim ngạch đạt 2 triệu USD.\n2– Xã hội\nb. Y tế\nCó 3 trạm.\n",
    );
    assert_eq!(
        block_starting(&doc, &l, "Doanh thu").1,
        ["1 - Kinh tế", "1.2. Thương mại", "1.2.1. Bán lẻ"]
    );
    assert_eq!(
        block_starting(&doc, &l, "Kim ngạch").1,
        ["1 - Kinh tế", "1.2. Thương mại", "1.2.2. Xuất khẩu"]
    );
    assert_eq!(block_starting(&doc, &l, "Có 3").1, ["2– Xã hội", "b. Y tế"]);
}

#[test]
fn a_heading_does_not_swallow_the_next_line() {
    for heading in [
        "1- Sản xuất nông nghiệp",
        "A. KẾT QUẢ",
        "a. Trồng trọt",
        "2.1.3. Lúa",
    ] {
        let (doc, l) = layout(&format!("{heading}\nSản lượng lúa đạt 5 tấn.\n"));
        assert_eq!(l.sections.len(), 1, "{heading}");
        let (text, path) = block_starting(&doc, &l, "Sản lượng");
        assert_eq!(text, "Sản lượng lúa đạt 5 tấn.", "{heading}");
        assert_eq!(path, [heading]);
        assert!(
            l.blocks
                .iter()
                .all(|b| !doc.text[b.range.clone()].contains("\n")),
            "{heading}: a block runs over two lines"
        );
    }
}

#[test]
fn sentences_opening_with_a_figure_are_body_text() {
    for line in [
        "1.250 hộ đã thoát nghèo, đạt 105% kế hoạch.",
        "5 tháng đầu năm sản lượng điện đạt 120 triệu kWh.",
        "2024 là năm bản lề của kế hoạch 5 năm.",
        "1-2 tháng tới sẽ hoàn thành.",
        "3 - 5 ngày giải quyết xong hồ sơ.",
        "12.500 suất quà đã được trao.",
        "45 tàu đã ra khơi.",
        "v.v. đều đạt kế hoạch.",
        "m. Các tuyến đường đã hoàn thành.",
        "b.c đạt yêu cầu.",
    ] {
        let (doc, l) = layout(&format!("I. KINH TẾ\n{line}\n"));
        assert_eq!(l.sections.len(), 1, "{line:?} opened a section");
        let (text, path) = block_starting(&doc, &l, &line[..3]);
        assert_eq!(text, line);
        assert_eq!(path, ["I. KINH TẾ"]);
    }
}

#[test]
fn masked_markers_keep_the_text_s_offsets() {
    let text = "Thu ngân sách[1] đạt 95%[2].";
    let first = text.find("[1]").unwrap();
    let second = text.find("[2]").unwrap();
    let blanks = [second..second + 3, first..first + 3, first + 1..first + 2];
    assert_eq!(mask(text, &blanks), "Thu ngân sách    đạt 95%   .");
    assert_eq!(mask(text, &[]), text);
    // A marker that does not start and end on characters leaves the text as it is.
    let inside_a_letter = 1..2;
    assert_eq!(mask("đạt", &[inside_a_letter]), "đạt");
}
