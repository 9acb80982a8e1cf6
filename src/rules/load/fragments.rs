//! `fragments.toml` and fragment expansion: `{name}` and `{name:group}` replaced by their
//! bodies, then each distinct pattern compiled once, problems against file and line.

use super::*;
use crate::rules::compose::fragment_reference;

impl Loader {
    pub(super) fn read_fragments(&mut self, source: &Source) {
        let Some(file) = self.parse::<FragmentFile>(source) else {
            return;
        };
        let mut typo_used = vec![false; file.typo.len()];
        for (name, def) in file.fragment {
            let line = source.find_line(&format!("[fragment.{name}]"));
            let line_or_first = line.unwrap_or(1);
            let body = match (def.words, def.regex) {
                (Some(words), None) => {
                    let phrases = match def.typos {
                        true => with_typos(&words, &file.typo, &mut typo_used),
                        false => words,
                    };
                    self.define_words(name, phrases, source.path, line_or_first, false);
                    continue;
                }
                (None, Some(regex)) => regex,
                _ => {
                    self.problem(
                        source.path,
                        line,
                        format!("fragment {name}: give exactly one of `words` or `regex`"),
                    );
                    continue;
                }
            };
            self.define(name, body, source.path, line_or_first, false);
        }
        for (typo, used) in file.typo.iter().zip(typo_used) {
            if !used {
                let line = source.find_line(&format!("meant = {:?}", typo.meant));
                self.problem(
                    source.path,
                    line,
                    format!(
                        "typo of {:?}: no fragment with `typos = true` has the word",
                        typo.meant
                    ),
                );
            }
        }
    }

    pub(super) fn define(
        &mut self,
        name: String,
        body: String,
        file: &str,
        line: usize,
        generated: bool,
    ) {
        // An expansion may read the fragment this one replaces.
        self.expanded.clear();
        self.fragments.insert(
            name,
            Fragment {
                body,
                file: file.to_string(),
                line,
                generated,
            },
        );
    }

    /// A fragment that matches one of `phrases` (a space: any run of white space).
    pub(super) fn define_words(
        &mut self,
        name: String,
        phrases: Vec<String>,
        file: &str,
        line: usize,
        generated: bool,
    ) {
        self.define_listing(name, words_regex(&phrases), phrases, file, line, generated);
    }

    /// A fragment whose every match is one of `phrases` (what a rule naming it needs).
    pub(super) fn define_listing(
        &mut self,
        name: String,
        body: String,
        phrases: Vec<String>,
        file: &str,
        line: usize,
        generated: bool,
    ) {
        self.define(name.clone(), body, file, line, generated);
        self.phrases.insert(name, phrases);
    }

    /// Expand fragments and compile; problems are recorded against `path:line`.
    pub(super) fn compile(
        &mut self,
        path: &str,
        line: usize,
        pattern: &str,
        case_insensitive: bool,
    ) -> Option<Pattern> {
        let expanded = match self.expand(pattern, &mut Vec::new()) {
            Ok(expanded) => expanded,
            Err(message) => {
                self.problem(path, Some(line), message);
                return None;
            }
        };
        let key = (expanded, case_insensitive);
        if let Some(known) = self.patterns.get(&key) {
            return Some(known.clone());
        }
        let pattern = if self.trusted {
            Ok(Pattern::unchecked(&key.0, case_insensitive))
        } else {
            Pattern::new(&key.0, case_insensitive)
        }
        .map(|p| {
            p.written_as(self.composer.clone(), pattern)
                .kept_in(self.kept.clone())
        });
        match pattern {
            Ok(pattern) => {
                self.origins.push((path.to_string(), line, pattern.clone()));
                self.patterns.insert(key, pattern.clone());
                Some(pattern)
            }
            Err(message) => {
                self.problem(path, Some(line), format!("invalid pattern: {message}"));
                None
            }
        }
    }

