//! Rules applied to blocks -> [`Fact`]s.
//!
//! For each sentence of a block, every measure rule proposes matches; overlapping proposals
//! are settled by priority (a plan phrase outranks the bare amount inside it); goals,
//! directives and conditions are dropped. The survivors are grouped into facts: a figure
//! joins the previous one's fact unless the words between them name a new indicator, and
//! `;` always starts a new fact. The indicator is the phrase before a fact's first figure,
//! cleaned of connectives, verbs and period phrases (all word lists from `patterns/`).
//! Implements "Measure kinds", "Hard cases" and "Indicator" of `spec/facts.md`.

mod arithmetic;
mod drafts;
mod goal;
mod indicator;
pub(crate) mod matching;
mod split;

use std::collections::BTreeMap;
use std::ops::Range;

use crate::fact::{Fact, Kind, Measure};
use crate::layout::{Block, Layout};
use crate::normalize::Document;
use crate::number;
use crate::rules::{Lexicon, MeasureRule, Pattern, Rules, SharedBasis};
use crate::words::{collapse_spaces, starts_with_bullet};
use drafts::*;
use goal::{is_goal, share_reached};
use indicator::{has_content, indicator_range, names_no_indicator};
use matching::{
    captures_at, figure_windows, whole_word_matches, window_after, window_before, Groups,
};
pub use split::trim_edges;
use split::*;

/// Counted things after a figure are at most this many words ("lượt khách du lịch quốc tế").
const MAX_OBJECT_WORDS: usize = 5;

/// How many earlier facts of a clause a counted change may go back to for its owner.
const MAX_OWNER_LOOKBACK: usize = 8;

/// A section title this short can name the indicator of a sentence that names none.
const MAX_TITLE_INDICATOR_WORDS: usize = 8;

/// Words that name what a plan is of, after its basis, at least ("kế hoạch| doanh thu"; a
/// lone word left there is a basis's own, cut off: "chỉ tiêu giao| quân").
const MIN_PLAN_OF_WORDS: usize = 2;

/// Words describing a counted thing up to the next break are at most this many.
const MAX_TAIL_WORDS: usize = 12;

/// A measure proposed by one rule, with where it stands in its sentence.
#[derive(Debug, Clone)]
struct Candidate<'r> {
    span: Range<usize>,
    value_at: usize,
    unit: Option<Range<usize>>,
    /// End of the counted thing after a count unit ("lượt khách").
    object_end: Option<usize>,
    /// Where the noun phrase after an amount stops: the next break ("14 lượt kiểm tra về
    /// an toàn thực phẩm|, tăng 06 lượt"; "2.150 tỷ đồng vốn đầu tư công|, đạt"); it
    /// belongs to no other indicator.
    tail_end: usize,
    /// The unit counts things (lượt, người, hộ ...).
    counts: bool,
    /// Where the words the rule keeps for the indicator start (its verb: "đã bán| 40
    /// triệu tấn than").
    kept_from: Option<usize>,
    rule: &'r MeasureRule,
    measure: Measure,
}

impl Candidate<'_> {
    /// A count unit followed by the thing counted ("9.925 lao động| xuất cảnh").
    fn names_counted(&self) -> bool {
        let unit_end = self.unit.as_ref().map(|unit| unit.end);
        self.counts && unit_end.is_some_and(|u| self.object_end.is_some_and(|end| end > u))
    }
}

/// Figures of one indicator, before it becomes a [`Fact`].
struct Draft<'r> {
    region: Range<usize>,
    /// Words after the first figure that name it ("tăng 15,07% về số doanh nghiệp").
    named_after: Option<Range<usize>>,
    measures: Vec<Candidate<'r>>,
}

/// Extract the facts of a document laid out into blocks. `report_year` is the year the
/// report covers (from its title): figures for a later year are plans, not results.
pub fn extract(
    doc: &Document,
    layout: &Layout,
    rules: &Rules,
    report_year: Option<u32>,
) -> Vec<Fact> {
    let mut facts = Vec::new();
    let mut list_lead: Option<LeadingComparison> = None;
    for block in &layout.blocks {
        let text = &layout.masked[block.range.clone()];
        // A lead-in holds over the bullets right after it.
        let lead = list_lead.take().filter(|_| starts_with_bullet(text));
        list_lead = lead
            .clone()
            .or_else(|| list_lead_plan(&rules.lexicon, text));
        // Every measure has a figure: blocks without one are not read at all.
        if !text.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        let reader = BlockReader {
            doc,
            layout,
            rules,
            block,
            section: layout.path(block.section),
            report_year,
        };
        let first = facts.len();
        reader.read(&mut facts);
        if let Some(lead) = &lead {
            for fact in &mut facts[first..] {
                lead.lend_basis(&mut fact.measures);
            }
        }
    }
    if let Some(year) = report_year {
        facts.retain(|fact| {
            !fact
                .period
                .as_deref()
                .is_some_and(|period| is_later_year(rules, period, year))
                && !compared_with_year(&rules.lexicon, fact, year)
        });
    }
    facts
}

