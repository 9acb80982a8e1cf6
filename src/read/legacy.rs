//! Legacy Vietnamese encodings: decode, repair, detect and (for fixtures) encode.
//!
//! In: raw bytes typed in a pre-Unicode font encoding (TCVN3/ABC, VNI-Windows, VISCII,
//! Windows-1258), or UTF-8 text that is *mojibake* of them, i.e. the legacy bytes were
//! read as Windows-1252 and saved as UTF-8 (`B¸o c¸o`, with ư turned into U+00AD).
//! Out: Vietnamese text in Unicode NFC, or a guess of which encoding a text is in.
//!
//! Why this exists: archived reports from before about 2010 were typed in these
//! encodings, and a fact extractor reading `B¸o c¸o t×nh h×nh` finds nothing.
//!
//! The TCVN3, VNI and VISCII tables are data (`data/encodings/*.tsv`), parsed once.
//! Bytes a table does not list fall back to Windows-1252, because the TCVN3 and VNI
//! fonts were Windows-1252 fonts with some glyphs redrawn (so “ ” – … stay
//! punctuation in TCVN3, unlike in iconv's full TCVN 5712). Windows-1258 goes through
//! `encoding_rs` and then NFC, because its files mix precomposed letters with
//! separate tone bytes.
//!
//! Known loss: TCVN3 has no codes for capitals with tone marks (they came from the
//! "H" capital fonts), so `BÁO` typed in `.VnTimeH` decodes as `BáO`.

use std::collections::HashMap;
use std::sync::OnceLock;

use encoding_rs::{WINDOWS_1252, WINDOWS_1258};
use unicode_normalization::UnicodeNormalization;

/// A legacy Vietnamese encoding, as named in the document record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Legacy {
    Tcvn3,
    Vni,
    Viscii,
    Windows1258,
}

/// Every encoding, in the order used to break ties when guessing (most common first
/// in Vietnamese administrative archives).
const ALL: [Legacy; 4] = [
    Legacy::Tcvn3,
    Legacy::Vni,
    Legacy::Windows1258,
    Legacy::Viscii,
];

impl Legacy {
    /// The canonical lower-case name: "tcvn3", "vni", "viscii", "windows-1258".
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "tcvn3",
            Legacy::Vni => "vni",
            Legacy::Viscii => "viscii",
            Legacy::Windows1258 => "windows-1258",
        }
    }

    /// Parse a name case-insensitively; accepts the canonical names and the aliases
    /// "abc", "vni-windows", "cp1258" (plus a few spelling variants seen in records).
    pub fn from_name(name: &str) -> Option<Legacy> {
        let key = name.trim().to_ascii_lowercase().replace('_', "-");
        match key.as_str() {
            "tcvn3" | "tcvn-3" | "tcvn" | "abc" | "vn3" => Some(Legacy::Tcvn3),
            "vni" | "vni-windows" | "vni-win" => Some(Legacy::Vni),
            "viscii" => Some(Legacy::Viscii),
            "windows-1258" | "windows1258" | "cp1258" | "cp-1258" => Some(Legacy::Windows1258),
            _ => None,
        }
    }
}

/// How a text arrived: raw single-byte legacy bytes, or legacy bytes read as
/// Windows-1252 and saved as UTF-8 (mojibake).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Bytes,
    Mojibake,
}

/// Decode input that arrived in `form`: raw bytes go to [`decode_bytes`]; mojibake is
/// read as UTF-8 (invalid sequences become U+FFFD) and goes to [`repair_mojibake`].
pub fn decode(input: &[u8], enc: Legacy, form: Form) -> String {
    match form {
        Form::Bytes => decode_bytes(input, enc),
        Form::Mojibake => repair_mojibake(&String::from_utf8_lossy(input), enc),
    }
}

/// Decode raw legacy bytes to Unicode NFC.
pub fn decode_bytes(bytes: &[u8], enc: Legacy) -> String {
    decode_counting(bytes, enc).text
}

/// A decoding plus how many of its bytes were "strays": Latin-1 letters (0xC0-0xFF)
/// that the table does not assign and so fell back to Windows-1252. A TCVN3 or VNI
/// file has none (its letters all have codes), so they count against that guess.
struct Decoded {
    text: String,
    strays: usize,
}

fn decode_counting(bytes: &[u8], enc: Legacy) -> Decoded {
    let (raw, strays) = match table(enc) {
        Some(t) => t.decode(bytes),
        None => {
            let text = WINDOWS_1258.decode_without_bom_handling(bytes).0;
            (text.into_owned(), 0)
        }
    };
    Decoded {
        text: raw.nfc().collect(),
        strays,
    }
}

/// Turn mojibake UTF-8 text (legacy bytes seen as Windows-1252) back into Vietnamese NFC.
///
/// Characters with no Windows-1252 byte (already-Unicode Vietnamese such as ạ or ư,
/// CJK, emoji) pass through unchanged.
/// U+0080..U+009F are taken as the bytes of the same value, which covers text that
/// was read as Latin-1 instead of Windows-1252.
pub fn repair_mojibake(text: &str, enc: Legacy) -> String {
    repair_counting(text, enc).text
}

fn repair_counting(text: &str, enc: Legacy) -> Decoded {
    let cp = cp1252();
    let mut out = Decoded {
        text: String::with_capacity(text.len()),
        strays: 0,
    };
    let mut run: Vec<u8> = Vec::new();
    for c in text.chars() {
        match cp.byte_of(c) {
            Some(b) => run.push(b),
            None => {
                flush_run(&mut run, enc, &mut out);
                out.text.push(c);
            }
        }
    }
    flush_run(&mut run, enc, &mut out);
    out.text = out.text.nfc().collect();
    out
}

