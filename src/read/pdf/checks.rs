//! Checks before the crates see a PDF: every Flate stream inflated with a cap (compression
//! bombs), the page tree, inherited attributes and form XObjects walked once for cycles.

use std::collections::HashSet;
use std::io::Read;

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::read::{MAX_PART, MAX_TOTAL};

/// Most objects visited when looking for cycles.
const MAX_VISITS: usize = 1_000_000;
/// Filters nested in one stream that are inflated in turn (`[/FlateDecode /FlateDecode]`).
const MAX_NESTING: usize = 4;

/// Inflate every Flate stream of the file with a cap, without keeping the output (unless a
/// second filter is to be inflated after it).
pub(super) fn check_streams(bytes: &[u8]) -> Result<(), String> {
    let mut total = 0u64;
    let finder = memchr::memmem::Finder::new(b"stream");
    let mut at = 0;
    while let Some(found) = finder.find(&bytes[at..]) {
        let start = at + found + b"stream".len();
        at = start;
        // "endstream" contains "stream": skip it, and "stream" inside a word.
        if bytes[..start - 6].ends_with(b"end") || is_image(&bytes[..start]) {
            continue;
        }
        let body = match bytes[start..] {
            [b'\r', b'\n', ..] => &bytes[start + 2..],
            [b'\n', ..] | [b'\r', ..] => &bytes[start + 1..],
            _ => continue,
        };
        total += inflated_size(body, 0)?;
        if total > MAX_TOTAL {
            return Err(bomb(MAX_TOTAL, "all streams"));
        }
    }
    Ok(())
}

/// Images emptied (pdf-extract would unpack one a page draws and read it as page content: a
/// scan's page would be slow garbage, not "no text layer"), and every other stream, as
/// lopdf parsed it, held to the caps again: the byte scan before may have taken a stream
/// for an image that is none.
pub(super) fn blank_images_and_check_streams(doc: &mut Document) -> Result<(), String> {
    let mut total = 0u64;
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let image = stream
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|name| name == b"Image");
        if image {
            stream.dict.remove(b"Filter");
            stream.dict.remove(b"DecodeParms");
            stream.set_plain_content(Vec::new());
            continue;
        }
        total += inflated_size(&stream.content, 0)?;
        if total > MAX_TOTAL {
            return Err(bomb(MAX_TOTAL, "all streams"));
        }
    }
    Ok(())
}

/// Whether the dictionary before a stream says it is an image: images are not unpacked
/// here (a scan's pages may well unpack to more than the caps, and take long), and are
/// emptied once lopdf has parsed the file.
fn is_image(before: &[u8]) -> bool {
    let window = &before[before.len().saturating_sub(2048)..];
    let dict = match memchr::memmem::rfind(window, b"obj") {
        Some(at) => &window[at..],
        None => window,
    };
    memchr::memmem::find(dict, b"/Image").is_some()
}

/// The unpacked size of a zlib stream at the start of `body` (0 when it is none).
fn inflated_size(body: &[u8], depth: usize) -> Result<u64, String> {
    if !is_zlib(body) {
        return Ok(0);
    }
    let mut decoder = flate2::read::ZlibDecoder::new(body);
    let mut head = [0u8; 2];
    let mut size = 0u64;
    let mut buffer = vec![0u8; 64 * 1024];
    let mut kept = Vec::new();
    loop {
        let n = match decoder.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            // A corrupt stream is lopdf's to report; what it holds so far is counted.
            Err(_) => break,
        };
        if size == 0 && n >= 2 {
            head.copy_from_slice(&buffer[..2]);
        }
        size += n as u64;
        if size > MAX_PART {
            return Err(bomb(MAX_PART, "one stream"));
        }
        if is_zlib(&head) && depth < MAX_NESTING {
            kept.extend_from_slice(&buffer[..n]);
        }
    }
    if !kept.is_empty() {
        size += inflated_size(&kept, depth + 1)?;
    }
    Ok(size)
}

/// A zlib header: deflate, and a check sum the header passes.
fn is_zlib(bytes: &[u8]) -> bool {
    matches!(bytes, [cmf, flg, ..] if cmf & 0x0F == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0)
}

fn bomb(limit: u64, what: &str) -> String {
    format!(
        "PDF {what} unpacks to more than {} MiB (a compression bomb?), not read",
        limit >> 20
    )
}

/// The page tree, each page's chain of parents and the form XObjects drawn from its
/// resources, walked with a visited set: a loop anywhere there is an error.
pub(super) fn check_references(doc: &Document) -> Result<(), String> {
    let mut walk = Walk {
        doc,
        visits: 0,
        path: HashSet::new(),
    };
    let root = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|e| format!("corrupt PDF: no page tree ({e})"))?;
    walk.node(root)
}

struct Walk<'d> {
    doc: &'d Document,
    visits: usize,
    /// Objects on the path from the root to here: meeting one again is a loop.
    path: HashSet<ObjectId>,
}

const LOOP: &str = "corrupt PDF: its object references loop";

impl<'d> Walk<'d> {
    fn enter(&mut self, id: ObjectId) -> Result<Option<&'d Dictionary>, String> {
        self.visits += 1;
        if self.visits > MAX_VISITS {
            return Err("PDF too complex: more than a million objects to visit".to_string());
        }
        if !self.path.insert(id) {
            return Err(LOOP.to_string());
        }
        let doc = self.doc;
        Ok(match doc.get_object(id) {
            Ok(Object::Dictionary(dict)) => Some(dict),
            Ok(Object::Stream(stream)) => Some(&stream.dict),
            _ => None,
        })
    }

    /// A node of the page tree: its kids, or as a page its parents and resources.
    fn node(&mut self, id: ObjectId) -> Result<(), String> {
        let doc = self.doc;
        if let Some(dict) = self.enter(id)? {
            match dict.get_deref(b"Kids", doc).and_then(Object::as_array) {
                Ok(kids) => {
                    for kid in kids.iter().filter_map(|k| k.as_reference().ok()) {
                        self.node(kid)?;
                    }
                }
                Err(_) => {
                    self.parents(dict)?;
                    self.resources(dict)?;
                }
            }
        }
        self.path.remove(&id);
        Ok(())
    }

    /// pdf-extract looks attributes up the parents: a chain longer than the objects is a loop.
    fn parents(&mut self, page: &'d Dictionary) -> Result<(), String> {
        let mut seen = HashSet::new();
        let mut current = page.get(b"Parent").and_then(Object::as_reference).ok();
        while let Some(id) = current {
            if !seen.insert(id) {
                return Err(LOOP.to_string());
            }
            current = self
                .doc
                .get_dictionary(id)
                .and_then(|d| d.get(b"Parent"))
                .and_then(Object::as_reference)
                .ok();
        }
        Ok(())
    }

    /// Form XObjects draw with resources of their own, which may name them again.
    fn resources(&mut self, dict: &'d Dictionary) -> Result<(), String> {
        let doc = self.doc;
        let Ok(resources) = dict.get_deref(b"Resources", doc).and_then(Object::as_dict) else {
            return Ok(());
        };
        let Ok(xobjects) = resources
            .get_deref(b"XObject", doc)
            .and_then(Object::as_dict)
        else {
            return Ok(());
        };
        for (_, object) in xobjects.iter() {
            if let Ok(id) = object.as_reference() {
                if let Some(form) = self.enter(id)? {
                    self.resources(form)?;
                }
                self.path.remove(&id);
            }
        }
        Ok(())
    }
}
