//! What every subcommand needs before it reads a document: the rules, loaded and checked,
//! and a worker count.

use std::path::Path;

use anyhow::Context;
use baocao::{Error, Rules};

use crate::automata::CacheFolder;

/// Load the shipped rules or a user's rule folder; invalid rules are a usage error.
pub fn load_rules(dir: Option<&Path>) -> anyhow::Result<Rules> {
    load(dir, Rules::embedded)
}

/// The same, with every check loading can run made on the shipped rules too (which a run
/// skips: the test suite has made them): for `extract rules test`.
pub fn load_checked_rules(dir: Option<&Path>) -> anyhow::Result<Rules> {
    load(dir, || Rules::from_sources(&Rules::embedded_sources()))
}

fn load(dir: Option<&Path>, shipped: fn() -> baocao::Result<Rules>) -> anyhow::Result<Rules> {
    let rules = match dir {
        Some(dir) => Rules::from_sources(&read_rule_files(dir)?),
        None => shipped(),
    };
    let rules = rules.map_err(|err| match err {
        Error::Rules(_) => anyhow::anyhow!("invalid rule files:\n{err}"),
        other => other.into(),
    })?;
    if let Some(folder) = CacheFolder::from_env() {
        rules.keep_automata_in(std::sync::Arc::new(folder));
    }
    Ok(rules)
}

/// Runs over at least this many documents screen the measure rules from the first one.
const LONG_RUN_DOCUMENTS: usize = 8;

/// Runs over at least this many documents search with the `regex` crate's engine: per
/// report 3% fewer instructions than the rules' own automata with their prefilters, but
/// compiled afresh by each run, at the cost of some 330 reports (150 variants of the
/// real report, callgrind).
const VERY_LONG_RUN_DOCUMENTS: usize = 400;

/// The rules for a run over `documents` (`None`: not known, as for a stream) with `jobs`
/// worker threads, kept for the rest of the process. Patterns compile on first use.
/// - A long run compiles the measure rules' screen first: it soon pays for itself, and
///   measure rules that never fit the text are then never compiled. A very long one's
///   patterns asked where they match compile the `regex` crate's engine (see
///   `Rules::for_very_long_run`).
/// - A short one leaves it (one short report is read faster without), and with more than
///   one worker a thread of its own compiles the patterns meanwhile, so that the report
///   need not wait for them one by one. A run that ends first does not wait for it.
pub fn rules_for_run(
    dir: Option<&Path>,
    jobs: usize,
    documents: Option<usize>,
) -> anyhow::Result<&'static Rules> {
    let rules: &'static Rules = Box::leak(Box::new(load_rules(dir)?));
    let documents = documents.unwrap_or(usize::MAX);
    if documents >= VERY_LONG_RUN_DOCUMENTS {
        rules.for_very_long_run();
    } else if documents >= LONG_RUN_DOCUMENTS {
        rules.for_long_run();
    } else if jobs > 1 {
        std::thread::spawn(|| rules.warm_up());
    }
    Ok(rules)
}

/// The worker threads a run gets: as asked, else one per core.
pub fn jobs(asked: Option<usize>) -> usize {
    asked.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Every `*.toml` of a folder (a replacement for the shipped set), as (path, contents)
/// in path order.
fn read_rule_files(dir: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let mut sources = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot read {}", dir.display()))?
            .path();
        if path.extension().is_some_and(|ext| ext == "toml") {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            sources.push((path.display().to_string(), text));
        }
    }
    sources.sort();
    Ok(sources)
}

/// `-j N`: at least one thread.
pub fn parse_jobs(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("need at least one worker thread".into()),
        Ok(jobs) => Ok(jobs),
        Err(_) => Err("expected a whole number of threads".into()),
    }
}