/// Decode a pending run of recovered bytes into `out` and empty the run.
fn flush_run(run: &mut Vec<u8>, enc: Legacy, out: &mut Decoded) {
    if !run.is_empty() {
        let part = decode_counting(run, enc);
        out.text.push_str(&part.text);
        out.strays += part.strays;
        run.clear();
    }
}

/// Detection reads at most this many bytes (or characters): a report's first pages
/// settle the question, and a bound keeps guessing cheap on large archives. A text
/// whose first 128 KiB hold no Vietnamese letters is therefore not detected.
const DETECT_SAMPLE: usize = 128 * 1024;

/// Guess: for bytes that are NOT valid UTF-8, which legacy encoding scores best
/// (None if none is plausible).
///
/// Valid UTF-8 (including plain ASCII) gives None: real legacy text with Vietnamese
/// letters is practically never valid UTF-8, and ASCII needs no decoding.
pub fn detect_bytes(bytes: &[u8]) -> Option<Legacy> {
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let sample = &bytes[..bytes.len().min(DETECT_SAMPLE)];
    let candidates = ALL
        .iter()
        .map(|&enc| (enc, score_decoded(&decode_counting(sample, enc))));
    best_candidate(candidates, None)
}

/// Guess: for valid UTF-8 text, whether it is mojibake of a legacy encoding (None for
/// ordinary Vietnamese Unicode or plain ASCII/English).
///
/// A repair must look plausibly Vietnamese and clearly better than the text as it is,
/// so correct Vietnamese (which a "repair" would only damage) stays None.
pub fn detect_mojibake(text: &str) -> Option<Legacy> {
    if text.is_ascii() {
        return None;
    }
    // Compare like with like: repairs come out in NFC, so judge the input in NFC too.
    let text: String = text.nfc().take(DETECT_SAMPLE).collect();
    let as_is = score(&text);
    let candidates = ALL.iter().filter_map(|&enc| {
        let repaired = repair_counting(&text, enc);
        (repaired.text != text).then(|| (enc, score_decoded(&repaired)))
    });
    best_candidate(candidates, Some(as_is))
}

/// Encoders for test fixtures: Unicode -> legacy bytes (characters with no code become '?').
///
/// TCVN3 writes capitals with tone marks as their lower-case codes, as the "H" fonts
/// did, so they decode back in lower case.
pub fn encode(text: &str, enc: Legacy) -> Vec<u8> {
    match table(enc) {
        Some(t) => t.encode(text, enc == Legacy::Tcvn3),
        None => encode_1258(text),
    }
}

// ---------------------------------------------------------------------------------
// Tables

/// One parsed `data/encodings/*.tsv` table plus the Windows-1252 fallback.
struct Table {
    /// Letter for a single byte, if the table assigns one.
    single: [Option<char>; 256],
    /// Letter for a base byte followed by a mark byte (VNI only).
    pairs: HashMap<[u8; 2], char>,
    /// Bytes that start some pair, to skip the map lookup for everything else.
    starts_pair: [bool; 256],
    /// Bytes that end some pair: never emitted as a Windows-1252 fallback, because
    /// after a base letter they would fuse into a different letter.
    ends_pair: [bool; 256],
    /// Unicode letter -> its bytes, from the table lines only.
    codes: HashMap<char, Vec<u8>>,
}

const TCVN3_TSV: &str = include_str!("../../data/encodings/tcvn3.tsv");
const VNI_TSV: &str = include_str!("../../data/encodings/vni.tsv");
const VISCII_TSV: &str = include_str!("../../data/encodings/viscii.tsv");

/// The table for a table-driven encoding; None for Windows-1258 (via encoding_rs).
fn table(enc: Legacy) -> Option<&'static Table> {
    static TCVN3: OnceLock<Table> = OnceLock::new();
    static VNI: OnceLock<Table> = OnceLock::new();
    static VISCII: OnceLock<Table> = OnceLock::new();
    match enc {
        Legacy::Tcvn3 => Some(TCVN3.get_or_init(|| Table::build("tcvn3.tsv", TCVN3_TSV))),
        Legacy::Vni => Some(VNI.get_or_init(|| Table::build("vni.tsv", VNI_TSV).with_case_mixes())),
        Legacy::Viscii => Some(VISCII.get_or_init(|| Table::build("viscii.tsv", VISCII_TSV))),
        Legacy::Windows1258 => None,
    }
}

/// Parse the lines of an embedded table: `HEX[ HEX]<TAB>CHAR or U+XXXX<TAB># comment`.
///
/// The tables are compiled in, so a malformed line is a build defect: it panics with
/// the file and line, and the `*_table_round_trips` tests run this for every table.
fn parse_table(file: &str, text: &str) -> Vec<(Vec<u8>, char)> {
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fail = |why: &str| -> ! { panic!("{file}:{}: {why}: {line:?}", n + 1) };
        let mut cols = line.split('\t');
        let hex = cols.next().unwrap_or_default();
        let value = cols
            .next()
            .unwrap_or_else(|| fail("missing character column"));
        let bytes: Vec<u8> = hex
            .split_whitespace()
            .map(|h| u8::from_str_radix(h, 16).unwrap_or_else(|_| fail("bad hex byte")))
            .collect();
        if bytes.is_empty() || bytes.len() > 2 {
            fail("expected one or two bytes");
        }
        let c = parse_char(value).unwrap_or_else(|| fail("expected one character or U+XXXX"));
        rows.push((bytes, c));
    }
    rows
}

