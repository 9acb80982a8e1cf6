//! `headings.toml`, `document.toml` and `tables.toml`: what the layout and the document
//! record are read with.

use super::*;

impl Loader {
    pub(super) fn read_headings(&mut self, source: &Source) -> (Vec<HeadingRule>, LayoutMarks) {
        let Some(file) = self.parse::<HeadingFile>(source) else {
            return (Vec::new(), LayoutMarks::default());
        };
        let marks = LayoutMarks {
            // Compared as Word's names are: lower case, without white space.
            heading_styles: file
                .styles
                .iter()
                .map(|s| {
                    s.chars()
                        .filter(|c| !c.is_whitespace())
                        .flat_map(char::to_lowercase)
                        .collect()
                })
                .collect(),
            page_words: file.page_words.iter().map(|w| w.to_lowercase()).collect(),
        };
        let mut rules = Vec::new();
        for def in file.heading {
            let line = source.line_at(def.pattern.span().start);
            let Some(regex) = self.compile(source.path, line, def.pattern.get_ref(), false) else {
                continue;
            };
            let examples = if self.trusted {
                &[][..]
            } else {
                &def.example[..]
            };
            for example in examples {
                if !regex.is_match(example) {
                    self.problem(
                        source.path,
                        Some(line),
                        format!("heading {}: example {example:?} does not match", def.name),
                    );
                }
            }
            rules.push(HeadingRule {
                id: format!("headings.{}", def.name),
                level: def.level,
                regex,
                items: def.items,
            });
        }
        (rules, marks)
    }

    pub(super) fn read_document(
        &mut self,
        source: &Source,
    ) -> (Vec<IssuerRule>, Option<TitleRules>, HeaderRules) {
        let Some(file) = self.parse::<DocumentFile>(source) else {
            return (Vec::new(), None, HeaderRules::default());
        };
        let compile = |loader: &mut Loader, pattern: &Spanned<String>| {
            let line = source.line_at(pattern.span().start);
            loader.compile(source.path, line, pattern.get_ref(), false)
        };
        let mut rules = Vec::new();
        for def in &file.issuer {
            if let Some(regex) = compile(self, &def.pattern) {
                rules.push(IssuerRule {
                    regex,
                    template: def.template.clone(),
                });
            }
        }
        let marker = compile(self, &file.title.marker);
        let skip: Vec<Option<Pattern>> = file.title.skip.iter().map(|p| compile(self, p)).collect();
        let body = compile(self, &file.title.body);
        let title = marker
            .zip(skip.into_iter().collect::<Option<Vec<_>>>())
            .zip(body)
            .map(|((title_marker, title_skip), title_body)| TitleRules {
                title_marker,
                title_skip,
                title_body,
            });
        let mut header = HeaderRules::default();
        if let Some(def) = &file.header {
            header = HeaderRules {
                lines: def.lines,
                markup: compile(self, &def.markup),
                rule: compile(self, &def.rule),
                motto: def.motto.iter().filter_map(|p| compile(self, p)).collect(),
                number: compile(self, &def.number),
                date: compile(self, &def.date),
                web_date: compile(self, &def.web_date),
                body: compile(self, &def.body),
                subject: def.subject.as_ref().and_then(|subject| {
                    let pattern = compile(self, &subject.pattern)?;
                    Some((pattern, subject.doc_type.to_lowercase()))
                }),
                types: def.types.iter().map(|t| t.to_lowercase()).collect(),
                bodies: def.bodies.iter().map(|b| b.to_lowercase()).collect(),
                place_bodies: def.place_bodies.iter().map(|b| b.to_lowercase()).collect(),
                abbreviations: def.abbreviations.clone().into_iter().collect(),
                levels: def.levels.iter().map(|l| l.to_lowercase()).collect(),
                city_levels: def.city_levels.iter().map(|l| l.to_lowercase()).collect(),
                district_levels: def
                    .district_levels
                    .iter()
                    .map(|l| l.to_lowercase())
                    .collect(),
                period_joints: def.period_joints.iter().map(|j| j.to_lowercase()).collect(),
                central: def.central.clone(),
                ..HeaderRules::default()
            };
            header.levels.sort_by_key(|l| std::cmp::Reverse(l.len()));
        }
        if let Some(places) = &file.places {
            header.provinces = places.provinces.clone();
            header.cities = places.cities.clone().into_iter().collect();
        }
        (rules, title, header)
    }

    pub(super) fn read_tables(&mut self, source: &Source) -> TableRules {
        let Some(file) = self.parse::<TableFile>(source) else {
            return TableRules::default();
        };
        let compile = |loader: &mut Loader, pattern: &Spanned<String>| {
            let line = source.line_at(pattern.span().start);
            loader.compile(source.path, line, pattern.get_ref(), true)
        };
        let unit_header = compile(self, &file.unit_header);
        let label_header = compile(self, &file.label_header);
        let number_header = file.number_header.as_ref().and_then(|p| compile(self, p));
        let columns = file
            .column
            .iter()
            .filter_map(|def| {
                compile(self, &def.header).map(|header| TableColumn {
                    header,
                    template: def.template.clone(),
                })
            })
            .collect();
        TableRules {
            unit_header,
            label_header,
            number_header,
            columns,
        }
    }
}
