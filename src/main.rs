//! The `extract` binary: flags, files, threads, stdout and exit codes. All the work is
//! done by the `baocao` library; see `cli.rs` for the wiring.

mod cli;
mod compare;

fn main() -> std::process::ExitCode {
    cli::main()
}
