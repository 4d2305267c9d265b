//! Writes the synthetic table that mlwb's benchmarks load, profile and train on.
//!
//! The CSV has a header row and exactly 20 columns:
//!
//! * `id`: 1..=N, unique;
//! * `num_01`..`num_12`: numbers drawn from a mix of distributions (normal, log-normal,
//!   uniform, Poisson counts, exponential, bimodal, heavy-tailed, bounded). `num_05` leaves
//!   about 2% of its cells empty and `num_06` is zero in about 65% of rows;
//! * `cat_1`..`cat_6`: categorical columns with about 3, 5, 12, 40, 200 and 1,000 levels and
//!   skewed (Zipf-like) frequencies. `cat_4` leaves about 1% of its cells empty;
//! * `label`: 0/1, about 30% ones, driven by `num_01`, `num_04`, `num_05` (missing or not),
//!   `num_06` (zero or not), `cat_1` and `cat_3` plus normal noise.
//!
//! Run it with
//!
//! ```sh
//! cargo run --release --example gen_bench_data -- bench-data/bench_1m.csv          # 1,000,000 rows
//! cargo run --release --example gen_bench_data -- bench-data/bench_100k.csv 100000
//! ```
//!
//! The first argument is the output file (default `bench-data/bench_1m.csv`; missing folders
//! are created), the second the row count (default 1,000,000).
//!
//! The output is the same byte for byte on every run and every machine: the random numbers come
//! from a SplitMix64 generator with a fixed seed, the float maths uses only IEEE 754 operations
//! that are exactly specified (`+ - * /`, `sqrt`, `round`) together with this file's own `ln`
//! and `exp`, and numbers are printed by rounding to an integer first, never through the float
//! formatter.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Seed of the single random stream; changing it changes every row.
const SEED: u64 = 0x6d6c_7762_be4c_0020;
const DEFAULT_PATH: &str = "bench-data/bench_1m.csv";
const DEFAULT_ROWS: u64 = 1_000_000;
/// The label is 1 when the noisy score exceeds this; chosen so that about 30% of rows are 1.
const LABEL_THRESHOLD: f64 = 1.22;

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| DEFAULT_PATH.to_owned());
    let rows = match args.next() {
        Some(text) => parse_rows(&text)?,
        None => DEFAULT_ROWS,
    };
    let path = Path::new(&path);
    if let Some(folder) = path.parent().filter(|folder| !folder.as_os_str().is_empty()) {
        fs::create_dir_all(folder)?;
    }
    let positives = write_table(path, rows)?;
    println!(
        "wrote {rows} rows to {} ({positives} with label 1, {})",
        path.display(),
        per_mille_text(positives, rows)
    );
    Ok(())
}

/// Reads the row count, allowing `_` as a digit separator (`1_000_000`).
fn parse_rows(text: &str) -> io::Result<u64> {
    text.replace('_', "").parse().map_err(|error| {
        io::Error::new(io::ErrorKind::InvalidInput, format!("bad row count `{text}`: {error}"))
    })
}

/// `positives / rows` as a percentage with one decimal, computed in integers.
fn per_mille_text(positives: u64, rows: u64) -> String {
    let per_mille = (positives * 1000).checked_div(rows).unwrap_or(0);
    format!("{}.{}%", per_mille / 10, per_mille % 10)
}

/// Writes the header and `rows` rows; returns how many rows have label 1.
fn write_table(path: &Path, rows: u64) -> io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    out.write_all(header().as_bytes())?;
    let tables = category_tables();
    let mut rng = Rng::new(SEED);
    let mut line = String::with_capacity(256);
    let mut positives = 0;
    for id in 1..=rows {
        let row = Row::draw(&mut rng, &tables);
        positives += u64::from(row.label);
        line.clear();
        row.format(id, &tables, &mut line);
        out.write_all(line.as_bytes())?;
    }
    out.flush()?;
    Ok(positives)
}

fn header() -> String {
    let mut names = vec!["id".to_owned()];
    names.extend((1..=12).map(|i| format!("num_{i:02}")));
    names.extend((1..=6).map(|i| format!("cat_{i}")));
    names.push("label".to_owned());
    names.join(",") + "\n"
}

