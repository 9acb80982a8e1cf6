//! What a sentence's candidate measures are checked and settled with: their context
//! conditions and bases, the things they count, comparisons that open a clause, lists read
//! "respectively", lone targets, and the period a fact names.

use super::*;

/// A comparison that opens a sentence or a clause: "So với cùng kỳ năm trước, tổng mức bán
/// lẻ tăng 9,5%"; "...; so với cùng kỳ, số dự án tăng 25%"; or a list of items, before its
/// colon ("Kết quả của các đơn vị so với chỉ tiêu giao:" over "- Đơn vị A: đạt 142%").
#[derive(Clone)]
pub(super) struct LeadingComparison {
    pub(super) end: usize,
    pub(super) basis: String,
    /// The basis is a plan ("Nếu so với kế hoạch giao, ..."), not a period.
    pub(super) plan: bool,
}

impl LeadingComparison {
    /// Changes and relative levels that name no basis of their own are measured against
    /// a period; a share in % with none is a share of a plan ("đạt 22%" after "So với
    /// kế hoạch, ..."), and a plan share with none is a share of that plan.
    pub(super) fn lend_basis(&self, measures: &mut [Measure]) {
        for measure in measures {
            if measure.basis.is_some() {
                continue;
            }
            let lends = if self.plan {
                let share = measure.kind == Kind::Actual && measure.unit.as_deref() == Some("%");
                if share {
                    measure.kind = Kind::Plan;
                }
                measure.kind == Kind::Plan
            } else {
                matches!(measure.kind, Kind::Change | Kind::Relative)
            };
            if lends {
                measure.basis = Some(self.basis.clone());
            }
        }
    }
}

/// The plan a paragraph compares its list with before the colon that opens the list.
pub(super) fn list_lead_plan(lexicon: &Lexicon, paragraph: &str) -> Option<LeadingComparison> {
    let paragraph = paragraph.trim_end();
    // Only a paragraph that ends with a colon leads into a list: most are not asked.
    if !paragraph.ends_with(':') {
        return None;
    }
    let caps = lexicon.list_lead_plan.captures(paragraph)?;
    Some(LeadingComparison {
        end: 0,
        basis: collapse_spaces(caps.name("basis")?.as_str()),
        plan: true,
    })
}

/// The comparison that opens a clause, unless a rule already reads it as part of a measure
/// ("so với cùng kỳ giảm 5 vụ").
pub(super) fn leading_comparison(
    lexicon: &Lexicon,
    sentence: &str,
    clause: &Range<usize>,
    candidates: &[Candidate],
) -> Option<LeadingComparison> {
    let caps = lexicon
        .leading_comparison
        .captures(&sentence[clause.clone()])?;
    let end = clause.start + caps.get(0)?.end();
    if candidates.first().is_some_and(|c| c.span.start < end) {
        return None;
    }
    let plan = caps.name("plan");
    let basis = caps.name("basis").or(plan)?;
    Some(LeadingComparison {
        end,
        basis: collapse_spaces(basis.as_str()),
        plan: plan.is_some(),
    })
}

/// The words after "về" that follow a figure, up to a break or the next verb: "số doanh
/// nghiệp" in "tăng 15,07% về số doanh nghiệp và tăng 72,66% về số vốn".
pub(super) fn dimension_after(
    lexicon: &Lexicon,
    sentence: &str,
    from: usize,
) -> Option<Range<usize>> {
    let caps = lexicon.dimension.captures(window_after(sentence, from))?;
    let words = caps.get(1)?;
    Some(from + words.start()..from + words.end())
}

/// "12.000 con (trong đó trâu 5.000 con, bò 7.000 con), đạt 98% kế hoạch": figures after a
/// parenthesis that closes in the gap are those of the last fact begun before it opened.
pub(super) fn owner_before_paren(
    sentence: &str,
    gap: &Range<usize>,
    drafts: &[Draft],
) -> Option<usize> {
    let close = gap.start + first_unmatched(sentence[gap.clone()].char_indices(), '(', ')')?;
    let open = first_unmatched(sentence[..close].char_indices().rev(), ')', '(')?;
    drafts
        .iter()
        .rposition(|d| d.measures.first().is_some_and(|c| c.span.start < open))
}

/// Where the first `closer` without its `opener` stands, reading `chars` in their order.
pub(super) fn first_unmatched(
    chars: impl Iterator<Item = (usize, char)>,
    opener: char,
    closer: char,
) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in chars {
        if c == opener {
            depth += 1;
        } else if c == closer {
            if depth == 0 {
                return Some(i);
            }
            depth -= 1;
        }
    }
    None
}