    /// Replace `{name}` and `{name:group}` with fragment bodies, recursively.
    pub(super) fn expand(
        &mut self,
        pattern: &str,
        stack: &mut Vec<String>,
    ) -> std::result::Result<String, String> {
        let reference = fragment_reference();
        let mut out = String::with_capacity(pattern.len());
        let mut last = 0;
        for caps in reference.captures_iter(pattern) {
            let whole = caps.get(0).expect("group 0 always matches");
            let name = &caps[1];
            out.push_str(&pattern[last..whole.start()]);
            last = whole.end();
            if stack.iter().any(|n| n == name) {
                return Err(format!("fragment {name} refers to itself"));
            }
            let inner = match self.expanded.get(name) {
                Some(inner) => inner.clone(),
                None => {
                    let Some(body) = self.fragments.get(name).map(|f| f.body.clone()) else {
                        return Err(format!("unknown fragment {{{name}}}"));
                    };
                    self.used.insert(name.to_string());
                    stack.push(name.to_string());
                    let inner = self.expand(&body, stack)?;
                    stack.pop();
                    self.expanded.insert(name.to_string(), inner.clone());
                    inner
                }
            };
            match caps.get(2) {
                Some(group) => out.push_str(&format!("(?P<{}>{inner})", group.as_str())),
                None => out.push_str(&format!("(?:{inner})")),
            }
        }
        out.push_str(&pattern[last..]);
        Ok(out)
    }
}

/// Literal phrases as one alternation, longest first (the regex engine takes the first
/// alternative that matches); a space matches any run of white space. Word edges are not
/// written as `\b`: a Unicode `\b` keeps the regex engine off its fast DFA on Vietnamese
/// text, so edges are checked around a measure's match in code and written out with
/// [`word`] in the extractor's own patterns.
pub(in crate::rules) fn words_regex(words: &[String]) -> String {
    let mut sorted: Vec<&String> = words.iter().collect();
    sorted.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    sorted.dedup();
    let alternatives: Vec<String> = sorted
        .iter()
        .map(|word| regex::escape(word).replace(' ', r"\s+"))
        .collect();
    format!("(?:{})", alternatives.join("|"))
}

/// The phrases, and each again with a misspelling in place of a word it holds ("giảm đi",
/// "giám đi"); `used` marks the typos that found their word.
pub(in crate::rules) fn with_typos(
    phrases: &[String],
    typos: &[TypoDef],
    used: &mut [bool],
) -> Vec<String> {
    let mut out = phrases.to_vec();
    for phrase in phrases {
        let words: Vec<&str> = phrase.split_whitespace().collect();
        for (index, typo) in typos.iter().enumerate() {
            let meant: Vec<&str> = typo.meant.split_whitespace().collect();
            let Some(at) = words.windows(meant.len().max(1)).position(|w| {
                w.iter()
                    .zip(&meant)
                    .all(|(a, b)| a.to_lowercase() == b.to_lowercase())
            }) else {
                continue;
            };
            used[index] = true;
            for written in &typo.written {
                let mut variant: Vec<&str> = words[..at].to_vec();
                variant.push(written.as_str());
                variant.extend_from_slice(&words[at + meant.len()..]);
                out.push(variant.join(" "));
            }
        }
    }
    out
}

/// A pattern standing as whole words: a non-letter (or the edge of the text) on each side.
/// The edges are part of the match.
pub(in crate::rules) fn word(pattern: &str) -> String {
    format!(r"(?:^|[^\p{{L}}\p{{N}}])(?:{pattern})(?:[^\p{{L}}\p{{N}}]|$)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fragment_defined_again_is_expanded_anew() {
        let mut loader = Loader::default();
        loader.define("outer".into(), "x{inner}".into(), "f.toml", 1, false);
        loader.define("inner".into(), "1".into(), "f.toml", 2, false);
        assert_eq!(
            loader.expand("{outer}", &mut Vec::new()).unwrap(),
            "(?:x(?:1))"
        );
        assert!(loader.used.contains("inner"));
        loader.define("inner".into(), "2".into(), "f.toml", 3, true);
        assert_eq!(
            loader.expand("a{outer}", &mut Vec::new()).unwrap(),
            "a(?:x(?:2))"
        );
    }

    #[test]
    fn a_fragment_that_names_itself_is_refused_each_time() {
        let mut loader = Loader::default();
        loader.define("loop".into(), "a{loop}".into(), "f.toml", 1, false);
        for _ in 0..2 {
            let refused = loader.expand("{loop}", &mut Vec::new()).unwrap_err();
            assert_eq!(refused, "fragment loop refers to itself");
        }
    }
}
