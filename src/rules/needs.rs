//! Words a measure rule's match cannot do without, so that a short run (which the screen
//! does not read: compiling it costs more than such a run) compiles and searches only the
//! rules whose words a stretch of text holds.
//!
//! Read off each rule's pattern as written, with its fragments standing as placeholders:
//! a fragment of `words` needs one of its phrases, a fragment of `regex` what its own
//! pattern needs. Text and needs are compared in lower case, each run of white space one
//! space, so a need never rules out a match; a test holds every rule to that on every
//! text we have.

use std::collections::HashMap;
use std::sync::Arc;

use aho_corasick::AhoCorasick;
use regex_syntax::hir::{Class, Hir, HirKind};

use super::bytes::{self, Reader};
use super::compose::{flags_over_fragments, parse_template, pieces, Composer, Piece};
use super::pattern::kept_as;
use super::Pattern;

/// Lower-case literals one of which every match holds (shared: a fragment's sets go
/// into every rule that names it).
pub type AnyOf = Arc<[String]>;

/// A set of literals, sorted, each once.
fn any_of(mut literals: Vec<String>) -> AnyOf {
    literals.sort();
    literals.dedup();
    literals.into()
}

/// What every match of a rule holds: a literal of each set (none known: no set).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Needs(pub Vec<AnyOf>);

/// What each rule's match needs, its patterns read as written; each fragment worked out
/// once.
pub fn of_rules<'p>(patterns: impl Iterator<Item = &'p Pattern>) -> Vec<Needs> {
    let mut memo = HashMap::new();
    patterns
        .map(|pattern| match pattern.written_with() {
            Some((composer, template)) => of_template(composer, template, &mut memo),
            None => Needs::default(),
        })
        .collect()
}

/// What every match of a pattern as written holds (nothing known if it does not parse,
/// or sets flags inline over fragments: their needs, worked out apart, might not hold
/// under them). Parsed without regard to case, as needs are compared.
fn of_template(composer: &Composer, template: &str, memo: &mut HashMap<String, Needs>) -> Needs {
    if flags_over_fragments(template) {
        return Needs::default();
    }
    let mut refs = Vec::new();
    let Some(hir) = parse_template(template, true, &mut refs) else {
        return Needs::default();
    };
    of_pattern(&hir, &mut |index| match refs.get(index) {
        Some(reference) => of_fragment(composer, &reference.name, memo),
        None => Needs::default(),
    })
}

fn of_fragment(composer: &Composer, name: &str, memo: &mut HashMap<String, Needs>) -> Needs {
    if let Some(known) = memo.get(name) {
        return known.clone();
    }
    // Known as nothing while it is worked out: a fragment met again inside itself.
    memo.insert(name.to_string(), Needs::default());
    let needs = match (composer.phrases(name), composer.body(name)) {
        (Some(phrases), _) => of_phrases(phrases),
        (None, Some(body)) => of_template(composer, body, memo),
        (None, None) => Needs::default(),
    };
    memo.insert(name.to_string(), needs.clone());
    needs
}

/// What a `words` fragment needs: one of its phrases (a space in one matches any white
/// space, as it does in the text compared).
pub fn of_phrases(phrases: &[String]) -> Needs {
    let any: Vec<String> = phrases.iter().map(|phrase| lower(phrase.trim())).collect();
    if any.iter().any(String::is_empty) {
        return Needs::default();
    }
    Needs(vec![any_of(any)])
}

/// What every match of a parsed pattern holds; `fragment` gives what the fragment of a
/// placeholder needs.
pub fn of_pattern(hir: &Hir, fragment: &mut dyn FnMut(usize) -> Needs) -> Needs {
    let mut items = Vec::new();
    flatten(hir, fragment, &mut items);
    Needs(candidates(items))
}

/// What every match of a parsed pattern holds, as one set: its most telling need.
fn one_of(hir: &Hir, fragment: &mut dyn FnMut(usize) -> Needs) -> Option<AnyOf> {
    best(of_pattern(hir, fragment).0)
}