/// A table's character column: one literal character, or `U+XXXX` for invisible ones.
fn parse_char(value: &str) -> Option<char> {
    if let Some(hex) = value.strip_prefix("U+") {
        return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
    }
    let mut chars = value.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

impl Table {
    fn build(file: &str, text: &str) -> Table {
        let mut t = Table {
            single: [None; 256],
            pairs: HashMap::new(),
            starts_pair: [false; 256],
            ends_pair: [false; 256],
            codes: HashMap::new(),
        };
        for (bytes, c) in parse_table(file, text) {
            let byte_clash = match bytes[..] {
                [b] => t.single[usize::from(b)].replace(c).is_some(),
                [b, m] => {
                    t.starts_pair[usize::from(b)] = true;
                    t.ends_pair[usize::from(m)] = true;
                    t.pairs.insert([b, m], c).is_some()
                }
                _ => false, // parse_table yields one or two bytes
            };
            if byte_clash {
                panic!("{file}: bytes {bytes:02X?} are listed twice");
            }
            if t.codes.insert(c, bytes).is_some() {
                panic!("{file}: {c:?} is listed twice");
            }
        }
        t
    }

    /// VNI typed with Caps Lock or Shift slips gives a capital base with a small
    /// mark (`Aù`) or the reverse; the font still shows the intended letter, so
    /// decode such pairs with the case of the base. Decode-only: encoding stays exact.
    fn with_case_mixes(mut self) -> Table {
        let mixes: Vec<([u8; 2], char)> = self
            .pairs
            .iter()
            .filter_map(|(&[b, m], &c)| {
                let toggled = toggle_case_1252(m)?;
                let base_is_upper = cp1252().chars[usize::from(b)].is_uppercase();
                let letter = if base_is_upper {
                    single_upper(c)
                } else {
                    single_lower(c)
                };
                Some(([b, toggled], letter))
            })
            .collect();
        for (key, c) in mixes {
            self.pairs.entry(key).or_insert(c);
            self.ends_pair[usize::from(key[1])] = true;
        }
        self
    }

    /// Longest match: a base+mark pair first, then a single-byte letter, then the
    /// Windows-1252 reading of the byte. Also returns the count of stray letters.
    fn decode(&self, bytes: &[u8]) -> (String, usize) {
        let cp = cp1252();
        let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
        let mut strays = 0;
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if self.starts_pair[usize::from(b)] {
                if let Some(&next) = bytes.get(i + 1) {
                    if let Some(&c) = self.pairs.get(&[b, next]) {
                        out.push(c);
                        i += 2;
                        continue;
                    }
                }
            }
            match self.single[usize::from(b)] {
                Some(c) => out.push(c),
                None => {
                    strays += usize::from(b >= 0xC0);
                    out.push(cp.chars[usize::from(b)]);
                }
            }
            i += 1;
        }
        (out, strays)
    }

    fn encode(&self, text: &str, capitals_as_lower: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len());
        for c in text.nfc() {
            if let Some(bytes) = self.code_of(c, capitals_as_lower) {
                out.extend_from_slice(bytes);
            } else if let Some(b) = self.fallback_byte(c) {
                out.push(b);
            } else {
                out.push(b'?');
            }
        }
        out
    }

    fn code_of(&self, c: char, capitals_as_lower: bool) -> Option<&[u8]> {
        if let Some(bytes) = self.codes.get(&c) {
            return Some(bytes);
        }
        if capitals_as_lower && c.is_uppercase() {
            return self.codes.get(&single_lower(c)).map(Vec::as_slice);
        }
        None
    }

    /// A character outside the table may be written as its Windows-1252 byte only
    /// if that byte decodes back to it: not a table letter, not a VNI mark.
    fn fallback_byte(&self, c: char) -> Option<u8> {
        let b = cp1252().byte_of(c)?;
        let i = usize::from(b);
        let free = self.single[i].is_none() && !self.ends_pair[i];
        (free && cp1252().chars[i] == c).then_some(b)
    }
}

