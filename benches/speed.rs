//! Speed of the designer tools on the shipped scenarios (`cargo bench`).
//!
//! Goals on the project's 2-core machine: the whole shipped corpus loads and checks in under
//! 50 ms (that includes `leap check`'s 2000 simulated runs per scenario for `rare-ending`),
//! and the simulator sustains at least 1 million decisions per second on one core.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leap::scenario::{Corpus, Scenario};
use leap::tools::policy::Policy;
use leap::tools::simulate::{SimConfig, simulate};

fn scenarios_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

fn check_corpus(c: &mut Criterion) {
    let dir = scenarios_dir();
    let corpus = Corpus::load(std::slice::from_ref(&dir));
    assert!(corpus.scenarios().count() > 0, "no shipped scenarios to check");
    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Elements(corpus.files.len() as u64));
    group.bench_function("load and check the shipped corpus", |b| {
        b.iter(|| black_box(Corpus::load(std::slice::from_ref(&dir))))
    });
    group.finish();
}

fn simulate_decisions(c: &mut Criterion) {
    let corpus = Corpus::load(&[scenarios_dir()]);
    let scenarios: Vec<Scenario> = corpus.scenarios().cloned().collect();
    let config = |policy: Policy| SimConfig { threads: 1, ..SimConfig::new(2000, 1, policy) };
    let mut group = c.benchmark_group("simulate one core");
    for policy in [Policy::Random, Policy::LeastUsed, Policy::named("balanced").unwrap()] {
        let decisions: u64 = scenarios.iter().map(|s| simulate(s, &config(policy.clone())).unwrap().decisions).sum();
        group.throughput(Throughput::Elements(decisions));
        group.bench_function(format!("{} policy, decisions", policy.name()), |b| {
            b.iter(|| {
                for scenario in &scenarios {
                    black_box(simulate(scenario, &config(policy.clone())).unwrap());
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, check_corpus, simulate_decisions);
criterion_main!(benches);
