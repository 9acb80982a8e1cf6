//! The integration tests, one binary: linked once, the shipped rules compiled once for
//! all of them, and their threads kept busy together rather than file after file.

mod cli;
mod common;
mod compare;
mod formats;
mod header;
mod hostile;
mod properties;
mod regressions;
mod sentences;
mod snapshots;
