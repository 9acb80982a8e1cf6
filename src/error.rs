//! The library's error type: every error names where it happened, as `path:line: message`
//! (or `path: message` when no line applies), lowercase, without a trailing period.

use std::fmt;

/// A problem at one place in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input could not be read as a report.
    #[error("{0}")]
    Input(Problem),
    /// Rule files are invalid; every problem found is listed.
    #[error("{}", list(.0))]
    Rules(Vec<Problem>),
}

impl Error {
    pub fn input(path: &str, message: impl Into<String>) -> Error {
        Error::Input(Problem {
            path: path.to_string(),
            line: None,
            message: message.into(),
        })
    }

    /// What went wrong, without the place (for records that name the document already).
    pub fn reason(&self) -> String {
        match self {
            Error::Input(problem) => problem.message.clone(),
            Error::Rules(problems) => list(problems),
        }
    }
}

fn list(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems.iter().map(Problem::to_string).collect();
    lines.join("\n")
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
