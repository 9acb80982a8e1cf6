//! Whether a figure is a result or a goal, a directive, a condition or a threshold: which
//! goal words stand before it, how far each reaches (past commas, within its clause, to
//! the next comma), and the list heads, labels and brackets that set targets.

use std::ops::Range;

use super::matching::{window_after, window_before};
use super::overlaps;
use crate::fact::Kind;
use crate::rules::{Lexicon, Match, MeasureRule};
use crate::words::is_year;

/// A figure is not a result of the period when a goal word precedes it in its clause, a
/// threshold word follows it ("8% trở lên") or a content verb bounds it ("các dự án giải
/// ngân dưới 30% kế hoạch"; not "chỉ đạt dưới 50%"), or it stands in a parenthesis about
/// the plan ("(kế hoạch tăng 7,5-8%)") or right after a plan ("thấp hơn kế hoạch (tăng
/// 10%)").
pub(super) fn is_goal(
    lexicon: &Lexicon,
    rule: &MeasureRule,
    sentence: &str,
    span: &Range<usize>,
) -> bool {
    let figure = figure_at(sentence, span);
    // "Mục tiêu, nhiệm vụ năm 2024 cơ bản hoàn thành: thu ngân sách đạt 105% dự toán": a
    // share of a plan said to be reached is a result unless a directive, a label of targets
    // or an aim in its own clause governs it ("phấn đấu đạt 100% kế hoạch").
    let reached = share_reached(lexicon, rule.kind, &sentence[..figure]);
    let window = window_before(sentence, span.start);
    let before = window.rfind(';').map_or(window, |i| &window[i + 1..]);
    // "Kết quả thực hiện các mục tiêu chủ yếu: ...": a head that reports results, as in
    // `in_goal_list`, sets no goal for the first item after its colon either.
    let before = match before.rfind(':') {
        Some(colon) if lexicon.result_section.is_match(&before[..colon]) => &before[colon + 1..],
        _ => before,
    };
    // "...; đến ngày 30/9 số thu đã đạt 78% dự toán", "...; 6 tháng đầu năm thu ngân sách
    // đạt 62% dự toán": an item that states a result, or opens with the part of the year
    // gone by, is no goal of a list a goal opened.
    let states_result =
        lexicon.goal_reach_end.is_match(before) || lexicon.period_so_far.is_match(before);
    let before = past_means(lexicon, sentence, span, before);
    // The goal's reach is read up to the figure: the span's own verb may continue a clause
    // ("phấn đấu thu 25.000 tỷ đồng, |đạt 87% dự toán").
    let clause_start = span.start - before.len();
    opens_goal(
        lexicon,
        &sentence[clause_start..figure],
        before.len(),
        reached,
    ) || lexicon.plan_figures.is_match(before)
        || lexicon.plan_level.is_match(before)
        || plan_in_paren(lexicon, before, sentence, span)
        || lexicon.threshold.is_match(&sentence[clause_start..figure])
        || (!states_result && in_goal_list(lexicon, window, reached))
        || (!states_result
            && !reached
            && window.len() == span.start
            && led_by_goal(lexicon, window))
        || lexicon
            .goal_after
            .is_match(window_after(sentence, span.end))
}

/// Whether a share of a plan is said to be reached: a verb of reaching ends the text before
/// its figure ("đạt 101% kế hoạch", not "giải ngân 100% kế hoạch vốn").
pub(super) fn share_reached(lexicon: &Lexicon, kind: Kind, before_figure: &str) -> bool {
    kind == Kind::Plan && lexicon.share_reached.is_match(before_figure)
}

/// Where the figure of a matched span starts (a rule's span may open with its verb).
fn figure_at(sentence: &str, span: &Range<usize>) -> usize {
    sentence[span.clone()]
        .find(|c: char| c.is_ascii_digit())
        .map_or(span.start, |at| span.start + at)
}

