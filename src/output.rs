//! Where facts go: JSON lines (the contract), CSV (one row per measure) or one JSON array;
//! stdout or `-o FILE`, which is written under a temporary name and renamed at the end so
//! that a crash never leaves a truncated file. Each fact is written whole or not at all.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use baocao::number::format_value;
use baocao::{DocRecord, Fact};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// One fact per line (the contract of spec/facts.md).
    Jsonl,
    /// One row per measure, with its fact's provenance.
    Csv,
    /// One JSON array of facts.
    Json,
}

impl OutputFormat {
    /// The format a file name asks for ("facts.csv", "facts.json", "facts.jsonl").
    pub fn from_path(path: &Path) -> Option<OutputFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(OutputFormat::Csv),
            "json" => Some(OutputFormat::Json),
            "jsonl" | "ndjson" => Some(OutputFormat::Jsonl),
            _ => None,
        }
    }
}

/// The fact's own columns, then (added at the end, so earlier positions stay) its id, key and
/// ISO period, and the document's issuer, province and ISO period, so that a table of
/// measures answers "which province, which period" without a join.
/// How a stream of records is framed in each format (facts and document records alike).
impl OutputFormat {
    /// What opens the stream: the CSV header, "[" for a JSON array, nothing for JSON lines.
    fn opening(self, csv_header: &[&str]) -> anyhow::Result<Vec<u8>> {
        Ok(match self {
            OutputFormat::Csv => csv_line(csv_header)?.into_bytes(),
            OutputFormat::Json => b"[".to_vec(),
            OutputFormat::Jsonl => Vec::new(),
        })
    }

    /// One record as JSON, after `written` others, into `out` (emptied first: a buffer
    /// reused for every record; CSV rows are made by their own writer).
    fn json_element<T: serde::Serialize>(
        self,
        written: usize,
        value: &T,
        out: &mut Vec<u8>,
    ) -> anyhow::Result<()> {
        out.clear();
        match self {
            OutputFormat::Json if written == 0 => out.push(b'\n'),
            OutputFormat::Json => out.extend_from_slice(b",\n"),
            _ => {}
        }
        serde_json::to_writer(&mut *out, value)?;
        if self != OutputFormat::Json {
            out.push(b'\n');
        }
        Ok(())
    }

    /// What closes the stream after `written` records.
    fn closing(self, written: usize) -> &'static [u8] {
        match self {
            OutputFormat::Json if written == 0 => b"]\n",
            OutputFormat::Json => b"\n]\n",
            _ => b"",
        }
    }
}

const CSV_HEADER: [&str; 22] = [
    "doc",
    "line",
    "section",
    "footnote",
    "indicator",
    "period",
    "estimated",
    "kind",
    "value",
    "value_max",
    "total",
    "unit",
    "basis",
    "qualifier",
    "vnd",
    "rule",
    "fact_id",
    "indicator_key",
    "period_iso",
    "issuer",
    "province",
    "report_period_iso",
];

/// The fact stream, in the chosen format.
pub struct FactWriter {
    out: BufWriter<Box<dyn Write>>,
    format: OutputFormat,
    written: usize,
    /// One fact's bytes, made whole before they are written; reused for every fact.
    scratch: Vec<u8>,
    /// (temporary, final) path when writing to a file.
    rename: Option<(PathBuf, PathBuf)>,
    /// What the user asked to write to, for error messages (never the temporary name).
    destination: String,
}

impl FactWriter {
    pub fn open(path: Option<&Path>, format: OutputFormat) -> anyhow::Result<FactWriter> {
        let destination = path.map_or("standard output".to_string(), |p| p.display().to_string());
        let (out, rename): (Box<dyn Write>, _) = match path {
            Some(path) => {
                let temporary = temporary_path(path);
                let file = File::create(&temporary)
                    .with_context(|| format!("cannot write {destination}"))?;
                (Box::new(file), Some((temporary, path.to_path_buf())))
            }
            None => (Box::new(io::stdout().lock()), None),
        };
        let mut writer = FactWriter {
            out: BufWriter::new(out),
            format,
            written: 0,
            scratch: Vec::new(),
            rename,
            destination,
        };
        writer.write(&format.opening(&CSV_HEADER)?)?;
        Ok(writer)
    }

    /// Write bytes; a failure names the destination the user gave.
    fn write(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.out
            .write_all(bytes)
            .with_context(|| format!("cannot write {}", self.destination))
    }

    /// Write one fact, the `index`-th (0-based) of its document; its bytes go out in one piece.
    pub fn fact(&mut self, fact: &Fact, index: usize, record: &DocRecord) -> anyhow::Result<()> {
        let mut bytes = std::mem::take(&mut self.scratch);
        match self.format {
            OutputFormat::Csv => bytes = csv_rows(fact, index, record)?.into_bytes(),
            format => format.json_element(self.written, fact, &mut bytes)?,
        }
        let written = self.write(&bytes);
        self.scratch = bytes;
        written?;
        self.written += 1;
        Ok(())
    }

