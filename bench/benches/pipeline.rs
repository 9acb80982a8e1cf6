//! Criterion benchmarks of the per-document pipeline on the shipped sample report: the
//! whole of one report, each stage alone (decode, normalize, layout, header, measures),
//! writing its facts, and what a run pays once (loading the rules, compiling their
//! patterns). `cargo bench -p baocao-bench`; MB/s per stage, so a change shows where it
//! costs. `BENCH_SAMPLE=path cargo bench -p baocao-bench` measures another report instead (a
//! real one from an archive, say).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn sample() -> Vec<u8> {
    let default = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../corpus/son-thuy-2024-h1.txt"
    );
    let path = std::env::var("BENCH_SAMPLE").unwrap_or(default.to_string());
    std::fs::read(path).expect("the sample report is readable")
}

fn pipeline(c: &mut Criterion) {
    let rules = baocao::Rules::embedded().expect("shipped rules load");
    let bytes = sample();
    let nfd: Vec<u8> = {
        use unicode_normalization::UnicodeNormalization;
        String::from_utf8_lossy(&bytes)
            .nfd()
            .collect::<String>()
            .into_bytes()
    };
    let mut group = c.benchmark_group("document");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("extract NFC report", |b| {
        b.iter(|| baocao::extract_bytes("r.txt", &bytes, &rules, &baocao::Options::default()))
    });
    group.bench_function("extract NFD report", |b| {
        b.iter(|| baocao::extract_bytes("r.txt", &nfd, &rules, &baocao::Options::default()))
    });
    // Writing the facts as JSON lines, with nothing else: a floor under any run, since the
    // contract's output is about four times the size of its input.
    let facts = baocao::extract_bytes("r.txt", &bytes, &rules, &baocao::Options::default())
        .expect("the sample report extracts")
        .facts;
    group.bench_function("write facts as JSON lines", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(1 << 20);
            for fact in &facts {
                serde_json::to_writer(&mut out, fact).expect("facts serialize");
                out.push(b'\n');
            }
            out
        })
    });
    group.finish();
    stages(c, &rules, &bytes);
    c.bench_function("load the shipped rules", |b| {
        b.iter(baocao::Rules::embedded)
    });
    c.bench_function("load rules with every check", |b| {
        let sources = baocao::Rules::embedded_sources();
        b.iter(|| baocao::Rules::from_sources(&sources))
    });
    c.bench_function("load rules and compile every pattern", |b| {
        b.iter(|| {
            let rules = baocao::Rules::embedded().expect("shipped rules load");
            rules.warm_up();
            rules
        })
    });
}

/// Each stage alone, on the output of the stage before it.
fn stages(c: &mut Criterion, rules: &baocao::Rules, bytes: &[u8]) {
    use baocao::{document, extract, layout, normalize, source};
    let mut group = c.benchmark_group("stage");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("decode", |b| b.iter(|| source::decode(bytes, None)));
    let text = source::decode(bytes, None)
        .expect("the sample decodes")
        .text;
    group.bench_function("normalize", |b| {
        b.iter(|| normalize::normalize("r.txt", &text))
    });
    let decomposed: String = {
        use unicode_normalization::UnicodeNormalization;
        text.nfd().collect()
    };
    group.bench_function("normalize NFD", |b| {
        b.iter(|| normalize::normalize("r.txt", &decomposed))
    });
    let doc = normalize::normalize("r.txt", &text);
    group.bench_function("layout", |b| b.iter(|| layout::split(&doc, rules)));
    let split = layout::split(&doc, rules);
    group.bench_function("header", |b| {
        b.iter(|| document::header(&doc, &split, rules))
    });
    group.bench_function("measures and facts", |b| {
        b.iter(|| extract::extract(&doc, &split, rules, Some(2024)))
    });
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