/// "Với việc triển khai nhiều giải pháp nhằm quyết tâm khắc phục ..., GRDP tăng 6,9%": in a
/// sentence that opens with the means behind its results, a figure's goal words are those
/// of its own comma part (outside parentheses); the opening's aims are not its goal.
fn past_means<'t>(
    lexicon: &Lexicon,
    sentence: &str,
    span: &Range<usize>,
    before: &'t str,
) -> &'t str {
    let head = &sentence[..span.start];
    // The opening first: it is read at the head's start only, the semicolon anywhere.
    if !lexicon.means_opening.is_match(head) || head.contains(';') {
        return before;
    }
    let mut depth = 0i32;
    let mut cut = None;
    for (i, c) in before.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => depth -= 1,
            ',' if depth <= 0 && !between_digits(before, i) => {
                cut = Some(i + 1);
                break;
            }
            _ => {}
        }
    }
    cut.map_or(before, |at| &before[at..])
}

/// "26,5": a decimal comma, not a list separator.
fn between_digits(text: &str, at: usize) -> bool {
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    digit(text[..at].chars().next_back()) && digit(text[at + 1..].chars().next())
}

/// A figure in a parenthesis right after a plan is the plan's own ("thấp hơn kế hoạch đề ra
/// (tăng 10%)"), unless it names a period of its own and nothing says the result fell short
/// of or passed the plan: "vượt kế hoạch (tăng 12% so với cùng kỳ)" is a result.
fn plan_in_paren(lexicon: &Lexicon, before: &str, sentence: &str, span: &Range<usize>) -> bool {
    let Some(caps) = lexicon.plan_paren.captures(before) else {
        return false;
    };
    let rest = &sentence[span.start..];
    let inside = rest.find(')').map_or(rest, |close| &rest[..close]);
    caps.name("short").is_some() || !lexicon.period_comparison.is_match(inside)
}

/// Whether a goal word (not a name that contains one) or a goal opening stands in `clause`
/// before `words_end` and reaches the clause's end, where the figure stands.
fn opens_goal<'t>(lexicon: &Lexicon, clause: &'t str, words_end: usize, near_only: bool) -> bool {
    // Words of the figure's own span ("vượt mục tiêu 7,5%") name its basis, not a goal.
    let exempt = not_exempt(lexicon, clause);
    let free = |m: Match<'t>| {
        // The match holds the separators before the word.
        let separators = m.as_str().len()
            - m.as_str()
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .len();
        m.start() + separators < words_end && exempt(m)
    };
    let near = |reach: Reach| match reach {
        Reach::Frame | Reach::Clause if near_only => Reach::Near,
        other => other,
    };
    let by_word = lexicon.goal_before.find_iter(clause).any(|m| {
        free(m) && reaches_end(lexicon, clause, &m, near(word_reach(lexicon, clause, &m)))
    });
    by_word
        || lexicon.goal_opening.find(clause).is_some_and(|m| {
            // A label's colon opens a list of targets, shares reached or not; a condition
            // ends with its clause.
            let reach = if is_label(&m) {
                Reach::List
            } else {
                near(Reach::Condition)
            };
            free(m) && reaches_end(lexicon, clause, &m, reach)
        })
}

/// A goal opening that is a label before its colon ("Chỉ tiêu kế hoạch năm 2024:").
fn is_label(opening: &Match) -> bool {
    opening.as_str().trim_end().ends_with(':')
}

