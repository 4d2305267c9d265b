//! Criterion benchmarks of the profile's inner loops on synthetic columns of 1,000,000 rows:
//! a column of many distinct floats (sorted), one of few distinct integers (counted), one of
//! category codes, and the table-wide alerts (correlations, duplicates, conflicting labels).
//!
//! `cargo bench --bench profile`. The end-to-end figures against polars, pandas and
//! ydata-profiling come from `benches/run.sh profile` (see BENCHMARKS.md).

use criterion::{Criterion, criterion_group, criterion_main};
use mlwb::checks::quality;
use mlwb::data::profile::{self, sort_floats};
use mlwb::data::sample::Rng;
use mlwb::data::table::{Column, Table};

const ROWS: usize = 1_000_000;

fn floats(seed: u64) -> Vec<Option<f64>> {
    let mut rng = Rng::new(seed);
    (0..ROWS)
        .map(|i| (i % 50 != 0).then(|| (rng.next_u64() % 10_000_000) as f64 / 1_000.0))
        .collect()
}

fn table() -> Table {
    let mut rng = Rng::new(7);
    let mut columns: Vec<Column> =
        (0..6).map(|k| Column::numeric(&format!("x{k}"), floats(k))).collect();
    for k in 0..4 {
        let levels: Vec<String> = (0..(10 + 100 * k)).map(|l| format!("level_{l}")).collect();
        let n = levels.len();
        let codes: Vec<Option<u32>> = (0..ROWS).map(|_| Some(rng.below(n) as u32)).collect();
        columns.push(Column::categorical(&format!("c{k}"), codes, levels));
    }
    let label: Vec<Option<u32>> = (0..ROWS).map(|_| Some(rng.below(2) as u32)).collect();
    columns.push(Column::categorical("label", label, vec!["no".into(), "yes".into()]));
    Table { columns }
}

fn bench(c: &mut Criterion) {
    let many = Column::numeric("many", floats(1));
    let mut rng = Rng::new(2);
    let few = Column::numeric("few", (0..ROWS).map(|_| Some(rng.below(40) as f64)));
    let levels: Vec<String> = (0..1000).map(|l| format!("sku_{l:04}")).collect();
    let codes =
        Column::categorical("codes", (0..ROWS).map(|_| Some(rng.below(1000) as u32)), levels);
    let mut group = c.benchmark_group("column_1m");
    group.sample_size(10);
    group.bench_function("many_distinct_floats", |b| b.iter(|| profile::profile_column(&many)));
    group.bench_function("few_distinct_integers", |b| b.iter(|| profile::profile_column(&few)));
    group.bench_function("categories", |b| b.iter(|| profile::profile_column(&codes)));
    let values: Vec<f64> = floats(3).into_iter().flatten().collect();
    group.bench_function("radix_sort", |b| {
        b.iter_batched(
            || values.clone(),
            |mut v| sort_floats(&mut v),
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();

    let t = table();
    let profiles = profile::profile(&t);
    let mut group = c.benchmark_group("table_1m_x_11");
    group.sample_size(10);
    group.bench_function("profile", |b| b.iter(|| profile::profile(&t)));
    group.bench_function("alerts", |b| b.iter(|| quality::alerts(&t, &profiles, Some("label"))));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
