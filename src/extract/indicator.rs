//! The indicator's name, from the text before a fact's first figure: the phrase naming
//! what is measured, without leading connectives, trailing verbs, figures and period phrases
//! ("Indicator" of `spec/facts.md`). Works on ranges of the sentence, so the name keeps its
//! place for the fact's span. The words stripped are `patterns/` fragments.

use std::ops::Range;

use super::matching::window_before;
use crate::rules::Lexicon;
use crate::words::is_letter;

/// A label before a colon ("Rau, đậu các loại:") is short; a longer one is a sentence.
const MAX_LABEL_WORDS: usize = 8;

/// A name runs to at most this many words; a longer region before a figure is a sentence.
const MAX_NAME_WORDS: usize = 8;

/// A first comma part this short opens a name that runs on ("Khu vực nông, lâm nghiệp").
const MAX_OPENING_WORDS: usize = 4;

/// Items joined by "và" in a list inside a name are this short ("ăn uống và du lịch lữ hành").
const MAX_LIST_ITEM_WORDS: usize = 4;

/// A member of a plural group ("các tổ chức tín dụng, chi nhánh ngân hàng nước ngoài") is
/// at most this many words, and "các" stands among the group's last this many words.
const MAX_MEMBER_WORDS: usize = 6;

/// Words of a name before a figure that may still name no indicator (a subject).
const MAX_WEAK_NAME_WORDS: usize = 2;

/// Whether a stretch between figures names something (a new indicator) rather than only
/// connectives, verbs, periods and comparisons.
pub(crate) fn has_content(lexicon: &Lexicon, gap: &str) -> bool {
    let names = |words: &str| words.chars().any(is_letter);
    let mut rest = 0;
    for filler in lexicon.gap_filler.find_iter(gap) {
        if names(&gap[rest..filler.start()]) {
            return true;
        }
        rest = filler.end();
    }
    names(&gap[rest..])
}

/// Whether a fact's name before its figure names no indicator: nothing, or a word or two
/// with no indicator head ("Công ty", "Huyện", "việc" in "Công ty đã hoàn thành 105% kế
/// hoạch doanh thu").
pub(crate) fn names_no_indicator(lexicon: &Lexicon, name: &str) -> bool {
    let name = name.trim();
    let words = name.split_whitespace().count();
    words == 0 || (words <= MAX_WEAK_NAME_WORDS && !opens_with_head(lexicon, name))
}

/// The indicator's place in the region before a fact's first figure.
pub(crate) fn indicator_range(lexicon: &Lexicon, text: &str, region: Range<usize>) -> Range<usize> {
    let nearby = window_before(&text[..region.end], region.end);
    let region = region.start.max(region.end - nearby.len())..region.end;
    let region = after_stray_close(text, region);
    let region = around_unclosed_open(lexicon, text, region);
    let region = match label(lexicon, text, region) {
        Label::Head(head) => head,
        Label::Rest(rest) => last_segment(lexicon, text, rest),
    };
    // "Bộ Tài chính cho biết tỷ lệ giải ngân", "... hết giấy phép nên tốc độ": only what
    // follows a source or a cause is the name.
    let region = match lexicon.name_restart.find_iter(&text[region.clone()]).last() {
        Some(m) => region.start + m.end()..region.end,
        None => region,
    };
    // "khu vực Nhà nước chiếm 26,5% tổng vốn": what follows a share word is not the name.
    let region = match lexicon.indicator_stop.find(&text[region.clone()]) {
        Some(m) if m.start() > 0 => region.start..region.start + m.start(),
        _ => region,
    };
    let region = strip(lexicon, text, region);
    // "con số này", "đây là kết quả ...": a name that refers back names nothing here; the
    // fact takes the indicator before it.
    if lexicon.anaphora.is_match(&text[region.clone()]) {
        return region.end..region.end;
    }
    strip(lexicon, text, past_long_restart(lexicon, text, region))
}

