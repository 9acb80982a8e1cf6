use super::*;

/// Each fact's changes, by indicator, in the order the facts come.
fn changes_by_fact(text: &str) -> Vec<(String, Vec<f64>)> {
    measures_by_fact(text, &[Kind::Change])
}

/// Each fact's measures of the kinds asked for, by indicator, in the order the facts come.
fn measures_by_fact(text: &str, kinds: &[Kind]) -> Vec<(String, Vec<f64>)> {
    let rules = Rules::shipped();
    let out = crate::extract_bytes("t", text.as_bytes(), rules, &Default::default())
        .expect("readable text");
    out.facts
        .iter()
        .map(|f| {
            let measures = f.measures.iter().filter(|m| kinds.contains(&m.kind));
            (f.indicator.clone(), measures.map(|m| m.value).collect())
        })
        .collect()
}

/// The plan and exceed figures of a text, in order.
fn shares_of_plans(text: &str) -> Vec<f64> {
    measures_by_fact(text, &[Kind::Plan, Kind::Exceed])
        .into_iter()
        .flat_map(|(_, values)| values)
        .collect()
}

#[test]
fn changes_stated_respectively_go_back_to_their_facts() {
    let got = changes_by_fact(
        "Doanh thu đạt 2.480 tỷ đồng, lợi nhuận đạt 174 tỷ đồng, lần lượt tăng 9% và 13% so với cùng kỳ.",
    );
    let want = [("Doanh thu", vec![9.0]), ("lợi nhuận", vec![13.0])];
    assert_eq!(got, want.map(|(i, v)| (i.to_string(), v)));
    let got = changes_by_fact(
        "Vốn đăng ký đạt 3.560 tỷ đồng, số lao động 4.120 người, vốn bình quân 1,2 tỷ đồng, giảm tương ứng 3%, 5% và 2,5%.",
    );
    assert_eq!(got.len(), 3);
    assert!(got.iter().all(|(_, changes)| changes.len() == 1), "{got:?}");
    // Without 'lần lượt' the list stays with the last fact.
    let got = changes_by_fact(
        "Thu ngân sách đạt 3.120 tỷ đồng, thu nội địa đạt 2.640 tỷ đồng, tăng 7% và 12% so với cùng kỳ.",
    );
    assert_eq!(got.last().map(|(_, c)| c.len()), Some(2), "{got:?}");
    // A fact after the list does not keep it from going back.
    let got = changes_by_fact(
        "Xuất khẩu đạt 8,4 tỷ USD, nhập khẩu đạt 6,1 tỷ USD, giảm lần lượt 2% và 4% so với năm 2025, tương ứng mức xuất siêu đạt 2,3 tỷ USD.",
    );
    let want = [("Xuất khẩu", vec![-2.0]), ("nhập khẩu", vec![-4.0])];
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[..2], want.map(|(i, v)| (i.to_string(), v)));
}

/// Each fact's indicator, in the order the facts come.
fn indicators(text: &str) -> Vec<String> {
    let rules = Rules::shipped();
    let out = crate::extract_bytes("t", text.as_bytes(), rules, &Default::default())
        .expect("readable text");
    out.facts.iter().map(|f| f.indicator.clone()).collect()
}

#[test]
fn a_name_that_refers_back_takes_the_indicator_before_it() {
    let got = indicators(
        "Tổng thu nội địa đến hết tháng 11 đạt 77,2% dự toán năm. Đây là kết quả đạt dự toán thấp nhất trong các năm qua (năm 2019 đạt 86,9% dự toán, năm 2018 đạt 87,9% dự toán).",
    );
    assert_eq!(got, ["Tổng thu nội địa"; 3]);
    let got = indicators(
        "Đơn vị có số thu lớn nhất là Chi cục Hải quan cửa khẩu cảng Bắc Sơn đạt 8.420 tỷ đồng. Tuy nhiên, con số này mới đạt hơn 47% chỉ tiêu cả năm.",
    );
    assert_eq!(got.len(), 2);
    assert_eq!(got[0], got[1]);
}