/// The most telling of the sets a match needs: the longest shortest literal (up to four
/// characters, past which literals are rare enough), then the fewest literals.
fn best(sets: Vec<AnyOf>) -> Option<AnyOf> {
    sets.into_iter().max_by_key(|any| {
        let shortest = any.iter().map(|l| l.chars().count()).min().unwrap_or(0);
        (shortest.min(4), std::cmp::Reverse(any.len()))
    })
}

/// A parsed pattern read left to right: characters (in lower case), needs of its parts, and
/// breaks where a run of characters ends.
enum Item {
    Char(char),
    Need(Option<AnyOf>),
    Break,
}

fn flatten(hir: &Hir, fragment: &mut dyn FnMut(usize) -> Needs, out: &mut Vec<Item>) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => {
            let text = String::from_utf8_lossy(&literal.0);
            let Some(pieces) = pieces(&text) else {
                out.push(Item::Break);
                return;
            };
            for piece in pieces {
                match piece {
                    Piece::Text(text) => out.extend(text.chars().flat_map(fold).map(Item::Char)),
                    Piece::Fragment(index) => {
                        out.push(Item::Break);
                        let needs = fragment(index).0.into_iter();
                        out.extend(needs.map(|any| Item::Need(Some(any))));
                        out.push(Item::Break);
                    }
                }
            }
        }
        HirKind::Class(class) if is_white_space(class) => out.push(Item::Char(' ')),
        HirKind::Repetition(repetition)
            if repetition.min > 0 && is_white_space_class(&repetition.sub) =>
        {
            out.push(Item::Char(' '))
        }
        HirKind::Class(class) => match single_char(class) {
            Some(c) => out.push(Item::Char(c)),
            None => out.extend([Item::Break, Item::Need(class_need(class)), Item::Break]),
        },
        HirKind::Capture(capture) => flatten(&capture.sub, fragment, out),
        HirKind::Concat(parts) => {
            for part in parts {
                flatten(part, fragment, out);
            }
        }
        HirKind::Repetition(repetition) => {
            out.push(Item::Break);
            if repetition.min > 0 {
                out.push(Item::Need(one_of(&repetition.sub, fragment)));
                out.push(Item::Break);
            }
        }
        HirKind::Alternation(alternatives) => {
            let mut union = Some(Vec::new());
            for alternative in alternatives {
                union = union
                    .zip(one_of(alternative, fragment))
                    .map(|(mut all, any)| {
                        all.extend(any.iter().cloned());
                        all
                    });
            }
            out.extend([Item::Break, Item::Need(union.map(any_of)), Item::Break]);
        }
    }
}

/// The sets a flattened pattern needs: each run of characters, and each part's need.
fn candidates(items: Vec<Item>) -> Vec<AnyOf> {
    let mut found = Vec::new();
    let mut run = String::new();
    for item in items {
        match item {
            Item::Char(c) => {
                if !(c == ' ' && run.ends_with(' ')) {
                    run.push(c);
                }
                continue;
            }
            Item::Need(need) => found.extend(need.filter(|any| !any.is_empty())),
            Item::Break => {}
        }
        flush(&mut run, &mut found);
    }
    flush(&mut run, &mut found);
    found
}

/// A run of characters ends: needed, unless it is only white space (which any text between
/// two words holds).
fn flush(run: &mut String, found: &mut Vec<AnyOf>) {
    if !run.trim().is_empty() {
        found.push(any_of(vec![std::mem::take(run)]));
    }
    run.clear();
}

/// Classes of more characters than this need nothing known.
const SMALL_CLASS: usize = 8;

/// The characters of a small class.
fn small_class(class: &Class) -> Option<Vec<char>> {
    let chars: Vec<char> = match class {
        Class::Unicode(class) => {
            let all = class.ranges().iter().flat_map(|r| r.start()..=r.end());
            all.take(SMALL_CLASS + 1).collect()
        }
        Class::Bytes(class) => {
            let all = class.ranges().iter().flat_map(|r| r.start()..=r.end());
            all.take(SMALL_CLASS + 1).map(char::from).collect()
        }
    };
    (chars.len() <= SMALL_CLASS).then_some(chars)
}

