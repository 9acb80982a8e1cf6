//! `baocao::number::parse` on arbitrary text: it must never panic, and whatever it accepts
//! must be a bounded, exact decimal that prints the Vietnamese way and parses back to
//! itself (so no figure changes value between the report and the output).
#![no_main]

use baocao::number::{self, Decimal};
use libfuzzer_sys::fuzz_target;

/// The parser's own limit on digits (`MAX_DIGITS` in src/number.rs).
const MAX_DIGITS: u32 = 18;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Some(decimal) = number::parse(&text) else {
        return;
    };
    check_bounded(&text, decimal);
    let printed = write_vietnamese(decimal);
    assert_eq!(
        number::parse(&printed),
        Some(decimal),
        "{text:?} parsed to {decimal:?}, printed as {printed:?}, which does not parse back"
    );
    // Money conversion must say "too big" with None, never overflow.
    let _ = decimal.times(1_000_000_000);
    let _ = decimal.times(u64::MAX);
});

/// An accepted figure is digits and separators only, has at most MAX_DIGITS significant
/// digits and a finite value.
fn check_bounded(text: &str, decimal: Decimal) {
    assert!(
        text.trim()
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b','),
        "{text:?} is not a figure but parsed to {decimal:?}"
    );
    assert!(decimal.scale <= MAX_DIGITS, "{text:?}: scale {decimal:?}");
    assert!(
        decimal.mantissa < 10u64.pow(MAX_DIGITS),
        "{text:?}: mantissa {decimal:?}"
    );
    assert!(decimal.to_f64().is_finite(), "{text:?}: {decimal:?}");
}

/// "1.234.567,89": dots between thousands, a decimal comma, no trailing zeros (the parser
/// drops them, so this is the canonical form of a parsed value).
fn write_vietnamese(decimal: Decimal) -> String {
    let divisor = 10u64.pow(decimal.scale);
    let integer = (decimal.mantissa / divisor).to_string();
    let mut out = String::new();
    for (i, digit) in integer.chars().enumerate() {
        if i > 0 && (integer.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(digit);
    }
    if decimal.scale > 0 {
        let fraction = decimal.mantissa % divisor;
        out.push_str(&format!(
            ",{fraction:0width$}",
            width = decimal.scale as usize
        ));
    }
    out
}
