//! Small tests on words that every stage needs, written once: white space, years, and the
//! one spelling table of tone placement.

use std::borrow::Cow;

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

/// The text with each white space character outside ASCII (no-break, thin, en and em
/// spaces, U+3000 ...) as one ASCII space. The rules' patterns are compiled for text that
/// holds no others (a Unicode `\s` is some ten automaton states, an ASCII one one), so
/// every text they read passes through here: the normalizer's, and what a reader hands
/// them before that (table cells, Markdown).
pub fn plain_spaces(text: &str) -> Cow<'_, str> {
    if !holds_foreign_space(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_foreign_space(c) { ' ' } else { c })
            .collect(),
    )
}

/// Whether `text` holds white space outside ASCII, told from its bytes: every report passes
/// here, and nearly none holds any. Such a character opens with C2 (U+0085, U+00A0), E2
/// (U+2000-U+205F) or E3 (U+3000); only U+1680 opens with E1, as most Vietnamese letters
/// with a tone mark do, so it is looked for whole.
fn holds_foreign_space(text: &str) -> bool {
    memchr::memchr3_iter(0xC2, 0xE2, 0xE3, text.as_bytes())
        .any(|at| text[at..].chars().next().is_some_and(is_foreign_space))
        || memchr::memmem::find(text.as_bytes(), "\u{1680}".as_bytes()).is_some()
}

/// White space outside ASCII: what the patterns' `\s` matches in Unicode and not in ASCII.
pub fn is_foreign_space(c: char) -> bool {
    !c.is_ascii() && c.is_whitespace()
}

/// Whether a line is a page's number, as a page's margin writes it: "5", "- 5 -", "5/12",
/// or after one of `page_words` (lower case): "Trang 5".
pub fn is_page_number(text: &str, page_words: &[String]) -> bool {
    let text = text
        .trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace())
        .to_lowercase();
    let text = page_words
        .iter()
        .find_map(|word| text.strip_prefix(word.as_str()))
        .unwrap_or(&text)
        .trim();
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '/' || c == ' ')
}

/// Whether a line ends a sentence or clause: a full stop, a clause mark, a closing bracket
/// or quote. Readers and the layout join wrapped lines by it.
pub fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .chars()
        .last()
        .is_some_and(|c| ".;:!?…)\"”".contains(c))
}

/// Whether a line opens with a bullet: a new item even after a line that did not end.
pub fn starts_with_bullet(line: &str) -> bool {
    line.trim_start()
        .chars()
        .next()
        .is_some_and(|c| "-+•*–".contains(c))
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

/// `char::is_alphabetic`, answered for the letters reports are written in (ASCII, the Latin
/// ranges, the precomposed Vietnamese letters) without a search of the Unicode tables,
/// which was a percent of a run.
pub fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\0'..='\u{7F}' | '\u{D7}' | '\u{F7}' => false,
        '\u{C0}'..='\u{24F}' | '\u{1EA0}'..='\u{1EF9}' => true,
        _ => c.is_alphabetic(),
    }
}

/// `char::is_alphanumeric`, as quickly as [`is_letter`].
pub fn is_letter_or_digit(c: char) -> bool {
    c.is_ascii_digit() || is_letter(c) || (!c.is_ascii() && c.is_numeric())
}

/// Tone marks of oa, oe and uy at a syllable's end on the first vowel, as in "hóa", "khỏe",
/// "thủy": reports write both that and "hoá", "khoẻ", "thuỷ". Only open syllables differ
/// ("toàn", "hoạch" are written one way), and "qu" is a consonant ("quý", "quỹ" stay).
pub fn old_tone_placement(text: &str) -> String {
    let mut moved = String::with_capacity(text.len());
    let mut copied = 0;
    let mut before = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        // The pair first: it is rare, and whether the syllable is open costs a table lookup.
        let pair = chars
            .peek()
            .and_then(|&(next_at, next)| Some((next_at + next.len_utf8(), moved_tone(c, next)?)));
        if let Some((pair_end, (first, second))) = pair {
            let open = text[pair_end..]
                .chars()
                .next()
                .is_none_or(|c| !is_letter_or_digit(c));
            if open && before != Some('q') {
                moved.push_str(&text[copied..at]);
                moved.push(first);
                moved.push(second);
                copied = pair_end;
                chars.next();
                before = Some(second);
                continue;
            }
        }
        before = Some(c);
    }
    moved.push_str(&text[copied..]);
    moved
}

