//! Shares a sentence states without naming their plan after them, recognised by their
//! arithmetic: "Kế hoạch năm 2024 giao 500 tỷ đồng, thực hiện 520 tỷ đồng, đạt 104%" and
//! "Tỷ lệ che phủ rừng 44,5% (NQ: 46%), đạt 96,7%". A bare percentage that is the
//! sentence's amount over its planned amount, as rounded in reports, or 100 plus the
//! percentage a plan was passed by, is a share of that plan, whatever words stand between.

use crate::fact::{Fact, Kind, Measure};

/// The rule id of a share read this way.
const RULE: &str = "plan.computed-share";

/// Reports round a share to one or two decimals; allow for either, and for a planned
/// amount itself rounded.
fn rounds_to(share: f64, exact: f64) -> bool {
    (share - exact).abs() <= 0.06_f64.max(exact.abs() * 0.001)
}

/// Turn the bare percentages of a sentence's facts that the figures before them give into
/// shares of the plan those figures name; `unnamed_basis` when they name none.
pub(super) fn shares_of_stated_plan(facts: &mut [Fact], unnamed_basis: Option<&str>) {
    // Nearly every sentence states no plan in figures: it has nothing to give.
    let states_plan = facts
        .iter()
        .flat_map(|fact| &fact.measures)
        .any(|m| matches!(m.kind, Kind::Target | Kind::Exceed));
    if !states_plan {
        return;
    }
    let mut seen: Vec<Measure> = Vec::new();
    for fact in facts.iter_mut() {
        for measure in &mut fact.measures {
            if is_bare_share(measure) {
                if let Some(plan) = plan_behind(&seen, measure.value) {
                    measure.kind = Kind::Plan;
                    measure.basis = plan.basis.clone().or(unnamed_basis.map(str::to_string));
                    measure.rule = RULE.to_string();
                }
            }
            seen.push(measure.clone());
        }
    }
}

/// An amount in % with nothing said of what it is measured against.
fn is_bare_share(measure: &Measure) -> bool {
    measure.kind == Kind::Actual
        && measure.unit.as_deref() == Some("%")
        && measure.basis.is_none()
        && measure.value_max.is_none()
}

/// The measure among `seen` that names the plan `share` is a share of: a planned amount
/// that, with an amount of its unit, gives it, or a plan passed by a percentage that gives
/// it ("vượt 2% dự toán, đạt 102%").
fn plan_behind(seen: &[Measure], share: f64) -> Option<&Measure> {
    seen.iter().find(|plan| match plan.kind {
        Kind::Target => seen
            .iter()
            .filter_map(|m| done_in(m, plan))
            .any(|done| plan.value > 0.0 && rounds_to(share, 100.0 * done / plan.value)),
        Kind::Exceed => plan.unit.as_deref() == Some("%") && rounds_to(share, 100.0 + plan.value),
        _ => false,
    })
}

/// What `measure` says was done, in the planned amount's unit: an amount, or the part
/// done of a ratio ("520/500 tỷ đồng").
fn done_in(measure: &Measure, plan: &Measure) -> Option<f64> {
    let same_unit = measure.unit == plan.unit && measure.unit.is_some();
    match measure.kind {
        Kind::Actual if same_unit => Some(measure.value),
        Kind::Ratio if same_unit => Some(measure.value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure(kind: Kind, value: f64, unit: &str) -> Measure {
        Measure::new(kind, value, unit)
    }

    fn kinds_after(measures: Vec<Measure>) -> Vec<Kind> {
        let mut facts = vec![Fact::new("", 1, measures)];
        shares_of_stated_plan(&mut facts, None);
        facts[0].measures.iter().map(|m| m.kind).collect()
    }

    #[test]
    fn a_share_that_is_the_amount_over_the_plan_is_a_plan_share() {
        let kinds = kinds_after(vec![
            measure(Kind::Target, 500.0, "tỷ đồng"),
            measure(Kind::Actual, 520.0, "tỷ đồng"),
            measure(Kind::Actual, 104.0, "%"),
        ]);
        assert_eq!(kinds, [Kind::Target, Kind::Actual, Kind::Plan]);
    }

    #[test]
    fn a_rate_against_a_planned_rate_is_a_share_when_the_arithmetic_says_so() {
        let kinds = kinds_after(vec![
            measure(Kind::Actual, 44.5, "%"),
            measure(Kind::Target, 46.0, "%"),
            measure(Kind::Actual, 96.7, "%"),
        ]);
        assert_eq!(kinds, [Kind::Actual, Kind::Target, Kind::Plan]);
    }

    #[test]
    fn a_share_that_is_a_hundred_and_the_margin_passed_is_a_plan_share() {
        let kinds = kinds_after(vec![
            measure(Kind::Exceed, 2.0, "%"),
            measure(Kind::Actual, 102.0, "%"),
        ]);
        assert_eq!(kinds, [Kind::Exceed, Kind::Plan]);
    }

    #[test]
    fn a_percentage_the_figures_do_not_give_stays_what_it_was() {
        let kinds = kinds_after(vec![
            measure(Kind::Target, 500.0, "tỷ đồng"),
            measure(Kind::Actual, 520.0, "tỷ đồng"),
            measure(Kind::Actual, 35.0, "%"),
        ]);
        assert_eq!(kinds, [Kind::Target, Kind::Actual, Kind::Actual]);
        let no_plan = kinds_after(vec![
            measure(Kind::Actual, 520.0, "tỷ đồng"),
            measure(Kind::Actual, 104.0, "%"),
        ]);
        assert_eq!(no_plan, [Kind::Actual, Kind::Actual]);
    }
}