#[test]
fn a_long_region_is_named_by_what_its_last_link_introduces() {
    let got = indicators(
        "Hiện, sản phẩm chủ lực của công ty là thép xây dựng với sản lượng tiêu thụ 391.578 tấn, tăng 6,4% so với cùng kỳ năm trước.",
    );
    assert_eq!(got, ["sản lượng tiêu thụ"]);
    let got = indicators(
        "Đơn vị ước thực hiện đến 31/12/2020 sẽ đạt kết quả thu NSNN trên 96.000 tỷ đồng, đạt 91,5% dự toán.",
    );
    assert_eq!(got, ["thu NSNN"]);
    // "đối với" links inside the name; a count after "với" is no name.
    let got = indicators(
        "Năm 2023, đã giải quyết chế độ hưu trí đối với 615 người lao động (tăng 21,3% so với năm 2022).",
    );
    assert!(got[0].contains("chế độ hưu trí"), "{got:?}");
    let got = indicators(
        "Hoàn thành giao quân năm 2022 với 118 thanh niên, đạt 100% chỉ tiêu tỉnh giao.",
    );
    assert!(got[0].starts_with("Hoàn thành giao quân"), "{got:?}");
    // A long name that opens with its head stays whole.
    let got = indicators(
        "Tỷ lệ hộ gia đình trên địa bàn được công nhận là gia đình văn hóa đạt 92,5%, đạt 101% kế hoạch.",
    );
    assert_eq!(
        got,
        ["Tỷ lệ hộ gia đình trên địa bàn được công nhận là gia đình văn hóa"]
    );
}

#[test]
fn an_adverbial_part_names_nothing_and_a_contrast_starts_a_name() {
    let got = indicators(
        "Từ đầu năm đến nay, đã có 185 DN tham gia làm thủ tục qua địa bàn, tăng 17 DN so với cùng kỳ năm 2017.",
    );
    assert_eq!(got, ["DN tham gia làm thủ tục qua địa bàn"]);
    let got = indicators(
        "Phần lớn số than này được tiêu thụ trong nước, còn xuất khẩu chỉ đạt 7,1 triệu tấn, giảm 9% so với cùng kỳ.",
    );
    assert_eq!(got, ["xuất khẩu"]);
}

#[test]
fn a_change_after_a_semicolon_keeps_the_clause_before_it_as_its_name() {
    // The change's own comparison, read past its unit, does not describe what it counts.
    let got = indicators(
        "Tổng số người tham gia BHYT là 1.072.181 người; tăng 20.027 người (1,9%) so với năm 2022; đạt 100,4% kế hoạch.",
    );
    assert_eq!(got, ["Tổng số người tham gia BHYT"; 3]);
}

#[test]
fn long_asides_in_brackets_leave_the_name() {
    let got = indicators(
        "Tốc độ tăng trưởng kinh tế GRDP (chỉ tiêu tổng sản phẩm trên địa bàn các tỉnh, thành phố trực thuộc Trung ương) tăng 4,1%.",
    );
    assert_eq!(got, ["Tốc độ tăng trưởng kinh tế GRDP"]);
}

#[test]
fn forecast_sections_give_no_results_unless_a_result_heading_holds_them() {
    let forecast = "II. DỰ BÁO CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI 03 NĂM 2027 - 2029\n\n\
        - Quy mô kinh tế (GRDP) dự kiến tăng chừng 9,5%.\n\n\
        - Tỷ lệ hộ cận nghèo mỗi năm giảm 0,8-1,2%.\n";
    assert_eq!(changes_by_fact(forecast), []);
    let review = "I. TÌNH HÌNH KINH TẾ - XÃ HỘI NĂM 2026 VÀ DỰ BÁO NĂM 2027\n\n\
        Quy mô kinh tế (GRDP) tăng 7,4% so với năm 2025.\n";
    assert_eq!(changes_by_fact(review).len(), 1);
}

