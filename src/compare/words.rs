//! The words of `extract compare`, kept as data (`data/compare.toml`): the kinds of plan
//! basis its tables keep apart, and the page's own words in the language the user picks.

use std::collections::BTreeMap;

use anyhow::Context;
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

const FILE: &str = include_str!("../../data/compare.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    basis: Vec<BasisDef>,
    lang: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BasisDef {
    name: String,
    words: Vec<String>,
}

/// The words for one language.
#[derive(Debug, Default)]
pub struct Words {
    /// Kinds of basis, each with its words as sequences of folded words.
    bases: Vec<(String, Vec<Vec<String>>)>,
    strings: BTreeMap<String, String>,
}

impl Words {
    /// The shipped words, with the page's in `lang` ("vi", "en").
    pub fn load(lang: &str) -> anyhow::Result<Words> {
        let mut file: File = toml::from_str(FILE).context("data/compare.toml")?;
        let strings = file
            .lang
            .remove(lang)
            .with_context(|| format!("data/compare.toml has no words for language {lang}"))?;
        let bases = file
            .basis
            .into_iter()
            .map(|b| (b.name, b.words.iter().map(|w| tokens(w)).collect()))
            .collect();
        Ok(Words { bases, strings })
    }

    /// A string of the page; its name if the file lacks it (a test checks none does).
    pub fn get<'a>(&'a self, name: &'a str) -> &'a str {
        self.strings.get(name).map_or(name, String::as_str)
    }

    /// A string with its `{name}` places filled.
    pub fn fill(&self, name: &str, values: &[(&str, String)]) -> String {
        values
            .iter()
            .fold(self.get(name).to_string(), |text, (key, value)| {
                text.replace(&format!("{{{key}}}"), value)
            })
    }

    /// The kind of a plan basis: the kind of the first basis word it holds ("KH tỉnh giao"
    /// and "kế hoạch giao" are one kind, "Nghị quyết HĐND" another); a basis without any
    /// is a kind of its own.
    pub fn basis_kind(&self, basis: &str) -> String {
        let words = tokens(basis);
        for start in 0..words.len() {
            let rest = &words[start..];
            let kind = self.bases.iter().find(|(_, spellings)| {
                spellings
                    .iter()
                    .any(|s| !s.is_empty() && rest.starts_with(s))
            });
            if let Some((name, _)) = kind {
                return name.clone();
            }
        }
        words.join(" ")
    }
}

/// Text as compared: NFC, lower case.
pub fn fold(text: &str) -> String {
    text.nfc().collect::<String>().to_lowercase()
}

fn tokens(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_names_every_string() {
        let file: File = toml::from_str(FILE).expect("data/compare.toml parses");
        let names = |lang: &str| file.lang[lang].keys().cloned().collect::<Vec<_>>();
        assert_eq!(names("vi"), names("en"));
        assert!(Words::load("xx").is_err());
    }

    #[test]
    fn bases_of_one_kind_share_it() {
        let words = Words::load("vi").expect("shipped words load");
        let kind = |b: &str| words.basis_kind(b);
        assert_eq!(kind("KH tỉnh giao"), kind("kế hoạch giao"));
        assert_eq!(kind("KẾ HOẠCH năm"), "kế hoạch");
        assert_eq!(kind("Nghị quyết HĐND tỉnh"), "nghị quyết");
        assert_eq!(kind("HĐND phường giao"), "nghị quyết");
        assert_eq!(kind("dự toán"), "dự toán");
        assert_eq!(kind("khác thường"), "khác thường");
        assert_eq!(words.get("indicator"), "Chỉ tiêu");
        let filled = words.fill("about", &[("documents", "3".into())]);
        assert!(filled.starts_with("3 báo cáo"), "{filled}");
    }
}