    /// Stream mode: a document that failed becomes a record in the output, not a dead run.
    /// Only JSON lines have room for it; says whether it was written.
    pub fn error(&mut self, doc: &str, message: &str) -> anyhow::Result<bool> {
        if self.format != OutputFormat::Jsonl {
            return Ok(false);
        }
        let record = serde_json::json!({ "doc": doc, "error": message });
        self.write(format!("{record}\n").as_bytes())?;
        Ok(true)
    }

    /// Send what is written so far (stream mode: a consumer may wait for each batch).
    pub fn flush(&mut self) -> anyhow::Result<()> {
        self.out
            .flush()
            .with_context(|| format!("cannot write {}", self.destination))
    }

    pub fn finish(mut self) -> anyhow::Result<()> {
        self.write(self.format.closing(self.written))?;
        self.flush()?;
        drop(self.out);
        if let Some((temporary, path)) = self.rename {
            std::fs::rename(&temporary, &path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    }
}

fn csv_rows(fact: &Fact, index: usize, record: &DocRecord) -> anyhow::Result<String> {
    let mut rows = String::new();
    let fact_id = format!("{}#{}", fact.doc, index + 1);
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let (period_iso, issuer, province, report_period) = (
        text(&fact.period_iso),
        text(&record.issuer),
        text(&record.province),
        text(&record.period_iso),
    );
    let section = fact.section.join(" > ");
    let footnote = fact.footnote.map(|n| n.to_string()).unwrap_or_default();
    let line = fact.line.to_string();
    let optional = |v: Option<f64>| v.map(format_value).unwrap_or_default();
    for measure in &fact.measures {
        let value = format_value(measure.value);
        let (value_max, total, vnd) = (
            optional(measure.value_max),
            optional(measure.total),
            optional(measure.vnd),
        );
        rows.push_str(&csv_line(&[
            &fact.doc,
            &line,
            &section,
            &footnote,
            &fact.indicator,
            fact.period.as_deref().unwrap_or(""),
            if fact.estimated { "true" } else { "false" },
            measure.kind.name(),
            &value,
            &value_max,
            &total,
            measure.unit.as_deref().unwrap_or(""),
            measure.basis.as_deref().unwrap_or(""),
            measure.qualifier.as_deref().unwrap_or(""),
            &vnd,
            &measure.rule,
            &fact_id,
            &fact.indicator_key,
            &period_iso,
            &issuer,
            &province,
            &report_period,
        ])?);
    }
    Ok(rows)
}

fn csv_line(fields: &[&str]) -> anyhow::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(fields)?;
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// Document records (`--docs FILE`), in the format of the facts: JSON lines, one JSON
/// array, or CSV with the warnings joined by "; ".
pub struct DocWriter {
    out: BufWriter<File>,
    format: OutputFormat,
    written: usize,
}

const DOC_CSV_HEADER: [&str; 15] = [
    "doc",
    "type",
    "number",
    "issuer",
    "province",
    "date",
    "title",
    "period",
    "period_iso",
    "format",
    "encoding",
    "sections",
    "footnotes",
    "facts",
    "warnings",
];

impl DocWriter {
    pub fn open(path: &Path, format: OutputFormat) -> anyhow::Result<DocWriter> {
        let file =
            File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
        let mut writer = DocWriter {
            out: BufWriter::new(file),
            format,
            written: 0,
        };
        writer.out.write_all(&format.opening(&DOC_CSV_HEADER)?)?;
        Ok(writer)
    }

    pub fn record(&mut self, record: &DocRecord) -> anyhow::Result<()> {
        let mut bytes = Vec::new();
        match self.format {
            OutputFormat::Csv => bytes = doc_csv_row(record)?.into_bytes(),
            format => format.json_element(self.written, record, &mut bytes)?,
        }
        self.out.write_all(&bytes)?;
        self.written += 1;
        Ok(())
    }

    pub fn finish(mut self) -> anyhow::Result<()> {
        self.out.write_all(self.format.closing(self.written))?;
        self.out.flush()?;
        Ok(())
    }
}

fn doc_csv_row(record: &DocRecord) -> anyhow::Result<String> {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    csv_line(&[
        &record.doc,
        &text(&record.doc_type),
        &text(&record.number),
        &text(&record.issuer),
        &text(&record.province),
        &text(&record.date),
        &text(&record.title),
        &text(&record.period),
        &text(&record.period_iso),
        &record.format,
        &record.encoding,
        &record.sections.to_string(),
        &record.footnotes.to_string(),
        &record.facts.to_string(),
        &record.warnings.join("; "),
    ])
}

fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or("facts".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}
