//! Counts and runs of bytes as kept automata carry them beside the automaton (a pattern's
//! prefixes, the screen's plan): little-endian `u32`s, each run after its length.

/// Appends `n` as a `u32`; `None` if it does not fit one.
pub fn put_count(out: &mut Vec<u8>, n: usize) -> Option<()> {
    out.extend_from_slice(&u32::try_from(n).ok()?.to_le_bytes());
    Some(())
}

/// Appends `bytes` after their length.
pub fn put_run(out: &mut Vec<u8>, bytes: &[u8]) -> Option<()> {
    put_count(out, bytes.len())?;
    out.extend_from_slice(bytes);
    Some(())
}

/// Reads what `put_count` and `put_run` wrote; every read is `None` past the end.
pub struct Reader<'b>(pub &'b [u8]);

impl<'b> Reader<'b> {
    pub fn u32(&mut self) -> Option<u32> {
        let (head, rest) = self.0.split_first_chunk::<4>()?;
        self.0 = rest;
        Some(u32::from_le_bytes(*head))
    }

    pub fn index(&mut self) -> Option<usize> {
        self.u32().map(|n| n as usize)
    }

    pub fn run(&mut self) -> Option<&'b [u8]> {
        let len = self.index()?;
        let (run, rest) = self.0.split_at_checked(len)?;
        self.0 = rest;
        Some(run)
    }

    /// A count of items that take `size` bytes at least each: refused if the bytes left
    /// cannot hold them, before anything is allocated for them.
    pub fn count(&mut self, size: usize) -> Option<usize> {
        let count = self.index()?;
        self.holds(count, size).then_some(count)
    }

    /// Whether the bytes left can hold `count` items of `size` bytes at least each.
    pub fn holds(&self, count: usize, size: usize) -> bool {
        count <= self.0.len() / size.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_runs_are_read_back_as_written() {
        let mut out = Vec::new();
        put_count(&mut out, 7).unwrap();
        put_run(&mut out, b"abc").unwrap();
        let mut reader = Reader(&out);
        assert_eq!(reader.u32(), Some(7));
        assert_eq!(reader.run(), Some(&b"abc"[..]));
        assert_eq!(reader.u32(), None, "nothing past the end");
    }

    #[test]
    fn a_count_the_bytes_cannot_hold_is_refused() {
        let mut out = Vec::new();
        put_count(&mut out, 3).unwrap();
        out.extend_from_slice(&[0; 8]);
        assert_eq!(Reader(&out).count(4), None);
        assert_eq!(Reader(&out).count(2), Some(3));
    }
}