#[test]
fn goal_words_make_a_goal_section_only_when_they_open_its_title() {
    let measured_against = "2. Giải ngân vốn đầu tư công theo kế hoạch năm 2026\n\n\
        Vốn đầu tư công giải ngân đạt 61% kế hoạch, tăng 4% so với cùng kỳ.\n";
    assert_eq!(changes_by_fact(measured_against).len(), 1);
    let plan = "II. KẾ HOẠCH NĂM 2027\n\n\
        Vốn đầu tư công tăng 10% so với năm 2026.\n";
    assert_eq!(changes_by_fact(plan), []);
    let tasks = "Phần thứ hai\nMỘT SỐ NHIỆM VỤ, GIẢI PHÁP 6 THÁNG CUỐI NĂM\n\n\
        Thu ngân sách tăng 5% so với 6 tháng đầu năm.\n";
    assert_eq!(changes_by_fact(tasks), []);
}

#[test]
fn a_share_of_the_plan_reached_is_read_under_a_heading_that_names_a_plan() {
    let topic = "2. Kế hoạch phát triển nông nghiệp\n\n\
        Diện tích gieo trồng đạt 12.500 ha, đạt 101% kế hoạch, tăng 2% so với cùng kỳ.\n";
    assert_eq!(changes_by_fact(topic).len(), 1);
    let tasks = "II. NHIỆM VỤ, GIẢI PHÁP 6 THÁNG CUỐI NĂM\n\n\
        Giải ngân 100% kế hoạch vốn, tăng 10% so với năm trước.\n\n\
        Thu ngân sách phấn đấu đạt 100% dự toán, tăng 5% so với cùng kỳ.\n";
    assert_eq!(changes_by_fact(tasks), []);
    let directions = "II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027\n\n\
        - Thu ngân sách đạt 110% dự toán, tăng 8% so với năm 2026.\n";
    assert_eq!(changes_by_fact(directions), []);
}

#[test]
fn a_title_of_results_and_the_coming_years_tasks_marks_neither() {
    let report = |title: &str| {
        let text = format!(
            "# BÁO CÁO\n\n## {title}\n\n## I. KẾT QUẢ NĂM 2025\n\n\
             Thu ngân sách đạt 95% kế hoạch.\n\n## II. NHIỆM VỤ NĂM 2026\n\n\
             ### 1. Chỉ tiêu chủ yếu\n\n\
             - Giải ngân vốn đạt 100% kế hoạch vốn được phân bổ trong quý III/2026.\n"
        );
        plans_in_markdown(&text)
    };
    for title in [
        "Kết quả năm 2025 và nhiệm vụ trọng tâm năm 2026",
        "Tình hình thực hiện kế hoạch năm 2025, kế hoạch năm 2026",
        "Kết quả thực hiện năm 2025 và phương hướng năm 2026",
    ] {
        assert_eq!(report(title), [95.0], "{title}");
    }
}

#[test]
fn a_title_of_results_and_the_tasks_of_the_rest_of_the_year_marks_neither() {
    let report = |title: &str| {
        plans_in_markdown(&format!(
            "# BÁO CÁO\n\n## {title}\n\n## I. KẾT QUẢ 6 THÁNG ĐẦU NĂM\n\n\
             Thu ngân sách đạt 52% dự toán.\n\n## II. NHIỆM VỤ TRỌNG TÂM 6 THÁNG CUỐI NĂM\n\n\
             - Kiểm tra 3 đơn vị còn lại, bảo đảm hoàn thành 100% kế hoạch kiểm tra.\n"
        ))
    };
    for title in [
        "Kết quả công tác 6 tháng đầu năm 2025 và nhiệm vụ trọng tâm 6 tháng cuối năm 2025",
        "Báo cáo kết quả quý III và các nhiệm vụ quý IV năm 2025",
    ] {
        assert_eq!(report(title), [52.0], "{title}");
    }
    // A title of results alone keeps its parts results, tasks named in it included.
    let results = "Kết quả thực hiện nhiệm vụ trọng tâm 6 tháng đầu năm 2025";
    assert_eq!(report(results), [52.0, 100.0]);
}

