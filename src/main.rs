//! The `extract` binary: flags, files, threads, stdout and exit codes. All the work on a
//! document is done by the `baocao` library.

mod automata;
mod cli;
mod compare;
mod inputs;
mod ordered;
mod output;
mod setup;

fn main() -> std::process::ExitCode {
    cli::main()
}