/// Upper-case of a letter when it is a single character, else the letter itself.
fn single_upper(c: char) -> char {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Lower-case of a letter when it is a single character, else the letter itself.
fn single_lower(c: char) -> char {
    let mut low = c.to_lowercase();
    match (low.next(), low.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// The Windows-1252 byte of the other case of the letter at byte `b`, if any.
fn toggle_case_1252(b: u8) -> Option<u8> {
    let cp = cp1252();
    let c = cp.chars[usize::from(b)];
    let other = if c.is_uppercase() {
        single_lower(c)
    } else {
        single_upper(c)
    };
    if other == c {
        return None;
    }
    cp.byte_of(other)
}

// ---------------------------------------------------------------------------------
// Windows-1252 and Windows-1258 byte maps (from encoding_rs, built once)

/// A single-byte code page as a byte -> char array and its inverse.
struct CodePage {
    chars: [char; 256],
    bytes: HashMap<char, u8>,
}

impl CodePage {
    fn from_encoding(encoding: &'static encoding_rs::Encoding) -> CodePage {
        let mut chars = ['\u{FFFD}'; 256];
        let mut bytes = HashMap::new();
        for b in 0..=255u8 {
            let one = [b];
            let decoded = encoding.decode_without_bom_handling(&one).0;
            let mut it = decoded.chars();
            if let (Some(c), None) = (it.next(), it.next()) {
                chars[usize::from(b)] = c;
                bytes.entry(c).or_insert(b);
            }
        }
        CodePage { chars, bytes }
    }

    /// Also map U+0080..U+009F to the byte of the same value: a Latin-1 reader turns
    /// 0x93 into U+0093 where a Windows-1252 reader gives “.
    fn with_latin1_controls(mut self) -> CodePage {
        for b in 0x80..=0x9Fu8 {
            self.bytes.entry(char::from(b)).or_insert(b);
        }
        self
    }

    fn byte_of(&self, c: char) -> Option<u8> {
        self.bytes.get(&c).copied()
    }
}

fn cp1252() -> &'static CodePage {
    static CP: OnceLock<CodePage> = OnceLock::new();
    CP.get_or_init(|| CodePage::from_encoding(WINDOWS_1252).with_latin1_controls())
}

fn cp1258() -> &'static CodePage {
    static CP: OnceLock<CodePage> = OnceLock::new();
    CP.get_or_init(|| CodePage::from_encoding(WINDOWS_1258))
}

/// Windows-1258 has â ê ô ơ ư ă đ and some precomposed toned letters, and the five
/// tones as separate bytes: a letter without its own byte is its base plus a tone byte.
fn encode_1258(text: &str) -> Vec<u8> {
    let cp = cp1258();
    let mut out = Vec::with_capacity(text.len());
    for c in text.nfc() {
        match cp.byte_of(c) {
            Some(b) => out.push(b),
            None => out.extend(encode_1258_decomposed(c, cp).unwrap_or_else(|| vec![b'?'])),
        }
    }
    out
}

/// Split a letter into its Windows-1258 base (letter with ^ ( + but no tone) and
/// tone bytes. The tone is pulled out of the decomposition rather than cut off the
/// end, because canonical order puts the dot below before the circumflex (ộ = o ̣ ̂).
fn encode_1258_decomposed(c: char, cp: &CodePage) -> Option<Vec<u8>> {
    let is_tone = |m: &char| {
        matches!(
            m,
            '\u{0300}' | '\u{0301}' | '\u{0303}' | '\u{0309}' | '\u{0323}'
        )
    };
    let (tones, rest): (Vec<char>, Vec<char>) = std::iter::once(c).nfd().partition(is_tone);
    let base: String = rest.into_iter().nfc().collect();
    let mut base_chars = base.chars();
    let base_byte = match (base_chars.next(), base_chars.next()) {
        (Some(b), None) => cp.byte_of(b)?,
        _ => return None,
    };
    let mut bytes = vec![base_byte];
    for tone in tones {
        bytes.push(cp.byte_of(tone)?);
    }
    Some(bytes)
}

// ---------------------------------------------------------------------------------
// Detection: how Vietnamese does a decoded text look?

/// Counts from one candidate decoding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Score {
    /// Words with Vietnamese diacritics that form a valid Vietnamese syllable.
    good: usize,
    /// Good words that are among the most frequent syllables of report prose: this
    /// breaks ties between decodings that both give valid syllables (chủ tịch vs chỹ tách).
    common: usize,
    /// Words with non-ASCII letters that are not a valid Vietnamese syllable.
    bad: usize,
    /// Characters that a real text hardly contains: controls, stray symbols
    /// (¸ × § ¦ soft hyphen ...), lone combining marks, U+FFFD.
    junk: usize,
    /// Plain ASCII words that cannot be a Vietnamese syllable ("menthe", "the" can),
    /// not counting abbreviations such as UBND or TTg.
    foreign: usize,
    /// All words (runs of letters), including plain ASCII ones.
    words: usize,
}

impl Score {
    /// Enough good words, few bad ones, diacritics on a fair share of the words (so
    /// an English text with two borrowed words is not taken for Vietnamese), and few
    /// words of another language around them (so "Thé à la menthe" is not either).
    fn plausible(&self) -> bool {
        let noise = self.bad + self.junk;
        self.good >= 2
            && self.good >= 3 * noise
            && self.good * 5 >= self.words
            && self.foreign * 4 < self.words
    }

    /// A repair must remove at least half of the text's noise (bad words, junk) and
    /// add good words: text without noise is left alone, so correct Unicode that
    /// happens to contain ‰ or “ is never "repaired" into VISCII capitals.
    fn clearly_better_than(&self, before: &Score) -> bool {
        let noise = self.bad + self.junk;
        let noise_before = before.bad + before.junk;
        noise_before > 0
            && noise * 2 <= noise_before
            && self.good > before.good
            && self.rank() > before.rank()
    }

    fn rank(&self) -> i64 {
        let signed = |n: usize| i64::try_from(n).unwrap_or(i64::MAX / 8);
        2 * signed(self.good) + signed(self.common) - 3 * signed(self.bad) - 2 * signed(self.junk)
    }
}

/// The best plausible candidate, which must also beat `baseline` (the text as it is)
/// when one is given. Ties keep the earlier candidate.
fn best_candidate(
    candidates: impl Iterator<Item = (Legacy, Score)>,
    baseline: Option<Score>,
) -> Option<Legacy> {
    let mut best: Option<(Legacy, Score)> = None;
    for (enc, s) in candidates {
        if !s.plausible() {
            continue;
        }
        if let Some(base) = baseline {
            if !s.clearly_better_than(&base) {
                continue;
            }
        }
        let better = match best {
            None => true,
            Some((_, b)) => s.rank() > b.rank(),
        };
        if better {
            best = Some((enc, s));
        }
    }
    best.map(|(enc, _)| enc)
}

