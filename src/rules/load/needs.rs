//! What each measure rule's match needs (see `rules/needs.rs`), read off its pattern as
//! written; each fragment worked out once.

use super::*;
use crate::rules::compose::{has_inline_flags, parse_template};
use crate::rules::needs::{self as need, Needs};

impl Loader {
    /// What every match of a pattern as written holds (nothing known if it does not parse,
    /// or sets flags inline: its fragments' needs, worked out apart, might not hold under
    /// them). Parsed without regard to case, as needs are compared.
    pub(super) fn needs_of(&mut self, template: &str) -> Needs {
        if has_inline_flags(template) {
            return Needs::default();
        }
        let mut refs = Vec::new();
        let Some(hir) = parse_template(template, true, &mut refs) else {
            return Needs::default();
        };
        need::of_pattern(&hir, &mut |index| match refs.get(index) {
            Some(reference) => self.fragment_needs(&reference.name),
            None => Needs::default(),
        })
    }

    fn fragment_needs(&mut self, name: &str) -> Needs {
        if let Some(known) = self.fragment_needs.get(name) {
            return known.clone();
        }
        // Known as nothing while it is worked out: a fragment met again inside itself.
        self.fragment_needs
            .insert(name.to_string(), Needs::default());
        let needs = match self.phrases.get(name) {
            Some(phrases) => need::of_phrases(phrases),
            None => match self.fragments.get(name) {
                Some(fragment) => self.needs_of(&fragment.body.clone()),
                None => Needs::default(),
            },
        };
        self.fragment_needs.insert(name.to_string(), needs.clone());
        needs
    }
}