#[test]
fn a_title_heading_that_names_the_report_leaves_its_tasks_tasks() {
    for title in [
        "BÁO CÁO SƠ KẾT CÔNG TÁC HỘI 6 THÁNG ĐẦU NĂM 2025",
        "Báo cáo tổng kết công tác năm 2025",
    ] {
        let text = format!(
            "# {title}\n\n## I. KẾT QUẢ ĐẠT ĐƯỢC\n\n- Kết nạp 420 hội viên, đạt 84% chỉ tiêu.\n\n\
             ## II. PHƯƠNG HƯỚNG NHIỆM VỤ THỜI GIAN TỚI\n\n\
             1. Kết nạp thêm 80 hội viên, đạt 100% chỉ tiêu năm.\n"
        );
        assert_eq!(plans_in_markdown(&text), [84.0], "{title}");
    }
}

#[test]
fn an_annex_after_the_signature_is_not_part_of_the_last_section() {
    let report = "BÁO CÁO\n\nI. KẾT QUẢ NĂM 2024\n\nThu ngân sách đạt 96% dự toán.\n\n\
        II. NHIỆM VỤ NĂM 2025\n\nPhấn đấu thu ngân sách đạt 100% dự toán.\n\n\
        Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\n\
        PHỤ LỤC\nKẾT QUẢ THỰC HIỆN MỘT SỐ CHỈ TIÊU NĂM 2024\n\
        1. Diễn tập cấp xã: KH 72 cuộc; TH 74 cuộc; đạt 102,8%.\n\
        2. Thu phí: 1.245 trđ/KH 3.100 trđ, đạt 40,2%.\n";
    assert_eq!(plans_in("t.txt", report), [96.0, 102.8, 40.2]);
}

#[test]
fn a_sentence_a_page_break_cuts_reads_whole() {
    let report = "BÁO CÁO\n\nThu ngân sách trên địa bàn ước đạt 1.240 tỷ đồng, đạt 96,4% dự\n\
        \x20                                                  Trang 2/6\n\
        UBND huyện Sơn Thủy - Báo cáo tháng 9/2025\n\
        toán năm. Chi thường xuyên đạt 70% dự toán.\n\
        \x20                                                  Trang 3/6\n\
        UBND huyện Sơn Thủy - Báo cáo tháng 9/2025\n";
    assert_eq!(plans_in("t.txt", report), [96.4, 70.0]);
}

/// The plan shares found in a Markdown report, in order.
fn plans_in_markdown(text: &str) -> Vec<f64> {
    plans_in("t.md", text)
}

/// The plan shares found in a report named `name` (its extension says its format).
fn plans_in(name: &str, text: &str) -> Vec<f64> {
    let out = crate::extract_bytes(name, text.as_bytes(), Rules::shipped(), &Default::default())
        .expect("readable text");
    let plans = out.facts.iter().flat_map(|f| &f.measures);
    plans
        .filter(|m| m.kind == Kind::Plan)
        .map(|m| m.value)
        .collect()
}

#[test]
fn a_share_reached_so_far_is_a_result_even_among_tasks() {
    let tasks = "II. NHIỆM VỤ, GIẢI PHÁP NĂM 2027\n\n\
        Năm 2026 giải ngân vốn đầu tư công mới đạt 71% kế hoạch, do đó cần chỉ đạo quyết liệt.\n\n\
        - Thu ngân sách đạt 110% dự toán, tăng 8% so với năm 2026.\n";
    let facts = changes_by_fact(tasks);
    assert_eq!(facts.len(), 1, "{facts:?}");
    assert!(
        facts[0].0.contains("giải ngân vốn đầu tư công"),
        "{facts:?}"
    );
}

