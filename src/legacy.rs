//! Placeholder until the legacy-encoding tables land.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Legacy {
    Tcvn3,
    Vni,
    Viscii,
    Windows1258,
}
impl Legacy {
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "tcvn3",
            Legacy::Vni => "vni",
            Legacy::Viscii => "viscii",
            Legacy::Windows1258 => "windows-1258",
        }
    }
    pub fn from_name(name: &str) -> Option<Legacy> {
        [
            Legacy::Tcvn3,
            Legacy::Vni,
            Legacy::Viscii,
            Legacy::Windows1258,
        ]
        .into_iter()
        .find(|l| l.name().eq_ignore_ascii_case(name))
    }
}
pub fn decode_bytes(bytes: &[u8], _enc: Legacy) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
pub fn repair_mojibake(text: &str, _enc: Legacy) -> String {
    text.to_string()
}
pub fn detect_bytes(_bytes: &[u8]) -> Option<Legacy> {
    None
}
pub fn detect_mojibake(_text: &str) -> Option<Legacy> {
    None
}
