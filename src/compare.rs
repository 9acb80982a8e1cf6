//! `extract compare`: one row per indicator, one column per reporting period. Placeholder.

use std::path::PathBuf;
use std::process::ExitCode;

/// Compare reports (or fact files) across periods.
#[derive(clap::Args)]
pub struct CompareArgs {
    /// Reports (any format baocao reads) or fact files (.jsonl written by extract).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

pub fn run(_args: &CompareArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("compare is not implemented yet")
}