#[test]
fn a_part_about_a_term_before_the_sections_reports_results_among_tasks() {
    // A year before the one the tasks are for; the parts after it are tasks again.
    let district = "II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027\n\n\
        Năm 2026, giải ngân vốn đầu tư công ước đạt 94% kế hoạch; năm 2027 giải ngân 100% \
        kế hoạch vốn; các chủ đầu tư giải ngân đạt 60% kế hoạch trước ngày 30/6/2027.\n";
    assert_eq!(shares_of_plans(district), [94.0]);
    // A date of the year before, bracketed after a task.
    let forest = "2. Nhiệm vụ, giải pháp năm 2027\n\n\
        Trồng mới 900 ha rừng tập trung (đến ngày 15/12/2026 đã hoàn thành 108% chỉ tiêu); \
        hoàn thành 100% kế hoạch trồng cây phân tán.\n";
    assert_eq!(shares_of_plans(forest), [108.0]);
    // The term before, in a congress's aims for the next.
    let congress = "III. MỤC TIÊU, CHỈ TIÊU CHỦ YẾU NHIỆM KỲ 2026-2031\n\n\
        Nhiệm kỳ 2021-2026 thu ngân sách bình quân vượt 14% dự toán; nhiệm kỳ tới thu \
        ngân sách hằng năm đạt 105% dự toán trở lên.\n\n\
        Nhiệm kỳ qua, kết nạp đảng viên mới đạt 96% chỉ tiêu; các chi bộ kết nạp đạt \
        100% chỉ tiêu hằng năm.\n";
    assert_eq!(shares_of_plans(congress), [14.0, 96.0]);
    // A section of tasks that names no year is for its parent's.
    let bank = "II. KẾ HOẠCH KINH DOANH NĂM 2027\n\n2. Giải pháp thực hiện\n\n\
        a) Huy động vốn: năm 2026 nguồn vốn đạt 103,4% kế hoạch; năm 2027 nguồn vốn đạt \
        102% kế hoạch.\n";
    assert_eq!(shares_of_plans(bank), [103.4]);
    // The section's own year, or none written, is still the tasks'.
    let own_year = "II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027\n\n\
        Năm 2027, thu ngân sách đạt 108% dự toán, chi đầu tư phát triển đạt 100% kế hoạch.\n";
    assert_eq!(shares_of_plans(own_year), [] as [f64; 0]);
}

#[test]
fn recommendations_are_tasks_and_the_shortfalls_they_rest_on_results() {
    let review = "III. KIẾN NGHỊ\n\n\
        1. Chỉ đạo các sở, ngành tập trung nguồn lực để đến cuối năm 2026 hoàn thành 100% \
        chỉ tiêu Nghị quyết; riêng chỉ tiêu kiên cố hóa kênh mương hiện mới đạt 61,5% chỉ tiêu.\n\n\
        2. Bố trí đủ vốn để cả giai đoạn đạt 100% kế hoạch.\n";
    assert_eq!(shares_of_plans(review), [61.5]);
    let bracket = "III. NHIỆM VỤ, GIẢI PHÁP\n\n\
        6. Sở Nông nghiệp: đẩy nhanh trồng rừng tập trung (hiện đạt 84,5% kế hoạch); các \
        huyện hoàn thành 100% kế hoạch trồng rừng.\n";
    assert_eq!(shares_of_plans(bracket), [84.5]);
    let proposals =
        "IV. ĐỀ XUẤT\n\n- Giải ngân vốn năm 2026 đạt 100% kế hoạch trước ngày 31/01/2027.\n";
    assert_eq!(shares_of_plans(proposals), [] as [f64; 0]);
}

#[test]
fn a_title_of_both_halves_leaves_its_parts_to_say_what_they_hold() {
    let report = "# BÁO CÁO TỔNG KẾT NĂM 2026, PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027\n\n\
        ## I. KẾT QUẢ THỰC HIỆN NĂM 2026\n\n\
        Thu ngân sách đạt 104,5% dự toán.\n\n\
        ## II. NHIỆM VỤ, GIẢI PHÁP NĂM 2027\n\n\
        - Thu ngân sách đạt 100% dự toán giao.\n";
    assert_eq!(shares_of_plans(report), [104.5]);
    // Results words alone still mark what is under them.
    let results = "# TỔNG KẾT CÔNG TÁC NĂM 2026\n\n## 1. Nhiệm vụ trọng tâm\n\n\
        - Thu ngân sách đạt 101% dự toán giao.\n";
    assert_eq!(shares_of_plans(results), [101.0]);
}

