//! Reports that arrive as Markdown or DOCX are rendered to the plain report text that the
//! layout stage reads (the conventions of a DOCX export): one paragraph per line, headings
//! on lines of their own marked `[heading:N]`, footnote anchors `[footnoteRef:N]` and
//! bodies `[N:  ...]`, table rows as sentences (`patterns/tables.toml`). Each rendered line
//! remembers the input line it came from.

use crate::rules::Rules;

/// Report text rendered from another format.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub text: String,
    /// For each rendered line, the 1-based input line (or paragraph number) it came from.
    pub source_lines: Vec<usize>,
    pub warnings: Vec<String>,
}

impl Rendered {
    /// Append one rendered line that came from `source_line`.
    pub fn line(&mut self, text: &str, source_line: usize) {
        for part in text.split('\n') {
            self.text.push_str(part);
            self.text.push('\n');
            self.source_lines.push(source_line);
        }
    }
}

/// A table row as a sentence: "<label>: kế hoạch 170,3 tỷ đồng, đạt 97% kế hoạch."
pub fn table_row(rules: &Rules, header: &[String], row: &[String]) -> String {
    let tables = &rules.tables;
    let column_of = |regex: &Option<regex::Regex>| {
        regex
            .as_ref()
            .and_then(|r| header.iter().position(|h| r.is_match(h)))
    };
    let label_column = column_of(&tables.label_header).unwrap_or(0);
    let unit_column = column_of(&tables.unit_header);
    let unit = unit_column
        .and_then(|i| row.get(i))
        .map_or("", |u| u.trim());
    let label = row.get(label_column).map_or("", |l| l.trim());
    let mut phrases = Vec::new();
    for (index, cell) in row.iter().enumerate() {
        let value = cell.trim();
        if index == label_column
            || Some(index) == unit_column
            || !value.starts_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        let Some(title) = header.get(index) else {
            continue;
        };
        if let Some(column) = tables.columns.iter().find(|c| c.header.is_match(title)) {
            let phrase = column
                .template
                .replace("{value}", value)
                .replace("{unit}", unit);
            phrases.push(phrase.trim().to_string());
        }
    }
    if phrases.is_empty() {
        return format!("{label}.");
    }
    format!("{label}: {}.", phrases.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_reads_as_a_sentence_with_its_measures() {
        let rules = Rules::embedded().unwrap();
        let header: Vec<String> = [
            "Chỉ tiêu",
            "ĐVT",
            "Kế hoạch",
            "Ước thực hiện",
            "% so với KH",
        ]
        .map(String::from)
        .to_vec();
        let row: Vec<String> = ["Tổng thu NSNN", "tỷ đồng", "170,3", "165,2", "97"]
            .map(String::from)
            .to_vec();
        let sentence = table_row(&rules, &header, &row);
        assert_eq!(
            sentence,
            "Tổng thu NSNN: kế hoạch 170,3 tỷ đồng, ước thực hiện 165,2 tỷ đồng, đạt 97% kế hoạch."
        );
        let facts = crate::extract_text("t", &sentence, &rules).facts;
        assert_eq!(facts[0].indicator, "Tổng thu NSNN");
        let kinds: Vec<_> = facts[0]
            .measures
            .iter()
            .map(|m| (m.kind.name(), m.value))
            .collect();
        assert_eq!(
            kinds,
            [("target", 170.3), ("actual", 165.2), ("plan", 97.0)]
        );
    }
}
