//! Which shape a report arrives in: by its name's extension, then by its bytes (archives
//! hold DOCX named `.doc` and the other way round), and what to say of a name no format
//! reads.

use super::OLE_MAGIC;

/// The shapes a report arrives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Docx,
    /// PDF with a text layer.
    Pdf,
    /// Word 97-2003 binary `.doc`.
    Doc,
}

/// The extensions of the formats read, for messages and folder walks.
pub const READABLE: [&str; 7] = ["txt", "text", "md", "markdown", "docx", "pdf", "doc"];

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Doc => "doc",
        }
    }

    /// By file extension; `None` when the name says nothing (stdin, no extension).
    pub fn from_path(name: &str) -> Option<Format> {
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "docx" => Some(Format::Docx),
            "pdf" => Some(Format::Pdf),
            "doc" => Some(Format::Doc),
            _ => None,
        }
    }

    /// What the bytes show a Word file to be, whatever its name says: a zip is DOCX, a
    /// compound file is Word 97-2003 (archives hold both under either extension).
    pub(crate) fn word(self, bytes: &[u8]) -> Format {
        match self {
            Format::Doc | Format::Docx if bytes.starts_with(b"PK\x03\x04") => Format::Docx,
            Format::Doc | Format::Docx if is_compound_word(bytes) => Format::Doc,
            other => other,
        }
    }

    /// By content: a zip is DOCX, `%PDF` a PDF, a compound file Word 97; Markdown headings
    /// or footnote definitions are Markdown.
    pub fn sniff(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"PK\x03\x04") {
            return Format::Docx;
        }
        if bytes.starts_with(b"%PDF-") {
            return Format::Pdf;
        }
        if bytes.starts_with(&OLE_MAGIC) {
            return Format::Doc;
        }
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
        let markdown = head.lines().any(|line| {
            line.starts_with("# ") || line.starts_with("## ") || line.starts_with("[^")
        });
        if markdown {
            Format::Markdown
        } else {
            Format::Text
        }
    }
}

/// Whether the bytes are a compound file naming a WordDocument stream (Word 97-2003; an
/// encrypted DOCX is a compound file too, but holds an EncryptedPackage instead).
fn is_compound_word(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "WordDocument"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.starts_with(&OLE_MAGIC) && memchr::memmem::find(bytes, &name).is_some()
}

/// For a file whose extension names no format read: what would work.
/// Names without an extension (stdin, stream record ids) get none: nothing says they are
/// in another format.
pub(crate) fn hint(name: &str) -> String {
    let unknown = match name.rsplit_once('.') {
        Some((_, extension)) if !extension.contains(['/', '\\']) => {
            !READABLE.contains(&extension.to_ascii_lowercase().as_str())
        }
        _ => false,
    };
    if unknown {
        format!(" (not a report format; readable: {})", readable_list())
    } else {
        String::new()
    }
}

/// ".txt, .text, .md, ..." for messages that say what would work.
pub fn readable_list() -> String {
    READABLE.map(|e| format!(".{e}")).join(", ")
}