/// "mặt hàng chủ lực của công ty là xi măng với sản lượng tiêu thụ": a region longer
/// than a name is a sentence, and what its last verb or link introduces names the figure
/// (the part after the last restart word that still names something).
fn past_long_restart(lexicon: &Lexicon, text: &str, region: Range<usize>) -> Range<usize> {
    if text[region.clone()].split_whitespace().count() <= MAX_NAME_WORDS {
        return region;
    }
    let slice = &text[region.clone()];
    let exempt: Vec<Range<usize>> = lexicon
        .name_restart_long_exempt
        .find_iter(slice)
        .map(|m| m.range())
        .collect();
    // A region that opens with an indicator head is a long name ("Tỷ lệ hộ gia đình được
    // công nhận là gia đình văn hóa"): only "thì" or a link to another head restarts it.
    let headed = opens_with_head(lexicon, slice);
    let restarts: Vec<usize> = lexicon
        .name_restart_long
        .find_iter(slice)
        .filter(|m| {
            !exempt
                .iter()
                .any(|e| e.start < m.end() && m.start() < e.end)
        })
        .filter(|m| {
            let word = m.as_str().trim_matches(|c: char| !c.is_alphanumeric());
            !headed
                || lexicon.restart_in_name.is_match(word)
                || opens_with_head(lexicon, &strip_text(lexicon, slice, m.end()..slice.len()))
        })
        .map(|m| region.start + m.end())
        .collect();
    restarts
        .into_iter()
        .rev()
        .map(|at| {
            // The match ends past the separator after the word; start at the next word.
            let at = if at > region.start && !text[..at].ends_with(char::is_alphanumeric) {
                at - text[..at].chars().next_back().map_or(0, char::len_utf8)
            } else {
                at
            };
            at..region.end
        })
        // What a restart introduces is a name, not a count ("Hoàn thành giao quân năm 2022
        // với 118 thanh niên" keeps its verb).
        .find(|rest| {
            let name = strip_text(lexicon, text, rest.clone());
            has_content(lexicon, &name) && name.starts_with(char::is_alphabetic)
        })
        .unwrap_or(region)
}

/// "chè 13,5ha), sản lượng ước" -> " sản lượng ước": text after a ')' opened elsewhere.
fn after_stray_close(text: &str, region: Range<usize>) -> Range<usize> {
    let mut depth = 0i32;
    let mut start = region.start;
    for (i, c) in text[region.clone()].char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => start = region.start + i + 1,
            ')' => depth -= 1,
            _ => {}
        }
    }
    start..region.end
}

/// "(trong đó: Chè kinh doanh" -> the text inside; "đạt thấp (" -> the text before.
fn around_unclosed_open(lexicon: &Lexicon, text: &str, region: Range<usize>) -> Range<usize> {
    let slice = &text[region.clone()];
    let mut depth = 0;
    let mut unclosed = None;
    for (i, c) in slice.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => {
                unclosed = Some(i);
                break;
            }
            '(' => depth -= 1,
            _ => {}
        }
    }
    let Some(i) = unclosed else {
        return region;
    };
    let inside = region.start + i + 1..region.end;
    if has_content(lexicon, &strip_text(lexicon, text, inside.clone())) {
        inside
    } else {
        region.start..region.start + i
    }
}

