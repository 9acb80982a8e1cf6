//! Which measure rules can match in a stretch of text at all. Every match of a rule contains
//! one of a few words that its pattern requires ("lần lượt", "gấp", a plan basis ...); one
//! multi-word scan of a window tells which rules are worth running there, so the rarer rules
//! stop paying for a full scan of every window. The words are read from the compiled
//! patterns, so rule files stay free of hints, and a rule with no such word always runs.

use aho_corasick::AhoCorasick;
use regex_syntax::hir::{Class, Hir, HirKind};

/// Words shorter than this select too little to be worth a check.
const MIN_WORD_CHARS: usize = 2;
/// A rule needing one of more words than this is run everywhere instead.
const MAX_WORDS: usize = 64;

#[derive(Debug)]
pub(crate) struct RuleFilter {
    /// Over the folded required words of every rule that has some.
    words: Option<AhoCorasick>,
    /// For each word, the rule it belongs to.
    word_rule: Vec<usize>,
    /// Rules with no required word: they run in every window.
    always: Vec<bool>,
}

impl RuleFilter {
    /// Read each pattern (as compiled: case-insensitive) for the words it requires.
    pub(crate) fn new<'p>(patterns: impl IntoIterator<Item = &'p str>) -> RuleFilter {
        let mut words = Vec::new();
        let mut word_rule = Vec::new();
        let mut always = Vec::new();
        for (rule, pattern) in patterns.into_iter().enumerate() {
            let needed = required_words(pattern);
            always.push(needed.is_none());
            for word in needed.into_iter().flatten() {
                words.push(word);
                word_rule.push(rule);
            }
        }
        RuleFilter {
            words: AhoCorasick::new(&words).ok().filter(|_| !words.is_empty()),
            word_rule,
            always,
        }
    }

    /// Which rules may match somewhere in `text`, by rule index.
    pub(crate) fn runnable(&self, text: &str) -> Vec<bool> {
        let mut runnable = self.always.clone();
        let Some(words) = &self.words else {
            return runnable;
        };
        let folded: String = text.chars().map(fold).collect();
        for found in words.find_overlapping_iter(&folded) {
            runnable[self.word_rule[found.pattern().as_usize()]] = true;
        }
        runnable
    }
}

/// One character for every case variant the regex engine treats as the same letter, so
/// that a folded word is found in folded text wherever the pattern could match.
fn fold(c: char) -> char {
    if c == 'ſ' {
        return 's';
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(one), None) => one,
        _ => c,
    }
}

/// Words (folded) of which every match of `pattern` contains at least one; `None` when no
/// useful set exists or the pattern does not parse.
fn required_words(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
        .ok()?;
    required(&hir).filter(|words| !words.is_empty() && words.len() <= MAX_WORDS)
}

fn required(hir: &Hir) -> Option<Vec<String>> {
    if let Some(word) = fixed(hir) {
        return (word.chars().count() >= MIN_WORD_CHARS).then(|| vec![word]);
    }
    match hir.kind() {
        HirKind::Capture(capture) => required(&capture.sub),
        HirKind::Repetition(repetition) if repetition.min >= 1 => required(&repetition.sub),
        HirKind::Alternation(branches) => {
            let mut words = Vec::new();
            for branch in branches {
                words.extend(required(branch)?);
                if words.len() > MAX_WORDS {
                    return None;
                }
            }
            words.sort();
            words.dedup();
            Some(words)
        }
        HirKind::Concat(items) => best_of_concat(items),
        _ => None,
    }
}

/// In a sequence every part is required: the most selective choice among runs of fixed
/// text and the parts' own word sets.
fn best_of_concat(items: &[Hir]) -> Option<Vec<String>> {
    let mut choices: Vec<Vec<String>> = Vec::new();
    let mut run = String::new();
    for item in items {
        match fixed(item) {
            Some(text) => run.push_str(&text),
            None => {
                choices.push(vec![std::mem::take(&mut run)]);
                choices.extend(required(item));
            }
        }
    }
    choices.push(vec![run]);
    choices
        .into_iter()
        .filter(|words| words.iter().all(|w| w.chars().count() >= MIN_WORD_CHARS))
        .max_by_key(|words| (shortest(words), std::cmp::Reverse(words.len())))
}

fn shortest(words: &[String]) -> usize {
    words.iter().map(|w| w.chars().count()).min().unwrap_or(0)
}

/// The folded text a piece of pattern always matches, if it matches only one (up to case).
fn fixed(hir: &Hir) -> Option<String> {
    match hir.kind() {
        HirKind::Literal(literal) => Some(
            std::str::from_utf8(&literal.0)
                .ok()?
                .chars()
                .map(fold)
                .collect(),
        ),
        HirKind::Class(Class::Unicode(class)) => {
            let mut chars = class.iter().flat_map(|range| range.start()..=range.end());
            let first = fold(chars.next()?);
            chars.all(|c| fold(c) == first).then(|| first.to_string())
        }
        HirKind::Capture(capture) => fixed(&capture.sub),
        HirKind::Concat(items) => items.iter().map(fixed).collect(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sequence_requires_its_longest_fixed_word() {
        assert_eq!(
            required_words(r"lần\s+lượt\s+(?P<value>[0-9]+)"),
            Some(vec!["lượt".to_string()])
        );
    }

    #[test]
    fn alternatives_require_one_of_their_words() {
        assert_eq!(
            required_words(r"(?:kế\s+hoạch|dự\s+toán|KH)\s*[0-9]+"),
            Some(vec![
                "hoạch".to_string(),
                "kh".to_string(),
                "toán".to_string()
            ])
        );
    }

    #[test]
    fn a_pattern_with_an_optional_word_only_requires_nothing() {
        assert_eq!(required_words(r"(?:tăng\s+)?[0-9]+%"), None);
    }

    #[test]
    fn a_rule_runs_where_its_word_appears_in_any_case() {
        let filter = RuleFilter::new([r"gấp\s+[0-9]+\s+lần", r"[0-9]+%"]);
        assert_eq!(filter.runnable("GẤP 2 LẦN"), [true, true]);
        assert_eq!(filter.runnable("tăng 5%"), [false, true]);
    }
}
