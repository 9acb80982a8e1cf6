//! The unit table of `units.toml`: each unit's spellings, and the scale words that may
//! stand before one ("nghìn", "triệu", "tỷ").

use std::collections::HashMap;

use super::Unit;
use crate::words::collapse_spaces;

/// A scale word before a unit: "nghìn" (1 000), "triệu", "tỷ", "vạn" (10 000) ...
#[derive(Debug, Clone)]
pub(super) struct Scale {
    /// A spelling, lowercased ("ngàn").
    pub(super) spelling: String,
    /// The name the output uses ("nghìn").
    pub(super) name: String,
    pub(super) factor: u128,
}

/// Units by spelling, and the scale words that may stand before them.
#[derive(Debug, Default)]
pub(super) struct UnitTable {
    pub(super) units: Vec<Unit>,
    pub(super) by_alias: HashMap<String, usize>,
    /// Scale spellings, longest first.
    pub(super) scales: Vec<Scale>,
}

impl UnitTable {
    pub(super) fn unit(&self, written: &str) -> (String, Option<Unit>) {
        let mut parts = written.splitn(2, '/');
        let base = parts.next().unwrap_or("").trim();
        // "ha / năm" and "lao  động" as "ha/năm" and "lao động".
        let tail: String = parts
            .next()
            .map(|t| {
                t.split('/')
                    .map(collapse_spaces)
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default();
        let unit = self.resolve(&collapse_lower(base));
        let name = unit.as_ref().map_or(base, |u| u.name.as_str());
        if tail.is_empty() {
            (name.to_string(), unit)
        } else {
            (format!("{name}/{tail}"), None)
        }
    }

    /// Whether a key is scale words only ("trăm nghìn", "nghìn tỷ").
    pub(super) fn is_scales(&self, key: &str) -> bool {
        self.scales.iter().any(|scale| {
            key.strip_prefix(scale.spelling.as_str())
                .is_some_and(|rest| {
                    rest.is_empty() || rest.strip_prefix(' ').is_some_and(|r| self.is_scales(r))
                })
        })
    }

    /// A unit written without a tail, lowercased with single spaces: a name or alias, or
    /// scale words before one ("triệu tỷ đồng" is triệu × tỷ đồng).
    pub(super) fn resolve(&self, key: &str) -> Option<Unit> {
        if let Some(&i) = self.by_alias.get(key) {
            return Some(self.units[i].clone());
        }
        self.scales.iter().find_map(|scale| {
            let rest = key
                .strip_prefix(scale.spelling.as_str())?
                .strip_prefix(' ')?;
            let base = self.resolve(rest).filter(|u| u.takes_scale)?;
            Some(Unit {
                name: format!("{} {}", scale.name, base.name),
                category: base.category,
                vnd: base.vnd.and_then(|v| v.checked_mul(scale.factor)),
                takes_scale: true,
            })
        })
    }
}

/// Lowercase with single spaces: the key units and scales are looked up by.
pub(super) fn collapse_lower(text: &str) -> String {
    collapse_spaces(text).to_lowercase()
}
