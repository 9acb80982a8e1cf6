//! Compiled automata kept between runs, in a store the caller gives (the library opens no
//! paths: the binary keeps them in a cache folder).
//!
//! Why: compiling a rule's patterns was nearly all of a short run's time (issue 13's
//! start-up), and every run compiled the same patterns again. An automaton is kept under
//! the text of what it was compiled from, checked on reading: a store may lose, mix up or
//! damage entries, and the worst that does is compiling again.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// Where compiled automata are kept: bytes under a key (a file name's worth of hex).
pub trait AutomatonStore: Send + Sync {
    /// What was saved under `key`, if anything.
    fn load(&self, key: &str) -> Option<Vec<u8>>;
    /// Save `bytes` under `key`; a store that cannot write drops them.
    fn save(&self, key: &str, bytes: &[u8]);
}

/// Opens every entry: the format's name and version.
const MAGIC: &[u8; 8] = b"baocao\x01\x03";

/// Each entry's checksum: CRC-32 of all that follows it (a short run sums megabytes of
/// automata before it reads its report; crc32fast reads several bytes a cycle).
const SUM_BYTES: usize = 4;

/// The store a rule set's patterns keep their automata in, once the caller names one; and
/// whether the run is very long, so that patterns asked where they match are better
/// compiled with the `regex` crate's own engine: it reads each report 3% faster than the
/// rules' automata with their prefix prefilters (measured on 150 variants of the real
/// report), but it costs more to compile than kept automata cost to read, and cannot be
/// kept. Past some 330 reports it pays.
#[derive(Default)]
pub struct Kept {
    store: OnceLock<Arc<dyn AutomatonStore>>,
    very_long_run: AtomicBool,
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kept")
            .field("store", &self.is_on())
            .field("very_long_run", &self.is_very_long_run())
            .finish()
    }
}

impl Kept {
    /// From now on, patterns asked where they match compile the `regex` crate's engine.
    pub fn set_very_long_run(&self) {
        self.very_long_run.store(true, Ordering::Relaxed);
    }

    pub fn is_very_long_run(&self) -> bool {
        self.very_long_run.load(Ordering::Relaxed)
    }

    /// Whether a store is named: automata are written for it only then.
    pub fn is_on(&self) -> bool {
        self.store.get().is_some()
    }

    /// Keep automata in `store` from now on (the first store named stays).
    pub fn set(&self, store: Arc<dyn AutomatonStore>) {
        let _ = self.store.set(store);
    }

    /// What was kept for `what` (the kind of automaton and the text it is compiled from).
    pub fn get(&self, what: &str) -> Option<Payload> {
        let store = self.store.get()?;
        let entry = store.load(&key(what))?;
        let rest = entry.strip_prefix(MAGIC)?;
        let (sum, rest) = rest.split_at_checked(SUM_BYTES)?;
        if sum != crc32fast::hash(rest).to_le_bytes() {
            return None;
        }
        let (len, rest) = rest.split_at_checked(4)?;
        let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
        let (kept_for, payload) = rest.split_at_checked(len)?;
        let start = entry.len() - payload.len();
        (kept_for == what.as_bytes()).then_some(Payload { entry, start })
    }

    /// Keep `payload` for `what`.
    pub fn put(&self, what: &str, payload: &[u8]) {
        let Some(store) = self.store.get() else {
            return;
        };
        let Ok(len) = u32::try_from(what.len()) else {
            return;
        };
        // The magic, a checksum of the rest (filled in last), then the rest.
        let summed = MAGIC.len() + SUM_BYTES;
        let mut entry = Vec::with_capacity(summed + 4 + what.len() + payload.len());
        entry.extend_from_slice(MAGIC);
        entry.extend_from_slice(&[0; SUM_BYTES]);
        entry.extend_from_slice(&len.to_le_bytes());
        entry.extend_from_slice(what.as_bytes());
        entry.extend_from_slice(payload);
        let sum = crc32fast::hash(&entry[summed..]).to_le_bytes();
        entry[MAGIC.len()..summed].copy_from_slice(&sum);
        store.save(&key(what), &entry);
    }
}

/// What an entry keeps, read in place (it is megabytes for a short run: not copied).
pub struct Payload {
    entry: Vec<u8>,
    start: usize,
}

impl std::ops::Deref for Payload {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.entry[self.start..]
    }
}

/// The key an entry is saved under: the library's version, a CRC of `what` and its length
/// (two texts under one key only take turns: `get` compares the whole text).
fn key(what: &str) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let crc = crc32fast::hash(what.as_bytes());
    format!("{version}-{crc:08x}{:06x}", what.len())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Mutex;

    /// A store in memory, for tests: its entries, and how many times one was saved.
    #[derive(Default)]
    pub(crate) struct Memory {
        entries: Mutex<HashMap<String, Vec<u8>>>,
        saves: AtomicUsize,
    }

    impl Memory {
        pub(crate) fn len(&self) -> usize {
            self.entries.lock().unwrap().len()
        }

        pub(crate) fn saves(&self) -> usize {
            self.saves.load(Ordering::Relaxed)
        }
    }

    impl AutomatonStore for Memory {
        fn load(&self, key: &str) -> Option<Vec<u8>> {
            self.entries.lock().unwrap().get(key).cloned()
        }
        fn save(&self, key: &str, bytes: &[u8]) {
            self.saves.fetch_add(1, Ordering::Relaxed);
            self.entries
                .lock()
                .unwrap()
                .insert(key.to_string(), bytes.to_vec());
        }
    }

    #[test]
    fn what_is_put_is_got_back_only_for_the_same_text_and_undamaged() {
        let memory = Arc::new(Memory::default());
        let kept = Kept::default();
        kept.put("engine i đạt", b"states");
        assert!(kept.get("engine i đạt").is_none(), "no store named yet");
        kept.set(memory.clone());
        kept.put("engine i đạt", b"states");
        assert_eq!(kept.get("engine i đạt").as_deref(), Some(&b"states"[..]));
        assert!(kept.get("engine i tăng").is_none());
        let key = key("engine i đạt");
        let mut entries = memory.entries.lock().unwrap();
        let entry = entries.get_mut(&key).unwrap();
        let last = entry.len() - 1;
        entry[last] ^= 1;
        drop(entries);
        assert!(
            kept.get("engine i đạt").is_none(),
            "a damaged entry is not used"
        );
    }
}
