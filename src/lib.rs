//! baocao: Vietnamese administrative reports -> structured facts.
//!
//! The pipeline, one module (or folder) per stage, data flowing one way:
//! bytes --[`read`]--> text --[`normalize`]--> [`Document`] --[`layout`]--> blocks with
//! sections and footnotes --[`extract`] with [`Rules`] from `patterns/`--> [`Fact`]s
//! ([`fact`] is the output contract; [`document`] reads the report's own record). The library is pure: it opens no paths, prints
//! nothing and spawns no threads; the `extract` binary does I/O and parallelism (it reads
//! a user's rule folder too, and hands the library its files' contents).
#![forbid(unsafe_code)]

pub mod check;
pub mod document;
pub mod error;
pub mod extract;
pub mod fact;
pub mod key;
pub mod layout;
pub mod normalize;
pub mod number;
pub mod period;
pub mod read;
pub mod rules;
pub mod words;

// The readers keep their paths at the crate root (`baocao::docx`, `baocao::source` ...).
pub use read::format::{readable_list, Format, READABLE};
pub use read::{docx, legacy, markdown, pdf, render, source, text_tables, word97};

pub use document::DocRecord;
pub use error::{Error, Result};
pub use fact::{Fact, Kind, Measure};
pub use legacy::Legacy;
pub use normalize::Document;
pub use rules::Rules;

/// How to read one input.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Override encoding detection (`--encoding`).
    pub encoding: Option<Legacy>,
    /// Override the format chosen by extension and content.
    pub format: Option<Format>,
}

/// The facts of one document and its record.
#[derive(Debug, Clone)]
pub struct Extraction {
    pub facts: Vec<Fact>,
    pub record: DocRecord,
}

/// Read one report's bytes and extract its facts. `name` is what facts carry as `doc`.
pub fn extract_bytes(
    name: &str,
    bytes: &[u8],
    rules: &Rules,
    options: &Options,
) -> Result<Extraction> {
    let format = options
        .format
        .or_else(|| Format::from_path(name).map(|f| f.word(bytes)))
        .unwrap_or_else(|| Format::sniff(bytes));
    let fail = |reason: String| Error::input(name, reason + &read::format::hint(name));
    if bytes.starts_with(b"{\\rtf") && options.format.is_none() {
        return Err(fail(
            "an RTF document: RTF is not read (save it as DOCX or PDF)".to_string(),
        ));
    }
    let (doc, encoding, mut warnings) = match format {
        Format::Docx => {
            let mut rendered = docx::render(bytes, rules).map_err(fail)?;
            let warnings = std::mem::take(&mut rendered.warnings);
            (
                rendered_document(name, rendered, Notes::Marked),
                "docx".to_string(),
                warnings,
            )
        }
        Format::Pdf | Format::Doc => {
            let mut rendered = match format {
                Format::Pdf => pdf::render(bytes, rules),
                _ => word97::render(bytes, rules),
            }
            .map_err(fail)?;
            let encoding = match source::repair_legacy_lines(&rendered.text) {
                Some((text, enc)) => {
                    rendered.text = text;
                    enc.name().to_string()
                }
                None => format.name().to_string(),
            };
            // Soft hyphens left in Unicode text only mark where a word may break.
            rendered.text = rendered.text.replace('\u{AD}', "");
            let warnings = std::mem::take(&mut rendered.warnings);
            // A text layer with no notes of its own may be a text export printed or saved
            // as it was, markers and all ("[footnoteRef:1]"): those are read as in text.
            let notes = if rendered.notes.is_empty() {
                Notes::AsWritten
            } else {
                Notes::Marked
            };
            (rendered_document(name, rendered, notes), encoding, warnings)
        }
        Format::Markdown => {
            let decoded = source::decode(bytes, options.encoding).map_err(fail)?;
            let rendered = markdown::render(&words::plain_spaces(&decoded.text), rules);
            (
                rendered_document(name, rendered, Notes::Marked),
                decoded.encoding,
                decoded.warnings,
            )
        }
        Format::Text => {
            let decoded = source::decode(bytes, options.encoding).map_err(fail)?;
            // Footnote markers in text are text's own (a DOCX export writes them so).
            let doc = match text_tables::render(&words::plain_spaces(&decoded.text), rules) {
                Some(rendered) => rendered_document(name, rendered, Notes::AsWritten),
                None => normalize::normalize(name, &decoded.text),
            };
            (doc, decoded.encoding, decoded.warnings)
        }
    };
    if bytes.is_empty() {
        warnings.push("empty file".to_string());
    }
    let mut extraction = extract_document(&doc, rules);
    extraction.record.format = format.name().to_string();
    extraction.record.encoding = encoding;
    extraction.record.warnings = warnings;
    Ok(extraction)
}