/// The last comma-separated part that names something. Parts that read as the items of a
/// list ("nông, lâm nghiệp và thủy sản"; "qua đào tạo, tập huấn") run on back to the part
/// that opens the list, which carries the head noun ("giá trị sản xuất nông").
fn last_segment(lexicon: &Lexicon, text: &str, region: Range<usize>) -> Range<usize> {
    let slice = &text[region.clone()];
    let mut cuts = vec![region.start];
    let mut depth = 0;
    for (i, c) in slice.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 && !between_digits(slice, i) => cuts.push(region.start + i + 1),
            _ => {}
        }
    }
    let segment_end = |k: usize| cuts.get(k + 1).map_or(region.end, |&next| next - 1);
    // Each part without its connectives and verbs, stripped once.
    let parts: Vec<String> = (0..cuts.len())
        .map(|k| strip_text(lexicon, text, cuts[k]..segment_end(k)))
        .collect();
    // "Theo Sở Nông nghiệp, ...", "Tính đến ngày 30/6, ...": a source or a date, not a name.
    let adverbial = |k: usize| {
        lexicon
            .clause_opening
            .is_match(&text[cuts[k]..segment_end(k)])
    };
    // "Ông A, Giám đốc Sở Tài chính cho biết, ...": the parts up to one that a restart word
    // ends (a source, a consequence) name nothing.
    let source_end = (0..cuts.len().saturating_sub(1))
        .rev()
        .find(|&k| ends_with_restart(lexicon, &text[cuts[k]..segment_end(k)]));
    // An adverbial part that a comma closes names nothing ("Từ đầu năm đến nay, đã có 211
    // DN ...": what is counted names the figure). A part that opens with an indicator head
    // names something even when its words may also stand between figures ("tỷ lệ giải ngân").
    let names = |part: &str| has_content(lexicon, part) || opens_with_head(lexicon, part);
    let named = |k: &usize| {
        names(&parts[*k])
            && !(*k + 1 < cuts.len() && adverbial(*k))
            && source_end.is_none_or(|end| *k > end)
    };
    let Some(last) = (0..cuts.len()).rev().find(named) else {
        if (0..cuts.len()).any(|k| has_content(lexicon, &parts[k])) {
            // "Theo báo cáo ..., đến ngày 30/11, cả nước giải ngân đạt 65,6%": the last
            // part's own words, if stripping leaves any, are the name.
            let k = cuts.len() - 1;
            if parts[k].chars().any(is_letter) {
                return cuts[k]..segment_end(k);
            }
            return region.end..region.end;
        }
        return region;
    };
    // The part that may open a name: the first one naming something, after any stripped
    // lead ("Tính chung 5 tháng, sản lượng thịt trâu, bò hơi xuất chuồng").
    let opening = (0..cuts.len()).find(named);
    let mut first = last;
    while let Some(previous) = (0..first).rev().find(named) {
        let part = &parts[first];
        // A connective part between the two ("..., cụ thể, châu Á") ends the list.
        let runs_on = previous + 1 == first
            && !adverbial(previous)
            && !opens_with_head(lexicon, part)
            && !lexicon
                .contrast_opening
                .is_match(&text[cuts[first]..segment_end(first)])
            && (is_list_item(lexicon, part)
                || (Some(previous) == opening
                    && parts[previous].split_whitespace().count() <= MAX_OPENING_WORDS)
                || next_sector(lexicon, part, &parts[previous])
                || next_member(lexicon, part, &parts[previous]));
        if !runs_on {
            break;
        }
        first = previous;
    }
    cuts[first]..segment_end(last)
}

/// Whether a restart word (a source, a consequence) ends `part`: nothing of it names.
fn ends_with_restart(lexicon: &Lexicon, part: &str) -> bool {
    let last = lexicon.name_restart.find_iter(part).last();
    last.is_some_and(|m| part[m.end()..].trim().is_empty())
}

/// "Giá trị sản xuất công nghiệp, tiểu thủ công nghiệp": a part that opens with a sector
/// word continues a short name that starts with an indicator head.
fn next_sector(lexicon: &Lexicon, part: &str, previous: &str) -> bool {
    lexicon.list_item_head.is_match(part)
        && opens_with_head(lexicon, previous)
        && previous.split_whitespace().count() <= MAX_LABEL_WORDS
}

/// "Dư nợ của các tổ chức tín dụng, chi nhánh ngân hàng nước ngoài": after a name that opens
/// with an indicator head and ends on a plural group ("các", "những" among its last words),
/// a short part with no head of its own is one more member of the group, not a new name
/// ("... phát trên loa tại các khu dân cư, xuất khẩu lao động" names no head: a new name).
fn next_member(lexicon: &Lexicon, part: &str, previous: &str) -> bool {
    let words: Vec<&str> = previous.split_whitespace().collect();
    let tail = &words[words.len().saturating_sub(MAX_MEMBER_WORDS)..];
    let plural = tail.iter().any(|w| lexicon.plural.is_match(w));
    let part = own_words(lexicon, part);
    plural
        && opens_with_head(lexicon, previous)
        && part.split_whitespace().count() <= MAX_MEMBER_WORDS
        && !part.chars().any(|c| c.is_ascii_digit())
        && !opens_with_head(lexicon, part)
}

