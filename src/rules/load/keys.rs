//! `keys.toml`: the abbreviations indicator keys are written out with, and their examples.

use super::*;
use crate::key::indicator_key;
use crate::rules::lexicon::Lexicon;

impl Loader {
    pub(super) fn read_keys(&mut self, source: &Source) -> Option<KeyFile> {
        self.parse::<KeyFile>(source)
    }

    /// The abbreviations of `keys.toml`, with its examples run against the key they give.
    pub(super) fn check_keys(
        &mut self,
        source: &Source,
        file: &KeyFile,
        lexicon: &Lexicon,
    ) -> Abbreviations {
        let pairs: Vec<(String, String)> = file
            .abbreviation
            .iter()
            .map(|a| (a.short.clone(), a.long.clone()))
            .collect();
        let abbreviations = match Abbreviations::new(&pairs) {
            Ok(abbreviations) => abbreviations,
            Err(err) => {
                self.problem(source.path, None, format!("abbreviations: {err}"));
                return Abbreviations::default();
            }
        };
        // The shipped examples are checked by the test suite, not on every start.
        let examples = if self.trusted {
            &[][..]
        } else {
            &file.example[..]
        };
        for example in examples {
            let got = indicator_key(
                example.indicator.get_ref(),
                &abbreviations,
                &lexicon.key_filler,
            );
            if got != example.key {
                let line = source.line_at(example.indicator.span().start);
                let message = format!(
                    "example {:?} gives the key {got:?}, not {:?}",
                    example.indicator.get_ref(),
                    example.key
                );
                self.problem(source.path, Some(line), message);
            }
        }
        abbreviations
    }
}