/// A count after "trong đó" with a counted thing of its own is a part with a fact of its
/// own ("8,5 triệu lượt khách, trong đó 290 nghìn lượt khách quốc tế").
pub(super) fn names_a_part(lexicon: &Lexicon, gap: &str, candidate: &Candidate) -> bool {
    candidate.names_counted() && lexicon.part_of.is_match(gap)
}

/// "đào tạo 17.000 lao động và đưa được 9.925 lao động xuất cảnh": a counting verb with a
/// counted thing of its own after a fact that stands alone opens a fact of its own.
pub(super) fn counts_anew(drafts: &[Draft], candidate: &Candidate) -> bool {
    candidate.names_counted()
        && candidate.rule.object_indicator
        && drafts
            .last()
            .is_some_and(|d| d.measures.iter().any(|c| c.rule.standalone))
}

/// "xảy ra 14 vụ, bị thương 5 người, giảm 3 vụ, giảm 2 người chết so với cùng kỳ": a change
/// that names the thing it counts opens a fact of its own unless the current fact already
/// counts that thing (in the same unit, by the same words or in its name).
pub(super) fn counts_another_thing(
    sentence: &str,
    drafts: &[Draft],
    candidate: &Candidate,
) -> bool {
    if candidate.measure.kind != Kind::Change || !candidate.names_counted() {
        return false;
    }
    let (Some(unit), Some(end)) = (&candidate.unit, candidate.object_end) else {
        return false;
    };
    let thing = sentence[unit.end..end].trim();
    // A count that cannot stand alone ("làm chết 7 người, giảm 4 người tử vong ...") keeps
    // the change that gives it its fact.
    let Some(current) = drafts
        .last()
        .filter(|d| d.measures.iter().any(|c| c.rule.standalone))
    else {
        return false;
    };
    let named = sentence[current.region.clone()].contains(thing);
    !current.measures.iter().any(|c| {
        let object = c
            .unit
            .as_ref()
            .zip(c.object_end)
            .map(|(u, e)| sentence[u.end..e].trim());
        c.measure.unit == candidate.measure.unit && object.map_or(named, |o| o == thing)
    })
}

/// Whether a rule's context conditions hold around a match.
pub(super) fn context_allows(rule: &MeasureRule, sentence: &str, span: &Range<usize>) -> bool {
    let before = window_before(sentence, span.start);
    let after = window_after(sentence, span.end);
    rule.before.as_ref().is_none_or(|r| r.is_match(before))
        && rule.not_before.as_ref().is_none_or(|r| !r.is_match(before))
        && rule.after.as_ref().is_none_or(|r| r.is_match(after))
        && rule.not_after.as_ref().is_none_or(|r| !r.is_match(after))
}

/// The comparison a rule reads in its context rather than in its match: a `basis` group of
/// `after` or `before` ("tăng 2.160 người| (4,1%) so với năm 2022": the comparison after
/// the bracket is the change's too, though the bracket's rate is a match of its own).
pub(super) fn context_basis(
    rule: &MeasureRule,
    sentence: &str,
    span: &Range<usize>,
) -> Option<String> {
    let read = |pattern: Option<&Pattern>, text: &str| {
        let engine = pattern?.engine();
        let basis = engine.captures_leftmost(text)?.get_group_by_name("basis")?;
        Some(collapse_spaces(&text[basis.range()]))
    };
    read(rule.after.as_ref(), window_after(sentence, span.end))
        .or_else(|| read(rule.before.as_ref(), window_before(sentence, span.start)))
}

pub(super) fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Where the counted thing after a count unit ends ("158.727 lượt khách|, tăng"). Strictly,
/// at the first stop word; `to_break`, at the next punctuation or figure.
pub(super) fn object_end(
    lexicon: &Lexicon,
    sentence: &str,
    from: usize,
    to_break: bool,
) -> Option<usize> {
    let rest = window_after(sentence, from);
    let stop = if to_break {
        &lexicon.object_break
    } else {
        &lexicon.object_stop
    };
    let limit = stop.find(rest).map_or(rest.len(), |m| m.start());
    let max_words = if to_break {
        MAX_TAIL_WORDS
    } else {
        MAX_OBJECT_WORDS
    };
    let (mut end, mut words, mut in_word) = (0, 0, false);
    for (i, c) in rest[..limit].char_indices() {
        if c.is_whitespace() {
            in_word = false;
            continue;
        }
        if !in_word {
            words += 1;
            if words > max_words {
                break;
            }
            in_word = true;
        }
        end = i + c.len_utf8();
    }
    rest[..end]
        .chars()
        .any(char::is_alphabetic)
        .then_some(from + end)
}

