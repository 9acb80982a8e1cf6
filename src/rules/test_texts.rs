//! The texts rule tests run over.

/// Every text the project has: its sample reports, its rules' examples and its test
/// sentences.
pub(crate) fn every_text() -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut texts: Vec<String> = crate::rules::Rules::shipped()
        .examples
        .iter()
        .map(|example| example.text.clone())
        .collect();
    for folder in ["corpus", "tests/data"] {
        let mut paths: Vec<_> = std::fs::read_dir(format!("{root}/{folder}"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        paths.sort();
        for path in paths {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            match path.extension().and_then(|e| e.to_str()) {
                Some("txt" | "md") => texts.extend(text.lines().map(str::to_string)),
                Some("toml") => {
                    let cases: toml::Value = toml::from_str(&text).unwrap();
                    let cases = cases.get("case").and_then(|c| c.as_array());
                    texts.extend(
                        cases
                            .into_iter()
                            .flatten()
                            .filter_map(|case| Some(case.get("text")?.as_str()?.to_string())),
                    );
                }
                _ => {}
            }
        }
    }
    texts
}
