//! Vietnamese numerals: "2.327" -> 2327, "47,6" -> 47.6, "98.4" -> 98.4.
//!
//! Implements the "Numbers" section of `spec/facts.md`: `.` groups thousands and `,` marks
//! decimals, except that a `.` not followed by exactly three digits is a decimal point (modern
//! texts write "98.4%"). Values are kept as an exact decimal so that money converts to đồng
//! without binary rounding (260,9 tỷ is 260 900 000 000 đồng, not ...0003).

/// An exact decimal: `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    pub mantissa: u64,
    pub scale: u32,
}

/// Digits beyond this are not a figure a report states; refusing them avoids overflow.
const MAX_DIGITS: usize = 18;

impl Decimal {
    pub fn to_f64(self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.scale as i32)
    }

    /// The value multiplied by a whole factor (a money unit in đồng), rounded to the unit.
    pub fn times(self, factor: u64) -> Option<u64> {
        u64::try_from(self.times_wide(u128::from(factor))?).ok()
    }

    /// As [`Decimal::times`], for factors and products past `u64` ("2,86 triệu tỷ đồng" is
    /// 2.86e15 đồng; a large figure in it passes 1.8e19).
    pub fn times_wide(self, factor: u128) -> Option<u128> {
        let product = u128::from(self.mantissa).checked_mul(factor)?;
        let divisor = 10u128.checked_pow(self.scale)?;
        Some((product + divisor / 2) / divisor)
    }
}

/// Parse a figure written the Vietnamese way. `None` when the text is not one figure
/// (a date such as "30.6.2025", stray separators, too many digits).
pub fn parse(text: &str) -> Option<Decimal> {
    let text = text.trim();
    if text.is_empty()
        || !text
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return None;
    }
    let dots = text.matches('.').count();
    let commas = text.matches(',').count();
    let (integer, fraction) = match (dots, commas) {
        (0, 0) => (text.to_string(), ""),
        (_, 0) if grouped(text, '.') => (text.replace('.', ""), ""),
        (1, 0) => split_once(text, '.')?,
        (_, 1) if dots == 0 || grouped(before(text, ','), '.') => {
            let (int, frac) = split_once(text, ',')?;
            (int.replace('.', ""), frac)
        }
        (0, _) if grouped(text, ',') => (text.replace(',', ""), ""),
        _ => return None,
    };
    build(&integer, fraction)
}

fn before(text: &str, sep: char) -> &str {
    text.split(sep).next().unwrap_or(text)
}

fn split_once(text: &str, sep: char) -> Option<(String, &str)> {
    let (int, frac) = text.split_once(sep)?;
    Some((int.to_string(), frac))
}

/// "1.625.313.564": a first group of one to three digits, then groups of exactly three.
fn grouped(text: &str, sep: char) -> bool {
    let mut groups = text.split(sep);
    let first = groups.next().unwrap_or("");
    let mut rest = groups.peekable();
    rest.peek().is_some()
        && (1..=3).contains(&first.len())
        && rest.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

fn build(integer: &str, fraction: &str) -> Option<Decimal> {
    let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if integer.is_empty() || !digits_ok(integer) || !digits_ok(fraction) {
        return None;
    }
    let fraction = fraction.trim_end_matches('0');
    let integer = integer.trim_start_matches('0');
    if integer.len() + fraction.len() > MAX_DIGITS {
        return None;
    }
    let joined = format!("{integer}{fraction}");
    let mantissa = if joined.is_empty() {
        0
    } else {
        joined.parse().ok()?
    };
    Some(Decimal {
        mantissa,
        scale: fraction.len() as u32,
    })
}

/// A value as text: whole numbers without a fraction (2327), others in shortest form (47.6).
pub fn format_value(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// Serialize a value as a JSON integer when it is whole (2327, not 2327.0).
pub fn serialize_value<S: serde::Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        s.serialize_i64(*value as i64)
    } else {
        s.serialize_f64(*value)
    }
}

/// As [`serialize_value`], for optional values.
pub fn serialize_opt<S: serde::Serializer>(value: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => serialize_value(v, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn value(text: &str) -> Option<f64> {
        parse(text).map(Decimal::to_f64)
    }

    #[test]
    fn vietnamese_thousands_and_decimals() {
        assert_eq!(value("2.327"), Some(2327.0));
        assert_eq!(value("47,6"), Some(47.6));
        assert_eq!(value("1.625.313.564"), Some(1625313564.0));
        assert_eq!(value("1.564,4"), Some(1564.4));
        assert_eq!(value("310,28"), Some(310.28));
    }

    #[test]
    fn decimal_point_when_not_three_digits() {
        assert_eq!(value("98.4"), Some(98.4));
        assert_eq!(value("8.16"), Some(8.16));
        assert_eq!(value("1.2345"), Some(1.2345));
    }

    #[test]
    fn leading_zeros_are_counts() {
        assert_eq!(value("03"), Some(3.0));
        assert_eq!(value("06"), Some(6.0));
        assert_eq!(value("0,58"), Some(0.58));
    }

    #[test]
    fn rejects_what_is_not_one_figure() {
        assert_eq!(value("30.6.2025"), None);
        assert_eq!(value("1,2,3"), None);
        assert_eq!(value(""), None);
        assert_eq!(value("12a"), None);
        assert_eq!(value("1234567890123456789012"), None);
    }

    #[test]
    fn money_converts_exactly() {
        let tỷ = 1_000_000_000;
        assert_eq!(parse("260,9").unwrap().times(tỷ), Some(260_900_000_000));
        assert_eq!(parse("2.327").unwrap().times(tỷ), Some(2_327_000_000_000));
        let triệu_tỷ = 1_000_000_000_000_000u128;
        assert_eq!(
            parse("2,86").unwrap().times_wide(triệu_tỷ),
            Some(2_860_000_000_000_000)
        );
        assert_eq!(
            parse("123.456").unwrap().times_wide(triệu_tỷ),
            Some(123_456_000_000_000_000_000)
        );
    }

    #[test]
    fn whole_values_serialize_as_integers() {
        #[derive(serde::Serialize)]
        struct V(#[serde(serialize_with = "serialize_value")] f64);
        assert_eq!(serde_json::to_string(&V(2327.0)).unwrap(), "2327");
        assert_eq!(serde_json::to_string(&V(47.6)).unwrap(), "47.6");
    }

    /// Writes a number the Vietnamese way: dots between thousands, a decimal comma.
    fn write_vietnamese(integer: u64, fraction: &str) -> String {
        let digits = integer.to_string();
        let mut grouped = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push('.');
            }
            grouped.push(ch);
        }
        if fraction.is_empty() {
            grouped
        } else {
            format!("{grouped},{fraction}")
        }
    }

    proptest! {
        #[test]
        fn printed_numbers_parse_back(integer in 0u64..10_000_000_000, fraction in "[0-9]{0,3}") {
            let text = write_vietnamese(integer, &fraction);
            let expected: f64 = format!("{integer}.{}", if fraction.is_empty() { "0" } else { &fraction }).parse().unwrap();
            let parsed = parse(&text).map(Decimal::to_f64);
            prop_assert!(parsed.is_some(), "{} did not parse", text);
            prop_assert!((parsed.unwrap() - expected).abs() <= 1e-9 * expected.max(1.0));
        }

        #[test]
        fn never_panics(text in "[0-9.,]{0,30}") {
            let _ = parse(&text);
        }
    }
}