/// A change counted in things ("tăng 3 dự án") belongs to the indicator that counts those
/// things: an earlier fact of the clause when the current one has no amount in that unit
/// ("thu hút 15 dự án ..., tổng vốn đăng ký 4.560 tỷ đồng, tăng 3 dự án so với cùng kỳ").
pub(super) fn unit_owner(drafts: &[Draft], candidate: &Candidate) -> Option<usize> {
    let unit = candidate
        .measure
        .unit
        .as_deref()
        .filter(|_| candidate.counts)?;
    let counts_in = |draft: &Draft| {
        draft
            .measures
            .iter()
            .any(|c| c.measure.kind != Kind::Change && c.measure.unit.as_deref() == Some(unit))
    };
    let current = drafts.len().checked_sub(1)?;
    if candidate.measure.kind != Kind::Change || counts_in(&drafts[current]) {
        return None;
    }
    (current.saturating_sub(MAX_OWNER_LOOKBACK)..current)
        .rev()
        .find(|&i| counts_in(&drafts[i]))
}

/// "Doanh thu đạt 1.240 tỷ đồng, lợi nhuận đạt 86 tỷ đồng, lần lượt tăng 11% và 17%": changes
/// stated respectively after facts of their own close a fact; they go back, in order, one
/// to each of the facts that end the list there (the fact keeps the last change). Only
/// when each of those facts has a figure of its own and no change yet, and the fact has a
/// figure besides its changes ("Doanh thu và lợi nhuận lần lượt tăng ..." is one fact). The
/// list need not end the sentence ("..., tương ứng mức xuất siêu đạt 4,3 tỷ USD").
pub(super) fn give_back_respectively(lexicon: &Lexicon, sentence: &str, drafts: &mut [Draft]) {
    for at in 0..drafts.len() {
        give_back_to_list_before(lexicon, sentence, &mut drafts[..=at]);
    }
}

/// The same for the list that ends with the last of `drafts`.
fn give_back_to_list_before(lexicon: &Lexicon, sentence: &str, drafts: &mut [Draft]) {
    let n = drafts.len();
    let Some(last) = drafts.last() else {
        return;
    };
    let len = last.measures.len();
    let k = last
        .measures
        .iter()
        .rev()
        .take_while(|c| c.measure.kind == Kind::Change)
        .count();
    if k < 2 || k >= len || n < k {
        return;
    }
    if last.measures[..len - k]
        .iter()
        .any(|c| c.measure.kind == Kind::Change)
    {
        return;
    }
    let first = &last.measures[len - k];
    let from = last.measures[len - k - 1].span.end.min(first.span.start);
    if !lexicon
        .respectively
        .is_match(&sentence[from..first.span.end])
    {
        return;
    }
    let takers = &drafts[n - k..n - 1];
    if takers
        .iter()
        .any(|d| d.measures.is_empty() || d.measures.iter().any(|c| c.measure.kind == Kind::Change))
    {
        return;
    }
    let mut moved: Vec<_> = drafts[n - 1].measures.drain(len - k..).collect();
    let own = moved.pop();
    // The comparison written once after the list is each change's ("lần lượt 2,27% và
    // 6,91% so với năm 2019").
    let shared_basis = own.as_ref().and_then(|c| c.measure.basis.clone());
    for (draft, mut change) in drafts[n - k..n - 1].iter_mut().zip(moved) {
        if change.measure.basis.is_none() {
            change.measure.basis.clone_from(&shared_basis);
        }
        draft.measures.push(change);
    }
    drafts[n - 1].measures.extend(own);
}

/// A fact of planned amounts only ("Tổng kế hoạch vốn giao là X, giải ngân Y, đạt Z%")
/// describes the indicator that follows it in the clause.
pub(super) fn merge_lone_targets(drafts: Vec<Draft>) -> Vec<Draft> {
    let mut out: Vec<Draft> = Vec::new();
    let mut pending: Option<Draft> = None;
    for mut draft in drafts {
        if let Some(targets) = pending.take() {
            let mut measures = targets.measures;
            measures.append(&mut draft.measures);
            draft.measures = measures;
        }
        if draft
            .measures
            .iter()
            .all(|c| c.measure.kind == Kind::Target)
        {
            pending = Some(draft);
        } else {
            out.push(draft);
        }
    }
    out.extend(pending);
    out
}

/// The first period phrase outside the fact's figures (comparisons name other periods).
pub(super) fn period_of(lexicon: &Lexicon, sentence: &str, draft: &Draft) -> Option<String> {
    let mut cursor = draft.region.start;
    for candidate in &draft.measures {
        let gap = &sentence[cursor.min(candidate.span.start)..candidate.span.start];
        if let Some(m) = lexicon.period.find(gap) {
            return Some(collapse_spaces(trim_edges(m.as_str())));
        }
        cursor = candidate.span.end;
    }
    None
}