/// A list item's own words, without what places or qualifies the whole list ("bò| toàn
/// tỉnh", "thủy sản| (theo giá so sánh)").
fn own_words<'p>(lexicon: &Lexicon, part: &'p str) -> &'p str {
    lexicon
        .list_tail
        .find(part)
        .filter(|m| m.start() > 0)
        .map_or(part, |m| &part[..m.start()])
}

/// Whether `part` opens with an indicator head ("tỷ lệ", "chi"), not with a name that only
/// starts with its word ("chi nhánh", "chi cục").
fn opens_with_head(lexicon: &Lexicon, part: &str) -> bool {
    lexicon.indicator_head.is_match(part) && !lexicon.head_lookalike.is_match(part)
}

/// A comma part that is an item of a list rather than a name of its own: a word or two
/// ("thủy sản"), or short items joined by "và"/"hoặc" ("lâm nghiệp và thủy sản"). Words
/// that place or qualify the whole list do not count ("bò toàn tỉnh", "BHTN trên địa bàn").
fn is_list_item(lexicon: &Lexicon, part: &str) -> bool {
    let part = own_words(lexicon, part);
    let short = |s: &str| s.split_whitespace().count() <= MAX_LIST_ITEM_WORDS;
    let words = part.split_whitespace().count();
    if words <= 2 {
        return true;
    }
    lexicon
        .list_joint
        .find_iter(part)
        .any(|joint| short(&part[..joint.start()]) && short(&part[joint.end()..]))
}

/// What a colon in an indicator's region leaves.
enum Label {
    /// A label names the indicator ("Cây lạc: Ước thực hiện" -> "Cây lạc").
    Head(Range<usize>),
    /// Text to read further ("Trong đó: Thu NSNN trên địa bàn").
    Rest(Range<usize>),
}

/// Label-style text: "Cây lạc: Ước thực hiện" -> "Cây lạc"; "Trong đó: Thu NSNN" ->
/// "Thu NSNN"; a short label with a short attribute stays whole ("Cây chè: Diện tích").
fn label(lexicon: &Lexicon, text: &str, region: Range<usize>) -> Label {
    let slice = &text[region.clone()];
    let Some(colon) = slice.rfind(':') else {
        return Label::Rest(region);
    };
    let head_start = slice[..colon]
        .rfind(':')
        .map_or(region.start, |i| region.start + i + 1);
    let head = head_start..region.start + colon;
    let after = region.start + colon + 1..region.end;
    let words = |r: &Range<usize>| {
        let stripped = strip_text(lexicon, text, r.clone());
        (
            has_content(lexicon, &stripped),
            stripped.split_whitespace().count(),
        )
    };
    match (words(&head), words(&after)) {
        ((true, head_words), (true, after_words)) if head_words <= 5 && after_words <= 2 => {
            Label::Head(head.start..region.end)
        }
        (_, (true, _)) => Label::Rest(after),
        ((true, head_words), _) if head_words <= MAX_LABEL_WORDS => Label::Head(head),
        _ => Label::Rest(head),
    }
}

fn strip_text(lexicon: &Lexicon, text: &str, region: Range<usize>) -> String {
    text[strip(lexicon, text, region)].to_string()
}

/// Where a trailing strip may cut without splitting a compound whose last word is also a
/// trailing verb ("chứng chỉ", "phát hiện", "gia tăng" keep "chỉ", "hiện", "tăng").
fn whole_compound_end(lexicon: &Lexicon, text: &str, region: &Range<usize>, cut: usize) -> usize {
    if cut == region.end {
        return cut;
    }
    lexicon
        .name_compound
        .find_iter(&text[region.clone()])
        .map(|m| (region.start + m.start(), region.start + m.end()))
        .find(|&(start, end)| start < cut && cut < end)
        .map_or(cut, |(_, end)| end)
}

