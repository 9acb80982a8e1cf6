//! Tables in plain text: a report saved or copied as text keeps a table's rows as lines of
//! cells between tabs ("Tổng lượt khách\tNghìn lượt\t6.880\t3.865\t56,2"), pipes ("1 |
//! Đường ven biển | 820,0 | 612,5 | 74,7") or, aligned in columns, runs of two or more
//! spaces ("1    Triệt sản      12     9     75"). A run of such lines whose first names
//! columns of figures (`patterns/tables.toml`) is read as Markdown and DOCX tables are: one
//! sentence per row. Text with no such table is left exactly as it was.

use super::render::{is_figure_table, Rendered, Row};
use crate::rules::Rules;

/// Fewest cells a line of a table holds: a label and two columns.
const MIN_CELLS: usize = 3;

/// What parts the cells of a table aligned with spaces: one space stays inside a cell.
const ALIGNED: &str = "  ";

/// The text rendered with its tables read as tables; `None` when it holds none.
pub fn render(text: &str, rules: &Rules) -> Option<Rendered> {
    // Most reports have no separator: a pass or two over their bytes says so.
    let bytes = text.as_bytes();
    if memchr::memchr2(b'\t', b'|', bytes).is_none() {
        memchr::memmem::find(bytes, ALIGNED.as_bytes())?;
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let tables = tables(&lines, rules);
    if tables.is_empty() {
        return None;
    }
    let mut out = Rendered::default();
    let mut at = 0;
    for (start, rows) in tables {
        for (index, line) in lines.iter().enumerate().take(start).skip(at) {
            out.line(line, index + 1);
        }
        out.blank(start + 1);
        out.table(rules, &rows);
        at = start + rows.len();
    }
    // The text after the last table, without the empty piece after a final newline.
    let rest = lines.len() - usize::from(text.ends_with('\n'));
    for (index, line) in lines.iter().enumerate().take(rest).skip(at) {
        out.line(line, index + 1);
    }
    Some(out)
}

/// Each table of figures: the index of its first line and its rows.
fn tables(lines: &[&str], rules: &Rules) -> Vec<(usize, Vec<Row>)> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let mut run = run_of_rows(lines, at);
        if run.is_empty() {
            at += 1;
            continue;
        }
        let length = run.len();
        // Any line of the run may be the header (a title row above it splits the same way).
        let header = (0..length.saturating_sub(1))
            .find(|&k| is_figure_table(rules, &run[k].cells, &run[k + 1..]));
        if let Some(k) = header {
            found.push((at + k, run.split_off(k)));
        }
        at += length;
    }
    found
}

/// The rows of the run of lines from `start` split the same way into the same number of
/// cells (a Markdown rule line `|---|---|` among them is skipped but counted).
fn run_of_rows(lines: &[&str], start: usize) -> Vec<Row> {
    let Some((separator, width)) = shape(lines[start]).map(|(sep, cells)| (sep, cells.len()))
    else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for (index, line) in lines.iter().enumerate().skip(start) {
        let cells = match shape(line) {
            Some((sep, cells)) if sep == separator && cells.len() == width => cells,
            // An indented label (a sub-row: "    - Hàng xuất     1.000 tấn    1.150"),
            // not an empty first cell, when the row is a cell too wide for the table.
            Some((' ', mut cells))
                if separator == ' ' && cells.len() == width + 1 && cells[0].is_empty() =>
            {
                cells.remove(0);
                cells
            }
            // A row that leaves its last cells empty may not write their tabs or spaces.
            Some((sep, mut cells)) if sep == separator && sep != '|' && cells.len() < width => {
                cells.resize(width, String::new());
                cells
            }
            _ => break,
        };
        let rule_line = cells
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(is_rule));
        rows.push(Row {
            cells: if rule_line { Vec::new() } else { cells },
            line: index + 1,
        });
    }
    rows
}

fn is_rule(c: char) -> bool {
    matches!(c, '-' | ':' | '=' | '+')
}

/// How a line splits into cells, and its cells: by tabs, else by pipes, else by runs of
/// spaces (`' '`); `None` for a line of prose.
fn shape(line: &str) -> Option<(char, Vec<String>)> {
    // Most lines are prose: told apart by counting, before any cell is made.
    let bytes = line.trim_end().as_bytes();
    let count = |byte: u8| memchr::memchr_iter(byte, bytes).take(MIN_CELLS - 1).count();
    if count(b'\t') < MIN_CELLS - 1 && count(b'|') < MIN_CELLS - 1 && !has_two_space_runs(bytes) {
        return None;
    }
    ['\t', '|', ' '].into_iter().find_map(|separator| {
        let cells = match separator {
            ' ' => aligned_cells(line),
            _ => cells(line, separator),
        };
        (cells.len() >= MIN_CELLS).then_some((separator, cells))
    })
}

