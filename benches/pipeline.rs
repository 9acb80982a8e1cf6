//! Criterion benchmarks of the per-document pipeline on the shipped sample reports:
//! decoding, layout and extraction of one report, writing its facts, and rule loading (paid
//! once per run).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn sample() -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/son-thuy-2024-h1.txt");
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
    c.bench_function("load rules", |b| b.iter(baocao::Rules::embedded));
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