/// Where a rendered report's notes come from.
enum Notes {
    /// Only the ones its reader wrote: the text's own brackets are only text.
    Marked,
    /// The markers in its text, as in a text export.
    AsWritten,
}

/// The document of a report rendered from another format: its text normalized, each line
/// still pointing at the input line it came from, its marked headings and notes kept.
fn rendered_document(name: &str, rendered: render::Rendered, notes: Notes) -> Document {
    let doc = normalize::normalize(name, &rendered.text)
        .with_source_lines(rendered.source_lines)
        .with_marked_headings(rendered.headings);
    match notes {
        Notes::Marked => doc.with_marked_notes(rendered.notes),
        Notes::AsWritten => doc,
    }
}

/// Extract the facts of a report that is already text.
pub fn extract_text(name: &str, text: &str, rules: &Rules) -> Extraction {
    extract_document(&normalize::normalize(name, text), rules)
}

/// Extract the facts of a normalized document.
pub fn extract_document(doc: &Document, rules: &Rules) -> Extraction {
    let layout = layout::split(doc, rules);
    let header = document::header(doc, &layout, rules);
    // A title with no year ("Sơ kết 6 tháng đầu năm") is dated by the document's date.
    let report_year = header
        .period
        .as_deref()
        .and_then(extract::year_of)
        .or_else(|| header.period_iso.as_deref().and_then(extract::year_of));
    let mut facts = extract::extract(doc, &layout, rules, report_year);
    for fact in &mut facts {
        fact.span = fact.span.map(|at| doc.nfc_offset(at));
    }
    // Facts repeat a handful of period phrases: each is read by the grammar once.
    let mut read: std::collections::HashMap<Option<String>, Option<String>> = Default::default();
    for fact in &mut facts {
        fact.period_iso = read
            .entry(fact.period.clone())
            .or_insert_with(|| period_iso(fact, rules, report_year, header.period_iso.as_deref()))
            .clone();
    }
    let record = DocRecord {
        doc: doc.name.clone(),
        doc_type: header.doc_type,
        number: header.number,
        issuer: header.issuer,
        province: header.province,
        date: header.date,
        title: header.title,
        period: header.period,
        period_iso: header.period_iso,
        format: Format::Text.name().to_string(),
        encoding: "utf-8".to_string(),
        sections: layout.sections.len(),
        footnotes: layout.footnotes.len(),
        facts: facts.len(),
        warnings: Vec::new(),
    };
    Extraction { facts, record }
}

