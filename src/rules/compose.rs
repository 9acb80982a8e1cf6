//! A pattern's parsed form put together from its fragments' parsed forms, each fragment
//! parsed once per run rather than once in every pattern that names it.
//!
//! Why: the measure rules inline the same long word lists (units, plan bases, comparison
//! periods), and parsing them (folding the case of every letter) was most of compiling a
//! rule. The form put together means what parsing the expanded pattern means: the same
//! alternatives in the same order, groups numbered as they open; a test compares every
//! rule's matches and groups with the `regex` crate's on the expanded text. A pattern
//! that sets flags inline over a fragment (which would read differently under them), or
//! names a fragment that is not defined, is parsed expanded as before.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use regex::Regex;
use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};

/// The first of the code points a parsed pattern uses for its fragments (plane 16, private
/// use: no text or pattern writes them). A fragment stands as two of them, its own, so
/// that an alternation of fragments stays an alternation (one code point each would be
/// parsed as a class) and no two share a first one.
const PLACEHOLDER_BASE: u32 = 0x10_0000;

/// The placeholder standing for the `index`th fragment a pattern names.
pub fn placeholder(index: usize) -> String {
    let at = |k: usize| {
        u32::try_from(k)
            .ok()
            .and_then(|k| char::from_u32(PLACEHOLDER_BASE + k))
            .expect("fewer fragments in one pattern than private code points")
    };
    [at(2 * index), at(2 * index + 1)].iter().collect()
}

/// A literal's text in pieces: text as written, and the fragments placeholders stand for.
pub enum Piece<'t> {
    Text(&'t str),
    Fragment(usize),
}

/// A literal's pieces; `None` if a placeholder is cut in two.
pub fn pieces(text: &str) -> Option<Vec<Piece<'_>>> {
    let offset = |c: char| (c as u32).checked_sub(PLACEHOLDER_BASE);
    let mut found = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        let Some(first) = offset(c) else {
            continue;
        };
        let (_, second) = chars.next()?;
        if first % 2 != 0 || offset(second) != Some(first + 1) {
            return None;
        }
        if start < at {
            found.push(Piece::Text(&text[start..at]));
        }
        found.push(Piece::Fragment(first as usize / 2));
        start = at + c.len_utf8() + second.len_utf8();
    }
    if start < text.len() {
        found.push(Piece::Text(&text[start..]));
    }
    Some(found)
}

/// `{name}` or `{name:group}` in a pattern as written.
pub fn fragment_reference() -> &'static Regex {
    static REFERENCE: OnceLock<Regex> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        Regex::new(r"\{([a-z_][a-z0-9_]*)(?::([a-z_][a-z0-9_]*))?\}").expect("static pattern")
    })
}

/// A fragment a pattern names, and the group it captures it under.
pub struct Reference {
    pub name: String,
    pub group: Option<String>,
}

/// A pattern as written, parsed with each fragment it names as a placeholder (`refs` gets
/// them in placeholder order).
pub fn parse_template(
    template: &str,
    case_insensitive: bool,
    refs: &mut Vec<Reference>,
) -> Option<Hir> {
    let placed = fragment_reference().replace_all(template, |caps: &regex::Captures| {
        refs.push(Reference {
            name: caps[1].to_string(),
            group: caps.get(2).map(|g| g.as_str().to_string()),
        });
        placeholder(refs.len() - 1)
    });
    regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .build()
        .parse(&placed)
        .ok()
}

/// Each fragment's parsed form, by name and whether case is ignored (`None`: it must be
/// parsed expanded).
type Parsed = HashMap<(String, bool), Option<Arc<Hir>>>;

/// The fragments of a rule set, and each one's parsed form once asked for.
#[derive(Default)]
pub struct Composer {
    bodies: OnceLock<HashMap<String, String>>,
    /// The phrases of each fragment that matches one of a list (`words`, units).
    phrases: OnceLock<HashMap<String, Vec<String>>>,
    /// How many patterns and fragments name each fragment: one named once is composed
    /// when it is needed and not kept (it would only hold memory).
    uses: OnceLock<HashMap<String, usize>>,
    parsed: Mutex<Parsed>,
}

