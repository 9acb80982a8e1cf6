//! What each measure rule's match needs (see `rules/needs.rs`), read off its pattern as
//! written; each fragment worked out once.

use regex_syntax::hir::Hir;

use super::fragments::fragment_reference;
use super::*;
use crate::rules::needs::{self as need, Needs};

impl Loader {
    /// What every match of a pattern as written holds (nothing known if it does not parse).
    pub(super) fn needs_of(&mut self, template: &str) -> Needs {
        let mut names = Vec::new();
        let Some(hir) = parse_template(template, &mut names) else {
            return Needs::default();
        };
        need::of_pattern(&hir, &mut |index| self.fragment_needs(&names[index]))
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

/// A pattern as written, parsed with each fragment it names as a placeholder (`names` gets
/// the fragments in placeholder order). Read without case, as needs are compared.
fn parse_template(template: &str, names: &mut Vec<String>) -> Option<Hir> {
    let placed = fragment_reference().replace_all(template, |caps: &regex::Captures| {
        names.push(caps[1].to_string());
        need::placeholder(names.len() - 1).to_string()
    });
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(&placed)
        .ok()
}
