//! Legacy fonts: runs typed in TCVN3 or VNI fonts, decoded one by one.

use super::*;

/// The encoding a font name implies, and whether it is a TCVN3 capitals ("H") font.
pub(super) fn legacy_font(name: &str) -> Option<(Legacy, bool)> {
    let name = name.trim();
    let lower = name.to_lowercase();
    if lower.starts_with(".vn") {
        return Some((Legacy::Tcvn3, name.ends_with('H')));
    }
    if lower.starts_with("vni-") || lower.starts_with("vni ") {
        return Some((Legacy::Vni, false));
    }
    None
}

/// A legacy-font run's text (its bytes seen as Windows-1252) as Vietnamese. None when the
/// text holds characters Windows-1252 has no byte for (ư, ạ ...): it was typed in Unicode
/// already and only the font name is old, so decoding would garble it.
pub(super) fn decode_legacy(text: &str, enc: Legacy, capitals: bool) -> Option<String> {
    let (_, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    if unmappable || (text.is_ascii() && !capitals) {
        return None;
    }
    let decoded = legacy::repair_mojibake(text, enc);
    Some(if capitals {
        decoded.to_uppercase()
    } else {
        decoded
    })
}