/// "26,5": a decimal comma, not a list separator.
fn between_digits(text: &str, at: usize) -> bool {
    let before = text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_digit());
    let after = text[at + 1..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit());
    before && after
}

/// Drop leading connectives and trailing verbs, estimate words and periods, until none is left.
fn strip(lexicon: &Lexicon, text: &str, mut region: Range<usize>) -> Range<usize> {
    loop {
        let before = region.clone();
        if let Some(m) = lexicon.lead.find(&text[region.clone()]) {
            region.start += m.end();
        }
        if let Some(m) = lexicon.tail.find(&text[region.clone()]) {
            region.end = whole_compound_end(lexicon, text, &region, region.start + m.start());
        }
        if region == before || region.is_empty() {
            return region;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    fn name(region: &str) -> String {
        let rules = Rules::shipped();
        let range = indicator_range(&rules.lexicon, region, 0..region.len());
        region[range]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn verbs_periods_and_connectives_are_stripped() {
        assert_eq!(
            name("Tổng mức bán lẻ hàng hóa thực hiện 6 tháng đầu năm 2025 ước đạt"),
            "Tổng mức bán lẻ hàng hóa"
        );
        assert_eq!(
            name("Trong đó: Thu NSNN trên địa bàn là"),
            "Thu NSNN trên địa bàn"
        );
    }

    #[test]
    fn compounds_ending_in_a_stripped_word_stay_whole() {
        assert_eq!(
            name("Tỷ lệ lao động có chứng chỉ đạt"),
            "Tỷ lệ lao động có chứng chỉ"
        );
        assert_eq!(
            name("Số vụ vi phạm được phát hiện là"),
            "Số vụ vi phạm được phát hiện"
        );
        assert_eq!(name("Tỷ lệ giải ngân chỉ đạt"), "Tỷ lệ giải ngân");
    }

    #[test]
    fn labels_name_their_lists() {
        assert_eq!(
            name("Cây công nghiệp ngắn ngày: Cây lạc: Ước thực hiện"),
            "Cây lạc"
        );
        assert_eq!(name("Rau, đậu các loại:"), "Rau, đậu các loại");
        assert_eq!(name("Cây chè: Diện tích"), "Cây chè: Diện tích");
    }

    #[test]
    fn commas_separate_clauses_but_not_list_tails_or_decimals() {
        assert_eq!(
            name("Du lịch phát triển khá sôi động, lượng khách"),
            "lượng khách"
        );
        assert_eq!(
            name("Tỷ lệ lao động qua đào tạo, tập huấn ước thực hiện đạt"),
            "Tỷ lệ lao động qua đào tạo, tập huấn"
        );
        assert_eq!(
            name("Trong đó, khu vực Nhà nước chiếm 26,5% tổng vốn,"),
            "khu vực Nhà nước"
        );
        // After the previous figure's comma the first named part opens the name.
        assert_eq!(
            name(", hoạt động tài chính, ngân hàng bảo hiểm tăng"),
            "hoạt động tài chính, ngân hàng bảo hiểm"
        );
        assert_eq!(
            name(", doanh thu lưu trú tăng khá, khách quốc tế"),
            "khách quốc tế"
        );
    }

    #[test]
    fn a_province_name_keeps_its_last_syllable() {
        // "ước" is an estimate word, but not inside "Phước".
        assert_eq!(
            name("Thu ngân sách tỉnh Bình Phước"),
            "Thu ngân sách tỉnh Bình Phước"
        );
    }

    #[test]
    fn stray_and_open_parentheses_are_cut() {
        assert_eq!(
            name("chè kiến thiết cơ bản 13,5ha), sản lượng ước"),
            "sản lượng"
        );
        assert_eq!(
            name("Giải ngân vốn đầu tư công đạt thấp ("),
            "Giải ngân vốn đầu tư công đạt thấp"
        );
    }
}
