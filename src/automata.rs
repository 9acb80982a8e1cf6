//! Where the rules' compiled automata are kept between runs: a cache folder of files, one
//! per automaton (see `baocao::rules::AutomatonStore`).
//!
//! `BAOCAO_CACHE` names the folder; empty, it keeps none. Else `$XDG_CACHE_HOME/baocao`,
//! else `~/.cache/baocao`. An entry that cannot be read or written is compiled again: the
//! cache only ever saves time.
//!
//! Each edit of the rules (and each release) compiles new entries beside the old ones, so
//! a run that writes one first prunes the folder to [`KEEP_BYTES`], the entries written
//! longest ago first: a run that only reads leaves the folder as it is.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use baocao::rules::AutomatonStore;

pub struct CacheFolder(PathBuf);

impl CacheFolder {
    /// The folder the environment names, if any.
    pub fn from_env() -> Option<CacheFolder> {
        let var = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
        if let Some(asked) = std::env::var_os("BAOCAO_CACHE") {
            return (!asked.is_empty()).then(|| CacheFolder(PathBuf::from(asked)));
        }
        let base = var("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| var("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
        Some(CacheFolder(base.join("baocao")))
    }
}

impl AutomatonStore for CacheFolder {
    fn load(&self, key: &str) -> Option<Vec<u8>> {
        std::fs::read(self.0.join(key)).ok()
    }

    /// Written beside (under a name no other process or thread writes), then renamed: a
    /// run reading the same entry meanwhile sees all of it or none.
    fn save(&self, key: &str, bytes: &[u8]) {
        static SAVES: AtomicUsize = AtomicUsize::new(0);
        let save = SAVES.fetch_add(1, Ordering::Relaxed);
        if save == 0 {
            prune(&self.0, KEEP_BYTES, SystemTime::now());
        }
        let partial = self
            .0
            .join(format!("{key}.{}.{save}.partial", std::process::id()));
        let written = std::fs::create_dir_all(&self.0)
            .and_then(|()| std::fs::write(&partial, bytes))
            .and_then(|()| std::fs::rename(&partial, self.0.join(key)));
        if written.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
    }
}

/// What the folder may hold: some ten versions of the whole shipped rule set (one is about
/// 14 MB once every pattern has been used).
const KEEP_BYTES: u64 = 160 << 20;

/// A half-written entry this old was left by a run that stopped: no writer takes so long.
const ABANDONED: Duration = Duration::from_secs(600);

/// Remove entries, the least recently written first, until the folder's entries take at
/// most `keep` bytes, and half-written ones abandoned before `now`. Only files named as
/// this module names them are touched: the folder may be one the user shares.
fn prune(folder: &Path, keep: u64, now: SystemTime) {
    let Ok(listing) = std::fs::read_dir(folder) else {
        return;
    };
    let mut entries = Vec::new();
    for item in listing.flatten() {
        let name = item.file_name();
        let Some(name) = name.to_str() else { continue };
        let Ok(meta) = item.metadata() else { continue };
        let written = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        match file_kind(name) {
            Some(Kind::Entry) => entries.push((written, meta.len(), item.path())),
            Some(Kind::Partial) if now.duration_since(written).unwrap_or_default() > ABANDONED => {
                let _ = std::fs::remove_file(item.path());
            }
            _ => {}
        }
    }
    entries.sort();
    let mut total: u64 = entries.iter().map(|(_, len, _)| len).sum();
    for (_, len, path) in entries {
        if total <= keep {
            break;
        }
        if std::fs::remove_file(path).is_ok() {
            total -= len;
        }
    }
}

#[derive(Debug, PartialEq)]
enum Kind {
    Entry,
    Partial,
}

/// Whether `name` is an entry (`VERSION-HEX`: `0.1.0-0a1b2c3d00f00d`, or with a
/// pre-release version, `0.2.0-beta.1-0a1b2c3d00f00d`) or one being written (the same,
/// then `.PID.N.partial`).
fn file_kind(name: &str) -> Option<Kind> {
    let (version, rest) = name.rsplit_once('-')?;
    let (release, pre_release) = version.split_once('-').unwrap_or((version, "a"));
    let version_ok = release.split('.').count() == 3
        && release
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
        && !pre_release.is_empty()
        && pre_release
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    let (hex, tail) = rest.split_once('.').unwrap_or((rest, ""));
    let hex_ok = (8..=16).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit());
    if !version_ok || !hex_ok {
        return None;
    }
    if tail.is_empty() {
        return Some(Kind::Entry);
    }
    let mut parts = tail.split('.');
    let numbers = parts
        .by_ref()
        .take(2)
        .filter(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    (numbers.count() == 2 && parts.next() == Some("partial") && parts.next().is_none())
        .then_some(Kind::Partial)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_named_as_entries_are_ours() {
        assert_eq!(file_kind("0.1.0-0a1b2c3d00f00d"), Some(Kind::Entry));
        assert_eq!(file_kind("0.1.0-78ebf99f62b4719b"), Some(Kind::Entry));
        assert_eq!(
            file_kind("0.1.0-0a1b2c3d00f00d.4242.0.partial"),
            Some(Kind::Partial)
        );
        assert_eq!(file_kind("0.2.0-beta.1-0a1b2c3d00f00d"), Some(Kind::Entry));
        assert_eq!(file_kind("1.0.0-rc-2-0a1b2c3d00f00d"), Some(Kind::Entry));
        assert_eq!(
            file_kind("0.2.0-beta.1-0a1b2c3d00f00d.7.3.partial"),
            Some(Kind::Partial)
        );
        for foreign in [
            "notes.txt",
            "0.1.0-xyz",
            "0.1-0a1b2c3d00f00d",
            "0.1.0-0a1b2c3d00f00d.partial",
            "0.1.0-0a1b2c3d00f00d.1.2.partial.bak",
            "v0.1.0-0a1b2c3d00f00d",
            "0.1.0--0a1b2c3d00f00d",
            "0.1.0-be ta-0a1b2c3d00f00d",
        ] {
            assert_eq!(file_kind(foreign), None, "{foreign}");
        }
    }

    #[test]
    fn pruning_removes_the_oldest_entries_and_abandoned_partials_only() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, len: usize, age_secs: u64| {
            let path = dir.path().join(name);
            std::fs::write(&path, vec![0u8; len]).unwrap();
            let written = SystemTime::now() - Duration::from_secs(age_secs);
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            file.set_modified(written).unwrap();
        };
        write("0.1.0-00000000000001", 100, 3000);
        write("0.1.0-00000000000002", 100, 2000);
        write("0.1.0-00000000000003", 100, 1000);
        write("0.1.0-00000000000004.7.0.partial", 10, 3600);
        write("0.1.0-00000000000005.7.1.partial", 10, 5);
        write("someone-elses.file", 1000, 9000);
        prune(dir.path(), 250, SystemTime::now());
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|item| item.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "0.1.0-00000000000002",
                "0.1.0-00000000000003",
                "0.1.0-00000000000005.7.1.partial",
                "someone-elses.file",
            ]
        );
    }
}
