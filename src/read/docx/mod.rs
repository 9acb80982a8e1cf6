//! DOCX -> report text (the conventions of `render.rs`).
//!
//! In: the bytes of a `.docx` (a zip of WordprocessingML parts). Out: a [`Rendered`] text
//! with one line per paragraph of `word/document.xml` in order, heading paragraphs (by
//! style or outline level) with their level noted, list paragraphs with the number or bullet
//! Word shows, footnote anchors `[footnoteRef:N]` where `w:footnoteReference` stands and
//! bodies `[N:  ...]` from `word/footnotes.xml` at the end, tables as in Markdown
//! ([`Rendered::table`]). Each line remembers its paragraph's 1-based number. Issue 4,
//! parts 2 and 4 (legacy fonts).
//!
//! Why: archives keep reports as Word files, and their structure (headings, footnotes)
//! is lost when they are flattened to text by hand. Old files typed in TCVN3 or VNI fonts
//! store legacy bytes as if they were Windows-1252 text, marked only by the run's font, so
//! such runs are decoded one by one. A DOCX is untrusted input: parts are read with size
//! limits (zip bombs), and every problem is an error message, never a panic.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use zip::result::ZipError;
use zip::ZipArchive;

use crate::legacy::{self, Legacy};
use crate::render::{anchor_marker, Rendered, Row};
use crate::rules::Rules;
use crate::words::{collapse_spaces, plain_spaces};

use super::{MAX_PART, MAX_TOTAL, OLE_MAGIC};

mod fonts;
mod numbering;
mod package;
mod reader;
mod styles;
mod xml;

use fonts::*;
use numbering::*;
use package::*;
use reader::*;
use styles::*;
use xml::*;

/// What an OLE compound file given as DOCX is.
const ENCRYPTED: &str = "encrypted or password-protected DOCX (or a .doc file), not readable";

const DOCUMENT: &str = "word/document.xml";
const FOOTNOTES: &str = "word/footnotes.xml";
const STYLES: &str = "word/styles.xml";
const NUMBERING: &str = "word/numbering.xml";

/// Render a DOCX file's bytes to report text; the error says what is wrong with the file.
pub fn render(bytes: &[u8], rules: &Rules) -> Result<Rendered, String> {
    if bytes.starts_with(&OLE_MAGIC) {
        return Err(ENCRYPTED.to_string());
    }
    let mut package = Package::open(bytes)?;
    let document = package
        .read(DOCUMENT)?
        .ok_or_else(|| format!("not a DOCX: the zip has no {DOCUMENT}"))?;
    let mut styles = match package.read(STYLES)? {
        Some(xml) => Styles::parse(&xml)?,
        None => Styles::default(),
    };
    styles.heading_names = rules.marks.heading_styles.clone();
    let numbering = match package.read(NUMBERING)? {
        Some(xml) => Numbering::parse(&xml)?,
        None => Numbering::default(),
    };
    let footnotes = package.read(FOOTNOTES)?;
    let mut reader = Reader::new(&styles, &numbering);
    reader.read(&document, DOCUMENT)?;
    let body = std::mem::take(&mut reader.blocks);
    if let Some(xml) = footnotes {
        reader.read(&xml, FOOTNOTES)?;
    }
    Ok(reader.render(&body, rules))
}

#[cfg(test)]
mod tests;
