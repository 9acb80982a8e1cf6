//! `units.toml`: the unit table and the unit fragments ({unit}, {scale}, {unit_<category>}),
//! and the unit examples checked against them.

use std::collections::BTreeMap;

use super::*;
use crate::rules::units::{collapse_lower, Scale};

impl Loader {
    pub(super) fn read_units(&mut self, source: &Source) {
        let Some(file) = self.parse::<UnitFile>(source) else {
            return;
        };
        for def in &file.scale {
            for spelling in std::iter::once(&def.name).chain(&def.aliases) {
                self.units.scales.push(Scale {
                    spelling: collapse_lower(spelling),
                    name: def.name.clone(),
                    factor: u128::from(def.factor),
                });
            }
        }
        self.units.scales.sort_by(|a, b| {
            b.spelling
                .len()
                .cmp(&a.spelling.len())
                .then(a.spelling.cmp(&b.spelling))
        });
        // Spellings by category: all of them, and those a scale word may precede.
        let mut by_category: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
        for def in file.unit {
            let index = self.units.units.len();
            let spellings = std::iter::once(def.name.clone()).chain(def.aliases.iter().cloned());
            for spelling in spellings {
                let key = collapse_lower(&spelling);
                if self.units.by_alias.insert(key, index).is_some() {
                    let line = source.find_line(&format!("\"{spelling}\""));
                    self.problem(
                        source.path,
                        line,
                        format!("unit spelling {spelling:?} is given twice"),
                    );
                }
                let entry = by_category.entry(def.category.clone()).or_default();
                if def.takes_scale {
                    entry.1.push(spelling.clone());
                }
                entry.0.push(spelling);
            }
            self.units.units.push(Unit {
                name: def.name,
                category: def.category,
                vnd: def.vnd.map(u128::from),
                takes_scale: def.takes_scale,
            });
        }
        let scale_spellings: Vec<String> = file
            .scale
            .iter()
            .flat_map(|def| std::iter::once(def.name.clone()).chain(def.aliases.iter().cloned()))
            .collect();
        let has_scales = !scale_spellings.is_empty();
        if has_scales {
            self.define_words("scale".into(), scale_spellings, source.path, 1, true);
        }
        // Scale words and a unit before the unit alone: "triệu con" is not "triệu" (đồng)
        // followed by "con", since the regex engine takes the first alternative that matches.
        // Either way one of `all` is matched: what the unit's match needs.
        let alternation = |categories: &mut dyn Iterator<Item = &(Vec<String>, Vec<String>)>| {
            let (mut all, mut scaled) = (Vec::new(), Vec::new());
            for (a, s) in categories {
                all.extend(a.iter().cloned());
                scaled.extend(s.iter().cloned());
            }
            let body = if has_scales && !scaled.is_empty() {
                format!(
                    r"(?:{{scale}}\s+)+{}|{}",
                    words_regex(&scaled),
                    words_regex(&all)
                )
            } else {
                words_regex(&all)
            };
            (body, all)
        };
        let define_units = |loader: &mut Loader, name: String, (body, all)| {
            loader.define_listing(name, body, all, source.path, 1, true);
        };
        for (category, spellings) in &by_category {
            let units = alternation(&mut std::iter::once(spellings));
            define_units(self, format!("unit_{category}"), units);
        }
        for (group, categories) in &file.group {
            for category in categories {
                if !by_category.contains_key(category) {
                    let line = source.find_line(&format!("{group} ="));
                    self.problem(
                        source.path,
                        line,
                        format!("group {group}: no unit has category {category:?}"),
                    );
                }
            }
            let units = alternation(&mut categories.iter().filter_map(|c| by_category.get(c)));
            define_units(self, format!("unit_{group}"), units);
        }
        let units = alternation(&mut by_category.values());
        define_units(self, "unit_base".into(), units);
        self.define_words("per".into(), file.per.clone(), source.path, 1, true);
        self.define(
            "unit".into(),
            r"(?:{unit_base})(?:\s*/\s*{per})*".into(),
            source.path,
            1,
            true,
        );
        for example in file.example {
            let line = source.line_at(example.written.span().start);
            self.unit_examples
                .push((source.path.to_string(), line, example));
        }
    }

    /// Each unit example must match `{unit}` whole and resolve to its name and đồng.
    pub(super) fn check_unit_examples(&mut self) {
        let examples = std::mem::take(&mut self.unit_examples);
        if examples.is_empty() || self.trusted {
            return;
        }
        let (path, line) = (examples[0].0.clone(), examples[0].1);
        let Some(whole) = self.compile(&path, line, r"^(?:{unit})$", true) else {
            return;
        };
        for (path, line, example) in examples {
            let written = example.written.get_ref();
            if !whole.is_match(written) {
                self.problem(
                    &path,
                    Some(line),
                    format!("unit {written:?} is not matched as a whole by {{unit}}"),
                );
                continue;
            }
            let (name, unit) = self.units.unit(written);
            let vnd = unit.and_then(|u| u.vnd);
            if name != example.name || vnd != example.vnd.map(u128::from) {
                self.problem(
                    &path,
                    Some(line),
                    format!(
                        "unit {written:?} reads as {name:?} (vnd {vnd:?}), expected {:?} (vnd {:?})",
                        example.name, example.vnd
                    ),
                );
            }
        }
    }
}
