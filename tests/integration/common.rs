//! What the integration tests share.
#![allow(dead_code)]

use std::sync::OnceLock;

use baocao::Rules;

/// The shipped rules, loaded once for all the tests: patterns compile on first use, so a
/// test that loaded its own would compile again what the others already have.
pub fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::embedded().expect("the shipped rules load"))
}

/// The `extract` binary, keeping its compiled automata in the build's folder rather than
/// the user's cache: the tests share them, so a pattern is compiled once for all.
pub fn binary() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_extract"));
    let kept = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("automata");
    command.env("BAOCAO_CACHE", kept);
    // One worker, unless a test asks for more (`-j`): the test harness already runs as
    // many tests as there are cores, and a run's spare threads would only take theirs.
    command.env("BAOCAO_JOBS", "1");
    command
}

/// A PDF of the given objects (numbered from 1, the first the catalog), with a correct
/// cross-reference table.
pub fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (index, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", index + 1).as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
