//! The measure rule files (any file not named by another reader) and `checks.toml`: rules
//! with their context conditions, and the examples the test suite runs.

use std::collections::HashSet;

use super::*;

impl Loader {
    pub(super) fn read_checks(&mut self, source: &Source) -> Vec<Example> {
        let Some(file) = self.parse::<CheckFile>(source) else {
            return Vec::new();
        };
        file.check
            .into_iter()
            .map(|def| example(def, None, source))
            .collect()
    }

    pub(super) fn read_measure_rules(
        &mut self,
        source: &Source,
        out: &mut Vec<MeasureRule>,
        examples: &mut Vec<Example>,
    ) {
        let Some(file) = self.parse::<RuleFile>(source) else {
            return;
        };
        let Some(kind) = Kind::from_name(&file.kind) else {
            let line = source.find_line("kind");
            self.problem(source.path, line, format!("unknown kind {:?} (expected one of plan, change, exceed, actual, ratio, target, relative)", file.kind));
            return;
        };
        if let Some(basis) = file.computed_share_basis {
            if kind == Kind::Plan {
                self.computed_share_basis = Some(basis.into_inner());
            } else {
                let line = source.line_at(basis.span().start);
                let message = "computed_share_basis belongs in a file of kind plan";
                self.problem(source.path, Some(line), message.to_string());
            }
        }
        let mut names = HashSet::new();
        for def in file.rule {
            let id = format!("{}.{}", source.stem, def.name.get_ref());
            let line = source.line_at(def.name.span().start);
            if !names.insert(def.name.get_ref().clone()) {
                self.problem(
                    source.path,
                    Some(line),
                    format!("rule {id} is defined twice"),
                );
            }
            if def.example.is_empty() {
                self.problem(source.path, Some(line), format!("rule {id} has no example"));
            }
            let context = |loader: &mut Loader, field: &Option<Spanned<String>>| {
                field.as_ref().and_then(|s| {
                    let line = source.line_at(s.span().start);
                    loader.compile(source.path, line, s.get_ref(), true)
                })
            };
            let pattern_line = source.line_at(def.pattern.span().start);
            let regex = self.compile(source.path, pattern_line, def.pattern.get_ref(), true);
            let before = context(self, &def.before);
            let not_before = context(self, &def.not_before);
            let after = context(self, &def.after);
            let not_after = context(self, &def.not_after);
            for ex in def.example {
                examples.push(example(ex, Some(id.clone()), source));
            }
            if let Some(regex) = regex {
                if !regex.names_group("value") {
                    self.problem(
                        source.path,
                        Some(pattern_line),
                        format!("rule {id}: the pattern captures no `value`"),
                    );
                }
                out.push(MeasureRule {
                    id,
                    kind,
                    regex,
                    priority: def.priority.unwrap_or_else(|| default_priority(kind)),
                    before,
                    not_before,
                    after,
                    not_after,
                    standalone: def.standalone,
                    object_indicator: def.indicator == IndicatorSource::Object,
                    place_indicator: def.indicator == IndicatorSource::Place,
                    shared_basis: def.shared_basis,
                });
            }
        }
    }
}

fn example(def: ExampleDef, rule: Option<String>, source: &Source) -> Example {
    Example {
        rule,
        file: source.path.to_string(),
        line: source.line_at(def.text.span().start),
        text: def.text.into_inner(),
        measures: def.measures,
        indicator: def.indicator,
        period: def.period,
        estimated: def.estimated,
    }
}