/// Score a decoding; its stray Latin-1 letters count as junk.
fn score_decoded(decoded: &Decoded) -> Score {
    let mut s = score(&decoded.text);
    s.junk += decoded.strays;
    s
}

fn score(text: &str) -> Score {
    let mut s = Score::default();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphabetic() {
            word.push(c);
            continue;
        }
        score_word(&word, &mut s);
        word.clear();
        if is_junk(c) {
            s.junk += 1;
        }
    }
    score_word(&word, &mut s);
    s
}

fn score_word(word: &str, s: &mut Score) {
    if word.is_empty() {
        return;
    }
    s.words += 1;
    if word.is_ascii() {
        let abbreviation = word.chars().filter(char::is_ascii_uppercase).count() >= 2;
        if !abbreviation && !is_vietnamese_syllable(word) {
            s.foreign += 1;
        }
        return;
    }
    if is_vietnamese_syllable(word) {
        s.good += 1;
        let lower: String = word.chars().map(single_lower).collect();
        s.common += usize::from(common_syllables().contains(lower.as_str()));
    } else {
        s.bad += 1;
    }
}

/// Non-letters that real reports hardly contain, but wrong decodings are full of.
/// ¡-® are TCVN3's Ă Â Ê Ô Ơ Ư Đ ă â ê ô ơ ư đ seen as Windows-1252; ° ² ‰ “ ” – …
/// are ordinary report punctuation and so are not junk.
fn is_junk(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' | '\u{0C}' => false,
        _ if c.is_control() => true,
        '\u{0300}'..='\u{036F}' | '\u{FFFD}' | '\u{E000}'..='\u{F8FF}' => true,
        _ => "¡¢£¤¥¦§¨©«¬\u{AD}®¯´¶·¸¹»¿×÷†‡‹›".contains(c),
    }
}

/// Frequent syllables (with diacritics) of Vietnamese administrative prose.
const COMMON_SYLLABLES: &str = "
    của và các có được trong là cho những với không này người đã năm theo tỉnh huyện
    xã thành phố nhân dân ủy hội đồng việc thực hiện công tác quản lý nhà nước kinh
    tế tổng số đạt tăng giảm cùng kỳ kế hoạch báo cáo tình hình tháng quý đầu cuối
    trên dưới về đến từ tại để đó một hai bốn sáu bảy tám chín mười trăm nghìn triệu
    tỷ chỉ tiêu phát triển sản xuất nông nghiệp lâm thủy sở ngành cơ quan đơn vị tổ
    chức năng nhiệm vụ giải pháp chương trình dự án tư xây dựng giáo dục đào tạo y
    văn hóa an ninh quốc phòng chính sách trị điều khoản quyết định nghị thông luật
    ngày lượng giá mức bán lẻ hàng dịch ước tính phần lao động làm thu ngân đất đai
    tài nguyên môi trường giao vận tải điện khu vực địa phương trung ương chủ tịch
    phó giám đốc trưởng cán bộ đảng mặt trận đoàn niên phụ nữ nơi nhận lưu như tiếp
    tục cường đẩy mạnh nâng cao chất hiệu quả còn hạn chế khó khăn tồn nguyên bình
    trước gồm loại hộ gia đình nghèo cận học trường bệnh viện khẩu doanh vốn tín
    dụng thuế phí giấy phép đăng ký cộng hòa độc lập tự hạnh phúc việt nam";

fn common_syllables() -> &'static std::collections::HashSet<&'static str> {
    static SET: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON_SYLLABLES.split_whitespace().collect())
}

/// The 12 Vietnamese vowels, each with its five toned forms in the order
/// none, grave, acute, hook, tilde, dot below.
const VOWEL_ROWS: [&str; 12] = [
    "aàáảãạ",
    "ăằắẳẵặ",
    "âầấẩẫậ",
    "eèéẻẽẹ",
    "êềếểễệ",
    "iìíỉĩị",
    "oòóỏõọ",
    "ôồốổỗộ",
    "ơờớởỡợ",
    "uùúủũụ",
    "ưừứửữự",
    "yỳýỷỹỵ",
];

const TONE_ACUTE: u8 = 2;
const TONE_DOT: u8 = 5;

/// Lower-case toned vowel -> (toneless vowel, tone index 0-5).
fn vowel_map() -> &'static HashMap<char, (char, u8)> {
    static MAP: OnceLock<HashMap<char, (char, u8)>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::new();
        for row in VOWEL_ROWS {
            let base = row.chars().next().unwrap_or('a');
            for (tone, c) in (0u8..).zip(row.chars()) {
                map.insert(c, (base, tone));
            }
        }
        map
    })
}

const ONSETS: [&str; 28] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];
const CODAS: [&str; 9] = ["ng", "nh", "ch", "c", "m", "n", "p", "t", ""];

/// Vowel groups that may end a syllable or take a final consonant.
const NUCLEI_EITHER: [&str; 15] = [
    "a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uê", "uy", "uơ",
];
/// Vowel groups that need a final consonant.
const NUCLEI_CLOSED: [&str; 10] = ["ă", "â", "iê", "yê", "uô", "ươ", "oă", "uâ", "uyê", "oo"];
/// Vowel groups that end in a glide and so take no final consonant.
const NUCLEI_OPEN: [&str; 31] = [
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui", "ưa",
    "ưi", "ưu", "iêu", "yêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyu",
    "uao",
];

