//! A block cut into sentences and a sentence into clauses; names trimmed of edges and asides.

use super::*;

/// Sentence ranges of a block: a full stop (or ! ?) followed by white space and a capital,
/// an opening parenthesis, a bullet or a quote. "2.327" and "30/6/2025." do not split.
pub(super) fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        let rest = &text[i + c.len_utf8()..];
        let trimmed = rest.trim_start();
        if trimmed.len() == rest.len() && !rest.is_empty() {
            continue;
        }
        // A figure opens a sentence too ("... nhấn mạnh. 9 tháng đầu năm, doanh thu ...");
        // thousands and decimals ("1.625", "98.4") have no space after their point.
        let opens = trimmed
            .chars()
            .next()
            .is_none_or(|n| n.is_uppercase() || n.is_ascii_digit() || "(-+•“\"[".contains(n));
        if opens {
            let end = i + c.len_utf8();
            out.push(start..end);
            start = end;
            while chars.peek().is_some_and(|(_, n)| n.is_whitespace()) {
                chars.next();
            }
        }
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// Clause ranges of a sentence: `;` separates indicators.
pub(super) fn clauses(sentence: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in sentence.match_indices(';') {
        out.push(start..i);
        start = i + 1;
    }
    out.push(start..sentence.len());
    out
}

/// A whole-word match without the non-letters that mark its edges.
pub fn trim_edges(text: &str) -> &str {
    text.trim_matches(|c: char| !c.is_alphanumeric())
}

/// A name without the explanations it carries in brackets ("tốc độ tăng trưởng kinh tế GRDP
/// (chỉ tiêu tổng sản phẩm trên địa bàn các tỉnh, thành phố trực thuộc Trung ương)"); short
/// brackets are part of the name ("(GRDP)", "(BHXH)", "(theo giá so sánh 2010)").
pub(super) fn without_asides(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|i| open + i) else {
            break;
        };
        let inside = &rest[open + 1..close];
        out.push_str(&rest[..open]);
        if inside.contains('(') || inside.split_whitespace().count() <= MAX_ASIDE_WORDS {
            out.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    if out.len() == name.len() {
        return out;
    }
    collapse_spaces(&out)
}

/// Words in brackets that still belong to a name ("(theo giá so sánh 2010)").
pub(super) const MAX_ASIDE_WORDS: usize = 6;
