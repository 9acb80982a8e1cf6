//! Snapshots (insta) of the facts of the shipped sample reports: any change in what the
//! rules find shows up as a reviewable diff (`cargo insta review`).

use baocao::{extract_bytes, Options};

fn snapshot_of(name: &str) -> String {
    let rules = crate::common::rules();
    let path = format!("{}/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("sample report is readable");
    let extraction = extract_bytes(
        &format!("corpus/{name}"),
        &bytes,
        rules,
        &Options::default(),
    )
    .expect("sample report reads");
    let mut lines = vec![serde_json::to_string(&extraction.record).unwrap()];
    lines.extend(
        extraction
            .facts
            .iter()
            .map(|f| serde_json::to_string(f).unwrap()),
    );
    lines.join("\n")
}

#[test]
fn son_thuy_2022_h1() {
    insta::assert_snapshot!(snapshot_of("son-thuy-2022-h1.txt"));
}

#[test]
fn son_thuy_2023_h1() {
    insta::assert_snapshot!(snapshot_of("son-thuy-2023-h1.txt"));
}

#[test]
fn son_thuy_2024_h1() {
    insta::assert_snapshot!(snapshot_of("son-thuy-2024-h1.txt"));
}

#[test]
fn son_thuy_2025_h1() {
    insta::assert_snapshot!(snapshot_of("son-thuy-2025-h1.txt"));
}
