//! The engine's own tests, built from the fragments by `lexicon.toml`.

use std::collections::HashMap;

use super::Pattern;

/// The patterns of `lexicon.toml` the extractor uses to clean indicators and judge
/// clauses, each under its entry's name (the names are written here once: the struct and
/// the list the loader checks the file against both come from this list).
macro_rules! lexicon {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        #[derive(Debug)]
        pub struct Lexicon {
            $($(#[$doc])* pub $name: Pattern,)*
        }

        impl Lexicon {
            /// The entries the extractor reads.
            pub(super) const NAMES: &'static [&'static str] = &[$(stringify!($name)),*];

            /// From the compiled entries; `None` if one is missing.
            pub(super) fn from_entries(entries: &mut HashMap<String, Pattern>) -> Option<Lexicon> {
                Some(Lexicon {
                    $($name: entries.remove(stringify!($name))?,)*
                })
            }
        }
    };
}

lexicon! {
    lead,
    tail,
    gap_filler,
    estimate,
    period,
    /// Periods that start a fact of their own when they stand between two figures.
    new_period,
    goal_before,
    goal_exempt,
    goal_after,
    goal_opening,
    goal_lead,
    /// Between a goal word and a figure: the goal does not reach the figure ("Tổng cục đặt
    /// mục tiêu ...; đến ngày 30/9 số thu đã đạt 78% dự toán", "Nếu như ... thì ...").
    goal_reach_end,
    /// Right before a goal word: the goal is a thing named ("Với mục tiêu ...,", "nhờ nỗ
    /// lực phấn đấu,"), which sets no goal past its own comma.
    goal_as_noun,
    /// Goal words whose reach ends at a comma that opens a clause of its own, unless they
    /// open their clause, alone or after a time ("Mục tiêu đến năm 2030, ...").
    goal_in_clause,
    /// Goal words that state an action's purpose: their reach ends at a comma.
    goal_purpose,
    /// A term gone by ("năm qua", "nhiệm kỳ qua"): a clause about it in a section of tasks
    /// reports results.
    past_term,
    /// Right before a figure: a content verb and a qualifier, a reach not yet made or a
    /// floor, that make the figure a bound ("giải ngân dưới| 30% kế hoạch", "chưa đạt|
    /// 50%", "đạt tối thiểu| 90%").
    threshold,
    /// In a condition's main clause: its consequence, which the condition reaches ("sẽ").
    consequence,
    /// Right before a plan share's figure: a verb that states it was reached.
    share_reached,
    /// A comma part that opens with these continues the figures of the part before it.
    measure_continues,
    /// Right before a goal word: a figure's plan basis ("đạt 96% chỉ tiêu phấn đấu"), which
    /// names the plan a result is measured against (group `stretch`: the basis's words).
    goal_as_basis,
    /// A clause that opens with the part of the year gone by ("6 tháng đầu năm", "quý
    /// III"): it reports what was done, whatever goal a list opened.
    period_so_far,
    /// "lần lượt", "tương ứng": figures that go, in order, to things named before them.
    respectively,
    goal_section,
    /// Headings of tasks that hold no results whatever their sentences say.
    goal_section_firm,
    result_section,
    /// Words that name the coming term's direction, or the report itself: a heading with
    /// them and result words covers both the results and the tasks.
    direction,
    /// A verb of reaching followed by an indicator's head inside a name (group `verb`): the
    /// name is the head's words when only a subject stands before the verb ("Công ty đạt
    /// doanh thu 500 tỷ đồng").
    subject_reaches,
    /// Words dropped from indicators when matching them across documents.
    key_filler,
    /// Words after which a region no longer names the indicator.
    indicator_stop,
    /// After a plan's basis, words that qualify the plan rather than name what it is of
    /// ("mục tiêu| tăng trưởng năm 2025").
    plan_of_qualifier,
    /// A parenthesis that opens with the plan: its figures are the plan's ("(kế hoạch tăng
    /// 7,5-8%)"). One that opens with another period gives that period's facts (spec).
    plan_figures,
    /// Right after "X%/KH": the figure is the plan's own level ("ước đạt 8,1%/KH 8%").
    plan_level,
    /// A basis that is a whole year ("năm 2024", "ước thực hiện năm 2024"; group `year`).
    whole_year,
    /// A parenthesis right after a plan that no figure of the clause was measured against:
    /// "thấp hơn kế hoạch đề ra (tăng 10%)" gives the plan's own figure; group `short`
    /// holds a comparative before the plan.
    plan_paren,
    /// A comparison with a period ("so với cùng kỳ"): a figure that states one is a result.
    period_comparison,
    object_stop,
    object_break,
    indicator_head,
    /// Names that open with an indicator head's word but are no head ("chi nhánh").
    head_lookalike,
    /// Sector words that open the next item of a list inside a name ("..., tiểu thủ công nghiệp").
    list_item_head,
    /// Words that name who reports, not what is measured ("toàn huyện Tiên Yên"): an
    /// indicator of only these gives way to the counted thing.
    only_subject,
    /// A source ("... cho biết") or a consequence ("... nên"): the indicator starts after it.
    name_restart,
    /// Compounds whose last word is also a trailing verb ("chứng chỉ"): never split.
    name_compound,
    /// What a figure measures, named after it: "về số doanh nghiệp" (group 1: the words).
    dimension,
    /// Words that open the parts of a whole ("trong đó").
    part_of,
    /// A comparison opening a sentence, for all its changes ("So với cùng kỳ năm trước, ..."),
    /// or a plan basis, for its shares ("So với kế hoạch, tỷ lệ giải ngân đạt 22%"; group `plan`).
    leading_comparison,
    /// A paragraph that leads into a list by comparing with a plan before its colon
    /// ("Kết quả của các đơn vị so với chỉ tiêu giao năm 2024:"): its items' bare shares are
    /// shares of that plan; the `basis` group names it.
    list_lead_plan,
    /// Where a list item's own words end ("bò| toàn tỉnh", "thủy sản| (theo giá so sánh)").
    list_tail,
    /// A comma part opening with these is an adverbial clause, never part of a name.
    clause_opening,
    /// A sentence opening with the means behind its results ("Với việc triển khai nhiều
    /// giải pháp nhằm ..., GRDP tăng 6,9%"): goal words in it govern only its own figures.
    means_opening,
    /// A comma part that contrasts with the one before ("còn xuất khẩu"): a name of its own.
    contrast_opening,
    /// Where a long region's name starts anew (its last verb or link: "là", "với", "đạt").
    name_restart_long,
    /// Phrases whose restart word links inside a name ("đối với", "so với").
    name_restart_long_exempt,
    /// A name that refers back ("con số này", "đây là"): the fact takes the last indicator.
    anaphora,
    /// A restart word that starts a name anew even inside a long name ("thì").
    restart_in_name,
    /// A word that makes the name before it a group of members ("các", "những").
    plural,
    /// What joins two short names into one list item ("lúa và ngô").
    list_joint,
}
