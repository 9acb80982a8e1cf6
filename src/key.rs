//! Indicator keys: the name under which indicators of different reports are matched, as
//! every fact carries it (`indicator_key`) and `extract compare` groups by it.
//!
//! In: an indicator as a fact states it ("Tổng thu NSNN trên địa bàn"), the abbreviations
//! of `patterns/keys.toml` and the `key_filler` word list of `patterns/fragments.toml`.
//! Out: a key ("thu ngân sách nhà nước"), empty when nothing is left. Why: reports of
//! different years name one indicator with small differences (case, spacing, punctuation,
//! abbreviations, connectives, "trên địa bàn", old or new tone placement, the year
//! itself); the key drops exactly those so that one row gathers them.

use std::borrow::Cow;
use std::collections::HashMap;

use regex::Regex;

use crate::rules::Pattern;
use crate::words::{is_letter_or_digit, is_year, old_tone_placement, plain_spaces};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Abbreviations written in indicators and what they stand for ("NSNN").
#[derive(Debug, Default)]
pub struct Abbreviations {
    pattern: Option<Regex>,
    /// The same words anywhere: a test that stays on the fast automaton (a Unicode `\b`
    /// does not), since most indicators hold no abbreviation at all.
    anywhere: Option<Regex>,
    long: HashMap<String, String>,
}

impl Abbreviations {
    /// From (short, long) pairs; shorts match as whole words, case as written.
    pub fn new(pairs: &[(String, String)]) -> Result<Abbreviations, regex::Error> {
        if pairs.is_empty() {
            return Ok(Abbreviations::default());
        }
        let mut shorts: Vec<&str> = pairs.iter().map(|(short, _)| short.as_str()).collect();
        // Longest first, so that "NSNN" is not read as "NS" + "NN".
        shorts.sort_by_key(|short| std::cmp::Reverse(short.len()));
        let alternatives: Vec<String> = shorts.iter().map(|s| regex::escape(s)).collect();
        let words = alternatives.join("|");
        Ok(Abbreviations {
            pattern: Some(Regex::new(&format!(r"\b(?:{words})\b"))?),
            anywhere: Some(Regex::new(&words)?),
            long: pairs.iter().cloned().collect(),
        })
    }

    fn expand(&self, text: &str) -> String {
        if !self.anywhere.as_ref().is_some_and(|any| any.is_match(text)) {
            return text.to_string();
        }
        match &self.pattern {
            Some(pattern) => pattern
                .replace_all(text, |caps: &regex::Captures| self.long[&caps[0]].clone())
                .into_owned(),
            None => text.to_string(),
        }
    }
}

/// The matching key of an indicator.
pub fn indicator_key(indicator: &str, abbreviations: &Abbreviations, filler: &Pattern) -> String {
    // An indicator read from a file of facts may hold any white space (see `plain_spaces`).
    let expanded = abbreviations.expand(&plain_spaces(indicator));
    let lower = expanded.to_lowercase();
    // Lower case of NFC text is nearly always NFC already: copy only when it is not.
    let lower = match is_nfc_quick(lower.chars()) {
        IsNormalized::Yes => lower,
        _ => lower.nfc().collect(),
    };
    // Filler words go first: some are written with punctuation ("(theo giá hiện hành)") and
    // with a given tone placement (the word list names both "lũy kế" and "luỹ kế").
    // Each match takes the separators around its words, so neighbours ("của các") need
    // another pass.
    let mut kept = lower;
    loop {
        match filler.replace_all(&kept, " ") {
            Cow::Owned(next) if next != kept => kept = next,
            _ => break,
        }
    }
    let plain: String = kept
        .chars()
        .map(|c| if is_letter_or_digit(c) { c } else { ' ' })
        .collect();
    let toned = old_tone_placement(&plain);
    toned
        .split_whitespace()
        // A year in an indicator is the period leaking into its name ("vốn năm 2024").
        .filter(|word| !is_year(word))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Pattern;

    fn key(indicator: &str, filler: &Pattern) -> String {
        indicator_key(indicator, &Abbreviations::default(), filler)
    }

    /// The shipped key_filler word list.
    fn filler() -> Pattern {
        crate::Rules::shipped().lexicon.key_filler.clone()
    }

    #[test]
    fn abbreviations_are_written_out() {
        let pairs = [("NSNN".to_string(), "ngân sách nhà nước".to_string())];
        let abbreviations = Abbreviations::new(&pairs).unwrap();
        let filler = filler();
        assert_eq!(
            indicator_key("Thu NSNN trên địa bàn", &abbreviations, &filler),
            indicator_key("Thu ngân sách nhà nước", &abbreviations, &filler),
        );
        // Only whole words: a longer name that contains it stays as written.
        assert_eq!(indicator_key("NSNNX", &abbreviations, &filler), "nsnnx");
    }

    #[test]
    fn retail_sales_match_across_phrasings() {
        let filler = filler();
        let written = [
            "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng",
            "Tổng mức bán lẻ hàng hoá và doanh thu dịch vụ tiêu dùng trên địa bàn",
            "tổng  mức bán lẻ hàng hóa, doanh thu dịch vụ tiêu dùng",
            "TỔNG MỨC BÁN LẺ HÀNG HÓA VÀ DOANH THU DỊCH VỤ TIÊU DÙNG",
            // Decomposed (NFD) input, as some converters write it.
            "To\u{302}\u{309}ng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng",
        ];
        for text in written {
            assert_eq!(
                key(text, &filler),
                "mức bán lẻ hàng hóa doanh thu dịch vụ tiêu dùng",
                "{text:?}"
            );
        }
    }

    #[test]
    fn years_punctuation_and_filler_go() {
        let filler = filler();
        assert_eq!(
            key("Tổng kế hoạch vốn đầu tư công năm 2024 được giao", &filler),
            key("Kế hoạch vốn đầu tư công năm 2025 được giao", &filler),
        );
        assert_eq!(
            key("Tỷ lệ che phủ rừng (%)", &filler),
            key("tỷ lệ che phủ rừng", &filler)
        );
        assert_eq!(key("Sức khoẻ", &filler), key("sức khỏe", &filler));
        assert_eq!(key("Ủy ban", &filler), key("Uỷ ban", &filler));
    }

    #[test]
    fn only_filler_gives_an_empty_key() {
        let filler = filler();
        assert_eq!(key("", &filler), "");
        assert_eq!(key("trong đó, đã", &filler), "");
    }
}
