//! Where the rules' compiled automata are kept between runs: a cache folder of files, one
//! per automaton (see `baocao::rules::AutomatonStore`).
//!
//! `BAOCAO_CACHE` names the folder; empty, it keeps none. Else `$XDG_CACHE_HOME/baocao`,
//! else `~/.cache/baocao`. An entry that cannot be read or written is compiled again: the
//! cache only ever saves time.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

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
