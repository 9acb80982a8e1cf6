//! Numbering: the labels Word draws before list paragraphs.

use super::*;

#[derive(Debug, Clone, Default)]
pub(super) struct Level {
    pub(super) format: String,
    pub(super) text: String,
    pub(super) start: u32,
}

/// A list's levels by ilvl.
pub(super) type Levels = BTreeMap<usize, Level>;
/// A list's start values that override its levels', by ilvl.
pub(super) type Starts = HashMap<usize, u32>;

#[derive(Debug, Default)]
pub(super) struct Numbering {
    /// numId -> abstractNumId and start overrides.
    pub(super) nums: HashMap<String, (String, Starts)>,
    /// abstractNumId -> levels.
    pub(super) abstracts: HashMap<String, Levels>,
}

/// Word has nine list levels.
pub(super) const LIST_LEVELS: usize = 9;

impl Numbering {
    pub(super) fn parse(xml: &str) -> Result<Numbering, String> {
        let mut numbering = Numbering::default();
        let mut abstract_id: Option<String> = None;
        let mut level: Option<(usize, Level)> = None;
        let mut num: Option<(String, String, Starts)> = None;
        let mut override_level = 0;
        walk(xml, NUMBERING, |node| match node {
            Node::Open(Ns::Word, name, element) => match name {
                b"abstractNum" => abstract_id = attr(element, "abstractNumId"),
                b"lvl" if num.is_none() => {
                    level = list_level(element).map(|ilvl| (ilvl, Level::default()));
                }
                b"start" => {
                    if let Some((_, l)) = &mut level {
                        l.start = number_attr(element).unwrap_or(0);
                    }
                }
                b"numFmt" => {
                    if let Some((_, l)) = &mut level {
                        l.format = attr(element, "val").unwrap_or_default();
                    }
                }
                b"lvlText" => {
                    if let Some((_, l)) = &mut level {
                        l.text = attr(element, "val").unwrap_or_default();
                    }
                }
                b"num" => {
                    num = attr(element, "numId").map(|id| (id, String::new(), HashMap::new()));
                }
                b"abstractNumId" => {
                    if let Some((_, a, _)) = &mut num {
                        *a = attr(element, "val").unwrap_or_default();
                    }
                }
                b"lvlOverride" => override_level = list_level(element).unwrap_or(0),
                b"startOverride" => {
                    if let (Some((_, _, starts)), Some(start)) = (&mut num, number_attr(element)) {
                        starts.insert(override_level, start);
                    }
                }
                _ => {}
            },
            Node::Close(Ns::Word, b"lvl") => {
                if let (Some(id), Some((ilvl, l))) = (&abstract_id, level.take()) {
                    numbering
                        .abstracts
                        .entry(id.clone())
                        .or_default()
                        .insert(ilvl, l);
                }
            }
            Node::Close(Ns::Word, b"abstractNum") => abstract_id = None,
            Node::Close(Ns::Word, b"num") => {
                if let Some((id, abstract_id, starts)) = num.take() {
                    numbering.nums.insert(id, (abstract_id, starts));
                }
            }
            _ => {}
        })?;
        Ok(numbering)
    }

    /// The levels and start overrides of a list.
    pub(super) fn list(&self, num_id: &str) -> Option<(&Levels, &Starts)> {
        let (abstract_id, starts) = self.nums.get(num_id)?;
        Some((self.abstracts.get(abstract_id)?, starts))
    }
}

pub(super) fn list_level(element: &BytesStart) -> Option<usize> {
    attr(element, "ilvl")?
        .parse()
        .ok()
        .filter(|&l| l < LIST_LEVELS)
}

pub(super) fn number_attr(element: &BytesStart) -> Option<u32> {
    attr(element, "val")?.parse().ok()
}

/// The counters of the lists met so far, to label the next paragraph of each.
#[derive(Default)]
pub(super) struct Counters(HashMap<String, [Option<u32>; LIST_LEVELS]>);

impl Counters {
    /// The label of the next paragraph of list `num_id` at level `ilvl`: "1.", "a)", "II."
    /// or "-" for a bullet; None for an unknown list or an unnumbered level.
    pub(super) fn next(
        &mut self,
        numbering: &Numbering,
        num_id: &str,
        ilvl: usize,
    ) -> Option<String> {
        let (levels, starts) = numbering.list(num_id)?;
        let start_of = |l: usize| {
            starts
                .get(&l)
                .copied()
                .or_else(|| levels.get(&l).map(|level| level.start))
                .unwrap_or(1)
        };
        let level = levels.get(&ilvl)?;
        let counters = self.0.entry(num_id.to_string()).or_default();
        let current = counters.get(ilvl).copied().flatten();
        let value = current.map_or_else(|| start_of(ilvl), |v| v.saturating_add(1));
        for (index, counter) in counters.iter_mut().enumerate() {
            if index == ilvl {
                *counter = Some(value);
            } else if index > ilvl {
                *counter = None;
            }
        }
        match level.format.as_str() {
            "bullet" => return Some("-".to_string()),
            "none" => return None,
            _ => {}
        }
        let mut label = level.text.clone();
        for (index, counter) in counters.iter().enumerate() {
            let placeholder = format!("%{}", index + 1);
            if label.contains(&placeholder) {
                let value = counter.unwrap_or_else(|| start_of(index));
                let format = levels.get(&index).map_or("decimal", |l| l.format.as_str());
                label = label.replace(&placeholder, &format_number(value, format));
            }
        }
        Some(label.trim().to_string()).filter(|l| !l.is_empty())
    }
}

/// A list number in a Word number format; formats other than these read as decimal.
pub(super) fn format_number(value: u32, format: &str) -> String {
    match format {
        "decimalZero" => format!("{value:02}"),
        "lowerLetter" => letters(value),
        "upperLetter" => letters(value).to_uppercase(),
        "lowerRoman" => roman(value).to_lowercase(),
        "upperRoman" => roman(value),
        _ => value.to_string(),
    }
}

/// Word's letters: a..z, then aa..zz, ... (past zzzz, a broken start value, decimal).
pub(super) fn letters(value: u32) -> String {
    let Some(index) = value.checked_sub(1).filter(|&i| i < 26 * 4) else {
        return value.to_string();
    };
    let letter = char::from(b'a' + (index % 26) as u8);
    letter.to_string().repeat(index as usize / 26 + 1)
}

pub(super) fn roman(mut value: u32) -> String {
    const NUMERALS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (amount, numeral) in NUMERALS {
        while value >= amount && out.len() < 64 {
            out.push_str(numeral);
            value -= amount;
        }
    }
    out
}
