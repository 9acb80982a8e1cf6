//! `periods.toml`: the period fragments and the calendar grammar to ISO 8601.

use regex::Regex;

use super::*;

impl Loader {
    /// `periods.toml`: the period phrases as the fragments {period} and {new_period} (named
    /// groups dropped: a pattern may hold several), and those with an `iso` kind as the
    /// grammar to ISO 8601, its number words defined as fragments for their patterns.
    pub(super) fn read_periods(&mut self, source: &Source) -> crate::period::Calendar {
        let mut calendar = crate::period::Calendar::default();
        let Some(file) = self.parse::<PeriodFile>(source) else {
            return calendar;
        };
        self.define_number_words(&file, source);
        let groups = Regex::new(r"\(\?P?<[A-Za-z_][A-Za-z0-9_]*>").expect("a valid regex");
        let alternatives = |periods: &mut dyn Iterator<Item = &PeriodDef>| {
            let all: Vec<String> = periods
                .map(|p| format!("(?:{})", groups.replace_all(p.pattern.get_ref(), "(?:")))
                .collect();
            format!(r"(?:{})", all.join("|"))
        };
        let in_facts = || file.period.iter().filter(|p| p.in_facts);
        let every = alternatives(&mut in_facts());
        let stretches = alternatives(&mut in_facts().filter(|p| !p.running_total));
        self.define("period".into(), every, source.path, 1, true);
        self.define("new_period".into(), stretches, source.path, 1, true);
        let dated: Vec<&PeriodDef> = file.period.iter().filter(|p| p.dated).collect();
        if let Some(first) = dated.first() {
            let line = source.line_at(first.pattern.span().start);
            let pattern = format!(r"\b{}\b", alternatives(&mut dated.into_iter()));
            calendar.dated = self.compile(source.path, line, &pattern, true);
        }
        for def in &file.period {
            let Some(kind) = &def.iso else { continue };
            let Some(kind_of) = crate::period::ShapeKind::from_name(kind.get_ref()) else {
                let line = source.line_at(kind.span().start);
                let message = format!("unknown period kind {}", kind.get_ref());
                self.problem(source.path, Some(line), message);
                continue;
            };
            let line = source.line_at(def.pattern.span().start);
            let pattern = format!(r"\b(?:{})\b", def.pattern.get_ref());
            if let Some(regex) = self.compile(source.path, line, &pattern, true) {
                calendar.shapes.push(crate::period::Shape {
                    kind: kind_of,
                    regex,
                });
            }
        }
        calendar.numbers = file
            .numbers
            .into_iter()
            .map(|(w, n)| (w.to_lowercase(), n))
            .collect();
        calendar.ambiguous_counts = file
            .ambiguous_counts
            .iter()
            .map(|w| w.to_lowercase())
            .collect();
        calendar.quarters = file
            .quarters
            .into_iter()
            .map(|(w, n)| (w.to_uppercase(), n))
            .collect();
        calendar
    }

    /// {cal_number} and {cal_quarter}: the words of the number and quarter tables, longest
    /// first, or digits.
    fn define_number_words(&mut self, file: &PeriodFile, source: &Source) {
        let alternation = |words: Vec<&String>, digits: &str| {
            let mut words: Vec<String> = words
                .into_iter()
                .map(|w| {
                    w.split_whitespace()
                        .map(regex::escape)
                        .collect::<Vec<_>>()
                        .join(r"\s+")
                })
                .collect();
            words.sort_by_key(|w| std::cmp::Reverse(w.len()));
            words.push(digits.to_string());
            words.join("|")
        };
        let numbers = alternation(file.numbers.keys().collect(), "[0-9]{1,2}");
        let quarters = alternation(file.quarters.keys().collect(), "[1-4]");
        self.define("cal_number".into(), numbers, source.path, 1, true);
        self.define("cal_quarter".into(), quarters, source.path, 1, true);
    }
}