/// Whether a fact's period is a whole year (or years) after the report's: a plan. A month,
/// quarter or day of a later year is data the report had by the time it was written
/// ("Đến tháng 01/2025, giải ngân kế hoạch vốn năm 2024 đạt 97%" in a report on 2024).
fn is_later_year(rules: &Rules, period: &str, report_year: u32) -> bool {
    // The year first: most periods are the report's own, and reading the phrase's shape
    // takes the calendar's patterns.
    let whole_years = || {
        let found = rules.calendar.find_all(period);
        found
            .first()
            .is_none_or(|found| found.span.months.is_none())
    };
    start_year_of(period).is_some_and(|start| start > report_year)
        && !rules.calendar.is_dated(period)
        && whole_years()
}

/// A fact compared with the whole of the report's own year or a later one ("tăng 6,5% so
/// với năm 2025" in a report on 2025) states a figure for a later year: a plan.
fn compared_with_year(lexicon: &Lexicon, fact: &Fact, report_year: u32) -> bool {
    fact.measures.iter().any(|m| {
        matches!(m.kind, Kind::Change | Kind::Relative)
            && m.basis
                .as_deref()
                .and_then(|basis| lexicon.whole_year.captures(basis))
                .and_then(|caps| caps.name("year")?.as_str().parse::<u32>().ok())
                .is_some_and(|year| year >= report_year)
    })
}

/// The year a period phrase starts in: a stretch that began by the report's year
/// ("vụ Đông Xuân 2023-2024", "năm học 2023-2024" in a 2023 report) is under way, not planned.
fn start_year_of(period: &str) -> Option<u32> {
    years(period).min()
}

/// The four-digit year in a period phrase ("6 tháng đầu năm 2025" -> 2025).
pub fn year_of(period: &str) -> Option<u32> {
    years(period).last()
}

/// The four-digit years (19xx, 20xx) written in a period phrase, in order.
fn years(period: &str) -> impl Iterator<Item = u32> + '_ {
    crate::words::years(period).filter_map(|t| t.parse().ok())
}

/// Whether a block stands in a section of tasks, and of which kind.
#[derive(Clone, Copy, PartialEq)]
enum GoalSection {
    None,
    /// Headed by a plan's name: tasks, or a topic reported on.
    Topic,
    /// Tasks, directives or forecasts whatever their sentences say, for the years (first,
    /// last) its heading names, or else the nearest heading above it that names any.
    Firm(Option<(u32, u32)>),
}

struct BlockReader<'a> {
    doc: &'a Document,
    layout: &'a Layout,
    rules: &'a Rules,
    block: &'a Block,
    /// The block's section path, built once for all its facts.
    section: Vec<String>,
    /// The year the report covers, from its title.
    report_year: Option<u32>,
}