/// The one character a class stands for in lower case, if all it holds are its cases
/// (`(?i)k` holds K, k and the Kelvin sign).
fn single_char(class: &Class) -> Option<char> {
    let chars = small_class(class)?;
    let mut lowered = chars.iter().map(|&c| {
        let mut folded = fold(c);
        folded.next().filter(|_| folded.next().is_none())
    });
    let first = lowered.next()??;
    lowered.all(|c| c == Some(first)).then_some(first)
}

/// What a small class needs: one of its characters.
fn class_need(class: &Class) -> Option<AnyOf> {
    let chars = small_class(class)?.into_iter();
    Some(any_of(chars.map(|c| fold(c).collect()).collect()))
}

/// Whether a class holds only white space: each run of it is one space in the text compared.
fn is_white_space(class: &Class) -> bool {
    match class {
        Class::Unicode(class) => class
            .ranges()
            .iter()
            .all(|r| r.len() <= 32 && (r.start()..=r.end()).all(char::is_whitespace)),
        Class::Bytes(class) => class
            .ranges()
            .iter()
            .all(|r| (r.start()..=r.end()).all(|b| b.is_ascii_whitespace())),
    }
}

fn is_white_space_class(hir: &Hir) -> bool {
    matches!(hir.kind(), HirKind::Class(class) if is_white_space(class))
}

/// A character in lower case, as text is compared with needs. The long s is an s: `(?i)s`
/// matches it though its lower case is itself. White space is a space.
fn fold(c: char) -> impl Iterator<Item = char> {
    let c = match c {
        'ſ' => 's',
        c if c.is_whitespace() => ' ',
        c => c,
    };
    c.to_lowercase()
}

/// Text as needs are written: in lower case a character at a time, each run of white
/// space one space.
pub fn lower(text: &str) -> String {
    let mut lowered = String::with_capacity(text.len());
    for c in text.chars().flat_map(fold) {
        if !(c == ' ' && lowered.ends_with(' ')) {
            lowered.push(c);
        }
    }
    lowered
}

/// The rules a stretch of text holds the needs of, found with one pass over the text.
pub struct Gate {
    finder: Option<AhoCorasick>,
    literals: usize,
    /// Per rule, the literal ids of each set it needs.
    rules: Vec<Vec<Vec<usize>>>,
}

/// Per rule, the ids of the literals of each set it needs.
type Numbered = Vec<Vec<Vec<usize>>>;

impl Gate {
    pub fn new(needs: &[Needs]) -> Gate {
        let (literals, rules) = numbered(needs);
        Gate::of_numbered(&literals, rules)
    }

    /// The gate of what the rules of `patterns` need: read back as their rule set kept
    /// it (working it out is a tenth of a one-line run), else worked out, and kept when
    /// the rule set keeps automata.
    pub fn of_patterns(patterns: &[Pattern]) -> Gate {
        let Some(kept) = patterns.first().and_then(Pattern::kept) else {
            return Gate::new(&of_rules(patterns.iter()));
        };
        let what = kept_as(HOW, patterns);
        if let Some(gate) = kept.get(&what).and_then(|bytes| Gate::thaw(&bytes)) {
            return gate;
        }
        let needs = of_rules(patterns.iter());
        let (literals, rules) = numbered(&needs);
        if let Some(bytes) = freeze(&literals, &rules) {
            kept.put(&what, &bytes);
        }
        Gate::of_numbered(&literals, rules)
    }

    fn of_numbered<S: AsRef<str>>(literals: &[S], rules: Numbered) -> Gate {
        Gate {
            finder: AhoCorasick::new(literals.iter().map(AsRef::as_ref)).ok(),
            literals: literals.len(),
            rules,
        }
    }