// ---------------------------------------------------------------------------------------------
// Random numbers

/// SplitMix64, written out here so the stream never depends on a crate's version.
struct Rng {
    state: u64,
    /// The polar method makes normals in pairs; the second waits here for the next call.
    spare_normal: Option<f64>,
}

impl Rng {
    fn new(seed: u64) -> Self {
        Self { state: seed, spare_normal: None }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)` from the top 53 bits, which an f64 holds exactly.
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / TWO_POW_53
    }

    /// Uniform in the open interval `(0, 1)`, safe to take the logarithm of.
    fn open_uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / TWO_POW_53
    }

    /// Uniform integer in `0..n` by multiply-and-shift (bias is negligible for small `n`).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    fn chance(&mut self, probability: f64) -> bool {
        self.uniform() < probability
    }

    /// Standard normal by Marsaglia's polar method (needs only `ln` and `sqrt`).
    fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let radius = u * u + v * v;
            if radius > 0.0 && radius < 1.0 {
                let factor = (-2.0 * ln(radius) / radius).sqrt();
                self.spare_normal = Some(v * factor);
                return u * factor;
            }
        }
    }

    /// Poisson count by multiplying uniforms until the product drops below `e^-mean`
    /// (Knuth's method; fine for the small mean used here).
    fn poisson(&mut self, mean: f64) -> u64 {
        let limit = exp(-mean);
        let mut product = self.uniform();
        let mut count = 0;
        while product > limit {
            product *= self.uniform();
            count += 1;
        }
        count
    }

    /// Exponential with the given mean, by inverting the distribution function.
    fn exponential(&mut self, mean: f64) -> f64 {
        -ln(self.open_uniform()) * mean
    }
}

const TWO_POW_53: f64 = (1_u64 << 53) as f64;

// ---------------------------------------------------------------------------------------------
// Reproducible elementary functions
//
// Platform maths libraries may differ in the last bit of `ln`/`exp`/`powf`. These versions use
// only basic arithmetic, so every machine computes the same bits.

/// Natural logarithm of a positive, normal `x`.
///
/// Splits `x = m * 2^e` with `m` in `[sqrt(1/2), sqrt(2)]`, then uses
/// `ln m = 2 * atanh(t)` with `t = (m - 1) / (m + 1)`, where `|t| < 0.18`.
fn ln(x: f64) -> f64 {
    debug_assert!(x.is_normal() && x > 0.0);
    let bits = x.to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut mantissa = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if mantissa > std::f64::consts::SQRT_2 {
        mantissa /= 2.0;
        exponent += 1;
    }
    let t = (mantissa - 1.0) / (mantissa + 1.0);
    let t_squared = t * t;
    let mut power = t;
    let mut series = 0.0;
    for odd in (1..32).step_by(2) {
        series += power / f64::from(odd);
        power *= t_squared;
    }
    exponent as f64 * std::f64::consts::LN_2 + 2.0 * series
}

/// `e^x` for `x` in `[-700, 700]` (clamped outside).
///
/// Writes `x = k * ln 2 + r` with `|r| <= ln 2 / 2`, sums the Taylor series of `e^r` and
/// scales by `2^k` through the exponent bits.
fn exp(x: f64) -> f64 {
    let x = x.clamp(-700.0, 700.0);
    let k = (x / std::f64::consts::LN_2).round();
    let r = x - k * std::f64::consts::LN_2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=20 {
        term *= r / f64::from(n);
        sum += term;
    }
    // |k| <= 1010, so the biased exponent stays in the normal range.
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// `base^power` for a positive base.
fn pow(base: f64, power: f64) -> f64 {
    exp(power * ln(base))
}

// ---------------------------------------------------------------------------------------------
// Categorical columns

/// The levels of one categorical column with their cumulative weights.
struct CategoryTable {
    names: Vec<String>,
    /// Running sum of the level weights; the last entry is the total.
    cumulative: Vec<f64>,
    /// Share of empty cells.
    missing: f64,
}

impl CategoryTable {
    fn new(names: Vec<String>, weights: &[f64], missing: f64) -> Self {
        let cumulative = weights
            .iter()
            .scan(0.0, |total, weight| {
                *total += weight;
                Some(*total)
            })
            .collect();
        Self { names, cumulative, missing }
    }

    /// `count` levels named `prefix` + zero-padded number, with Zipf weights `1 / rank^skew`.
    fn zipf(prefix: &str, count: usize, skew: f64, missing: f64) -> Self {
        let width = count.to_string().len();
        let names = (1..=count).map(|rank| format!("{prefix}{rank:0width$}")).collect();
        let weights: Vec<f64> = (1..=count).map(|rank| pow(rank as f64, -skew)).collect();
        Self::new(names, &weights, missing)
    }

    fn from_names(names: &[&str], weights: &[f64], missing: f64) -> Self {
        Self::new(names.iter().map(|&name| name.to_owned()).collect(), weights, missing)
    }

    /// Index of a level, or `None` for an empty cell. Columns without missing values draw one
    /// random number per row, the others two.
    fn draw(&self, rng: &mut Rng) -> Option<usize> {
        if self.missing > 0.0 && rng.chance(self.missing) {
            return None;
        }
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let target = rng.uniform() * total;
        let index = self.cumulative.partition_point(|&edge| edge <= target);
        Some(index.min(self.names.len() - 1))
    }
}

const MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// `cat_1`..`cat_6` in column order.
fn category_tables() -> [CategoryTable; 6] {
    let month_weights: Vec<f64> = (1..=12).map(|rank| pow(f64::from(rank), -0.4)).collect();
    [
        CategoryTable::from_names(&["basic", "plus", "pro"], &[0.62, 0.28, 0.10], 0.0),
        CategoryTable::from_names(
            &["north", "south", "east", "west", "central"],
            &[0.34, 0.24, 0.18, 0.14, 0.10],
            0.0,
        ),
        CategoryTable::from_names(&MONTHS, &month_weights, 0.0),
        CategoryTable::zipf("store_", 40, 0.9, 0.01),
        CategoryTable::zipf("sku_", 200, 1.0, 0.0),
        CategoryTable::zipf("city_", 1000, 1.1, 0.0),
    ]
}

// ---------------------------------------------------------------------------------------------
// Rows

/// The twelve numeric columns of one row, by the distribution each is drawn from.
struct Numbers {
    /// `num_01`: normal, mean 50, sd 12.
    normal: f64,
    /// `num_02`: log-normal, right-skewed, median about 20.
    log_normal: f64,
    /// `num_03`: uniform in `[0, 1)`.
    uniform: f64,
    /// `num_04`: Poisson count with mean 3.
    count: u64,
    /// `num_05`: normal, mean 100, sd 15, empty in about 2% of rows.
    gappy: Option<f64>,
    /// `num_06`: zero in about 65% of rows, otherwise log-normal.
    mostly_zero: f64,
    /// `num_07`: uniform integer 18..=90.
    age: u64,
    /// `num_08`: exponential with mean 8.
    waiting: f64,
    /// `num_09`: correlated with `num_01` (correlation 0.8).
    correlated: f64,
    /// `num_10`: mixture of two normals.
    bimodal: f64,
    /// `num_11`: Pareto with shape 2 (heavy right tail), at least 10.
    heavy_tail: f64,
    /// `num_12`: mean of three uniforms times 100, bell-shaped on `[0, 100]`.
    bounded: f64,
}

impl Numbers {
    /// `z` is the standard normal behind `num_01`, shared with `num_09`.
    fn draw(rng: &mut Rng, z: f64) -> Self {
        Self {
            normal: 50.0 + 12.0 * z,
            log_normal: exp(3.0 + 0.8 * rng.normal()),
            uniform: rng.uniform(),
            count: rng.poisson(3.0),
            gappy: if rng.chance(0.02) { None } else { Some(100.0 + 15.0 * rng.normal()) },
            mostly_zero: if rng.chance(0.65) { 0.0 } else { exp(4.0 + rng.normal()) },
            age: 18 + rng.below(73),
            waiting: rng.exponential(8.0),
            correlated: 20.0 + 5.0 * (0.8 * z + 0.6 * rng.normal()),
            bimodal: Self::bimodal(rng),
            heavy_tail: 10.0 / rng.open_uniform().sqrt(),
            bounded: (rng.uniform() + rng.uniform() + rng.uniform()) / 3.0 * 100.0,
        }
    }

    fn bimodal(rng: &mut Rng) -> f64 {
        if rng.chance(0.4) { -2.0 + 0.5 * rng.normal() } else { 3.0 + rng.normal() }
    }

    /// The cells in column order, each with its number of decimals.
    fn cells(&self) -> [Cell; 12] {
        [
            Cell::Fixed(self.normal, 4),
            Cell::Fixed(self.log_normal, 2),
            Cell::Fixed(self.uniform, 4),
            Cell::Int(self.count),
            self.gappy.map_or(Cell::Empty, |value| Cell::Fixed(value, 3)),
            Cell::Fixed(self.mostly_zero, 2),
            Cell::Int(self.age),
            Cell::Fixed(self.waiting, 3),
            Cell::Fixed(self.correlated, 4),
            Cell::Fixed(self.bimodal, 4),
            Cell::Fixed(self.heavy_tail, 2),
            Cell::Fixed(self.bounded, 2),
        ]
    }
}

/// How one numeric cell is printed.
enum Cell {
    Fixed(f64, u32),
    Int(u64),
    Empty,
}

struct Row {
    numbers: Numbers,
    categories: [Option<usize>; 6],
    label: bool,
}

impl Row {
    fn draw(rng: &mut Rng, tables: &[CategoryTable; 6]) -> Self {
        let z = rng.normal();
        let numbers = Numbers::draw(rng, z);
        let categories = std::array::from_fn(|column| tables[column].draw(rng));
        let label = label_score(&numbers, &categories) + rng.normal() > LABEL_THRESHOLD;
        Self { numbers, categories, label }
    }

    /// Appends the row as one CSV line, newline included.
    fn format(&self, id: u64, tables: &[CategoryTable; 6], line: &mut String) {
        let _ = write!(line, "{id}");
        for cell in self.numbers.cells() {
            line.push(',');
            push_cell(line, &cell);
        }
        for (table, level) in tables.iter().zip(self.categories) {
            line.push(',');
            if let Some(index) = level {
                line.push_str(&table.names[index]);
            }
        }
        line.push_str(if self.label { ",1\n" } else { ",0\n" });
    }
}

/// The noise-free part of the label score.
fn label_score(numbers: &Numbers, categories: &[Option<usize>; 6]) -> f64 {
    let tier = match categories[0] {
        Some(1) => 0.6,
        Some(2) => -0.7,
        _ => 0.0,
    };
    // Summer months (jun, jul, aug) raise the score, winter months lower it.
    let season = match categories[2] {
        Some(5..=7) => 0.5,
        Some(0 | 1 | 11) => -0.3,
        _ => 0.0,
    };
    let spender = if numbers.mostly_zero > 0.0 { 0.8 } else { 0.0 };
    let gap = if numbers.gappy.is_none() { 0.5 } else { 0.0 };
    0.9 * (numbers.normal - 50.0) / 12.0
        + 0.35 * (numbers.count as f64 - 3.0)
        + spender
        + gap
        + tier
        + season
}

fn push_cell(line: &mut String, cell: &Cell) {
    match *cell {
        Cell::Fixed(value, decimals) => push_fixed(line, value, decimals),
        Cell::Int(value) => {
            let _ = write!(line, "{value}");
        }
        Cell::Empty => {}
    }
}

/// Appends `value` with exactly `decimals` digits after the point. Rounding to an integer first
/// keeps the text independent of the float formatter and never prints `-0.00`.
fn push_fixed(line: &mut String, value: f64, decimals: u32) {
    let scale = 10_u64.pow(decimals);
    let scaled = (value * scale as f64).round() as i64;
    if scaled < 0 {
        line.push('-');
    }
    let magnitude = scaled.unsigned_abs();
    let _ = if decimals == 0 {
        write!(line, "{magnitude}")
    } else {
        let width = decimals as usize;
        write!(line, "{}.{:0width$}", magnitude / scale, magnitude % scale)
    };
}
