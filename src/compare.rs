//! `extract compare`: one row per indicator (and kind of plan basis), one column per
//! reporting period or per province.
//!
//! In: reports or `.jsonl` fact files (and `--docs` records) of several periods or places.
//! Out: a table (CSV, Markdown, JSON, or an HTML page with a chart per row) of one measure
//! per indicator and document, columns in the order of their ISO periods; or, for
//! `--by province` as CSV without `--period`, a long table of province × period ×
//! indicator. Why: researchers read these reports to see how a locality moved from one
//! period to the next, and how places compare; this gives those views directly.
//!
//! Stages, one module each: [`input`] reads documents (their periods placed in time by the
//! library's one period grammar), [`table`] builds the one table every format renders
//! ([`render`] for text formats, [`html`] and [`chart`] for the page, in the words of
//! [`words`]).
//!
//! Exit 0: every input read. 1: some input failed (named on stderr; the others are still
//! compared). 2: bad usage, bad rule files, nothing readable, or output not writable.

mod cell;
mod chart;
mod html;
mod input;
mod markup;
mod render;
mod table;
mod words;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use baocao::period::Stretch;
use baocao::Kind;
use clap::ValueEnum;

const EXAMPLES: &str = "\
Examples:
  extract compare corpus/*.txt                      plan figures of every indicator, as CSV
  extract compare --measure change --format markdown corpus/
  extract compare facts.jsonl docs.jsonl            reuse facts (and document records) of extract
  extract compare corpus/*.txt -o compare.html      a page with a chart per indicator
  extract compare --explain-keys corpus/*.txt       which statements each row merged (stderr for CSV)
  extract compare --by province --period 2026-01/2026-06 reports/   one column per province
  extract compare --by province --format csv reports/ > long.csv    province x period x indicator
  extract compare --basis 'nghị quyết' --lang en -o trend.html corpus/";

/// Compare reports (or fact files) across periods.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct CompareArgs {
    /// Reports (any format baocao reads), fact files (.jsonl written by extract, with or
    /// without its --docs records), or folders of either.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Which figure fills the cells (for plan: the first plan figure of the statement).
    #[arg(long, value_enum, default_value_t = Measure::Plan)]
    pub measure: Measure,
    /// Keep indicators stated (with that measure) in at least N documents.
    #[arg(long, value_name = "N", default_value_t = 2,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub min_docs: usize,
    /// Output format (default: from the -o file's extension, else csv).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Also show, per row, which raw indicators (document and line) it merged (with CSV: on
    /// stderr).
    #[arg(long)]
    pub explain_keys: bool,
    /// Use the rule files in DIR instead of the shipped ones.
    #[arg(long, value_name = "DIR")]
    pub patterns: Option<PathBuf>,
    /// Write the table to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Worker threads for reading reports (default: one per core).
    #[arg(short, long, env = "BAOCAO_JOBS", value_parser = crate::setup::parse_jobs)]
    pub jobs: Option<usize>,
    /// No warnings and notices on stderr (errors are still reported).
    #[arg(short, long)]
    pub quiet: bool,
    /// One column per reporting period (the reports of one place over time), or per
    /// province for one period (several places' reports side by side).
    #[arg(long, value_enum, default_value_t = By::Period)]
    pub by: By,
    /// With `--by province`: the period to compare, as ISO 8601 (2025-01/2025-06). Without
    /// it, CSV is a long table (one row per province, issuer, period, indicator, measure
    /// and basis, for pandas or DuckDB) and the other formats show the latest period.
    #[arg(long, value_name = "ISO")]
    pub period: Option<String>,
    /// Keep only plan figures whose basis contains WORD (any case): "dự toán", "nghị
    /// quyết", "tỉnh giao". Without it, figures against different kinds of basis are rows
    /// of their own.
    #[arg(long, value_name = "WORD")]
    pub basis: Option<String>,
    /// The language of the HTML page's own words.
    #[arg(long, value_enum, default_value_t = Lang::Vi)]
    pub lang: Lang,
}

/// Languages the page speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// What the columns of the table are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    Period,
    Province,
}

/// The measure kinds a table can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Measure {
    Plan,
    Change,
    Actual,
    Ratio,
    Target,
    Relative,
    Exceed,
}

impl Measure {
    fn kind(self) -> Kind {
        match self {
            Measure::Plan => Kind::Plan,
            Measure::Change => Kind::Change,
            Measure::Actual => Kind::Actual,
            Measure::Ratio => Kind::Ratio,
            Measure::Target => Kind::Target,
            Measure::Relative => Kind::Relative,
            Measure::Exceed => Kind::Exceed,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Markdown,
    Json,
    Html,
}

impl Format {
    /// The format a file name asks for ("table.html").
    fn from_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(Format::Csv),
            "md" | "markdown" => Some(Format::Markdown),
            "json" => Some(Format::Json),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

pub fn run(args: &CompareArgs) -> anyhow::Result<ExitCode> {
    let jobs = crate::setup::jobs(args.jobs);
    // A comparison reads a corpus, of a size not known before the folders are walked.
    let rules = crate::setup::rules_for_run(args.patterns.as_deref(), jobs, None)?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let loaded = pool.install(|| input::load(&args.paths, rules));
    for message in loaded.warnings.iter().filter(|_| !args.quiet) {
        eprintln!("extract compare: warning: {message}");
    }
    for message in loaded.errors.iter() {
        eprintln!("extract compare: {message}");
    }
    if loaded.documents.is_empty() {
        anyhow::bail!("no document could be read");
    }
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(Format::from_path))
        .unwrap_or(Format::Csv);
    let long = args.by == By::Province && args.period.is_none() && format == Format::Csv;
    let documents = match args.by {
        By::Province if !long => of_one_period(loaded.documents, args.period.as_deref())?,
        _ => loaded.documents,
    };
    let words = words::Words::load(args.lang.code())?;
    if args.basis.is_some() && args.measure != Measure::Plan && !args.quiet {
        let measure = args.measure.kind().name();
        eprintln!("extract compare: warning: --basis picks plan figures, not {measure} figures");
    }
    let pick = table::Pick {
        measure: args.measure.kind(),
        min_docs: args.min_docs,
        basis: args.basis.as_deref().map(words::fold),
        basis_kind: &|basis: &str| words.basis_kind(basis),
        key_of: &|indicator: &str| rules.indicator_key(indicator),
    };
    let table = table::build(&documents, args.by, &pick);
    let text = if long {
        render::long_csv(&table)?
    } else {
        render(&table, format, args, &words)?
    };
    write(args.output.as_deref(), &text)?;
    // CSV has no place for it: the account goes beside the table, on stderr.
    if args.explain_keys && format == Format::Csv {
        eprint!("{}", render::explain(&table));
    }
    if table.rows.is_empty() && !args.quiet {
        eprintln!(
            "extract compare: no indicator has a {} figure in at least {} of the {} documents",
            table.measure.name(),
            args.min_docs,
            table.columns.len()
        );
    }
    Ok(if loaded.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The documents of one period (the one asked for, else the latest any of them reports on).
fn of_one_period(
    documents: Vec<input::Document>,
    period: Option<&str>,
) -> anyhow::Result<Vec<input::Document>> {
    let latest = documents
        .iter()
        .filter_map(|d| d.place.period_iso.as_deref())
        .filter_map(|iso| Some((Stretch::parse(iso)?, iso)))
        .max()
        .map(|(_, iso)| iso);
    let Some(chosen) = period.or(latest).map(str::to_string) else {
        anyhow::bail!(
            "--by province needs reports whose period is known (--docs records or report headers)"
        );
    };
    let kept: Vec<input::Document> = documents
        .into_iter()
        .filter(|d| d.place.period_iso.as_deref() == Some(chosen.as_str()))
        .collect();
    if kept.is_empty() {
        anyhow::bail!("no report is of the period {chosen}");
    }
    Ok(kept)
}

fn render(
    table: &table::Table,
    format: Format,
    args: &CompareArgs,
    words: &words::Words,
) -> anyhow::Result<String> {
    Ok(match format {
        Format::Csv => render::csv(table)?,
        Format::Markdown => render::markdown(table, args.explain_keys),
        Format::Json => render::json(table, args.explain_keys)?,
        Format::Html => html::page(
            table,
            &html::Options {
                by: args.by,
                min_docs: args.min_docs,
                explain: args.explain_keys,
                words,
            },
        ),
    })
}

fn write(output: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match output {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            Ok(stdout.flush()?)
        }
    }
}