    /// What [`freeze`] wrote; `None` for bytes it did not write.
    fn thaw(bytes: &[u8]) -> Option<Gate> {
        let mut input = Reader(bytes);
        let mut literals = Vec::with_capacity(input.count(4)?);
        for _ in 0..literals.capacity() {
            literals.push(std::str::from_utf8(input.run()?).ok()?);
        }
        let literal = |id: usize| (id < literals.len()).then_some(id);
        let mut rules = Vec::with_capacity(input.count(4)?);
        for _ in 0..rules.capacity() {
            let mut sets = Vec::with_capacity(input.count(4)?);
            for _ in 0..sets.capacity() {
                let mut set = Vec::with_capacity(input.count(4)?);
                for _ in 0..set.capacity() {
                    set.push(literal(input.index()?)?);
                }
                sets.push(set);
            }
            rules.push(sets);
        }
        input
            .0
            .is_empty()
            .then(|| Gate::of_numbered(&literals, rules))
    }

    /// For each rule, whether `text` holds a literal of each set it needs.
    pub fn passing(&self, text: &str) -> Vec<bool> {
        let Some(finder) = &self.finder else {
            return vec![true; self.rules.len()];
        };
        let mut seen = vec![false; self.literals];
        for found in finder.find_overlapping_iter(&lower(text)) {
            seen[found.pattern().as_usize()] = true;
        }
        self.rules
            .iter()
            .map(|sets| sets.iter().all(|any| any.iter().any(|&id| seen[id])))
            .collect()
    }
}

/// How gates are worked out: a change to what [`of_rules`] finds must change this, so that
/// no run reads what the old way kept.
const HOW: &str = "needs 1: per rule, sets of lower-case literals one of each a match holds";

/// Each literal once, numbered in the order first met, and each rule's sets as numbers.
fn numbered(needs: &[Needs]) -> (Vec<&str>, Numbered) {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut literals: Vec<&str> = Vec::new();
    let mut rules = Vec::with_capacity(needs.len());
    for Needs(sets) in needs {
        let mut rule = Vec::with_capacity(sets.len());
        for any in sets {
            let mut set = Vec::with_capacity(any.len());
            for literal in any.iter() {
                let next = literals.len();
                let id = *ids.entry(literal).or_insert(next);
                if id == next {
                    literals.push(literal);
                }
                set.push(id);
            }
            rule.push(set);
        }
        rules.push(rule);
    }
    (literals, rules)
}

