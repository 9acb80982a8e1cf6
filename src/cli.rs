//! Flags (clap), inputs, parallelism (rayon), output and exit codes.
//!
//! Exit 0: everything processed. 1: some input failed (named on stderr; every other
//! input's facts are still written). 2: bad usage or bad rule files. A closed stdout
//! (`| head`) ends the run quietly with 0.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use baocao::{check, DocRecord, Error, Extraction, Legacy, Options, Rules};
use clap::{Args, Parser, Subcommand};
use rayon::prelude::*;

const EXAMPLES: &str = "\
Examples:
  extract corpus/*.txt > facts.jsonl          facts of every report, one JSON object per line
  extract corpus/ --docs docs.jsonl -o facts.jsonl
                                              walk a folder; also write one record per report
  extract --jobs 1 report.txt | head          first facts of one report
  cat report.txt | extract -                  read standard input
  extract --patterns my-patterns/ corpus/     use your own rule files instead of the shipped ones
  extract rules test my-patterns/             run the examples of your rule files";

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
    /// Report files or folders (walked for .txt, .md, .markdown, .docx); `-` reads stdin.
    paths: Vec<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(short, long)]
    jobs: Option<usize>,
    /// Also write one JSON record per document (title, period, issuer, counts) to FILE.
    #[arg(long, value_name = "FILE")]
    docs: Option<PathBuf>,
    /// Use the rule files in DIR instead of the shipped ones.
    #[arg(long, value_name = "DIR")]
    patterns: Option<PathBuf>,
    /// Read inputs in this legacy encoding: tcvn3, vni, viscii, windows-1258.
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,
    /// Write facts to FILE (atomically, via a temporary file) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// No summary line and no progress bar on stderr.
    #[arg(short, long)]
    quiet: bool,
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
}

#[derive(Subcommand)]
enum RulesAction {
    /// Run every example of the rule files in DIR (default: the shipped rules).
    Test { dir: Option<PathBuf> },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Compare(args)) => crate::compare::run(&args),
        Some(Command::Rules {
            action: RulesAction::Test { dir },
        }) => test_rules(dir.as_deref()),
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

fn load_rules(dir: Option<&Path>) -> anyhow::Result<Rules> {
    let rules = match dir {
        Some(dir) => Rules::from_dir(dir),
        None => Rules::embedded(),
    };
    rules.map_err(|err| match err {
        Error::Rules(_) => anyhow::anyhow!("invalid rule files:\n{err}"),
        other => other.into(),
    })
}

fn test_rules(dir: Option<&Path>) -> anyhow::Result<ExitCode> {
    let rules = load_rules(dir)?;
    let failures = check::run(&rules);
    for failure in &failures {
        println!("FAIL {}", failure.message);
    }
    let total = rules.examples.len();
    println!(
        "{} passed, {} failed",
        total - failures.len().min(total),
        failures.len()
    );
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// One input: a file, stdin, or a path that could not be listed.
enum Input {
    File(PathBuf),
    Stdin,
    Unreadable { name: String, reason: String },
}

impl Input {
    fn name(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Stdin => "-".to_string(),
            Input::Unreadable { name, .. } => name.clone(),
        }
    }
}

fn run(args: &RunArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let rules = load_rules(args.patterns.as_deref())?;
    let encoding = match &args.encoding {
        Some(name) => Some(Legacy::from_name(name).with_context(|| {
            format!("unknown encoding {name:?} (expected tcvn3, vni, viscii or windows-1258)")
        })?),
        None => None,
    };
    let options = Options {
        encoding,
        format: None,
    };
    if args.paths.is_empty() {
        anyhow::bail!("no input: give report files or folders, or `-` for stdin (see --help)");
    }
    let inputs: Vec<Input> = args.paths.iter().flat_map(|p| expand(p)).collect();
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let mut sink = Sink::open(args)?;
    let progress = progress_bar(inputs.len(), args.quiet);
    let mut tally = Tally::default();
    // Documents run in parallel a window at a time and are written in argument order, so
    // the output is the same at any thread count and memory stays bounded.
    for window in inputs.chunks(jobs * 4) {
        let results: Vec<Result<Extraction, Error>> = pool.install(|| {
            window
                .par_iter()
                .map(|input| process(input, &rules, &options))
                .collect()
        });
        for result in results {
            sink.write(result, &mut tally)?;
            progress.inc(1);
        }
    }
    progress.finish_and_clear();
    sink.finish()?;
    if !args.quiet {
        eprintln!(
            "extract: {} files, {} facts, {} errors, {:.2} s",
            tally.files,
            tally.facts,
            tally.errors,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(if tally.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Formats read from a folder.
const READABLE: [&str; 4] = ["txt", "md", "markdown", "docx"];

fn expand(path: &Path) -> Vec<Input> {
    if path.as_os_str() == "-" {
        return vec![Input::Stdin];
    }
    let unreadable = |reason: String| Input::Unreadable {
        name: path.display().to_string(),
        reason,
    };
    match std::fs::metadata(path) {
        Err(err) => vec![unreadable(io_reason(&err))],
        Ok(meta) if meta.is_dir() => {
            let files: Vec<Input> = walkdir::WalkDir::new(path)
                .sort_by_file_name()
                .into_iter()
                .filter_map(|entry| match entry {
                    Ok(e) if e.file_type().is_file() && readable(e.path()) => {
                        Some(Input::File(e.into_path()))
                    }
                    Ok(_) => None,
                    Err(err) => Some(Input::Unreadable {
                        name: err
                            .path()
                            .map_or(path.display().to_string(), |p| p.display().to_string()),
                        reason: err.to_string(),
                    }),
                })
                .collect();
            if files.is_empty() {
                vec![unreadable(
                    "folder holds no readable reports (.txt, .md, .markdown, .docx)".into(),
                )]
            } else {
                files
            }
        }
        Ok(_) => vec![Input::File(path.to_path_buf())],
    }
}

fn readable(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| READABLE.contains(&e.to_ascii_lowercase().as_str()))
}

fn io_reason(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => err.to_string(),
    }
}

fn process(input: &Input, rules: &Rules, options: &Options) -> Result<Extraction, Error> {
    let name = input.name();
    let bytes = match input {
        Input::File(path) => std::fs::read(path).map_err(|e| Error::input(&name, io_reason(&e)))?,
        Input::Stdin => {
            let mut bytes = Vec::new();
            io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| Error::input(&name, io_reason(&e)))?;
            bytes
        }
        Input::Unreadable { reason, .. } => return Err(Error::input(&name, reason.clone())),
    };
    baocao::extract_bytes(&name, &bytes, rules, options)
}

#[derive(Default)]
struct Tally {
    files: usize,
    facts: usize,
    errors: usize,
}

/// Where facts and document records go.
struct Sink {
    facts: BufWriter<Box<dyn Write>>,
    docs: Option<BufWriter<File>>,
    /// (temporary, final) path when writing to `-o FILE`.
    rename: Option<(PathBuf, PathBuf)>,
}

impl Sink {
    fn open(args: &RunArgs) -> anyhow::Result<Sink> {
        let (facts, rename): (Box<dyn Write>, _) = match &args.output {
            Some(path) => {
                let temporary = temporary_path(path);
                let file = File::create(&temporary)
                    .with_context(|| format!("cannot write {}", temporary.display()))?;
                (Box::new(file), Some((temporary, path.clone())))
            }
            None => (Box::new(io::stdout().lock()), None),
        };
        let docs = match &args.docs {
            Some(path) => {
                Some(BufWriter::new(File::create(path).with_context(|| {
                    format!("cannot write {}", path.display())
                })?))
            }
            None => None,
        };
        Ok(Sink {
            facts: BufWriter::new(facts),
            docs,
            rename,
        })
    }

    fn write(
        &mut self,
        result: Result<Extraction, Error>,
        tally: &mut Tally,
    ) -> anyhow::Result<()> {
        tally.files += 1;
        match result {
            Ok(extraction) => {
                for fact in &extraction.facts {
                    let mut line = serde_json::to_string(fact)?;
                    line.push('\n');
                    self.facts.write_all(line.as_bytes())?;
                }
                tally.facts += extraction.facts.len();
                for warning in &extraction.record.warnings {
                    eprintln!("extract: {}: warning: {warning}", extraction.record.doc);
                }
                self.write_record(&extraction.record)?;
            }
            Err(err) => {
                tally.errors += 1;
                eprintln!("extract: {err}");
            }
        }
        Ok(())
    }

    fn write_record(&mut self, record: &DocRecord) -> anyhow::Result<()> {
        if let Some(docs) = &mut self.docs {
            let mut line = serde_json::to_string(record)?;
            line.push('\n');
            docs.write_all(line.as_bytes())?;
        }
        Ok(())
    }

    fn finish(mut self) -> anyhow::Result<()> {
        self.facts.flush()?;
        if let Some(docs) = &mut self.docs {
            docs.flush()?;
        }
        drop(self.facts);
        if let Some((temporary, path)) = self.rename {
            std::fs::rename(&temporary, &path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    }
}

fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or("facts".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

fn progress_bar(total: usize, quiet: bool) -> indicatif::ProgressBar {
    // Only for long runs seen by a person.
    if quiet || total < 50 || !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