/// Columns: the toned second vowel a, e, y; then o and u with that tone.
const TONES: [[char; 5]; 5] = [
    ['à', 'è', 'ỳ', 'ò', 'ù'],
    ['á', 'é', 'ý', 'ó', 'ú'],
    ['ả', 'ẻ', 'ỷ', 'ỏ', 'ủ'],
    ['ã', 'ẽ', 'ỹ', 'õ', 'ũ'],
    ['ạ', 'ẹ', 'ỵ', 'ọ', 'ụ'],
];

/// "oà" -> "òa", "oẻ" -> "ỏe", "uỷ" -> "ủy"; `None` for any other pair.
fn moved_tone(first: char, second: char) -> Option<(char, char)> {
    if first != 'o' && first != 'u' {
        return None;
    }
    let row = TONES.iter().find(|row| row[..3].contains(&second))?;
    match (first, second) {
        ('o', _) if second == row[0] => Some((row[3], 'a')),
        ('o', _) if second == row[1] => Some((row[3], 'e')),
        ('u', _) if second == row[2] => Some((row[4], 'y')),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_foreign_space_is_told_from_bytes_and_no_other_character_is() {
        for c in '\u{80}'..='\u{FFFF}' {
            let text = format!("ạ“{c}”");
            assert_eq!(holds_foreign_space(&text), is_foreign_space(c), "{c:?}");
        }
    }

    #[test]
    fn foreign_white_space_becomes_one_ascii_space_each() {
        assert!(matches!(plain_spaces("đạt 5 tỷ"), Cow::Borrowed(_)));
        assert_eq!(
            plain_spaces("5\u{A0}tỷ\u{2009}đồng\u{3000}\t"),
            "5 tỷ đồng \t"
        );
    }

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

    #[test]
    fn letters_are_told_as_the_unicode_tables_tell_them() {
        for c in (0..=0x2FFF)
            .chain(0x1E00..=0x1FFF)
            .filter_map(char::from_u32)
        {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_letter_or_digit(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn tone_placement_is_one_form() {
        assert_eq!(
            old_tone_placement("hoà hoá hoả hoã hoạ"),
            "hòa hóa hỏa hõa họa"
        );
        assert_eq!(
            old_tone_placement("thuỳ thuý thuỷ thuỹ thuỵ"),
            "thùy thúy thủy thũy thụy"
        );
        assert_eq!(old_tone_placement("khoẻ"), "khỏe");
        // Closed syllables and "qu" are written one way only.
        assert_eq!(
            old_tone_placement("toàn hoạch quý quỹ"),
            "toàn hoạch quý quỹ"
        );
        assert_eq!(old_tone_placement("hòa thủy"), "hòa thủy");
    }

    /// The rule read one character pair at a time over a copy of the characters, as it was
    /// first written: the pass over the text must move the same tones.
    fn tone_placement_pair_by_pair(text: &str) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        for i in 0..chars.len().saturating_sub(1) {
            let Some((first, second)) = moved_tone(chars[i], chars[i + 1]) else {
                continue;
            };
            let open = chars.get(i + 2).is_none_or(|c| !c.is_alphanumeric());
            if open && !(i > 0 && chars[i - 1] == 'q') {
                chars[i] = first;
                chars[i + 1] = second;
            }
        }
        chars.into_iter().collect()
    }

    proptest::proptest! {
        #[test]
        fn tones_move_as_pair_by_pair(text in "[qhtoua\u{e0}\u{e1}\u{1ea3}\u{e3}\u{1ea1}e\u{e8}\u{e9}\u{1ebb}\u{1ebd}\u{1eb9}y\u{1ef3}\u{fd}\u{1ef7}\u{1ef9}\u{1ef5}n 1]{0,24}") {
            proptest::prop_assert_eq!(old_tone_placement(&text), tone_placement_pair_by_pair(&text));
        }
    }
}