impl<'a> BlockReader<'a> {
    fn text(&self) -> &'a str {
        &self.layout.masked[self.block.range.clone()]
    }

    fn read(&self, facts: &mut Vec<Fact>) {
        let text = self.text();
        let goal_section = self.goal_section();
        let first_fact = facts.len();
        let mut last_indicator: Option<String> = None;
        for sentence in sentences(text) {
            let sentence_text = &text[sentence.clone()];
            if !sentence_text.bytes().any(|b| b.is_ascii_digit()) {
                continue;
            }
            let mut candidates = self.candidates(sentence_text);
            // A section of tasks states no results. One headed by a plan's name may be a
            // topic ("2. Kế hoạch phát triển nông nghiệp"): a sentence in it that says a
            // share of the plan was reached reports on it. In one of tasks, only a share
            // said to be reached so far ("năm 2024 giải ngân mới đạt 78% kế hoạch, do đó
            // ..."), not a target listed with "đạt", and only in its own `;` part: the
            // parts after it may list tasks again. Goal words still hold there.
            match goal_section {
                GoalSection::None => {}
                GoalSection::Topic => {
                    if !self.states_share_reached(sentence_text, &candidates) {
                        candidates.clear();
                    }
                }
                GoalSection::Firm(years) => {
                    self.keep_results_so_far(sentence_text, &mut candidates, years);
                }
            }
            if candidates.is_empty() {
                continue;
            }
            let continues = sentence_text.trim_start().starts_with('(') && facts.len() > first_fact;
            self.read_sentence(
                sentence.start,
                sentence_text,
                candidates,
                continues,
                &mut last_indicator,
                facts,
            );
        }
    }

    /// Whether the sentence says a share of a plan was reached.
    fn states_share_reached(&self, sentence: &str, candidates: &[Candidate]) -> bool {
        let lexicon = &self.rules.lexicon;
        candidates
            .iter()
            .any(|c| share_reached(lexicon, c.measure.kind, &sentence[..c.value_at]))
    }

    /// Keeps the `;` parts of a sentence that say a share of a plan was reached, with words
    /// that end a goal's reach before it ("đã", "đến nay", "mới đạt"), or in a part about a
    /// term before the section's ("Năm 2024, giải ngân đạt 96% kế hoạch; năm 2025 phấn đấu
    /// ..." under tasks for 2025; "nhiệm kỳ qua ... vượt 18% dự toán"): results, not targets.
    fn keep_results_so_far(
        &self,
        sentence: &str,
        candidates: &mut Vec<Candidate>,
        section_years: Option<(u32, u32)>,
    ) {
        let lexicon = &self.rules.lexicon;
        let parts = clauses(sentence);
        // A figure is never a `;`: the first part that ends after it holds it.
        let part_of = |c: &Candidate| parts.partition_point(|part| part.end <= c.value_at);
        let mut reached = vec![false; parts.len()];
        for c in candidates.iter() {
            let at = part_of(c);
            let before = &sentence[..c.value_at];
            let part = &sentence[parts[at].start..c.value_at];
            let earlier = || {
                lexicon.past_term.is_match(part)
                    || section_years.is_some_and(|years| self.names_earlier_term(part, years))
            };
            reached[at] |= match c.measure.kind {
                Kind::Exceed => earlier(),
                kind => {
                    share_reached(lexicon, kind, before)
                        && (lexicon.goal_reach_end.is_match(part) || earlier())
                }
            };
        }
        candidates.retain(|c| reached[part_of(c)]);
    }

    /// Whether a clause names a period that ends before a section's years start, or a term
    /// that ends as the section's starts ("nhiệm kỳ 2020-2025" under "nhiệm kỳ 2025-2030").
    fn names_earlier_term(&self, clause: &str, (first, last): (u32, u32)) -> bool {
        self.rules
            .calendar
            .find_all(clause)
            .iter()
            .filter_map(|found| found.span.years)
            .any(|(start, end)| end < first || (first < last && start < first && end == first))
    }

    /// What a share of a plan is of, written after its basis ("kế hoạch| doanh thu"), when
    /// the name before it is only a subject, an organisation or nothing; not where the words
    /// there qualify the plan or are a lone word a basis cut off.
    fn plan_object(
        &self,
        sentence: &str,
        candidate: &Candidate,
        name_before: &str,
        only_subject: bool,
    ) -> Option<Range<usize>> {
        let lexicon = &self.rules.lexicon;
        // Cheapest first: most facts are no plan with words after it, and the body names
        // are many.
        if candidate.measure.kind != Kind::Plan || candidate.tail_end <= candidate.span.end {
            return None;
        }
        if !only_subject && !self.names_nothing_of_its_own(name_before) {
            return None;
        }
        let range = self.before_period(sentence, candidate.span.end..candidate.tail_end);
        let words = &sentence[range.clone()];
        (words.split_whitespace().count() >= MIN_PLAN_OF_WORDS
            && has_content(lexicon, words)
            && !lexicon.plan_of_qualifier.is_match(words))
        .then_some(range)
    }

    /// The thing an amount after a kept verb measures, written after its unit ("HPG đã bán
    /// 491.000 tấn| thép"), when the name before the verb is only a subject, an
    /// organisation or nothing: the verb would name a deed, not the thing measured.
    fn verb_object(
        &self,
        sentence: &str,
        candidate: &Candidate,
        name_start: usize,
    ) -> Option<Range<usize>> {
        let lexicon = &self.rules.lexicon;
        let (Some(kept_from), Some(unit)) = (candidate.kept_from, &candidate.unit) else {
            return None;
        };
        if candidate.measure.kind != Kind::Actual || candidate.counts {
            return None;
        }
        let end = object_end(lexicon, sentence, unit.end, false)?;
        let name_before = indicator_range(lexicon, sentence, name_start.min(kept_from)..kept_from);
        let name_before = &sentence[name_before];
        let weak_name = lexicon.only_subject.is_match(name_before)
            || self.names_nothing_of_its_own(name_before);
        let range = self.before_period(sentence, unit.end..end);
        (weak_name && has_content(lexicon, &sentence[range.clone()])).then_some(range)
    }

    /// "Tổng công ty đạt| doanh thu hợp nhất": a name whose words before a verb of reaching
    /// are only a subject or an organisation starts at the indicator's head after the verb.
    fn past_subject(&self, sentence: &str, named: Range<usize>) -> Range<usize> {
        let lexicon = &self.rules.lexicon;
        let text = &sentence[named.clone()];
        let Some(verb) = lexicon
            .subject_reaches
            .captures(text)
            .and_then(|caps| caps.name("verb").map(|verb| verb.range()))
        else {
            return named;
        };
        let before = &text[..verb.start];
        if !(lexicon.only_subject.is_match(before) || self.names_nothing_of_its_own(before)) {
            return named;
        }
        let head = text[verb.end..].len() - text[verb.end..].trim_start().len();
        named.start + verb.end + head..named.end
    }

    /// Whether a name before a figure is no indicator's: nothing, a word or two with no
    /// indicator head, or an organisation ("Công ty", "Tổng công ty Điện lực ...").
    fn names_nothing_of_its_own(&self, name: &str) -> bool {
        names_no_indicator(&self.rules.lexicon, name)
            || crate::document::names_a_body(name, self.rules)
    }

    /// A name's words up to the period they close with ("thu ngân sách| năm 2024").
    fn before_period(&self, sentence: &str, words: Range<usize>) -> Range<usize> {
        // The tail stops at the period's figure: read on past it to find the period.
        let found = self.rules.calendar.find_all(&sentence[words.start..]);
        let end = found
            .first()
            .map(|f| words.start + f.start)
            .filter(|&at| at < words.end)
            .unwrap_or(words.end);
        words.start..end
    }

    /// The title of the block's section, for a sentence that names no indicator under a
    /// heading that does ("3. Thu ngân sách" / "Đạt 52% dự toán."). Long titles are topics.
    fn section_title(&self) -> Option<String> {
        let title = &self.layout.sections[self.block.section?].title;
        let title = title.trim_matches(|c: char| !c.is_alphanumeric() && c != ')');
        let words = title.split_whitespace().count();
        (words > 0 && words <= MAX_TITLE_INDICATOR_WORDS).then(|| collapse_spaces(title))
    }

    fn goal_section(&self) -> GoalSection {
        let lexicon = &self.rules.lexicon;
        // A heading inside a results part reports results too: "I. ĐÁNH GIÁ KẾT QUẢ THỰC
        // HIỆN KẾ HOẠCH 5 NĂM" / "1. Các chỉ tiêu chủ yếu" / "Có 18/21 chỉ tiêu đạt ...".
        let mut under_result = false;
        // "8. Thu ngân sách ... đạt 104,2% kế hoạch năm": a numbered item that states a
        // share of its plan reports a result; its plan words open no section of tasks.
        let opens = |pattern: &Pattern, heading: &str| {
            pattern
                .find_iter(heading)
                .any(|m| !heading[..m.start()].trim_end().ends_with('%'))
        };
        let mut found = GoalSection::None;
        // The years the path names down to a heading: a section of tasks that names none
        // is for those of its parent ("II. KẾ HOẠCH KINH DOANH NĂM 2025" / "2. Giải pháp").
        let mut path_years = None;
        for heading in &self.section {
            let years = years(heading).min().zip(years(heading).max());
            path_years = years.or(path_years);
            // A title of both halves ("TỔNG KẾT NĂM HỌC 2023-2024, PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM
            // HỌC 2024-2025", "Kết quả năm 2025 và nhiệm vụ năm 2026" in a report on 2025:
            // results, and a year to come) leaves each of its parts to say what it holds.
            let after_report = |year: u32| self.report_year.is_some_and(|report| year > report);
            let names_coming_year = years.is_some_and(|(_, last)| after_report(last));
            let both_halves = lexicon.direction.is_match(heading) || names_coming_year;
            if lexicon.result_section.is_match(heading) && !both_halves {
                under_result = true;
            }
            if under_result || !opens(&lexicon.goal_section, heading) {
                continue;
            }
            // A plan's name over a later year than the report's ("III. NHIỆM VỤ NĂM 2025",
            // "2. Kế hoạch năm 2025" in a report on 2024) heads its tasks, not a topic.
            let later = years.is_some_and(|(first, _)| after_report(first));
            if later || opens(&lexicon.goal_section_firm, heading) {
                return GoalSection::Firm(path_years);
            }
            found = GoalSection::Topic;
        }
        found
    }

    /// Every rule's matches in a sentence, overlaps settled, goals dropped, in text order.
    fn candidates(&self, sentence: &str) -> Vec<Candidate<'a>> {
        // Matches first (cheap), overlaps settled by priority, captures for the winners only.
        let mut found: Vec<(&'a MeasureRule, Range<usize>)> = Vec::new();
        for window in figure_windows(sentence) {
            let near = self
                .rules
                .screen
                .rules_near_figures(&sentence[..window.end], window.clone());
            for (index, rule) in self
                .rules
                .measures
                .iter()
                .enumerate()
                .filter(|(i, _)| near.may_match(*i))
            {
                let starts = near.starts(index);
                let spans =
                    whole_word_matches(rule.regex.engine(), sentence, window.clone(), starts);
                found.extend(spans.into_iter().map(|span| (rule, span)));
            }
        }
        found.sort_by(|(a, a_span), (b, b_span)| {
            (b.priority, b_span.len(), a_span.start).cmp(&(a.priority, a_span.len(), b_span.start))
        });
        // Kept spans do not overlap, so the one starting last before a span's end is the
        // only one that can overlap it: a map keyed by start answers in log time. A match
        // is kept if its context allows it; asked only of one that no kept match overlaps
        // (what a match its context refuses could not have blocked anyway).
        let mut kept: BTreeMap<usize, (&'a MeasureRule, Range<usize>)> = BTreeMap::new();
        for (rule, span) in found {
            let clashes = kept
                .range(..span.end)
                .next_back()
                .is_some_and(|(_, (_, k))| overlaps(k, &span));
            if !clashes
                && context_allows(rule, sentence, &span)
                && !is_goal(&self.rules.lexicon, rule, sentence, &span)
            {
                kept.insert(span.start, (rule, span));
            }
        }
        kept.into_values()
            .filter_map(|(rule, span)| {
                let caps = captures_at(rule.regex.engine(), sentence, &span)?;
                self.candidate(rule, &caps, sentence)
            })
            .collect()
    }

    fn candidate(
        &self,
        rule: &'a MeasureRule,
        caps: &Groups,
        sentence: &str,
    ) -> Option<Candidate<'a>> {
        let whole = caps.whole();
        let value = caps.name("value")?;
        let unit = caps.name("unit").or_else(|| caps.name("unit_total"));
        let mut measure = self.measure(rule, caps, unit.map(|u| u.as_str()))?;
        if measure.basis.is_none() {
            measure.basis = context_basis(rule, sentence, &whole.range());
        }
        let counts = unit.is_some_and(|u| self.rules.is_count_unit(u.as_str()));
        let lexicon = &self.rules.lexicon;
        // A counted change names its thing up to the next break ("giảm 560 người bị
        // thương (-27,4%)"); its rule may run past the thing to its comparison ("giảm 2
        // người chết so với cùng kỳ"): then the thing is the words right after the unit.
        let object = counts
            .then(|| {
                object_end(lexicon, sentence, whole.end(), false).or_else(|| {
                    let unit = unit.filter(|_| rule.kind == Kind::Change)?;
                    let from = unit.end().min(whole.end());
                    object_end(lexicon, sentence, from, true)
                        .filter(|&end| from == whole.end() || end <= whole.end())
                })
            })
            .flatten();
        let tail_end = unit
            .and_then(|_| object_end(lexicon, sentence, whole.end(), true))
            .unwrap_or(whole.end());
        // Words a rule keeps for the indicator ("giải ngân" in "giải ngân được 45%").
        let kept = caps.name("keep");
        let start = kept.map_or(whole.start(), |k| k.end());
        Some(Candidate {
            span: start..whole.end(),
            value_at: value.start(),
            unit: unit.map(|u| u.range()),
            object_end: object,
            tail_end,
            counts,
            kept_from: kept.map(|k| k.start()),
            rule,
            measure,
        })
    }

    fn measure(&self, rule: &MeasureRule, caps: &Groups, unit: Option<&str>) -> Option<Measure> {
        let decimal = number::parse(caps.name("value")?.as_str())?;
        let sign = if caps.name("down").is_some() {
            -1.0
        } else {
            1.0
        };
        let parse = |name: &str| caps.name(name).and_then(|m| number::parse(m.as_str()));
        let (unit_name, unit_info) = match unit {
            Some(written) => {
                let (name, info) = self.rules.unit(written);
                (Some(name), info)
            }
            None => (None, None),
        };
        let factor = unit_info.and_then(|u| u.vnd);
        let vnd = factor
            .and_then(|factor| decimal.times_wide(factor))
            .map(|v| v as f64);
        // "888 tỷ 124 triệu đồng": the next scale down, in thousandths of the unit.
        let thousandths = parse("thousandths").map(|t| t.to_f64() / 1000.0);
        let vnd = match (thousandths, factor) {
            (Some(part), Some(factor)) => vnd.map(|v| v + (part * factor as f64).round()),
            _ => vnd,
        };
        Some(Measure {
            kind: rule.kind,
            value: sign * (decimal.to_f64() + thousandths.unwrap_or(0.0)),
            value_max: parse("value_max").map(|d| sign * d.to_f64()),
            total: parse("total").map(number::Decimal::to_f64),
            unit: unit_name,
            basis: caps.name("basis").map(|m| collapse_spaces(m.as_str())),
            qualifier: caps
                .name("qualifier")
                .map(|m| collapse_spaces(m.as_str()).to_lowercase()),
            vnd,
            line: 0,
            rule: rule.id.clone(),
        })
    }

    fn read_sentence(
        &self,
        offset: usize,
        sentence: &str,
        candidates: Vec<Candidate<'a>>,
        continues: bool,
        last_indicator: &mut Option<String>,
        facts: &mut Vec<Fact>,
    ) {
        let mut period: Option<String> = None;
        let mut first = true;
        let sentence_facts = facts.len();
        let mut candidates = candidates.into_iter().peekable();
        for clause in clauses(sentence) {
            let mut in_clause = Vec::new();
            while let Some(candidate) = candidates.next_if(|c| c.span.start < clause.end) {
                in_clause.push(candidate);
            }
            // The opening comparison names neither the indicator nor the period.
            let lead = leading_comparison(&self.rules.lexicon, sentence, &clause, &in_clause);
            let clause_start = lead.as_ref().map_or(clause.start, |l| l.end);
            for draft in self.drafts(sentence, clause_start, in_clause) {
                let draft_standalone = draft.measures.iter().any(|c| c.rule.standalone);
                let mut fact = self.fact(offset, sentence, &draft, !first);
                if let Some(lead) = &lead {
                    lead.lend_basis(&mut fact.measures);
                }
                if fact.period.is_none() {
                    fact.period.clone_from(&period);
                }
                period.clone_from(&fact.period);
                if fact.indicator.is_empty() {
                    if first && continues {
                        if let Some(previous) = facts.last_mut() {
                            self.merge(previous, fact);
                            first = false;
                            continue;
                        }
                    }
                    fact.indicator = last_indicator
                        .clone()
                        .or_else(|| self.section_title())
                        .unwrap_or_default();
                }
                first = false;
                if draft_standalone {
                    *last_indicator = Some(fact.indicator.clone());
                    facts.push(fact);
                }
            }
        }
        self.share_bases(&mut facts[sentence_facts..]);
        let unnamed_basis = self.rules.computed_share_basis.as_deref();
        arithmetic::shares_of_stated_plan(&mut facts[sentence_facts..], unnamed_basis);
    }

    /// Measures of a list whose comparison is written once ("shared_basis" rules) take it
    /// from the nearest measure of their kind that states one, before or after them in the
    /// sentence's facts.
    fn share_bases(&self, facts: &mut [Fact]) {
        let slots: Vec<(usize, usize)> = facts
            .iter()
            .enumerate()
            .flat_map(|(f, fact)| (0..fact.measures.len()).map(move |m| (f, m)))
            .collect();
        for (at, &(f, m)) in slots.iter().enumerate() {
            let measure = &facts[f].measures[m];
            if measure.basis.is_some() {
                continue;
            }
            let Some(from) = self.rules.shared_basis(&measure.rule) else {
                continue;
            };
            let kind = measure.kind;
            let stated = |&&(g, n): &&(usize, usize)| {
                let other = &facts[g].measures[n];
                (other.kind == kind && other.basis.is_some()).then(|| other.basis.clone())
            };
            let basis = match from {
                SharedBasis::Before => slots[..at].iter().rev().find_map(|s| stated(&s)),
                SharedBasis::After => slots[at + 1..].iter().find_map(|s| stated(&s)),
            };
            facts[f].measures[m].basis = basis.flatten();
        }
    }

    /// Group a clause's figures by indicator.
    fn drafts(
        &self,
        sentence: &str,
        clause_start: usize,
        candidates: Vec<Candidate<'a>>,
    ) -> Vec<Draft<'a>> {
        let lexicon = &self.rules.lexicon;
        let mut drafts: Vec<Draft> = Vec::new();
        let mut cursor = clause_start;
        // The default owner of a figure that names nothing new: the last draft, or the one
        // before a parenthesis that closed since.
        let mut current = 0;
        for candidate in candidates {
            let region = cursor.min(candidate.span.start)..candidate.span.start;
            cursor = candidate.tail_end;
            let gap = &sentence[region.clone()];
            let gap_names = has_content(lexicon, gap);
            // "tăng 15,07% về số doanh nghiệp": with nothing named before it, the words after
            // "về" name the figure. An amount that cannot stand alone ("với số vốn 150,3 nghìn
            // tỷ đồng, tăng ...") keeps the figures after it.
            let lone_before = drafts
                .last()
                .is_some_and(|d: &Draft| d.measures.iter().all(|c| !c.rule.standalone));
            // "tăng 8,5% về tấn và 9,1% về tấn.km": a unit after "về" says how the figure
            // is counted, not what it measures; the name stays the one before.
            let dimension = (!gap_names && !lone_before)
                .then(|| dimension_after(lexicon, sentence, candidate.span.end))
                .flatten()
                .filter(|d| self.rules.unit(&sentence[d.clone()]).1.is_none());
            if let Some(dimension) = dimension {
                cursor = dimension.end;
                drafts.push(Draft {
                    region,
                    named_after: Some(dimension),
                    measures: vec![candidate],
                });
                current = drafts.len() - 1;
                continue;
            }
            // Words between figures start a new fact when they name something new, or
            // another period ("tháng 10 đạt 120 triệu USD, lũy kế 10 tháng đạt 1.150 ...").
            let continues = !drafts.is_empty()
                && !gap_names
                && !lexicon.new_period.is_match(gap)
                && !names_a_part(lexicon, gap, &candidate)
                && !counts_anew(&drafts, &candidate)
                && !counts_another_thing(sentence, &drafts, &candidate);
            if !continues {
                drafts.push(Draft {
                    region,
                    named_after: None,
                    measures: vec![candidate],
                });
                current = drafts.len() - 1;
                continue;
            }
            let before_paren = owner_before_paren(sentence, &region, &drafts);
            if let Some(owner) = before_paren {
                current = owner;
            }
            let owner = before_paren
                .or_else(|| unit_owner(&drafts, &candidate))
                .unwrap_or(current);
            drafts[owner].measures.push(candidate);
        }
        give_back_respectively(lexicon, sentence, &mut drafts);
        merge_lone_targets(drafts)
    }

    /// A draft as a fact; `continuing` when an earlier fact of the sentence can lend its
    /// indicator to a clause that names none ("...; so với cùng kỳ giảm 5 vụ").
    fn fact(&self, offset: usize, sentence: &str, draft: &Draft, continuing: bool) -> Fact {
        let lexicon = &self.rules.lexicon;
        let first = &draft.measures[0];
        let named = indicator_range(
            lexicon,
            sentence,
            draft.named_after.clone().unwrap_or(draft.region.clone()),
        );
        let named = self.past_subject(sentence, named);
        let unnamed = sentence[named.clone()].trim().is_empty();
        // A count with words of its own ("35/42 trường đạt chuẩn") names itself; a bare
        // one ("giảm 5 vụ") continues the sentence's indicator.
        // Words the rule itself read past the unit (its comparison: "tăng 30.027 người (2,6%)
        // so với năm 2022") describe nothing.
        let described = first
            .unit
            .as_ref()
            .is_some_and(|u| first.tail_end > u.end.max(first.span.end));
        let only_subject = lexicon.only_subject.is_match(&sentence[named.clone()])
            && !(unnamed && continuing && !described)
            && !first.rule.place_indicator;
        // The counted thing names the indicator when the rule says so or nothing else does
        // ("toàn huyện có 9/19 xã đạt chuẩn nông thôn mới").
        // "..., giảm 2 người chết": a change that opens a fact with nothing named before it
        // is named by what it counts.
        let counted_change = unnamed
            && first.measure.kind == Kind::Change
            && first.names_counted()
            && !first.rule.place_indicator;
        let counted = first
            .unit
            .as_ref()
            .filter(|_| first.counts)
            .map(|unit| {
                // The counted thing without its scale: "lượt khách", not "triệu lượt khách".
                let start = unit.start + self.rules.scale_len(&sentence[unit.clone()]);
                start..unit.end
            })
            .map(|unit| match first.object_end {
                Some(end) if first.rule.object_indicator || counted_change => unit.start..end,
                _ if only_subject => unit.start..first.tail_end.max(unit.end),
                _ => unit.start..first.object_end.unwrap_or(unit.end),
            });
        // "toàn tỉnh có 6.915 ha diện tích nuôi trồng thủy sản": with only a subject before
        // it, the words after a measured amount name it.
        let measured = (only_subject && described && first.measure.kind == Kind::Actual)
            .then(|| first.unit.as_ref().map(|unit| unit.end..first.tail_end))
            .flatten();
        let indicator_range = match (counted, measured) {
            (Some(counted), _) if first.rule.object_indicator || only_subject || counted_change => {
                counted
            }
            (None, Some(measured)) => measured,
            // "Công ty đã hoàn thành 105% kế hoạch doanh thu", "HPG đã bán 491.000 tấn
            // thép": with no name of its own before it, a fact is named by what its plan or
            // verb is of, written after it.
            _ => self
                .plan_object(sentence, first, &sentence[named.clone()], only_subject)
                .or_else(|| self.verb_object(sentence, first, named.start))
                .unwrap_or(named),
        };
        let indicator = without_asides(&collapse_spaces(&sentence[indicator_range.clone()]));
        let last_end = draft
            .measures
            .iter()
            .map(|c| c.object_end.unwrap_or(c.span.end).max(c.span.end))
            .max()
            .unwrap_or(first.span.end)
            .max(indicator_range.end);
        // A fact named after its figure opens with the verb the rule kept ("đã bán| được
        // 491.000 tấn thép").
        let start = if indicator.is_empty() || indicator_range.start > first.span.start {
            let opening = first.kept_from.unwrap_or(first.span.start);
            indicator_range.start.min(opening)
        } else {
            indicator_range.start
        };
        let base = self.block.range.start + offset;
        let span = [base + start, base + last_end];
        let whole = &sentence[draft.region.start..last_end];
        let measures = draft
            .measures
            .iter()
            .map(|c| Measure {
                line: self.doc.line_of(base + c.value_at),
                ..c.measure.clone()
            })
            .collect::<Vec<_>>();
        let rule = measures
            .iter()
            .max_by_key(|m| (m.kind.salience(), std::cmp::Reverse(m.line)))
            .map(|m| m.rule.clone())
            .unwrap_or_default();
        Fact {
            doc: self.doc.name.clone(),
            line: self.doc.line_of(span[0]),
            span,
            section: self.section.clone(),
            footnote: self.block.footnote,
            indicator_key: self.rules.indicator_key(&indicator),
            indicator,
            period: period_of(lexicon, sentence, draft),
            // Set once the report's own period is known (`crate::extract_document`).
            period_iso: None,
            estimated: lexicon.estimate.is_match(whole),
            measures,
            text: collapse_spaces(&self.layout.masked[span[0]..span[1]]),
            rule,
        }
    }

    /// A parenthesized sentence that continues the previous fact's figures.
    fn merge(&self, previous: &mut Fact, continuation: Fact) {
        previous.span[1] = previous.span[1].max(continuation.span[1]);
        previous.measures.extend(continuation.measures);
        previous.text = collapse_spaces(&self.layout.masked[previous.span[0]..previous.span[1]]);
        previous.estimated |= continuation.estimated;
    }
}

#[cfg(test)]
mod tests;
