//! What the integration tests share.

use std::sync::OnceLock;

use baocao::Rules;

/// The shipped rules, loaded once per test binary: patterns compile on first use, so a
/// test that loaded its own would compile again what the others already have.
pub fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::embedded().expect("the shipped rules load"))
}
