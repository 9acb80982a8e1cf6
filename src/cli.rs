//! Flags (clap) and the run: inputs through a rayon pool, outputs in input order.
//!
//! Exit 0: everything processed. 1: some input failed (named on stderr, or as an error
//! record in stream mode; every other input's facts are still written). 2: bad usage or
//! bad rule files. A closed stdout (`| head`) ends the run quietly with 0.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use baocao::{check, Error, Extraction, Format, Legacy, Options, Rules};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::inputs::{self, Input};
use crate::ordered;
use crate::output::{DocWriter, FactWriter, OutputFormat};

const EXAMPLES: &str = "\
Examples:
  extract corpus/*.txt > facts.jsonl          facts of every report, one JSON object per line
  extract corpus/ --docs docs.jsonl -o facts.jsonl
                                              walk a folder; also write one record per report
  extract --format csv corpus/ > measures.csv one row per measure
  cat report.md | extract -                   read standard input (format from its content)
  extract --input jsonl < docs.jsonl          stream mode: {\"id\":..,\"text\":..} per line
  extract --shard 0/4 archive/                every 4th document, starting with the first
  extract --patterns my-patterns/ corpus/     use your own rule files instead of the shipped ones
  extract rules test my-patterns/             run the examples of your rule files
  extract compare --format html corpus/ > trend.html
  extract schema                              the JSON Schema of a fact";

/// Extract facts (indicators with their plan, change and amount figures) from Vietnamese
/// administrative reports, as JSON lines.
#[derive(Parser)]
#[command(name = "extract", version, about, after_help = EXAMPLES, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Args)]
struct RunArgs {
    /// Report files or folders (walked for .txt, .md, .markdown, .docx, .pdf, .doc); `-` reads stdin.
    paths: Vec<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(short, long, env = "BAOCAO_JOBS", value_parser = crate::setup::parse_jobs)]
    jobs: Option<usize>,
    /// Also write one record per document (type, number, issuer, province, date, title, period,
    /// counts) to FILE, in the output format (or the one FILE's extension names).
    #[arg(long, value_name = "FILE")]
    docs: Option<PathBuf>,
    /// Use the rule files in DIR instead of the shipped ones.
    #[arg(long, value_name = "DIR")]
    patterns: Option<PathBuf>,
    /// Read inputs in this legacy encoding: tcvn3, vni, viscii, windows-1258.
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,
    /// Read every input as this format instead of choosing by extension and content.
    #[arg(long = "as", value_enum, value_name = "FORMAT")]
    read_as: Option<ReadAs>,
    /// Where documents come from: paths, or JSON records on stdin (one per line).
    #[arg(long, value_enum, default_value = "paths")]
    input: InputMode,
    /// Take every N-th document starting at I (0-based), to split work across machines.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    shard: Option<(usize, usize)>,
    /// Output format (default: from the -o file's extension, else jsonl).
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
    /// Write facts to FILE (atomically, via a temporary file) instead of stdout; `-` is stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// No summary line and no progress bar on stderr.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InputMode {
    /// Files, folders and `-` given as arguments.
    Paths,
    /// One `{"id": ..., "text": ...}` or `{"id": ..., "path": ...}` per line on stdin.
    Jsonl,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReadAs {
    Text,
    Markdown,
    Docx,
    Pdf,
    Doc,
}

#[derive(Subcommand)]
enum Command {
    /// Compare indicators across reporting periods (a table, or an HTML page with charts).
    Compare(crate::compare::CompareArgs),
    /// Work with rule files.
    Rules {
        #[command(subcommand)]
        action: RulesAction,
    },
    /// Print the JSON Schema of the fact record.
    Schema,
    /// Print a shell completion script (e.g. `extract completions bash > extract.bash`).
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff), e.g. `extract man > extract.1`.
    Man,
}

#[derive(Subcommand)]
enum RulesAction {
    /// Run every example of the rule files in DIR (default: the shipped rules).
    Test { dir: Option<PathBuf> },
}

/// The JSON Schema of a fact, kept in the repository and checked against real output.
pub const FACT_SCHEMA: &str = include_str!("../schema/fact.schema.json");

pub fn main() -> ExitCode {
    quiet_pdf_panics();
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Compare(args)) => crate::compare::run(&args),
        Some(Command::Rules {
            action: RulesAction::Test { dir },
        }) => test_rules(dir.as_deref()),
        Some(Command::Schema) => {
            print!("{FACT_SCHEMA}");
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Completions { shell }) => {
            clap_complete::generate(shell, &mut Cli::command(), "extract", &mut io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man) => clap_mangen::Man::new(Cli::command())
            .render(&mut io::stdout())
            .map(|()| ExitCode::SUCCESS)
            .map_err(Into::into),
        None => run(&cli.run),
    };
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("extract: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let (index, count) = text.split_once('/').ok_or("expected I/N, e.g. 0/4")?;
    let index: usize = index
        .trim()
        .parse()
        .map_err(|_| "I must be a whole number")?;
    let count: usize = count
        .trim()
        .parse()
        .map_err(|_| "N must be a whole number")?;
    if count == 0 || index >= count {
        return Err(format!("need 0 <= I < N, got {index}/{count}"));
    }
    Ok((index, count))
}

fn test_rules(dir: Option<&Path>) -> anyhow::Result<ExitCode> {
    let rules = crate::setup::load_checked_rules(dir)?;
    let failures = check::run(&rules);
    for failure in &failures {
        println!("FAIL {}", failure.message);
    }
    let total = rules.examples.len();
    println!(
        "{} passed, {} failed",
        total.saturating_sub(failures.len()),
        failures.len()
    );
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[derive(Default)]
struct Tally {
    files: usize,
    facts: usize,
    errors: usize,
    /// Failures reported as error records in the output (stream mode).
    recorded: usize,
    bytes: usize,
}

fn run(args: &RunArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let jobs = crate::setup::jobs(args.jobs);
    let options = options(args)?;
    let (inputs, total, skipped) = documents(args)?;
    let rules = crate::setup::rules_for_run(args.patterns.as_deref(), jobs, total)?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let mut sink = RunSink {
        facts: FactWriter::open(file_output(args.output.as_deref()), output_format(args))?,
        docs: args
            .docs
            .as_deref()
            .map(|path| DocWriter::open(path, docs_format(args, path)))
            .transpose()?,
        tally: Tally::default(),
        progress: progress_bar(args, total),
        quiet: args.quiet,
        // A pipeline reading our stdout sees each document's facts as soon as they exist.
        flush_each: args.input == InputMode::Jsonl,
    };
    // Written in input order, so the output is the same at any thread count.
    let work = |input: &Input| process(input, rules, &options);
    ordered::run(&pool, inputs, jobs * 4, work, &mut sink)?;
    let RunSink {
        facts,
        docs,
        tally,
        progress,
        ..
    } = sink;
    progress.finish_and_clear();
    facts.finish()?;
    if let Some(docs) = docs {
        docs.finish()?;
    }
    if !args.quiet {
        summary(&tally, &skipped, args.input, started);
    }
    // In stream mode a failure reported as a record is part of the output, not a failed
    // run: Spark's pipe and Hadoop streaming would kill the task over one bad document.
    Ok(if tally.errors > tally.recorded {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn options(args: &RunArgs) -> anyhow::Result<Options> {
    let encoding = match &args.encoding {
        Some(name) => Some(Legacy::from_name(name).with_context(|| {
            format!("unknown encoding {name:?} (expected tcvn3, vni, viscii or windows-1258)")
        })?),
        None => None,
    };
    let format = args.read_as.map(|f| match f {
        ReadAs::Text => Format::Text,
        ReadAs::Markdown => Format::Markdown,
        ReadAs::Docx => Format::Docx,
        ReadAs::Pdf => Format::Pdf,
        ReadAs::Doc => Format::Doc,
    });
    Ok(Options { encoding, format })
}

/// Files of walked folders that were not read, by kind (".rtf": 2).
type Skipped = std::collections::BTreeMap<String, usize>;

/// The documents of the run, sharded if asked, with their number when it is known
/// beforehand (paths; records on stdin come as they come), and the files skipped.
fn documents(args: &RunArgs) -> anyhow::Result<(Inputs, Option<usize>, Skipped)> {
    let mut skipped = Skipped::new();
    let all: Inputs = match args.input {
        InputMode::Jsonl if !args.paths.is_empty() => {
            anyhow::bail!("--input jsonl reads documents from stdin; give no paths")
        }
        InputMode::Jsonl => Box::new(inputs::records(io::BufReader::new(io::stdin()))),
        InputMode::Paths if args.paths.is_empty() => {
            anyhow::bail!("no input: give report files or folders, or `-` for stdin (see --help)")
        }
        InputMode::Paths => {
            let mut found = Vec::new();
            for input in args.paths.iter().flat_map(|p| inputs::expand(p)) {
                match input {
                    Input::Skipped(path) => {
                        *skipped.entry(inputs::kind_of(&path)).or_default() += 1;
                    }
                    input => found.push(input),
                }
            }
            Box::new(found.into_iter())
        }
    };
    let known = (args.input == InputMode::Paths).then(|| all.size_hint().0);
    let (inputs, total): (Inputs, Option<usize>) = match args.shard {
        Some((index, count)) => (
            Box::new(
                all.enumerate()
                    .filter(move |(i, _)| i % count == index)
                    .map(|(_, input)| input),
            ),
            known.map(|n| n / count + usize::from(index < n % count)),
        ),
        None => (all, known),
    };
    Ok((inputs, total, skipped))
}

type Inputs = Box<dyn Iterator<Item = Input> + Send>;

/// Read and extract one document; also says how many bytes it had (for throughput).
fn process(input: &Input, rules: &Rules, options: &Options) -> (usize, Result<Extraction, Error>) {
    match input.read() {
        Ok(bytes) => (
            bytes.len(),
            baocao::extract_bytes(&input.name(), &bytes, rules, options),
        ),
        Err(err) => (0, Err(err)),
    }
}

/// Writes each document's facts, record and warnings as it comes, in input order.
struct RunSink {
    facts: FactWriter,
    docs: Option<DocWriter>,
    tally: Tally,
    progress: indicatif::ProgressBar,
    quiet: bool,
    flush_each: bool,
}

impl ordered::Sink<Input, (usize, Result<Extraction, Error>)> for RunSink {
    type Error = anyhow::Error;

    fn done(
        &mut self,
        input: Input,
        (bytes, result): (usize, Result<Extraction, Error>),
    ) -> anyhow::Result<()> {
        self.tally.files += 1;
        self.tally.bytes += bytes;
        match result {
            Ok(extraction) => self.extraction(&extraction)?,
            Err(err) => {
                self.tally.errors += 1;
                let recorded =
                    input.is_record() && self.facts.error(&input.name(), &err.reason())?;
                if recorded {
                    self.tally.recorded += 1;
                } else {
                    eprintln!("extract: {err}");
                }
            }
        }
        self.progress.inc(1);
        if self.flush_each {
            self.facts.flush()?;
        }
        Ok(())
    }
}

impl RunSink {
    fn extraction(&mut self, extraction: &Extraction) -> anyhow::Result<()> {
        for (index, fact) in extraction.facts.iter().enumerate() {
            self.facts.fact(fact, index, &extraction.record)?;
        }
        self.tally.facts += extraction.facts.len();
        if !self.quiet {
            for warning in &extraction.record.warnings {
                eprintln!("extract: {}: warning: {warning}", extraction.record.doc);
            }
        }
        if let Some(docs) = self.docs.as_mut() {
            docs.record(&extraction.record)?;
        }
        Ok(())
    }
}

fn summary(tally: &Tally, skipped: &Skipped, input: InputMode, started: Instant) {
    let seconds = started.elapsed().as_secs_f64();
    let megabytes = tally.bytes as f64 / 1_000_000.0;
    let documents = match input {
        InputMode::Paths => counted(tally.files, "file", "files"),
        InputMode::Jsonl => counted(tally.files, "record", "records"),
    };
    eprintln!(
        "extract: {documents}{}, {}, {}, {:.2} s ({:.2} MB, {:.1} MB/s)",
        skipped_note(skipped),
        counted(tally.facts, "fact", "facts"),
        counted(tally.errors, "error", "errors"),
        seconds,
        megabytes,
        megabytes / seconds.max(1e-9)
    );
}

/// ", 3 skipped (2 .rtf, 1 .xls: not a report format)", or nothing.
fn skipped_note(skipped: &Skipped) -> String {
    let total: usize = skipped.values().sum();
    if total == 0 {
        return String::new();
    }
    let kinds: Vec<String> = skipped
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    format!(
        ", {total} skipped ({}: not a report format)",
        kinds.join(", ")
    )
}

/// The PDF crates panic on some malformed files; the library catches that and reports the
/// file as corrupt, so the panic's own message would only be noise on stderr. Panics
/// anywhere else are printed as usual.
fn quiet_pdf_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_pdf_crates = info.location().is_some_and(|l| {
            let file = l.file();
            file.contains("pdf-extract-") || file.contains("lopdf-")
        });
        if !in_pdf_crates {
            default(info);
        }
    }));
}

/// "1 file", "2 files".
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn progress_bar(args: &RunArgs, total: Option<usize>) -> indicatif::ProgressBar {
    // Only for runs over many files, seen by a person, and never on the terminal the facts
    // are written to.
    let many = args.input == InputMode::Jsonl
        || args.paths.len() > 20
        || args.paths.iter().any(|p| p.is_dir());
    let facts_on_terminal = to_stdout(args.output.as_deref()) && io::stdout().is_terminal();
    if args.quiet || !many || !io::stderr().is_terminal() || facts_on_terminal {
        return indicatif::ProgressBar::hidden();
    }
    let (bar, template) = match total {
        Some(total) => (
            indicatif::ProgressBar::new(total as u64),
            "{bar:30} {pos}/{len} documents {percent}% {elapsed} (ETA {eta})",
        ),
        None => (
            indicatif::ProgressBar::new_spinner(),
            "{spinner} {pos} documents {elapsed} ({per_sec})",
        ),
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// `--format`, else what the `-o` file's extension asks for ("facts.csv"), else JSON lines.
fn output_format(args: &RunArgs) -> OutputFormat {
    args.format
        .or_else(|| file_output(args.output.as_deref()).and_then(OutputFormat::from_path))
        .unwrap_or(OutputFormat::Jsonl)
}

/// The document records follow `--format`, else their own file's extension, else the facts'.
fn docs_format(args: &RunArgs, path: &Path) -> OutputFormat {
    args.format
        .or_else(|| OutputFormat::from_path(path))
        .unwrap_or_else(|| output_format(args))
}

/// `-o -`, or no `-o`: the facts go to stdout.
fn to_stdout(output: Option<&Path>) -> bool {
    file_output(output).is_none()
}

/// The file `-o` names, unless it names stdout (`-`).
fn file_output(output: Option<&Path>) -> Option<&Path> {
    output.filter(|path| *path != Path::new("-"))
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<csv::Error>()
                .is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe))
    })
}