/// Is `word` one Vietnamese syllable: onset + vowel group + final, at most one tone,
/// and the tone rules for finals (p t c ch take only acute or dot below)?
fn is_vietnamese_syllable(word: &str) -> bool {
    let vowels = vowel_map();
    let mut letters = String::new();
    let mut tone = 0u8;
    for c in word.chars().take(9).map(single_lower) {
        match vowels.get(&c) {
            Some(&(base, t)) => {
                if t != 0 {
                    if tone != 0 {
                        return false;
                    }
                    tone = t;
                }
                letters.push(base);
            }
            None if c == 'đ' || c.is_ascii_lowercase() => letters.push(c),
            None => return false,
        }
    }
    // Seven letters is the longest syllable ("nghiêng").
    if letters.chars().count() > 7 {
        return false;
    }
    ONSETS
        .iter()
        .filter_map(|o| letters.strip_prefix(o).map(|rest| (*o, rest)))
        .any(|(onset, rest)| {
            CODAS
                .iter()
                .filter_map(|k| rest.strip_suffix(k).map(|nucleus| (nucleus, *k)))
                .any(|(nucleus, coda)| rhyme_ok(onset, nucleus, coda, tone))
        })
}

fn rhyme_ok(onset: &str, nucleus: &str, coda: &str, tone: u8) -> bool {
    let open = coda.is_empty();
    let nucleus_ok = NUCLEI_EITHER.contains(&nucleus)
        || (!open && NUCLEI_CLOSED.contains(&nucleus))
        || (open && NUCLEI_OPEN.contains(&nucleus));
    if !nucleus_ok {
        return false;
    }
    // Stop finals carry only the acute or the dot-below tone.
    if matches!(coda, "p" | "t" | "c" | "ch") && tone != TONE_ACUTE && tone != TONE_DOT {
        return false;
    }
    // -nh and -ch follow only a, ê, i, y (anh, ênh, inh, uynh, ach, êch, ich).
    if matches!(coda, "nh" | "ch") && !nucleus.ends_with(['a', 'ê', 'i', 'y']) {
        return false;
    }
    // k, gh, ngh are written only before front vowels; c only before the others.
    let front = nucleus.starts_with(['i', 'e', 'ê', 'y']);
    match onset {
        "k" | "gh" | "ngh" => front,
        "c" => !front,
        _ => true,
    }
}

