//! Styles: heading levels and fonts.

use super::*;

/// What a paragraph or character style contributes.
#[derive(Debug, Clone, Default)]
pub(super) struct Style {
    pub(super) name: String,
    pub(super) based_on: Option<String>,
    pub(super) outline: Option<u8>,
    pub(super) font: Option<String>,
}

/// `word/styles.xml`: styles by id, and the document's default font.
#[derive(Debug, Default)]
pub(super) struct Styles {
    pub(super) by_id: HashMap<String, Style>,
    pub(super) default_font: Option<String>,
    /// Style names that mark a heading before its level (`headings.toml`).
    pub(super) heading_names: Vec<String>,
}

/// How far `w:basedOn` chains are followed (they may loop in a broken file).
pub(super) const MAX_BASED_ON: usize = 16;

impl Styles {
    pub(super) fn parse(xml: &str) -> Result<Styles, String> {
        let mut styles = Styles::default();
        let mut current: Option<(String, Style)> = None;
        let mut in_defaults = false;
        walk(xml, STYLES, |node| match node {
            Node::Open(Ns::Word, name, element) => match name {
                b"style" => {
                    current = attr(element, "styleId").map(|id| (id, Style::default()));
                }
                b"docDefaults" => in_defaults = true,
                b"name" => set(&mut current, |s| {
                    s.name = attr(element, "val").unwrap_or_default()
                }),
                b"basedOn" => set(&mut current, |s| s.based_on = attr(element, "val")),
                b"outlineLvl" => set(&mut current, |s| s.outline = outline(element)),
                b"rFonts" if in_defaults => styles.default_font = font(element),
                b"rFonts" => set(&mut current, |s| s.font = font(element)),
                _ => {}
            },
            Node::Close(Ns::Word, b"style") => {
                if let Some((id, style)) = current.take() {
                    styles.by_id.insert(id, style);
                }
            }
            Node::Close(Ns::Word, b"docDefaults") => in_defaults = false,
            _ => {}
        })?;
        Ok(styles)
    }

    /// The styles from `id` down its `w:basedOn` chain.
    pub(super) fn chain<'s>(&'s self, id: Option<&'s str>) -> impl Iterator<Item = &'s Style> + 's {
        std::iter::successors(id.and_then(|id| self.by_id.get(id)), |style| {
            style.based_on.as_deref().and_then(|b| self.by_id.get(b))
        })
        .take(MAX_BASED_ON)
    }

    /// The heading level a paragraph style gives: "heading N" by name (Word keeps the
    /// English built-in names whatever the UI language, e.g. id "u1" is named "heading 1"),
    /// else its outline level, else those of the style it is based on. Without a
    /// styles part, the id itself is read ("Heading2", "Tieude1").
    pub(super) fn heading_level(&self, id: &str) -> Option<u8> {
        if !self.by_id.contains_key(id) {
            return heading_name_level(&self.heading_names, id);
        }
        self.chain(Some(id))
            .find_map(|s| heading_name_level(&self.heading_names, &s.name).or(s.outline))
    }

    /// Whether paragraphs of this style are table-of-contents entries ("toc 1" ...): they
    /// repeat the headings with page numbers and would open the sections twice.
    pub(super) fn is_toc(&self, id: &str) -> bool {
        let name = self.by_id.get(id).map_or(id, |s| s.name.as_str());
        let key: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        key.to_lowercase()
            .strip_prefix("toc")
            .is_some_and(|rest| rest.parse::<u8>().is_ok())
    }

    /// The font a run is shown in: its own, its character style's, its paragraph style's,
    /// or the document default.
    pub(super) fn font<'s>(
        &'s self,
        run: &'s Run,
        paragraph_style: Option<&'s str>,
    ) -> Option<&'s str> {
        run.font
            .as_deref()
            .or_else(|| {
                self.chain(run.style.as_deref())
                    .find_map(|s| s.font.as_deref())
            })
            .or_else(|| self.chain(paragraph_style).find_map(|s| s.font.as_deref()))
            .or(self.default_font.as_deref())
    }
}

pub(super) fn set(current: &mut Option<(String, Style)>, change: impl FnOnce(&mut Style)) {
    if let Some((_, style)) = current {
        change(style);
    }
}

/// "heading 1", "Heading1", "Tieude2", "Tiêu đề 3", "Đầu đề 1" -> the level, given the
/// style names before the level (lower case, without white space).
pub(super) fn heading_name_level(names: &[String], name: &str) -> Option<u8> {
    let key: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let digits = names
        .iter()
        .find_map(|prefix| key.strip_prefix(prefix.as_str()))?;
    digits.parse().ok().filter(|level| (1..=9).contains(level))
}

/// `w:outlineLvl w:val="0"` is level 1; 9 means body text.
pub(super) fn outline(element: &BytesStart) -> Option<u8> {
    let value: u8 = attr(element, "val")?.parse().ok()?;
    (value < 9).then_some(value + 1)
}

/// The font of `w:rFonts`: the one for letters past ASCII first, since legacy text lives
/// there.
pub(super) fn font(element: &BytesStart) -> Option<String> {
    attr(element, "hAnsi").or_else(|| attr(element, "ascii"))
}
