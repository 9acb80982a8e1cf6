//! Bytes -> text: BOMs, UTF-16, legacy Vietnamese encodings and their mojibake, and a lossy
//! fallback that keeps the readable parts.
//!
//! What was found is reported as the encoding's name in the document record, and anything
//! doubtful as a warning, so a researcher can tell which archive files need a second look.

use crate::legacy::{self, Legacy};

/// Decoded text and how it was decoded.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    /// "utf-8", "utf-16le", "tcvn3", "vni (mojibake)" ...
    pub encoding: String,
    pub warnings: Vec<String>,
}

/// How much of the start is looked at to tell text from binary.
const SNIFF_LEN: usize = 8192;

/// Decode a report's bytes. `forced` overrides detection (`--encoding`).
/// The error is the reason the bytes are not a text at all.
pub fn decode(bytes: &[u8], forced: Option<Legacy>) -> Result<Decoded, String> {
    if let Some(decoded) = decode_utf16(bytes) {
        return Ok(decoded);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if looks_binary(bytes) {
        return Err("not a text file (binary content)".to_string());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(decode_unicode(text, forced)),
        Err(_) => Ok(decode_legacy_bytes(bytes, forced)),
    }
}

fn decode_unicode(text: &str, forced: Option<Legacy>) -> Decoded {
    let mojibake = forced.or_else(|| {
        if has_unicode_vietnamese(text) {
            None
        } else {
            legacy::detect_mojibake(text)
        }
    });
    match mojibake {
        Some(enc) => plain(
            legacy::repair_mojibake(text, enc),
            format!("{} (mojibake)", enc.name()),
        ),
        None => plain(text.to_string(), "utf-8".to_string()),
    }
}

/// Text drawn from a file's glyphs or pieces (PDF, Word 97) in which some paragraphs may
/// be legacy bytes seen as Windows-1252 (typed in a .VnTime or VNI font) and others
/// Unicode: the paragraphs that Windows-1252 can hold are detected together and, when they
/// are mojibake, repaired. None when nothing is legacy.
pub fn repair_legacy_lines(text: &str) -> Option<(String, Legacy)> {
    let cp1252 = |line: &&str| !line.is_ascii() && !encoding_rs::WINDOWS_1252.encode(line).2;
    let candidates: Vec<&str> = text.lines().filter(cp1252).collect();
    let enc = legacy::detect_mojibake(&candidates.join("\n"))?;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if cp1252(&line.trim_end_matches('\n')) {
            out.push_str(&legacy::repair_mojibake(line, enc));
        } else {
            out.push_str(line);
        }
    }
    Some((out, enc))
}

fn decode_legacy_bytes(bytes: &[u8], forced: Option<Legacy>) -> Decoded {
    if let Some(enc) = forced.or_else(|| legacy::detect_bytes(bytes)) {
        return plain(legacy::decode_bytes(bytes, enc), enc.name().to_string());
    }
    let text = String::from_utf8_lossy(bytes).into_owned();
    let replaced = text.matches('\u{FFFD}').count();
    Decoded {
        text,
        encoding: "utf-8 (lossy)".to_string(),
        warnings: vec![format!(
            "invalid UTF-8 in no known encoding: {replaced} characters replaced"
        )],
    }
}

fn decode_utf16(bytes: &[u8]) -> Option<Decoded> {
    let (encoding, name) = match bytes {
        [0xFF, 0xFE, ..] => (encoding_rs::UTF_16LE, "utf-16le"),
        [0xFE, 0xFF, ..] => (encoding_rs::UTF_16BE, "utf-16be"),
        _ => return None,
    };
    let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
    let mut decoded = plain(text.into_owned(), name.to_string());
    if had_errors {
        decoded
            .warnings
            .push(format!("invalid {name}: some characters replaced"));
    }
    Some(decoded)
}

/// Letters such as ư, ơ, đ, ạ have no place in Windows-1252, so text that has them
/// is Unicode Vietnamese, not legacy bytes seen as Windows-1252: a cheap test that spares
/// the detector nearly every modern report.
fn has_unicode_vietnamese(text: &str) -> bool {
    let vietnamese = |c: char| {
        matches!(
            c,
            'ă' | 'Ă' | 'đ' | 'Đ' | 'ơ' | 'Ơ' | 'ư' | 'Ư' | '\u{1EA0}'..='\u{1EF9}'
        )
    };
    text.chars().filter(|&c| vietnamese(c)).take(8).count() >= 8
}

/// NUL bytes do not occur in text of any 8-bit encoding we read.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    memchr::memchr(0, head).is_some()
}

fn plain(text: String, encoding: String) -> Decoded {
    Decoded {
        text,
        encoding,
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom() {
        let decoded = decode("\u{feff}Báo cáo".as_bytes(), None).unwrap();
        assert_eq!(decoded.text, "Báo cáo");
        assert_eq!(decoded.encoding, "utf-8");
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Báo cáo".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let decoded = decode(&bytes, None).unwrap();
        assert_eq!(decoded.text, "Báo cáo");
        assert_eq!(decoded.encoding, "utf-16le");
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode(b"PK\x03\x04\x00\x00binary", None).is_err());
    }
}