// ---------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    const PARAGRAPH: &str = "Báo cáo tình hình kinh tế - xã hội 6 tháng đầu năm 2025: \
        Tổng mức bán lẻ hàng hóa ước đạt 2.327 tỷ đồng, tăng 2% so với cùng kỳ, \
        đạt 47,6% kế hoạch giao. Đường, ưu tiên, Ưu đãi, ĐẠT";

    fn table_rows(enc: Legacy) -> Vec<(Vec<u8>, char)> {
        match enc {
            Legacy::Tcvn3 => parse_table("tcvn3.tsv", TCVN3_TSV),
            Legacy::Vni => parse_table("vni.tsv", VNI_TSV),
            Legacy::Viscii => parse_table("viscii.tsv", VISCII_TSV),
            Legacy::Windows1258 => Vec::new(),
        }
    }

    fn assert_table_round_trips(enc: Legacy, expected_rows: usize) {
        let rows = table_rows(enc);
        assert_eq!(rows.len(), expected_rows, "{} row count", enc.name());
        for (bytes, c) in rows {
            let decoded = decode_bytes(&bytes, enc);
            assert_eq!(decoded, c.to_string(), "{} decode {bytes:02X?}", enc.name());
            assert_eq!(encode(&decoded, enc), bytes, "{} encode {c}", enc.name());
        }
    }

    #[test]
    fn tcvn3_table_round_trips() {
        // 67 small letters, 7 toneless capitals, NBSP.
        assert_table_round_trips(Legacy::Tcvn3, 75);
    }

    #[test]
    fn vni_table_round_trips() {
        assert_table_round_trips(Legacy::Vni, 134);
    }

    #[test]
    fn viscii_table_round_trips() {
        assert_table_round_trips(Legacy::Viscii, 134);
    }

    #[test]
    fn names_and_aliases() {
        for enc in ALL {
            assert_eq!(Legacy::from_name(enc.name()), Some(enc));
            assert_eq!(Legacy::from_name(&enc.name().to_uppercase()), Some(enc));
        }
        assert_eq!(Legacy::from_name("ABC"), Some(Legacy::Tcvn3));
        assert_eq!(Legacy::from_name("VNI-Windows"), Some(Legacy::Vni));
        assert_eq!(Legacy::from_name(" cp1258 "), Some(Legacy::Windows1258));
        assert_eq!(Legacy::from_name("utf-8"), None);
    }

    #[test]
    fn tcvn3_paragraph_detects_and_capitals_with_tones_come_back_lower_case() {
        let bytes = encode(PARAGRAPH, Legacy::Tcvn3);
        assert_eq!(detect_bytes(&bytes), Some(Legacy::Tcvn3));
        // ĐẠT: Đ has a code, Ạ has none in TCVN3 and is written as the ạ code, as the
        // .VnTimeH font did, so it comes back lower-case.
        let expected = PARAGRAPH.replace("ĐẠT", "ĐạT");
        assert_eq!(decode_bytes(&bytes, Legacy::Tcvn3), expected);
    }

    #[test]
    fn vni_paragraph_detects_and_decodes() {
        let bytes = encode(PARAGRAPH, Legacy::Vni);
        assert_eq!(detect_bytes(&bytes), Some(Legacy::Vni));
        assert_eq!(decode_bytes(&bytes, Legacy::Vni), PARAGRAPH);
    }

    #[test]
    fn viscii_paragraph_detects_and_decodes() {
        let bytes = encode(PARAGRAPH, Legacy::Viscii);
        assert_eq!(detect_bytes(&bytes), Some(Legacy::Viscii));
        assert_eq!(decode_bytes(&bytes, Legacy::Viscii), PARAGRAPH);
    }

    #[test]
    fn windows_1258_paragraph_detects_and_decodes() {
        let bytes = encode(PARAGRAPH, Legacy::Windows1258);
        // Tones are separate bytes: ạ is 'a' followed by the dot-below byte 0xF2.
        assert!(bytes.windows(2).any(|w| w == [b'a', 0xF2]));
        assert_eq!(detect_bytes(&bytes), Some(Legacy::Windows1258));
        assert_eq!(decode_bytes(&bytes, Legacy::Windows1258), PARAGRAPH);
    }

    #[test]
    fn windows_1258_mixed_precomposed_and_combining_decodes_to_nfc() {
        // "Báo cáo": first á precomposed (0xE1), second as a + combining acute (0xEC).
        let bytes = b"B\xE1o ca\xECo";
        assert_eq!(decode_bytes(bytes, Legacy::Windows1258), "Báo cáo");
    }

    /// Legacy bytes read as Windows-1252 and saved as UTF-8.
    fn mojibake_of(enc: Legacy) -> String {
        let bytes = encode(PARAGRAPH, enc);
        WINDOWS_1252
            .decode_without_bom_handling(&bytes)
            .0
            .into_owned()
    }

    #[test]
    fn tcvn3_mojibake_detects_and_repairs() {
        let text = mojibake_of(Legacy::Tcvn3);
        assert!(text.starts_with("B¸o c¸o t×nh h×nh"), "{text}");
        // ư became a soft hyphen, Ư a broken bar, Đ a section sign.
        assert!(text.contains("\u{AD}u ti") && text.contains("¦u") && text.contains('§'));
        assert_eq!(detect_mojibake(&text), Some(Legacy::Tcvn3));
        let expected = PARAGRAPH.replace("ĐẠT", "ĐạT");
        assert_eq!(repair_mojibake(&text, Legacy::Tcvn3), expected);
    }

    #[test]
    fn vni_mojibake_detects_and_repairs() {
        let text = mojibake_of(Legacy::Vni);
        assert!(text.starts_with("Baùo caùo tình hình"), "{text}");
        assert_eq!(detect_mojibake(&text), Some(Legacy::Vni));
        assert_eq!(repair_mojibake(&text, Legacy::Vni), PARAGRAPH);
        assert_eq!(
            decode(text.as_bytes(), Legacy::Vni, Form::Mojibake),
            PARAGRAPH
        );
    }

    #[test]
    fn mojibake_repair_keeps_characters_that_were_already_unicode() {
        // A half-repaired line: "Hà Nội" already fixed, "B¸o c¸o" still TCVN3 mojibake.
        let text = "Hà Nội: B¸o c¸o";
        assert_eq!(repair_mojibake(text, Legacy::Tcvn3), "Hà Nội: Báo cáo");
    }

    #[test]
    fn tcvn3_keeps_windows_1252_punctuation() {
        // Full TCVN 5712 (iconv's TCVN) would read these bytes as Ọ Ỏ Õ Ặ.
        let bytes = b"\x93B\xb8o c\xb8o\x94 \x96 \x85";
        assert_eq!(decode_bytes(bytes, Legacy::Tcvn3), "“Báo cáo” – …");
        assert_eq!(encode("“Báo cáo” – …", Legacy::Tcvn3), bytes.to_vec());
    }

    #[test]
    fn vni_longest_match_and_case_slips() {
        // ườ = ư (F6) then ờ (F4 F8): the pair F6 F4 does not exist, so F6 stands alone.
        assert_eq!(decode_bytes(b"ng\xf6\xf4\xf8i", Legacy::Vni), "người");
        // A mark byte after a non-base letter is just its Windows-1252 character.
        assert_eq!(decode_bytes(b"caf\xe9", Legacy::Vni), "café");
        // Capital base with a small mark (Caps Lock slip) keeps the base's case.
        assert_eq!(decode_bytes(b"BA\xf9O", Legacy::Vni), "BÁO");
        assert_eq!(decode_bytes(b"ba\xd9o", Legacy::Vni), "báo");
    }

    #[test]
    fn unmappable_characters_become_question_marks() {
        assert_eq!(encode("漢", Legacy::Tcvn3), b"?");
        // ø is VNI's grave-mark byte: writing it raw would turn "aø" into "à".
        assert_eq!(encode("aø", Legacy::Vni), b"a?");
        // ¸ is TCVN3's á byte.
        assert_eq!(encode("¸", Legacy::Tcvn3), b"?");
        assert_eq!(encode("漢", Legacy::Windows1258), b"?");
        assert_eq!(encode("€", Legacy::Viscii), b"?");
    }

    #[test]
    fn plain_unicode_vietnamese_is_not_legacy() {
        assert_eq!(detect_mojibake(PARAGRAPH), None);
        // ‰ is VISCII's Ẹ (0x89): "repairing" it would gain a syllable, but the text
        // has no noise to remove, so it is left alone.
        let per_mille = "Tỷ lệ tăng dân số tự nhiên 11,9‰, vượt 1,1‰ kế hoạch. “Đạt” – …";
        assert_eq!(detect_mojibake(per_mille), None);
        assert_eq!(detect_bytes(PARAGRAPH.as_bytes()), None);
        let nfd: String = PARAGRAPH.nfd().collect();
        assert_eq!(detect_mojibake(&nfd), None);
    }

    #[test]
    fn english_is_not_legacy() {
        let text = "Quarterly report on retail sales: revenue rose 2% year on year, \
                    reaching 47.6% of the annual plan.";
        assert_eq!(detect_mojibake(text), None);
        assert_eq!(detect_bytes(text.as_bytes()), None);
        let smart = "“Retail sales” – up 2%… as expected; the café’s naïve résumé.";
        let (bytes, _, _) = WINDOWS_1252.encode(smart);
        assert_eq!(detect_bytes(&bytes), None);
        assert_eq!(detect_mojibake(smart), None);
    }

    #[test]
    fn french_windows_1252_is_not_legacy() {
        let text = "Le système économique a été très étudié à Paris ; les élèves \
                    sont allés au théâtre. Thé, café et crème brûlée à volonté.";
        let (bytes, _, unmappable) = WINDOWS_1252.encode(text);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&bytes).is_err());
        assert_eq!(detect_bytes(&bytes), None);
        assert_eq!(detect_mojibake(text), None);
    }

    #[test]
    fn syllable_rules() {
        for ok in [
            "người", "nghiêng", "được", "khuỷu", "quyết", "giữa", "gì", "ĐẠT", "BáO", "tỷ", "hóa",
            "kỳ",
        ] {
            assert!(is_vietnamese_syllable(ok), "{ok}");
        }
        for bad in [
            "été",
            "très",
            "ộconomique",
            "bỏo",
            "tỡnh",
            "tàt",
            "kà",
            "ca¸",
        ] {
            assert!(!is_vietnamese_syllable(bad), "{bad}");
        }
    }

    #[test]
    fn short_texts_pick_the_encoding_with_real_syllables() {
        // VISCII "Hà Nội" also reads as TCVN3 "Hà Nài", but only through a stray
        // Windows-1252 à (0xE0 has no TCVN3 letter), which counts against TCVN3.
        assert_eq!(
            detect_bytes(&encode("Hà Nội", Legacy::Viscii)),
            Some(Legacy::Viscii)
        );
        // VISCII "Chủ tịch" also reads as TCVN3 "Chỹ tách": frequent syllables decide.
        let bytes = encode("Chủ tịch", Legacy::Viscii);
        assert_eq!(decode_bytes(&bytes, Legacy::Tcvn3), "Chỹ tách");
        assert_eq!(detect_bytes(&bytes), Some(Legacy::Viscii));
        // One word is too little evidence either way.
        assert_eq!(detect_bytes(&encode("Số", Legacy::Tcvn3)), None);
    }

    #[test]
    fn viscii_mojibake_with_undefined_windows_1252_bytes_repairs() {
        // Ắ is VISCII 0x81, a byte Windows-1252 leaves undefined (encoding_rs: U+0081).
        let bytes = encode("ẮT HẲN ĐÚNG", Legacy::Viscii);
        let text = WINDOWS_1252.decode_without_bom_handling(&bytes).0;
        assert!(text.contains('\u{81}'));
        assert_eq!(repair_mojibake(&text, Legacy::Viscii), "ẮT HẲN ĐÚNG");
    }

    #[test]
    fn latin1_read_mojibake_repairs_too() {
        // Read as Latin-1, TCVN3's “ (0x93) became U+0093 rather than “.
        assert_eq!(
            repair_mojibake("\u{93}B¸o c¸o\u{94}", Legacy::Tcvn3),
            "“Báo cáo”"
        );
    }

    #[test]
    fn utf8_read_as_windows_1252_is_not_legacy_mojibake() {
        // Double-encoded UTF-8 is a different fault; none of these tables fits it.
        let text = WINDOWS_1252
            .decode_without_bom_handling(PARAGRAPH.as_bytes())
            .0;
        assert_eq!(detect_mojibake(&text), None);
    }

    #[test]
    fn short_foreign_phrases_are_not_legacy() {
        for phrase in ["Thé à la menthe", "Não há nada a declarar, obrigado."] {
            let (bytes, _, _) = WINDOWS_1252.encode(phrase);
            assert_eq!(detect_bytes(&bytes), None, "{phrase}");
            assert_eq!(detect_mojibake(phrase), None, "{phrase}");
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let all: Vec<u8> = (0..=255u8).collect();
        let mut noisy: Vec<u8> = Vec::new();
        let mut x: u32 = 12345;
        for _ in 0..4096 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            noisy.push(x.to_be_bytes()[1]);
        }
        for input in [&all[..], &noisy[..], b"", b"\xf6", b"a"] {
            for enc in ALL {
                let text = decode_bytes(input, enc);
                let _ = repair_mojibake(&text, enc);
                let _ = encode(&text, enc);
                let _ = decode(input, enc, Form::Mojibake);
            }
            let _ = detect_bytes(input);
            let _ = detect_mojibake(&String::from_utf8_lossy(input));
        }
    }
}
