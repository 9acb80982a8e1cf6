//! Where documents come from: paths (files, folders walked, `-` for stdin) or, in stream
//! mode, one JSON record per line on stdin (`{"id": ..., "text": ...}` or `"path"`), the
//! contract of Spark's `RDD.pipe`, Hadoop streaming and most queue consumers.

use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

use baocao::Error;
use serde::Deserialize;

use baocao::READABLE;

/// One document to read, or one that could not be listed.
pub enum Input {
    File(PathBuf),
    Stdin,
    /// A stream record: its id names the document.
    Record {
        id: String,
        source: RecordSource,
    },
    Unreadable {
        name: String,
        reason: String,
        /// A stream line that is no document record.
        from_stream: bool,
    },
    /// A file of a walked folder in no format read: counted in the summary, not read.
    Skipped(PathBuf),
}

pub enum RecordSource {
    Text(String),
    Path(PathBuf),
}

impl Input {
    /// The name facts carry as `doc`.
    pub fn name(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Stdin => "-".to_string(),
            Input::Record { id, .. } => id.clone(),
            Input::Unreadable { name, .. } => name.clone(),
            Input::Skipped(path) => path.display().to_string(),
        }
    }

    /// Whether this came from a stream record (its failure is reported in the output).
    pub fn is_record(&self) -> bool {
        matches!(
            self,
            Input::Record { .. }
                | Input::Unreadable {
                    from_stream: true,
                    ..
                }
        )
    }

    /// The document's bytes.
    pub fn read(&self) -> Result<Vec<u8>, Error> {
        let name = self.name();
        let fail = |err: io::Error| Error::input(&name, io_reason(&err));
        match self {
            Input::File(path) => std::fs::read(path).map_err(fail),
            Input::Stdin => {
                let mut bytes = Vec::new();
                io::stdin().lock().read_to_end(&mut bytes).map_err(fail)?;
                Ok(bytes)
            }
            Input::Record {
                source: RecordSource::Text(text),
                ..
            } => Ok(text.clone().into_bytes()),
            Input::Record {
                source: RecordSource::Path(path),
                ..
            } => std::fs::read(path).map_err(fail),
            Input::Unreadable { reason, .. } => Err(Error::input(&name, reason.clone())),
            Input::Skipped(_) => Err(Error::input(&name, "not a report format")),
        }
    }
}

/// A path argument as the documents it names.
pub fn expand(path: &Path) -> Vec<Input> {
    if path.as_os_str() == "-" {
        return vec![Input::Stdin];
    }
    let unreadable = |reason: String| Input::Unreadable {
        name: path.display().to_string(),
        reason,
        from_stream: false,
    };
    match std::fs::metadata(path) {
        Err(err) => vec![unreadable(io_reason(&err))],
        Ok(meta) if meta.is_dir() => {
            let files = walk(path);
            if files.iter().all(|f| matches!(f, Input::Skipped(_))) {
                let mut none = vec![unreadable(format!(
                    "folder holds no readable reports ({})",
                    baocao::readable_list()
                ))];
                none.extend(files);
                none
            } else {
                files
            }
        }
        Ok(_) => vec![Input::File(path.to_path_buf())],
    }
}

/// Files of a folder in a stable order (by name, depth first), whatever the file system;
/// files in no format read come as skipped, so the summary can count them.
fn walk(dir: &Path) -> Vec<Input> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|entry| match entry {
            Ok(e) if e.file_type().is_file() && readable(e.path()) => {
                Some(Input::File(e.into_path()))
            }
            Ok(e) if e.file_type().is_file() => Some(Input::Skipped(e.into_path())),
            Ok(_) => None,
            Err(err) => Some(Input::Unreadable {
                name: err.path().unwrap_or(dir).display().to_string(),
                reason: err.io_error().map_or_else(|| err.to_string(), io_reason),
                from_stream: false,
            }),
        })
        .collect()
}

fn readable(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| READABLE.contains(&e.to_ascii_lowercase().as_str()))
}

/// How a skipped file is counted: its extension in lower case, ".rtf", or "no extension".
pub fn kind_of(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).map_or_else(
        || "no extension".to_string(),
        |e| format!(".{}", e.to_ascii_lowercase()),
    )
}

/// A short, stable reason for an I/O failure.
pub fn io_reason(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::InvalidData => "not readable as bytes".to_string(),
        _ => err.to_string(),
    }
}

#[derive(Deserialize)]
struct Record {
    id: serde_json::Value,
    text: Option<String>,
    path: Option<PathBuf>,
}

/// Stream-mode records, one per line of stdin; a bad line becomes an unreadable input
/// named after its line, so the run goes on.
pub fn records(reader: impl BufRead) -> impl Iterator<Item = Input> {
    reader.lines().enumerate().filter_map(|(index, line)| {
        let name = format!("stdin:{}", index + 1);
        let line = match line {
            Ok(line) if line.trim().is_empty() => return None,
            Ok(line) => line,
            Err(err) => {
                return Some(Input::Unreadable {
                    name,
                    reason: io_reason(&err),
                    from_stream: true,
                })
            }
        };
        Some(
            record(&line).unwrap_or_else(|(id, reason)| Input::Unreadable {
                name: id.unwrap_or(name),
                reason,
                from_stream: true,
            }),
        )
    })
}

/// A record, or (its id if it has one, why it is no document).
fn record(line: &str) -> Result<Input, (Option<String>, String)> {
    let record: Record =
        serde_json::from_str(line).map_err(|e| (None, format!("not a document record: {e}")))?;
    let id = match record.id {
        serde_json::Value::String(id) => id,
        other => other.to_string(),
    };
    let source = match (record.text, record.path) {
        (Some(text), _) => RecordSource::Text(text),
        (None, Some(path)) => RecordSource::Path(path),
        (None, None) => {
            return Err((
                Some(id),
                "record has neither \"text\" nor \"path\"".to_string(),
            ))
        }
    };
    Ok(Input::Record { id, source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_text_or_path_and_name_bad_lines() {
        let input = "{\"id\": \"a\", \"text\": \"x\"}\n\n{\"id\": 7, \"path\": \"r.txt\"}\nnot json\n{\"id\": \"b\"}\n";
        let names: Vec<String> = records(input.as_bytes()).map(|i| i.name()).collect();
        assert_eq!(names, ["a", "7", "stdin:4", "b"]);
    }
}