/// Whether a line holds two runs of two or more spaces (what parts three aligned cells).
fn has_two_space_runs(bytes: &[u8]) -> bool {
    static FINDER: std::sync::OnceLock<memchr::memmem::Finder<'static>> =
        std::sync::OnceLock::new();
    let finder = FINDER.get_or_init(|| memchr::memmem::Finder::new(ALIGNED));
    let mut at = 0;
    for _ in 0..2 {
        let Some(found) = finder.find(&bytes[at..]) else {
            return false;
        };
        at += found + ALIGNED.len();
        while bytes.get(at) == Some(&b' ') {
            at += 1;
        }
    }
    true
}

/// A line's cells between runs of spaces; a run at its start follows an empty first cell
/// (a total row under numbered ones: "     Cộng      4.457     4.483     100,6").
fn aligned_cells(line: &str) -> Vec<String> {
    let line = line.trim_end();
    if !line.contains(ALIGNED) {
        return Vec::new();
    }
    let mut cells: Vec<String> = line
        .split(ALIGNED)
        .map(str::trim)
        .filter(|cell| !cell.is_empty())
        .map(str::to_string)
        .collect();
    if line.starts_with(ALIGNED) {
        cells.insert(0, String::new());
    }
    cells
}

/// A line's cells, trimmed. Pipes at both ends open and close the row (Markdown); a pipe
/// at its start alone follows an empty first cell (" | Cộng | 2.069,9"), as a tab does
/// ("\t- Tiêu thụ nội địa\tTấn\t...": a sub-row without a number); tabs at its end
/// close nothing.
fn cells(line: &str, separator: char) -> Vec<String> {
    let line = match separator {
        '\t' => line.trim_end().trim_start_matches(' '),
        _ => line.trim(),
    };
    if !line.contains(separator) {
        return Vec::new();
    }
    let inner = match separator {
        '|' => line
            .strip_prefix('|')
            .and_then(|l| l.strip_suffix('|'))
            .unwrap_or(line),
        _ => line,
    };
    inner
        .split(separator)
        .map(|cell| cell.trim().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered_lines(text: &str) -> Option<Vec<(String, usize)>> {
        let rules = Rules::shipped();
        let out = render(text, rules)?;
        Some(
            out.text
                .lines()
                .zip(out.source_lines)
                .filter(|(line, _)| !line.is_empty())
                .map(|(line, at)| (line.to_string(), at))
                .collect(),
        )
    }

    /// The rendered text that came from source line `line` ("" if none).
    fn text_at(lines: &[(String, usize)], line: usize) -> String {
        let found = lines.iter().find(|(_, at)| *at == line);
        found.map_or("", |(text, _)| text.as_str()).to_string()
    }

    /// The row from source line `line` reads as a sentence of `label` with `share`.
    fn assert_row_reads(lines: &[(String, usize)], line: usize, label: &str, share: &str) {
        let row = text_at(lines, line);
        assert!(row.contains(label) && row.contains(share), "{lines:?}");
    }

    #[test]
    fn text_without_a_table_of_figures_is_left_alone() {
        assert!(
            rendered_lines("Thu ngân sách đạt 95% kế hoạch.\nChi | tiêu | ổn định\n").is_none()
        );
        // Cells, but no column the tables know: a layout, not figures.
        assert!(rendered_lines("UBND XÃ A\tCỘNG HÒA\tXÃ HỘI\nSố: 12\tHà Nội\tngày 1\n").is_none());
    }

    #[test]
    fn rows_between_pipes_or_tabs_read_as_sentences_on_their_own_lines() {
        for separator in [" | ", "\t"] {
            let table = [
                "Chỉ tiêu",
                "Đơn vị tính",
                "Kế hoạch năm 2025",
                "Thực hiện 6 tháng",
                "Tỷ lệ so KH (%)",
            ]
            .join(separator);
            let row = ["Tổng lượt khách", "Nghìn lượt", "6.880", "3.865", "56,2"].join(separator);
            let text = format!("Kết quả như sau:\n{table}\n{row}\nHết bảng.\n");
            let lines = rendered_lines(&text).expect("a table");
            assert_eq!(lines.first(), Some(&("Kết quả như sau:".to_string(), 1)));
            assert_eq!(lines.last(), Some(&("Hết bảng.".to_string(), 4)));
            let row_line = lines.iter().find(|(_, at)| *at == 3).expect("the row");
            assert!(row_line.0.contains("Tổng lượt khách"), "{row_line:?}");
            assert!(row_line.0.contains("56,2"), "{row_line:?}");
        }
    }

    #[test]
    fn a_markdown_rule_line_and_pipes_at_the_ends_are_not_cells() {
        let text = "| STT | Dự án | Kế hoạch vốn 2025 | Đã giải ngân | Tỷ lệ so với KH (%) |\n\
                    |---|---|---|---|---|\n\
                    | 1 | Đường ven biển | 820,0 | 612,5 | 74,7 |\n";
        let lines = rendered_lines(text).expect("a table");
        // The numbered row reads as a sentence (as in Markdown, a row number before the
        // name is taken for the label: a limit of the table reader, not of this one).
        let row: Vec<&str> = lines
            .iter()
            .filter(|(_, at)| *at == 3)
            .map(|(line, _)| line.as_str())
            .collect();
        assert!(row.iter().any(|l| l.contains("74,7% kế hoạch")), "{row:?}");
        assert!(lines.iter().all(|(line, _)| !line.contains("---")));
    }

    #[test]
    fn sub_rows_without_a_number_and_a_row_of_column_codes_keep_the_table_whole() {
        let text = "TT\tChỉ tiêu\tĐơn vị\tKH 2025\tTH 6 tháng\t% KH\n\
                    A\tB\tC\t1\t2\t3=2/1\n\
                    1\tSản lượng tiêu thụ\tTấn\t3.000\t1.479\t49,3\n\
                    \t- Trong nước\tTấn\t2.350\t1.144\t48,7\n\
                    2\tDoanh thu\tTỷ đồng\t5.320\t2.619\t49,2\n\
                    3\tLao động bình quân\tNgười\t1.250\t1.238\t\n";
        let lines = rendered_lines(text).expect("a table");
        let at = |line: usize| text_at(&lines, line);
        assert_row_reads(&lines, 4, "Trong nước", "48,7% kế hoạch");
        assert_row_reads(&lines, 5, "Doanh thu", "49,2% kế hoạch");
        // A row that leaves its last cell empty without writing its tab.
        assert!(at(6).contains("Lao động bình quân"), "{lines:?}");
        assert_eq!(at(2), "", "the codes row reads as nothing: {lines:?}");
    }

    #[test]
    fn columns_aligned_with_spaces_are_a_table_and_single_spaces_stay_in_a_cell() {
        let text = "Kết quả theo từng đơn vị:\n\n\
                    TT   Đơn vị              Kế hoạch giao    Thực hiện    Tỷ lệ đạt KH (%)\n\
                    1    Xã Xuân Hòa         9.864            10.120       102,6\n\
                    2    Thị trấn Đông Sơn   7.205            7.700        93,6\n\
                    \x20    Toàn huyện          17.069           17.820       104,4\n\
                    \n\
                    Thu ngân sách  đạt 95% dự toán.\n";
        let lines = rendered_lines(text).expect("a table");
        let at = |line: usize| text_at(&lines, line);
        // "Đơn vị" heads the bodies reporting here, not their units.
        assert!(at(4).starts_with("Xã Xuân Hòa:"), "{lines:?}");
        assert!(at(4).contains("102,6% kế hoạch"), "{lines:?}");
        assert!(at(5).starts_with("Thị trấn Đông Sơn:"), "{lines:?}");
        assert!(at(6).starts_with("Toàn huyện:"), "{lines:?}");
        assert_eq!(at(8), "Thu ngân sách  đạt 95% dự toán.", "{lines:?}");
    }

    #[test]
    fn an_indented_sub_row_of_an_aligned_table_is_a_row_of_it() {
        let text = " Chỉ tiêu            ĐVT          KH quý III   TH quý III    %KH\n\
                    \x20----------------  -----------  -----------  -----------  ------\n\
                    \x201. Hàng thông qua  1.000 tấn        2.983        3.120   104,6\n\
                    \x20   - Hàng xuất     1.000 tấn        1.150        1.094    95,1\n\
                    \x202. Container       TEU            191.800      186.420    97,2\n";
        let lines = rendered_lines(text).expect("a table");
        assert_row_reads(&lines, 4, "Hàng xuất", "95,1% kế hoạch");
        assert_row_reads(&lines, 5, "Container", "97,2% kế hoạch");
        // "1.000 tấn" is the scale the row counts in, not a figure after its value.
        assert!(!text_at(&lines, 4).contains("1.000"), "{lines:?}");
    }

    #[test]
    fn prose_with_double_spaces_is_no_table() {
        let text = "Thu ngân sách  đạt 95%  dự toán.\nChi ngân sách  đạt 90%  dự toán.\n";
        assert!(rendered_lines(text).is_none());
    }
}
