//! baocao: Vietnamese administrative reports -> structured facts.
//!
//! The pipeline, one module per stage, data flowing one way:
//! bytes --[`source`]--> text --[`normalize`]--> [`Document`] --[`layout`]--> blocks with
//! sections and footnotes --[`extract`] with [`Rules`] from `patterns/`--> [`Fact`]s
//! ([`fact`] is the output contract). The library is pure: it opens no paths, prints
//! nothing and spawns no threads; the `extract` binary does I/O and parallelism.
#![forbid(unsafe_code)]

pub mod check;
pub mod document;
pub mod error;
pub mod extract;
pub mod fact;
pub mod layout;
pub mod legacy;
pub mod normalize;
pub mod number;
pub mod rules;
pub mod source;

pub use document::DocRecord;
pub use error::{Error, Result};
pub use fact::{Fact, Kind, Measure};
pub use legacy::Legacy;
pub use normalize::Document;
pub use rules::Rules;

/// How to read one input.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Override encoding detection (`--encoding`).
    pub encoding: Option<Legacy>,
}

/// The facts of one document and its record.
#[derive(Debug, Clone)]
pub struct Extraction {
    pub facts: Vec<Fact>,
    pub record: DocRecord,
}

/// Read one report's bytes and extract its facts. `name` is what facts carry as `doc`.
pub fn extract_bytes(
    name: &str,
    bytes: &[u8],
    rules: &Rules,
    options: &Options,
) -> Result<Extraction> {
    let decoded =
        source::decode(bytes, options.encoding).map_err(|reason| Error::input(name, reason))?;
    let mut extraction = extract_text(name, &decoded.text, rules);
    extraction.record.encoding = decoded.encoding;
    extraction.record.warnings.extend(decoded.warnings);
    if bytes.is_empty() {
        extraction.record.warnings.push("empty file".to_string());
    }
    Ok(extraction)
}

/// Extract the facts of a report that is already text.
pub fn extract_text(name: &str, text: &str, rules: &Rules) -> Extraction {
    let doc = normalize::normalize(name, text);
    let layout = layout::split(&doc, rules);
    let facts = extract::extract(&doc, &layout, rules);
    let header = document::header(&doc, &layout, rules);
    let record = DocRecord {
        doc: name.to_string(),
        title: header.title,
        period: header.period,
        issuer: header.issuer,
        format: "text".to_string(),
        encoding: "utf-8".to_string(),
        sections: layout.sections.len(),
        footnotes: layout.footnotes.len(),
        facts: facts.len(),
        warnings: Vec::new(),
    };
    Extraction { facts, record }
}