impl Composer {
    /// The fragments' bodies as written, once the rule files are read, the phrases of those
    /// that list them, and the patterns written with them.
    pub fn set_fragments<'t>(
        &self,
        bodies: HashMap<String, String>,
        phrases: HashMap<String, Vec<String>>,
        patterns: impl Iterator<Item = &'t str>,
    ) {
        let mut uses = HashMap::new();
        let mut count = |written: &str| {
            for reference in fragment_reference().captures_iter(written) {
                *uses.entry(reference[1].to_string()).or_insert(0) += 1;
            }
        };
        patterns.for_each(&mut count);
        bodies.values().for_each(|body| count(body));
        let _ = self.uses.set(uses);
        let _ = self.bodies.set(bodies);
        let _ = self.phrases.set(phrases);
    }

    /// A fragment's body as written.
    pub fn body(&self, name: &str) -> Option<&str> {
        self.bodies.get()?.get(name).map(String::as_str)
    }

    /// The phrases of a fragment that lists them.
    pub fn phrases(&self, name: &str) -> Option<&[String]> {
        self.phrases.get()?.get(name).map(Vec::as_slice)
    }

    /// The parsed form of a pattern as written; `None` where it must be parsed expanded.
    pub fn hir(&self, template: &str, case_insensitive: bool) -> Option<Hir> {
        if flags_over_fragments(template) {
            return None;
        }
        let mut refs = Vec::new();
        let hir = parse_template(template, case_insensitive, &mut refs)?;
        // Factored before the fragments go in: theirs were factored when they were parsed.
        let hir = self.substitute(&super::trie::factored(&hir), &refs, case_insensitive)?;
        Some(numbered(hir, &mut 1))
    }

    fn fragment(&self, name: &str, case_insensitive: bool) -> Option<Arc<Hir>> {
        let key = (name.to_string(), case_insensitive);
        if let Some(known) = self.lock().get(&key) {
            return known.clone();
        }
        // Not locked while parsing: a fragment's own fragments are asked for meanwhile.
        let body = self.bodies.get()?.get(name)?;
        let parsed = self.hir(body, case_insensitive).map(Arc::new);
        let uses = self.uses.get().and_then(|uses| uses.get(name));
        if uses.is_some_and(|&n| n > 1) {
            self.lock().insert(key, parsed.clone());
        }
        parsed
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Parsed> {
        self.parsed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The fragment a placeholder stands for, in its group if it has one.
    fn reference(&self, reference: &Reference, case_insensitive: bool) -> Option<Hir> {
        let sub = Hir::clone(&*self.fragment(&reference.name, case_insensitive)?);
        Some(match &reference.group {
            Some(group) => Hir::capture(Capture {
                index: 0,
                name: Some(group.as_str().into()),
                sub: Box::new(sub),
            }),
            None => sub,
        })
    }

    fn substitute(&self, hir: &Hir, refs: &[Reference], ci: bool) -> Option<Hir> {
        let each = |parts: &[Hir]| -> Option<Vec<Hir>> {
            parts
                .iter()
                .map(|part| self.substitute(part, refs, ci))
                .collect()
        };
        Some(match hir.kind() {
            HirKind::Literal(literal) => {
                let text = std::str::from_utf8(&literal.0).ok()?;
                let parts = pieces(text)?;
                if parts.iter().all(|piece| matches!(piece, Piece::Text(_))) {
                    return Some(hir.clone());
                }
                let parts = parts.into_iter().map(|piece| match piece {
                    Piece::Text(text) => Some(Hir::literal(text.as_bytes())),
                    Piece::Fragment(index) => self.reference(refs.get(index)?, ci),
                });
                Hir::concat(parts.collect::<Option<Vec<Hir>>>()?)
            }
            HirKind::Empty | HirKind::Look(_) | HirKind::Class(_) => hir.clone(),
            HirKind::Repetition(repetition) => Hir::repetition(Repetition {
                sub: Box::new(self.substitute(&repetition.sub, refs, ci)?),
                ..repetition.clone()
            }),
            HirKind::Capture(capture) => Hir::capture(Capture {
                sub: Box::new(self.substitute(&capture.sub, refs, ci)?),
                ..capture.clone()
            }),
            HirKind::Concat(parts) => Hir::concat(each(parts)?),
            HirKind::Alternation(alternatives) => Hir::alternation(each(alternatives)?),
        })
    }
}

/// Whether a pattern sets flags inline (`(?i)`, `(?-i:...)`) and names a fragment: the
/// fragment would read with them, which its own parsed form does not. A pattern without
/// fragments parses with its flags as written.
pub fn flags_over_fragments(template: &str) -> bool {
    static FLAGS: OnceLock<Regex> = OnceLock::new();
    FLAGS
        .get_or_init(|| Regex::new(r"\(\?[a-zA-Z-]+[:)]").expect("static pattern"))
        .is_match(template)
        && fragment_reference().is_match(template)
}

/// The groups numbered in the order they open, as parsing the expanded pattern numbers them.
fn numbered(hir: Hir, next: &mut u32) -> Hir {
    // Most of a rule is word lists without groups: left as they are, not rebuilt.
    if hir.properties().explicit_captures_len() == 0 {
        return hir;
    }
    match hir.into_kind() {
        HirKind::Capture(capture) => {
            let index = *next;
            *next += 1;
            Hir::capture(Capture {
                index,
                name: capture.name,
                sub: Box::new(numbered(*capture.sub, next)),
            })
        }
        HirKind::Repetition(repetition) => Hir::repetition(Repetition {
            sub: Box::new(numbered(*repetition.sub, next)),
            ..repetition
        }),
        HirKind::Concat(parts) => {
            Hir::concat(parts.into_iter().map(|p| numbered(p, next)).collect())
        }
        HirKind::Alternation(alternatives) => Hir::alternation(
            alternatives
                .into_iter()
                .map(|a| numbered(a, next))
                .collect(),
        ),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Class(class) => Hir::class(class),
        HirKind::Look(look) => Hir::look(look),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn composer(fragments: &[(&str, &str)]) -> Composer {
        let composer = Composer::default();
        let bodies = fragments
            .iter()
            .map(|(n, b)| (n.to_string(), b.to_string()));
        composer.set_fragments(bodies.collect(), HashMap::new(), std::iter::empty());
        composer
    }

    /// The groups a regex built from `hir` finds in `text`, by name.
    fn groups(hir: &Hir, text: &str) -> Vec<(String, Option<String>)> {
        let regex = regex_automata::meta::Regex::builder()
            .build_from_hir(hir)
            .unwrap();
        let mut caps = regex.create_captures();
        regex.captures(text, &mut caps);
        let names = regex
            .group_info()
            .pattern_names(regex_automata::PatternID::ZERO);
        names
            .enumerate()
            .map(|(i, name)| {
                let found = caps.get_group(i).map(|span| text[span.range()].to_string());
                (name.unwrap_or("").to_string(), found)
            })
            .collect()
    }

    fn expanded_groups(pattern: &str, text: &str) -> Vec<(String, Option<String>)> {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse(pattern)
            .unwrap();
        groups(&hir, text)
    }

    #[test]
    fn a_pattern_put_together_finds_what_its_expanded_text_finds() {
        let composer = composer(&[
            ("num", "[0-9]+(?:[.,][0-9]+)*"),
            ("amount", r"(?:(?P<q>khoảng|gần)\s+)?{num:value}"),
            ("up", r"tăng|cao\s+hơn"),
            ("down", r"giảm"),
        ]);
        let template = r"(?P<sign>{down:down}|{up:up})\s+{amount}\s*%";
        let expanded = r"(?P<sign>(?P<down>(?:giảm))|(?P<up>(?:tăng|cao\s+hơn)))\s+(?:(?:(?P<q>khoảng|gần)\s+)?(?P<value>(?:[0-9]+(?:[.,][0-9]+)*)))\s*%";
        let hir = composer.hir(template, true).unwrap();
        for text in ["Thu CAO HƠN khoảng 5,2%", "giảm 3%", "tăng gần 1.000,5 %"] {
            assert_eq!(
                groups(&hir, text),
                expanded_groups(expanded, text),
                "{text}"
            );
        }
    }

    #[test]
    fn fragments_under_inline_flags_or_unknown_are_left_to_the_expanded_text() {
        let composer = composer(&[("kh", "KH")]);
        assert!(composer.hir(r"(?-i:{kh})\s+[0-9]+", true).is_none());
        assert!(composer.hir(r"{missing}", true).is_none());
        assert!(composer.hir(r"{kh}|[^()]+", true).is_some());
    }

    #[test]
    fn placeholders_cut_in_two_are_not_read_as_fragments() {
        let whole = placeholder(3);
        let first: String = whole.chars().take(1).collect();
        assert!(pieces(&format!("a{whole}b")).is_some_and(|p| p.len() == 3));
        assert!(pieces(&format!("a{first}b")).is_none());
    }

    #[test]
    fn every_shipped_rule_is_put_together_from_its_fragments() {
        let rules = crate::rules::Rules::shipped();
        for rule in &rules.measures {
            for pattern in rule.engine_patterns() {
                assert!(pattern.composes(), "{} {}", rule.id, pattern.as_str());
            }
        }
    }
}
