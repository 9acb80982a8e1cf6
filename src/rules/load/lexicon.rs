//! `lexicon.toml`: the named patterns the extractor's own code asks for.

use std::collections::HashMap;

use super::*;
use crate::rules::lexicon::Lexicon;

impl Loader {
    pub(super) fn read_lexicon(&mut self, source: &Source) -> Option<Lexicon> {
        let file = self.parse::<LexiconFile>(source)?;
        let mut entries = HashMap::new();
        for (name, def) in file.lexicon {
            let line = source.find_line(&format!("[lexicon.{name}]")).unwrap_or(1);
            if !Lexicon::NAMES.contains(&name.as_str()) {
                self.problem(
                    source.path,
                    Some(line),
                    format!("unknown lexicon entry {name}"),
                );
                continue;
            }
            let pattern = match (def.word, def.regex) {
                (Some(words), None) => word(&words),
                (None, Some(regex)) => regex,
                _ => {
                    let message =
                        format!("lexicon entry {name}: give exactly one of `word` or `regex`");
                    self.problem(source.path, Some(line), message);
                    continue;
                }
            };
            if let Some(compiled) = self.compile(source.path, line, &pattern, true) {
                entries.insert(name, compiled);
            }
        }
        for name in Lexicon::NAMES {
            if !entries.contains_key(*name) {
                let message = format!("lexicon entry {name} is missing (the extractor needs it)");
                self.problem(source.path, None, message);
            }
        }
        Lexicon::from_entries(&mut entries)
    }
}
