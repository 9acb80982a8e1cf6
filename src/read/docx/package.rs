//! The zip: parts read with size limits, encrypted and OLE files told apart.

use super::*;

/// The zip, read part by part within the size limits.
pub(super) struct Package<'a> {
    pub(super) archive: ZipArchive<Cursor<&'a [u8]>>,
    pub(super) unpacked: u64,
}

impl<'a> Package<'a> {
    pub(super) fn open(bytes: &'a [u8]) -> Result<Package<'a>, String> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
        Ok(Package {
            archive,
            unpacked: 0,
        })
    }

    /// A part's text, or None when the zip does not hold it.
    pub(super) fn read(&mut self, name: &str) -> Result<Option<String>, String> {
        let mut file = match self.archive.by_name(name) {
            Ok(file) => file,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(ZipError::UnsupportedArchive(why)) if why == ZipError::PASSWORD_REQUIRED => {
                return Err(ENCRYPTED.to_string())
            }
            Err(error) => return Err(corrupt(error)),
        };
        let too_big = || {
            format!(
                "DOCX part {name} unpacks to more than {} MiB (a zip bomb?), not read",
                MAX_PART >> 20
            )
        };
        // The declared size can lie, so the read itself is bounded too.
        if file.size() > MAX_PART {
            return Err(too_big());
        }
        let budget = MAX_PART.min(MAX_TOTAL.saturating_sub(self.unpacked));
        let mut data = Vec::new();
        (&mut file)
            .take(budget + 1)
            .read_to_end(&mut data)
            .map_err(|e| format!("corrupt DOCX: {name}: {e}"))?;
        if data.len() as u64 > budget {
            return Err(if budget < MAX_PART {
                format!(
                    "DOCX parts unpack to more than {} MiB in all (a zip bomb?), not read",
                    MAX_TOTAL >> 20
                )
            } else {
                too_big()
            });
        }
        self.unpacked += data.len() as u64;
        let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&data);
        String::from_utf8(data.to_vec())
            .map(Some)
            .map_err(|_| format!("corrupt DOCX: {name} is not UTF-8 XML"))
    }
}

pub(super) fn corrupt(error: ZipError) -> String {
    format!("corrupt DOCX: {error}")
}
