//! The first stage: a report's bytes, in whatever shape an archive holds it, to text.
//!
//! Plain text is decoded ([`source`]: BOMs, UTF-16, the legacy Vietnamese encodings of
//! [`legacy`]); Markdown, DOCX, PDF and Word 97 files are rendered ([`render`]) to the
//! plain report text the layout stage reads, each line still pointing at the input line
//! it came from and each heading the format marks kept beside the text.

/// Largest part, stream or piece a reader unpacks: a report's XML, content stream or
/// WordDocument stream is a few MiB at most; more is a compression bomb.
pub(crate) const MAX_PART: u64 = 64 * 1024 * 1024;
/// Largest total a reader unpacks from one file (issue 16's memory bound is 256 MB).
pub(crate) const MAX_TOTAL: u64 = 256 * 1024 * 1024;
/// The OLE compound-file signature: old Word `.doc`, and a password-protected DOCX.
pub const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub mod docx;
pub mod format;
pub mod legacy;
pub mod markdown;
pub mod pdf;
pub mod render;
pub mod source;
pub mod text_tables;
pub mod word97;