/// How far a goal governs the figures after it.
#[derive(Clone, Copy)]
enum Reach {
    /// Past commas and colons: a directive over those it addresses or the items it lists.
    List,
    /// An aim that opens its comma part and frames what follows ("Mục tiêu đến năm 2030,
    /// ..."): as far as a directive, but not over a share of a plan said to be reached in a
    /// clause of its own ("Mục tiêu, nhiệm vụ năm 2024 cơ bản hoàn thành: thu ngân sách đạt
    /// 105% dự toán").
    Frame,
    /// Over more figures of its own clause, and over a list its colon opens; not past a
    /// comma that opens a clause of its own.
    Clause,
    /// To the first comma or colon: a goal named ("Với mục tiêu ...,") or a purpose.
    Comma,
    /// Over its own clause only, not past a colon either: how far any goal governs a share
    /// of a plan said to be reached.
    Near,
    /// Over its own clause, and over the main clause when that states its consequence
    /// ("Nếu ..., tỷ lệ giải ngân sẽ đạt 95%"); not over a result ("Khi tổng kết năm, ...").
    Condition,
}

fn word_reach(lexicon: &Lexicon, clause: &str, goal: &Match) -> Reach {
    let ahead = &clause[..goal.start()];
    if lexicon.goal_as_noun.is_match(ahead) || lexicon.goal_purpose.is_match(goal.as_str()) {
        Reach::Comma
    } else if lexicon.goal_in_clause.is_match(goal.as_str()) {
        if opens_clause(lexicon, ahead) {
            Reach::Frame
        } else {
            Reach::Clause
        }
    } else {
        Reach::List
    }
}

/// Whether a goal word after `ahead` opens its clause, alone or after a time ("Mục tiêu đến
/// năm 2030, ...", "Năm 2025, mục tiêu ..."): it then frames what follows. One in the
/// middle of a list of actions ("..., đảm bảo kịp thời, 07/07 xã ...") does not.
fn opens_clause(lexicon: &Lexicon, ahead: &str) -> bool {
    let words = |text: &str| text.chars().any(char::is_alphanumeric);
    let mut parts = ahead.split(',').filter(|part| words(part));
    match (parts.next(), parts.next()) {
        (None, _) => true,
        (Some(only), None) => {
            !words(&ahead[ahead.rfind(',').map_or(0, |at| at + 1)..])
                && lexicon
                    .period
                    .find(only)
                    .is_some_and(|m| !words(&only.replacen(m.as_str(), "", 1)))
        }
        _ => false,
    }
}

/// Whether the goal word `goal` of `clause` governs a figure at the clause's end: not when
/// a result or a consequence is stated between them, when it stands in a bracket closed
/// before the figure, when it is a figure's plan basis ("đạt 96% chỉ tiêu phấn đấu, giảm
/// 2%"), or when its reach ends between them.
fn reaches_end(lexicon: &Lexicon, clause: &str, goal: &Match, reach: Reach) -> bool {
    // The match holds the separators around the word: a comma right after it is between.
    let word_end = clause[..goal.end()].trim_end_matches(|c: char| !c.is_alphanumeric());
    let ahead = &clause[..goal.start()];
    let between = &clause[word_end.len()..];
    if lexicon.goal_reach_end.is_match(between) || leaves_brackets(between) {
        return false;
    }
    let is_basis = lexicon.goal_as_basis.captures(ahead).is_some_and(|caps| {
        caps.name("stretch")
            .is_none_or(|stretch| !lexicon.object_break.is_match(stretch.as_str()))
    });
    !is_basis
        && match reach {
            Reach::List | Reach::Frame => true,
            Reach::Clause => !leaves_clause(lexicon, between, false),
            Reach::Near => !leaves_clause(lexicon, between, true),
            Reach::Comma => clause_breaks(between).next().is_none(),
            Reach::Condition => {
                !leaves_clause(lexicon, between, false) || lexicon.consequence.is_match(between)
            }
        }
}

/// Whether `between` closes a bracket it did not open: the goal stood in a bracket and
/// governs only its figures ("So với mục tiêu (phấn đấu đạt 90%), tỷ lệ xã đạt chuẩn đạt
/// 92%, bằng 102,2% mục tiêu").
fn leaves_brackets(between: &str) -> bool {
    let mut depth = 0i32;
    between.chars().any(|c| {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        depth < 0
    })
}