/// The literals, each after its length, then per rule its sets of literal numbers.
fn freeze(literals: &[&str], rules: &Numbered) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    bytes::put_count(&mut out, literals.len())?;
    for literal in literals {
        bytes::put_run(&mut out, literal.as_bytes())?;
    }
    bytes::put_count(&mut out, rules.len())?;
    for sets in rules {
        bytes::put_count(&mut out, sets.len())?;
        for set in sets {
            bytes::put_count(&mut out, set.len())?;
            for &id in set {
                bytes::put_count(&mut out, id)?;
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use regex_automata::Anchored;

    use super::*;

    fn needs(pattern: &str, fragments: &[&[&str]]) -> Vec<AnyOf> {
        let hir = crate::rules::compose::parse_template(pattern, true, &mut Vec::new()).unwrap();
        let phrases: Vec<Vec<String>> = fragments
            .iter()
            .map(|f| f.iter().map(|p| p.to_string()).collect())
            .collect();
        of_pattern(&hir, &mut |index| of_phrases(&phrases[index])).0
    }

    fn set(literals: &[&str]) -> AnyOf {
        literals.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn runs_of_letters_and_white_space_are_needed_in_lower_case() {
        let got = needs(r"ĐẠT\s+(?P<value>[0-9]+)\s*%\s+kế\s+hoạch", &[]);
        assert_eq!(got, [set(&["đạt "]), set(&["% kế hoạch"])]);
    }

    #[test]
    fn optional_parts_need_nothing_and_alternatives_need_one_of_theirs() {
        let got = needs(r"(?:so\s+)?với|(?:so\s+sánh|bằng)", &[]);
        assert_eq!(got, [set(&["bằng", "so sánh", "với"])]);
        assert_eq!(needs(r"tăng|[0-9]+", &[]), Vec::<AnyOf>::new());
        assert_eq!(needs(r"(?:tăng){1,2}", &[]), [set(&["tăng"])]);
    }

    #[test]
    fn a_fragment_needs_one_of_its_phrases() {
        let fragments: &[&[&str]] = &[&["kế  hoạch", "KH"], &["tăng", "giảm"]];
        assert_eq!(
            needs(r"{basis}\s+x", fragments),
            [set(&["kh", "kế hoạch"]), set(&[" x"])]
        );
        assert_eq!(
            needs(r"(?:{basis}|{sign})", fragments),
            [set(&["giảm", "kh", "kế hoạch", "tăng"])]
        );
    }

    #[test]
    fn the_long_s_and_the_kelvin_sign_are_their_letters_and_white_space_a_space() {
        assert_eq!(needs("so", &[]), [set(&["so"])]);
        assert_eq!(lower("ſO \n\t\u{212A}H"), "so kh");
    }

    #[test]
    fn the_gate_passes_rules_whose_every_need_the_text_holds() {
        let gate = Gate::new(&[
            Needs(vec![set(&["đạt"]), set(&["kế hoạch", "kh "])]),
            Needs(vec![set(&["tăng", "giảm"])]),
            Needs::default(),
        ]);
        assert_eq!(gate.passing("Thu ĐẠT 95% KẾ\n HOẠCH"), [true, false, true]);
        assert_eq!(gate.passing("giảm 5%, đạt"), [false, true, true]);
    }

    #[test]
    fn a_gate_read_back_passes_what_it_passed() {
        let needs = [
            Needs(vec![set(&["đạt"]), set(&["kế hoạch", "kh "])]),
            Needs(vec![set(&["tăng", "giảm"]), set(&["đạt"])]),
            Needs::default(),
        ];
        let (literals, rules) = numbered(&needs);
        let written = freeze(&literals, &rules).unwrap();
        let gate = Gate::thaw(&written).unwrap();
        for text in ["Thu đạt 95% kế hoạch", "giảm 5%, đạt", "không"] {
            assert_eq!(
                gate.passing(text),
                Gate::new(&needs).passing(text),
                "{text}"
            );
        }
        assert!(Gate::thaw(&written[..written.len() - 1]).is_none());
        let mut stray = written.clone();
        stray.push(0);
        assert!(Gate::thaw(&stray).is_none());
    }

    /// Needs never rule out a match: every match of every shipped rule in every text we
    /// have holds what its rule needs.
    #[test]
    fn every_match_of_every_rule_holds_its_needs() {
        let rules = crate::rules::Rules::shipped();
        let needs = of_rules(rules.measures.iter().map(|rule| &rule.regex));
        let gate = Gate::new(&needs);
        let (mut matches, mut told) = (0, 0);
        for text in crate::rules::test_texts::every_text() {
            let passing = gate.passing(&text);
            for (index, rule) in rules.measures.iter().enumerate() {
                let mut at = 0;
                while let Some(found) = rule.regex.engine().find(&text, at, Anchored::No) {
                    let holds = gate.passing(&text[found.clone()])[index];
                    assert!(holds, "{} in {:?}", rule.id, &text[found]);
                    matches += 1;
                    let step = text[found.end..].chars().next().map_or(1, char::len_utf8);
                    at = if found.is_empty() {
                        found.end + step
                    } else {
                        found.end
                    };
                }
                told += usize::from(!passing[index]);
            }
        }
        assert!(matches > 1000, "only {matches} matches");
        assert!(told > 1000, "needs ruled out only {told} rules of texts");
        for (rule, needs) in rules.measures.iter().zip(&needs) {
            assert!(!needs.0.is_empty(), "{} needs nothing known", rule.id);
        }
    }
}
