//! Hostile files (issue 16, part 4): a PDF with a compression bomb, PDFs whose object
//! references loop, a `.doc` whose sector chain loops and a DOCX zip bomb each end quickly
//! with an error that names the file and says what is wrong. The files are made here.

use crate::common::pdf;

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use baocao::{extract_bytes, Options};

/// Issue 16's bound on time per hostile file.
const LIMIT: Duration = Duration::from_secs(10);

/// The error for a file, which must name the file and come within the time bound.
fn error_of(name: &str, bytes: &[u8]) -> String {
    let rules = crate::common::rules();
    let started = Instant::now();
    let result = extract_bytes(name, bytes, rules, &Options::default());
    let took = started.elapsed();
    assert!(took < LIMIT, "{name} took {took:?}");
    match result {
        Ok(_) => panic!("{name} was read"),
        Err(error) => {
            let message = error.to_string();
            assert!(message.starts_with(name), "{message} does not name {name}");
            message
        }
    }
}

fn object(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).expect("deflate");
    encoder.finish().expect("deflate")
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut body = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    body.extend(data);
    body.extend(b"\nendstream");
    body
}

/// A one-page PDF whose page draws `content`.
fn page_pdf(content: Vec<u8>) -> Vec<u8> {
    pdf(&[
        object("<< /Type /Catalog /Pages 2 0 R >>"),
        object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"),
        content,
    ])
}

#[test]
fn a_pdf_compression_bomb_is_refused() {
    // 100 MiB of spaces deflate to about 100 KiB, over the 64 MiB cap for one stream.
    let bomb = deflate(&vec![b' '; 100 << 20]);
    assert!(bomb.len() < 1 << 20);
    let file = page_pdf(stream("/Filter /FlateDecode", &bomb));
    let message = error_of("bomb.pdf", &file);
    assert!(message.contains("compression bomb"), "{message}");
}

#[test]
fn a_bomb_inside_a_second_filter_is_refused_too() {
    let inner = deflate(&vec![b' '; 100 << 20]);
    let file = page_pdf(stream(
        "/Filter [/FlateDecode /FlateDecode]",
        &deflate(&inner),
    ));
    let message = error_of("nested.pdf", &file);
    assert!(message.contains("compression bomb"), "{message}");
}

#[test]
fn pdfs_whose_references_loop_are_refused() {
    // The page tree is its own kid.
    let kids = pdf(&[
        object("<< /Type /Catalog /Pages 2 0 R >>"),
        object("<< /Type /Pages /Kids [2 0 R] /Count 1 >>"),
    ]);
    // A page's parent chain loops (pdf-extract looks inherited attributes up it).
    let parents = pdf(&[
        object("<< /Type /Catalog /Pages 2 0 R >>"),
        object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        object("<< /Type /Page /Parent 4 0 R /Contents 5 0 R >>"),
        object("<< /Type /Pages /Parent 4 0 R >>"),
        stream("", b"BT ET"),
    ]);
    // A form XObject draws itself.
    let form = pdf(&[
        object("<< /Type /Catalog /Pages 2 0 R >>"),
        object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        object(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
             /Resources << /XObject << /X 5 0 R >> >> >>",
        ),
        stream("", b"/X Do"),
        stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 5 0 R >> >>",
            b"/X Do",
        ),
    ]);
    for (name, file) in [
        ("kids.pdf", kids),
        ("parents.pdf", parents),
        ("form.pdf", form),
    ] {
        let message = error_of(name, &file);
        assert!(message.contains("loop"), "{message}");
    }
}

#[test]
fn a_pdf_without_text_is_a_warning_not_an_error() {
    let rules = crate::common::rules();
    let file = page_pdf(stream("", b"0 0 m 100 100 l S"));
    let extraction = extract_bytes("scan.pdf", &file, rules, &Options::default())
        .expect("a PDF without text is read");
    assert!(extraction.facts.is_empty());
    assert_eq!(extraction.record.warnings, ["no text layer: needs OCR"]);
}

/// The sample report's `.doc` with the chain of its directory made to loop back on itself.
fn looping_doc() -> Vec<u8> {
    let path = format!(
        "{}/tests/data/formats/son-thuy-2024-h1.doc",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut doc = std::fs::read(path).expect("fixture");
    let u32_at = |d: &[u8], at: usize| u32::from_le_bytes(d[at..at + 4].try_into().unwrap());
    let sector = 1usize << u16::from_le_bytes([doc[0x1E], doc[0x1F]]);
    let first_fat = u32_at(&doc, 0x4C) as usize;
    let directory = u32_at(&doc, 0x30);
    // The FAT entry of the directory's first sector points back at that sector.
    let entry = (first_fat + 1) * sector + directory as usize * 4;
    doc[entry..entry + 4].copy_from_slice(&directory.to_le_bytes());
    doc
}

#[test]
fn a_doc_whose_sector_chain_loops_is_refused() {
    let message = error_of("loop.doc", &looping_doc());
    assert!(message.contains("a sector chain loops"), "{message}");
}

#[test]
fn a_docx_zip_bomb_is_refused_in_time() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("word/document.xml", options).expect("zip");
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..300 {
        zip.write_all(&zeros).expect("zip");
    }
    let bomb = zip.finish().expect("zip").into_inner();
    assert!(bomb.len() < 2 << 20);
    let message = error_of("bomb.docx", &bomb);
    assert!(message.contains("zip bomb"), "{message}");
}

#[test]
fn rtf_and_other_formats_say_what_would_work() {
    let message = error_of("old.doc", b"{\\rtf1\\ansi B\\'e1o c\\'e1o}");
    assert!(message.contains("RTF is not read"), "{message}");
    let message = error_of("sheet.xls", b"\x00\x01binary");
    assert!(message.contains("readable: .txt"), "{message}");
    assert!(message.contains(".pdf, .doc"), "{message}");
}

#[test]
fn a_docx_named_doc_is_read_as_docx() {
    let path = format!(
        "{}/tests/data/formats/son-thuy-2024-h1.docx",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(path).expect("fixture");
    let rules = crate::common::rules();
    let extraction =
        extract_bytes("renamed.doc", &bytes, rules, &Options::default()).expect("read");
    assert_eq!(extraction.record.format, "docx");
    assert!(!extraction.facts.is_empty());
}

#[test]
fn a_scanned_pdf_is_a_warning_not_an_error() {
    // A page that draws one large image (a scan), Flate-packed as scanners write them.
    let image = deflate(&vec![0x80u8; 40 << 20]);
    let file = pdf(&[
        object("<< /Type /Catalog /Pages 2 0 R >>"),
        object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        object(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
             /Resources << /XObject << /Im0 5 0 R >> >> >>",
        ),
        stream("", b"q 595 0 0 842 0 0 cm /Im0 Do Q"),
        stream(
            "/Type /XObject /Subtype /Image /Width 4096 /Height 10240 /ColorSpace /DeviceGray \
             /BitsPerComponent 8 /Filter /FlateDecode",
            &image,
        ),
    ]);
    let rules = crate::common::rules();
    let started = Instant::now();
    let extraction = extract_bytes("scan.pdf", &file, rules, &Options::default())
        .expect("a scanned PDF is read");
    assert!(started.elapsed() < LIMIT);
    assert_eq!(extraction.record.warnings, ["no text layer: needs OCR"]);
}