/// Whether a comma in `text` (a clause up to a figure) opens a clause of its own before any
/// colon does: one that does not go on with the figures of the part before it ("..., tăng
/// 8%"); a part that opens with the figure itself ("..., 07/07 xã") is one. A colon opens
/// a list that belongs to its head, unless `colon_breaks`.
fn leaves_clause(lexicon: &Lexicon, text: &str, colon_breaks: bool) -> bool {
    for (at, mark) in clause_breaks(text) {
        if mark == ':' {
            return colon_breaks;
        }
        if !lexicon.measure_continues.is_match(&text[at + 1..]) {
            return true;
        }
    }
    false
}

/// The commas and colons of `text` that part clauses (not "8,5"), with their places.
fn clause_breaks(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    text.char_indices()
        .filter(move |&(at, c)| (c == ',' && !between_digits(text, at)) || c == ':')
}

/// Whether a goal word found in `text` stands free, not inside a phrase that only names
/// effort ("sự phấn đấu", "quyết tâm của").
fn not_exempt<'t>(lexicon: &Lexicon, text: &'t str) -> impl Fn(Match<'t>) -> bool {
    let exempt: Vec<Range<usize>> = lexicon
        .goal_exempt
        .find_iter(text)
        .map(|m| m.range())
        .collect();
    move |m| !exempt.iter().any(|e| overlaps(e, &m.range()))
}

/// "Năm 2021, huyện phấn đấu các chỉ tiêu chủ yếu như: ...; thu ngân sách tăng 10%": the
/// items of a list a goal opens before its colon are goals past the semicolons between
/// them, unless the opening reports results ("Kết quả thực hiện các chỉ tiêu ...:").
fn in_goal_list(lexicon: &Lexicon, window: &str, near_only: bool) -> bool {
    window.match_indices(':').any(|(colon, _)| {
        let head = &window[..=colon];
        let head = head.rfind(';').map_or(head, |i| &head[i + 1..]);
        window[colon..].contains(';')
            && opens_goal(lexicon, head, head.len(), near_only)
            && !lexicon.result_section.is_match(head)
    })
}

/// "Cụ thể, phấn đấu doanh thu tăng 6%; doanh thu dịch vụ tăng 12%": a goal verb before the
/// sentence's first figure governs the items its semicolons list (read only when `window`
/// holds the sentence from its start).
fn led_by_goal(lexicon: &Lexicon, window: &str) -> bool {
    let Some(first_end) = window.find(';') else {
        return false;
    };
    let first = &window[..first_end];
    // The goal must reach a figure of its own item: "Phấn đấu hoàn thành các chỉ tiêu,
    // huyện đã triển khai nhiều giải pháp; thu ngân sách đạt 48% dự toán" reports results.
    let Some(figure) = first_figure(first) else {
        return false;
    };
    let head = &first[..figure];
    lexicon
        .goal_lead
        .find_iter(head)
        .any(not_exempt(lexicon, head))
}

/// Where the first figure of `text` starts; a year ("Năm 2026, ...") is no figure.
fn first_figure(text: &str) -> Option<usize> {
    let mut rest = 0;
    while let Some(i) = text[rest..].find(|c: char| c.is_ascii_digit()) {
        let start = rest + i;
        let end = text[start..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(text.len(), |j| start + j);
        let run = &text[start..end];
        if !is_year(run) {
            return Some(start);
        }
        rest = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_is_no_first_figure() {
        let text = "Năm 2026, tỉnh đạt 8,5%";
        assert_eq!(first_figure(text), text.find('8'));
        assert_eq!(first_figure("tăng 2.327 tỷ"), "tăng 2.327 tỷ".find('2'));
        assert_eq!(first_figure("Năm 2026, tỉnh"), None);
    }

    #[test]
    fn decimal_commas_part_no_clauses() {
        let breaks: Vec<char> = clause_breaks("tăng 8,5%, đạt: 3").map(|(_, c)| c).collect();
        assert_eq!(breaks, [',', ':']);
    }
}
