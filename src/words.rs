//! Small tests on words that every stage needs, written once.

/// The text with every run of white space (line breaks included) as one space, and none
/// at either end.
pub fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether a word is a year of the reports' era: four digits, 19xx or 20xx.
pub fn is_year(word: &str) -> bool {
    word.len() == 4
        && word.bytes().all(|b| b.is_ascii_digit())
        && (word.starts_with("19") || word.starts_with("20"))
}

/// The years written in a text, in order ("2024" in "6 tháng đầu năm 2024"; not "12024").
pub fn years(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|t| is_year(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_runs_fold_into_one_space() {
        assert_eq!(collapse_spaces("  a \n  b\t c  "), "a b c");
    }

    #[test]
    fn years_are_four_digits_of_the_era() {
        assert!(is_year("1999") && is_year("2025"));
        assert!(!is_year("2100x") && !is_year("1800") && !is_year("202"));
        let found: Vec<&str> = years("từ 2021 đến 12024 và 2025/2026").collect();
        assert_eq!(found, ["2021", "2025", "2026"]);
    }
}