/// A fact's period in ISO 8601: the statement's own (a year it leaves out is the report's),
/// else the report's; none when the statement names a period the grammar cannot place.
fn period_iso(
    fact: &Fact,
    rules: &Rules,
    report_year: Option<u32>,
    report: Option<&str>,
) -> Option<String> {
    match fact.period.as_deref() {
        Some(period) => rules.calendar.iso(period, report_year),
        None => report.map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts_of(text: &str) -> Vec<Fact> {
        extract_text("r.txt", text, Rules::shipped()).facts
    }

    #[test]
    fn facts_carry_their_own_period_or_the_reports_in_iso() {
        let text = "BÁO CÁO\nTình hình kinh tế - xã hội 6 tháng đầu năm 2026\n\n\
            Thu ngân sách đạt 1.250 tỷ đồng, đạt 52% dự toán, tăng 8% so với cùng kỳ \
            (cùng kỳ năm 2025 tăng 5,1%).\n\n\
            Riêng quý II, kim ngạch xuất khẩu tăng 6,2% so với quý I.\n";
        let periods: Vec<Option<String>> =
            facts_of(text).into_iter().map(|f| f.period_iso).collect();
        let want = ["2026-01/2026-06", "2025", "2026-04/2026-06"];
        assert_eq!(periods, want.map(|p| Some(p.to_string())));
        // Neither the statement nor the report names a period: none.
        assert_eq!(
            facts_of("Thu ngân sách đạt 52% dự toán.")[0].period_iso,
            None
        );
    }

    #[test]
    fn fact_periods_in_iso_follow_the_one_grammar() {
        let text = "BÁO CÁO\nTình hình kinh tế - xã hội 6 tháng đầu năm 2024\n\n\
            Sản lượng lương thực năm tháng đầu năm 2024 đạt 120.000 tấn, tăng 2% so với cùng kỳ.\n\n\
            Kim ngạch xuất khẩu quý IV năm 2023 đạt 410 triệu USD, tăng 5% so với cùng kỳ.\n\n\
            Thu ngân sách cả năm nay ước đạt 2.300 tỷ đồng, bằng 101% dự toán.\n";
        let periods: Vec<Option<String>> =
            facts_of(text).into_iter().map(|f| f.period_iso).collect();
        let want = ["2024-01/2024-05", "2023-10/2023-12", "2024"];
        assert_eq!(periods, want.map(|p| Some(p.to_string())));
    }

    /// Every measure's value, in output order.
    fn measure_values(text: &str) -> Vec<f64> {
        facts_of(text)
            .iter()
            .flat_map(|f| &f.measures)
            .map(|m| m.value)
            .collect()
    }

    #[test]
    fn figures_for_a_later_year_than_the_report_are_plans() {
        let text = " BÁO CÁO\nTình hình kinh tế - xã hội 6 tháng đầu năm 2025\n\
            Thu ngân sách đạt 52% kế hoạch.\n\
            Dự kiến năm 2026, tổng thu ngân sách tăng 12% so với năm 2025.\n";
        let values = measure_values(text);
        assert_eq!(values, [52.0]);
    }

    #[test]
    fn a_month_of_a_later_year_is_data_the_report_had_not_a_plan() {
        let text = " BÁO CÁO\nTình hình kinh tế - xã hội năm 2024\n\
            Đến tháng 01/2025, tỷ lệ giải ngân vốn đầu tư công đạt 97% kế hoạch giao.\n\
            Năm 2025, tổng thu ngân sách đạt 104% dự toán.\n";
        assert_eq!(measure_values(text), [97.0]);
    }

    #[test]
    fn the_month_and_the_year_to_date_are_two_facts() {
        let text = "Thu ngân sách tháng 6 ước đạt 310 tỷ đồng; lũy kế 6 tháng ước đạt \
            2.115 tỷ đồng, đạt 52,3% dự toán.\n\
            Kim ngạch xuất khẩu tháng 10 đạt 120 triệu USD, lũy kế 10 tháng đạt 1.150 \
            triệu USD, tăng 8% so với cùng kỳ.\n";
        let facts = facts_of(text);
        let read: Vec<(&str, Option<&str>, usize)> = facts
            .iter()
            .map(|f| (f.indicator.as_str(), f.period.as_deref(), f.measures.len()))
            .collect();
        assert_eq!(
            read,
            [
                ("Thu ngân sách", Some("tháng 6"), 1),
                ("Thu ngân sách", Some("6 tháng"), 2),
                ("Kim ngạch xuất khẩu", Some("tháng 10"), 1),
                ("Kim ngạch xuất khẩu", Some("10 tháng"), 2),
            ]
        );
    }

    #[test]
    fn a_cause_and_a_second_counting_verb_name_facts_of_their_own() {
        let text = "Sản lượng ngô đạt 48.200 tấn, giảm 3,2% do diện tích trồng giảm 6,1% so \
            với năm trước.\n\
            Toàn tỉnh đã tuyển sinh 9.800 học viên và đưa được 1.150 lao động đi làm việc ở \
            nước ngoài, đạt 96% kế hoạch.\n";
        let facts = facts_of(text);
        let read: Vec<(&str, Vec<f64>)> = facts
            .iter()
            .map(|f| {
                let values = f.measures.iter().map(|m| m.value).collect();
                (f.indicator.as_str(), values)
            })
            .collect();
        assert_eq!(
            read,
            [
                ("Sản lượng ngô", vec![48200.0, -3.2]),
                ("diện tích trồng", vec![-6.1]),
                ("học viên", vec![9800.0]),
                ("lao động đi làm việc", vec![1150.0, 96.0]),
            ]
        );
    }

    #[test]
    fn a_review_of_years_keeps_the_figures_of_every_year_it_covers() {
        let rules = Rules::shipped();
        let text = "BÁO CÁO\nTình hình thực hiện Kế hoạch phát triển kinh tế - xã hội \
            5 năm 2016-2020\n\nNăm 2019, thu ngân sách đạt 2.400 tỷ đồng, tăng 8% so với \
            năm 2018.\nDự kiến năm 2021, thu ngân sách tăng 10%.\n";
        let extraction = extract_text("r.txt", text, rules);
        assert_eq!(extraction.record.period.as_deref(), Some("5 năm 2016-2020"));
        assert_eq!(extraction.record.period_iso.as_deref(), Some("2016/2020"));
        let periods: Vec<Option<&str>> = extraction
            .facts
            .iter()
            .map(|f| f.period.as_deref())
            .collect();
        assert_eq!(periods, [Some("Năm 2019")]);
    }

    #[test]
    fn the_plan_part_of_a_year_end_report_gives_no_facts() {
        let text = "PHẦN THỨ NHẤT\nTÌNH HÌNH THỰC HIỆN KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI \
            NĂM 2019\n\nThu ngân sách nhà nước đạt 2.450 tỷ đồng, bằng 104% dự toán.\n\n\
            PHẦN THỨ HAI\nKẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2020\n\n\
            I. CÁC CHỈ TIÊU CHỦ YẾU\nThu ngân sách đạt 2.600 tỷ đồng.\n\n\
            II. KẾ HOẠCH NĂM 2020\nSố giường bệnh đạt 70 giường.\n";
        let values = measure_values(text);
        assert_eq!(values, [2450.0, 104.0]);
    }

    #[test]
    fn a_part_with_a_counted_thing_of_its_own_is_a_fact_of_its_own() {
        let text = "Toàn tỉnh đón 8,5 triệu lượt khách, tăng 12% so với cùng kỳ, trong đó có \
            290 nghìn lượt khách quốc tế, tăng 13,5%.\n";
        let facts = facts_of(text);
        let read: Vec<(&str, usize)> = facts
            .iter()
            .map(|f| (f.indicator.as_str(), f.measures.len()))
            .collect();
        assert_eq!(read, [("lượt khách", 2), ("lượt khách quốc tế", 2)]);
    }

    #[test]
    fn a_sentence_that_names_nothing_takes_the_title_of_its_section() {
        let text = "3. Thu ngân sách nhà nước\nĐạt 52% dự toán năm, tăng 8% so với cùng kỳ.\n\n\
            4. Một số kết quả nổi bật trong công tác chỉ đạo điều hành của Ủy ban\n\
            Đạt 95% kế hoạch.\n";
        let facts = facts_of(text);
        let names: Vec<&str> = facts.iter().map(|f| f.indicator.as_str()).collect();
        assert_eq!(names, ["Thu ngân sách nhà nước", ""]);
    }

    #[test]
    fn words_after_a_figure_can_name_it() {
        let text = "Trong tháng có 12.015 doanh nghiệp đăng ký thành lập mới, tăng 15,07% về \
            số doanh nghiệp và tăng 72,66% về số vốn đăng ký so với cùng kỳ năm 2016.\n";
        let facts = facts_of(text);
        let read: Vec<(&str, f64)> = facts
            .iter()
            .map(|f| (f.indicator.as_str(), f.measures[0].value))
            .collect();
        assert_eq!(
            read,
            [
                ("doanh nghiệp đăng ký thành lập mới", 12015.0),
                ("số doanh nghiệp", 15.07),
                ("số vốn đăng ký", 72.66)
            ]
        );
    }

    #[test]
    fn a_name_before_its_verb_stays_the_name() {
        let text = "Diện tích lúa đạt 24.442,3 ha; sản lượng đạt 145.723 tấn.\n";
        let facts = facts_of(text);
        let names: Vec<&str> = facts.iter().map(|f| f.indicator.as_str()).collect();
        assert_eq!(names, ["Diện tích lúa", "sản lượng"]);
    }

    #[test]
    fn an_excerpt_with_no_title_takes_no_report_year_from_its_first_sentence() {
        let rules = Rules::shipped();
        let text = "GDP 6 tháng đầu năm tăng 1,81% so với cùng kỳ năm 2019.\n\
            Xuất khẩu 6 tháng năm 2020 đạt 121 tỷ USD, giảm 1,1%.\n";
        let extraction = extract_text("r.txt", text, rules);
        assert_eq!(extraction.record.title, None);
        assert_eq!(extraction.facts.len(), 2);
        assert_eq!(
            extraction.facts[1].period.as_deref(),
            Some("6 tháng năm 2020")
        );
    }

    /// A DOCX-export text printed to PDF (or saved as .doc) carries its markers as text:
    /// with no notes of the format's own, they are read as in the text export.
    #[test]
    fn a_printed_text_export_keeps_its_notes_and_a_marked_format_only_its_own() {
        let rules = Rules::shipped();
        let mut rendered = render::Rendered::default();
        rendered.line("Thu ngân sách đạt 5 tỷ đồng[footnoteRef:1].", 1);
        rendered.blank(1);
        rendered.line("[1:  Trong đó: thu thuế ước đạt 3 tỷ đồng.]", 2);
        let notes_of = |notes: Notes| {
            let doc = rendered_document("r.pdf", rendered.clone(), notes);
            extract_document(&doc, rules)
                .facts
                .iter()
                .map(|fact| fact.footnote)
                .collect::<Vec<_>>()
        };
        assert_eq!(notes_of(Notes::AsWritten), [None, Some(1)]);
        assert_eq!(notes_of(Notes::Marked), [None, None]);
    }
}