#[test]
fn a_plan_named_for_a_later_year_than_the_reports_heads_its_tasks() {
    let title = "BÁO CÁO\nTổng kết công tác năm 2026\n\n";
    let later =
        format!("{title}III. NHIỆM VỤ NĂM 2027\n\n5. Giao quân đạt 100% chỉ tiêu trên giao.\n");
    assert_eq!(shares_of_plans(&later), [] as [f64; 0]);
    let own = format!("{title}1. Nhiệm vụ năm 2026\n\nGiao quân đạt 100% chỉ tiêu trên giao.\n");
    assert_eq!(shares_of_plans(&own), [100.0]);
}

#[test]
fn a_day_of_a_later_year_is_data_the_report_had() {
    let report = "BÁO CÁO\nTình hình thực hiện kế hoạch đầu tư công năm 2026\n\n\
        Ước đến ngày 31/01/2027 giải ngân đạt 97% kế hoạch vốn.\n\n\
        Tính đến ngày 20-01-2027, thu ngân sách bằng 103% dự toán.\n\n\
        Đến năm 2027 tỷ lệ giải ngân đạt 100% kế hoạch.\n";
    assert_eq!(shares_of_plans(report), [97.0, 103.0]);
}

#[test]
fn sentences_split_at_full_stops_before_capitals() {
    let text = "Doanh thu đạt 2.327 tỷ đồng. Sản lượng đạt 5 tấn. (đạt 27% kế hoạch).";
    let parts: Vec<&str> = sentences(text)
        .into_iter()
        .map(|r| text[r].trim())
        .collect();
    assert_eq!(
        parts,
        [
            "Doanh thu đạt 2.327 tỷ đồng.",
            "Sản lượng đạt 5 tấn.",
            "(đạt 27% kế hoạch)."
        ]
    );
}

#[test]
fn a_figure_after_a_full_stop_opens_a_sentence() {
    let text = "Công ty đang đề nghị giảm phí. 9 tháng đầu năm, doanh thu tăng 4%.";
    assert_eq!(sentences(text).len(), 2);
}

#[test]
fn dates_and_thousands_do_not_split() {
    let text = "Đến 30/6/2025. tổng số 1.625.313.564 đồng.";
    assert_eq!(sentences(text).len(), 1);
}

#[test]
fn stretches_start_in_their_first_year() {
    assert_eq!(start_year_of("vụ Đông Xuân 2023-2024"), Some(2023));
    assert_eq!(year_of("vụ Đông Xuân 2023-2024"), Some(2024));
    assert_eq!(start_year_of("6 tháng đầu năm 2025"), Some(2025));
    assert_eq!(start_year_of("hết năm"), None);
}

#[test]
fn clauses_split_at_semicolons() {
    assert_eq!(clauses("a; b;c").len(), 3);
}

#[test]
fn a_list_whose_lead_in_compares_with_a_plan_gives_its_items_that_plan() {
    let text = "Kết quả giải ngân của các chủ đầu tư so với kế hoạch vốn năm 2025:\n\
                - Ban Quản lý dự án tỉnh: 412 tỷ đồng, đạt 91,5%;\n\
                - Huyện Bắc Sơn: 86 tỷ đồng, đạt 78,2%;\n\
                + Huyện Nam Sơn: 64 tỷ đồng, đạt 102,4%.\n\
                Tỷ lệ hộ nghèo toàn tỉnh còn 3,1%.\n\
                - Trường Tiểu học A: tỷ lệ học sinh lên lớp đạt 99,2%.\n";
    assert_eq!(shares_of_plans(text), [91.5, 78.2, 102.4]);
    // Without the comparison, an item's share is a bare rate.
    let plain = text.replace(" so với kế hoạch vốn năm 2025", "");
    assert!(shares_of_plans(&plain).is_empty());
}
