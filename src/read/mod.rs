//! The first stage: a report's bytes, in whatever shape an archive holds it, to text.
//!
//! Plain text is decoded ([`source`]: BOMs, UTF-16, the legacy Vietnamese encodings of
//! [`legacy`]); Markdown, DOCX, PDF and Word 97 files are rendered ([`render`]) to the
//! plain report text the layout stage reads, each line still pointing at the input line
//! it came from and each heading the format marks kept beside the text.

pub mod docx;
pub mod format;
pub mod legacy;
pub mod markdown;
pub mod pdf;
pub mod render;
pub mod source;
pub mod word97;
