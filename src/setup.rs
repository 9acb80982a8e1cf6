//! What every subcommand needs before it reads a document: the rules, loaded and checked,
//! and a worker count.

use std::path::Path;

use baocao::{Error, Rules};

/// Load the shipped rules or a user's rule folder; invalid rules are a usage error.
pub fn load_rules(dir: Option<&Path>) -> anyhow::Result<Rules> {
    let rules = match dir {
        Some(dir) => Rules::from_dir(dir),
        None => Rules::embedded(),
    };
    rules.map_err(|err| match err {
        Error::Rules(_) => anyhow::anyhow!("invalid rule files:\n{err}"),
        other => other.into(),
    })
}

/// `-j N`: at least one thread.
pub fn parse_jobs(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("need at least one worker thread".into()),
        Ok(jobs) => Ok(jobs),
        Err(_) => Err("expected a whole number of threads".into()),
    }
}
