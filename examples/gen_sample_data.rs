//! Generates the seeded sample data sets that ship in `sample-data/`:
//!
//! * `churn.csv`: 5,000 telecom customers with a `churned` yes/no label, real churn drivers,
//!   noise columns and three deliberately planted leaky columns;
//! * `churn_clean.csv`: the same customers in the same order without the three leaky columns;
//! * `delivery.csv`: 5,000 food-delivery orders with a `delivery_minutes` regression target.
//!
//! Run it with `cargo run --example gen_sample_data [OUTPUT_DIR]` (default `sample-data`).
//! `sample-data/README.md` documents every column and the rule that produced it.
//!
//! The output is identical byte for byte on every machine and every Rust version. Randomness
//! comes from a hand-written SplitMix64 seeded with a constant. The float maths uses only
//! `+ - * /`, `sqrt` and `round`, which IEEE 754 defines exactly, so a platform `libm` (whose
//! `ln`, `exp` or `cos` may differ in the last bit) never touches a value. Numbers are printed
//! via integer rounding for the same reason.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Seed of every stream; changing it changes every file.
const SEED: u64 = 0x6d6c_7762_5eed_2025;
const CHURN_ROWS: usize = 5_000;
const DELIVERY_ROWS: usize = 5_000;

fn main() -> io::Result<()> {
    let out_dir = std::env::args().nth(1).unwrap_or_else(|| "sample-data".to_owned());
    let out_dir = Path::new(&out_dir);
    fs::create_dir_all(out_dir)?;

    // Each data set draws from its own stream so that editing one generator leaves the other
    // file untouched.
    let customers = churn::generate(&mut Rng::new(SEED));
    churn::write(out_dir, &customers)?;
    let orders = delivery::generate(&mut Rng::new(SEED ^ 0xde11_7e51));
    delivery::write(&out_dir.join("delivery.csv"), &orders)?;

    println!("wrote sample data into {}", out_dir.display());
    Ok(())
}

/// SplitMix64: tiny, fast, statistically sound for sample data, and fully specified here so the
/// stream never depends on an external crate's version.
struct Rng {
    state: u64,
    /// The polar method yields normals in pairs; the second is kept for the next call.
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

    /// Uniform in `[0, 1)`: the top 53 bits fill an f64 mantissa exactly.
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64
    }

    fn range(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.uniform()
    }

    /// Uniform integer in `0..n` by multiply-and-shift, which avoids a modulo and whose bias
    /// is negligible for the small `n` used here.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    fn chance(&mut self, probability: f64) -> bool {
        self.uniform() < probability
    }

    /// Standard normal by Marsaglia's polar form of Box–Muller, which needs `ln` and `sqrt` but
    /// no trigonometry; `ln` is our own so it is reproducible.
    fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let factor = (-2.0 * ln(s) / s).sqrt();
                self.spare_normal = Some(v * factor);
                return u * factor;
            }
        }
    }

    fn binomial(&mut self, trials: u32, probability: f64) -> u32 {
        (0..trials).map(|_| u32::from(self.chance(probability))).sum()
    }

    /// Picks one item with probability proportional to `weight(item)`.
    fn pick<'a, T>(&mut self, items: &'a [T], weight: impl Fn(&T) -> f64) -> &'a T {
        let total: f64 = items.iter().map(&weight).sum();
        let mut target = self.uniform() * total;
        for item in items {
            target -= weight(item);
            if target < 0.0 {
                return item;
            }
        }
        // Rounding can leave a sliver of `target`; it belongs to the last item.
        &items[items.len() - 1]
    }

    /// Fisher–Yates shuffle.
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

/// Natural logarithm of a positive normal `x` from basic arithmetic only.
///
/// `x = m * 2^e` with `m` in `[sqrt(1/2), sqrt(2)]`, then `ln m = 2 atanh(s)` with
/// `s = (m - 1) / (m + 1)`; `|s| <= 0.172`, so fifteen terms of the odd series are plenty.
fn ln(x: f64) -> f64 {
    debug_assert!(x.is_normal() && x > 0.0);
    let bits = x.to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut mantissa = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if mantissa > std::f64::consts::SQRT_2 {
        mantissa /= 2.0;
        exponent += 1;
    }
    let s = (mantissa - 1.0) / (mantissa + 1.0);
    let s_squared = s * s;
    let mut power = s;
    let mut series = 0.0;
    for k in (1..30).step_by(2) {
        series += power / f64::from(k);
        power *= s_squared;
    }
    exponent as f64 * std::f64::consts::LN_2 + 2.0 * series
}

/// One level of a categorical column: its label, how often it occurs, and a numeric effect
/// whose meaning is stated at each table.
struct Level {
    name: &'static str,
    weight: f64,
    effect: f64,
}

const fn level(name: &'static str, weight: f64, effect: f64) -> Level {
    Level { name, weight, effect }
}

impl Rng {
    fn level<'a>(&mut self, levels: &'a [Level]) -> &'a Level {
        self.pick(levels, |level| level.weight)
    }
}

/// Formats `x` with exactly `decimals` digits after the point. Rounding to an integer first
/// keeps the text independent of the standard library's float formatter and never prints
/// `-0.00`.
fn fixed(x: f64, decimals: u32) -> String {
    let scale = 10_u64.pow(decimals);
    let scaled = (x * scale as f64).round() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let magnitude = scaled.unsigned_abs();
    if decimals == 0 {
        return format!("{sign}{magnitude}");
    }
    let (whole, fraction) = (magnitude / scale, magnitude % scale);
    format!("{sign}{whole}.{fraction:0width$}", width = decimals as usize)
}

/// An empty cell is how the files mark a missing value.
fn or_empty(value: Option<String>) -> String {
    value.unwrap_or_default()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `YYYY-MM-DD` of a day count from 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn format_date(days: i64) -> String {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn write_csv(path: &Path, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    writeln!(out, "{}", header.join(","))?;
    for row in rows {
        writeln!(out, "{}", row.join(","))?;
    }
    out.flush()
}

mod churn {
    use super::{
        HashSet, Level, Path, Rng, days_from_civil, fixed, format_date, io, level, or_empty,
        write_csv,
    };

    /// Every column of `churn.csv`, in file order.
    const COLUMNS: [&str; 16] = [
        "customer_id",
        "customer_ref",
        "signup_date",
        "region",
        "age",
        "contract",
        "tenure_months",
        "payment_method",
        "internet_service",
        "paperless_billing",
        "monthly_charges",
        "total_charges",
        "support_calls",
        "account_status",
        "cancellation_fee",
        "churned",
    ];

    /// The planted leaks, dropped from `churn_clean.csv`.
    const LEAKY: [&str; 3] = ["customer_id", "account_status", "cancellation_fee"];

    /// Tenure is measured up to this day (2025-01-01).
    const SNAPSHOT_DAY: (i64, i64, i64) = (2025, 1, 1);
    const FIRST_CUSTOMER_ID: u32 = 100_001;

    /// Standard deviation of the unobserved part of churn risk; it is what keeps the real
    /// features from predicting the label perfectly.
    const RISK_NOISE: f64 = 0.9;
    /// Customers whose noisy risk exceeds this leave; it sets the churn rate.
    const RISK_THRESHOLD: f64 = 1.0;

    /// Effect: none (region is pure noise).
    const REGIONS: [Level; 5] = [
        level("north", 0.22, 0.0),
        level("south", 0.24, 0.0),
        level("east", 0.18, 0.0),
        level("west", 0.20, 0.0),
        level("central", 0.16, 0.0),
    ];

    /// Effect: added churn risk. Paper and electronic checks mean no automatic payment.
    const PAYMENT_METHODS: [Level; 4] = [
        level("electronic-check", 0.34, 0.6),
        level("mailed-check", 0.20, 0.1),
        level("bank-transfer", 0.23, -0.2),
        level("credit-card", 0.23, -0.25),
    ];

    /// Effect: base monthly charge; the service drives churn only through the price.
    const INTERNET_SERVICES: [Level; 3] =
        [level("fiber", 0.44, 70.0), level("dsl", 0.34, 45.0), level("none", 0.22, 20.0)];

    #[derive(Clone, Copy)]
    enum Contract {
        MonthToMonth,
        OneYear,
        TwoYear,
    }

    impl Contract {
        fn draw(rng: &mut Rng) -> Self {
            match rng.below(100) {
                0..52 => Self::MonthToMonth,
                52..76 => Self::OneYear,
                _ => Self::TwoYear,
            }
        }

        fn name(self) -> &'static str {
            match self {
                Self::MonthToMonth => "month-to-month",
                Self::OneYear => "one-year",
                Self::TwoYear => "two-year",
            }
        }

        /// Added churn risk: without a lock-in, leaving costs nothing.
        fn risk(self) -> f64 {
            match self {
                Self::MonthToMonth => 1.0,
                Self::OneYear => -0.3,
                Self::TwoYear => -1.2,
            }
        }

        /// Months as a customer, 1 to 72. Long contracts are mostly held by long-standing
        /// customers, so squaring the uniform skews short and its root skews long.
        fn draw_tenure(self, rng: &mut Rng) -> u32 {
            let u = rng.uniform();
            let shape = match self {
                Self::MonthToMonth => u * u,
                Self::OneYear => u,
                Self::TwoYear => u.sqrt(),
            };
            1 + (shape * 71.99) as u32
        }

        /// Early-termination fee charged when a customer on this contract leaves.
        fn termination_fee(self, rng: &mut Rng) -> f64 {
            match self {
                Self::MonthToMonth => rng.range(10.0, 45.0),
                Self::OneYear => rng.range(90.0, 240.0),
                Self::TwoYear => rng.range(200.0, 400.0),
            }
        }
    }

    pub(super) struct Customer {
        customer_id: u32,
        customer_ref: String,
        signup_day: i64,
        region: &'static str,
        age: Option<u32>,
        contract: Contract,
        tenure_months: u32,
        payment_method: Option<&'static str>,
        internet_service: &'static str,
        paperless_billing: bool,
        monthly_charges: f64,
        total_charges: Option<f64>,
        support_calls: u32,
        account_closed: bool,
        cancellation_fee: f64,
        churned: bool,
    }

    pub(super) fn generate(rng: &mut Rng) -> Vec<Customer> {
        let mut refs = HashSet::new();
        let mut customers: Vec<_> =
            (0..super::CHURN_ROWS).map(|_| draw_customer(rng, &mut refs)).collect();
        assign_ids_by_label(rng, &mut customers);
        customers
    }

    fn draw_customer(rng: &mut Rng, refs: &mut HashSet<String>) -> Customer {
        let contract = Contract::draw(rng);
        let tenure_months = contract.draw_tenure(rng);
        let payment = rng.level(&PAYMENT_METHODS);
        let internet = rng.level(&INTERNET_SERVICES);
        let paperless_billing = rng.chance(0.6);
        let monthly_charges =
            (internet.effect + rng.range(0.0, 35.0) + 4.0 * rng.normal()).max(18.0);
        let support_calls = rng.binomial(10, 0.14);

        let risk = contract.risk()
            // Most attrition happens in the first years; after three it hardly matters.
            - 1.8 * f64::from(tenure_months.min(36)) / 36.0
            + 0.45 * f64::from(support_calls)
            + 0.03 * (monthly_charges - 65.0)
            + payment.effect
            + if paperless_billing { 0.15 } else { 0.0 };
        let churned = risk + RISK_NOISE * rng.normal() > RISK_THRESHOLD;

        let (year, month, day) = SNAPSHOT_DAY;
        let days_back = i64::from(tenure_months) * 365 / 12 + rng.below(30) as i64;
        Customer {
            customer_id: 0, // assigned once every label is known
            customer_ref: unique_ref(rng, refs),
            signup_day: days_from_civil(year, month, day) - days_back,
            region: rng.level(&REGIONS).name,
            age: (!rng.chance(0.03)).then(|| draw_age(rng)),
            contract,
            tenure_months,
            payment_method: (!rng.chance(0.04)).then_some(payment.name),
            internet_service: internet.name,
            paperless_billing,
            monthly_charges,
            total_charges: draw_total_charges(rng, monthly_charges, tenure_months),
            support_calls,
            // Leak: a status field copied from the billing system after the fact; it disagrees
            // with the label on about 3% of rows (stale records).
            account_closed: churned != rng.chance(0.03),
            cancellation_fee: draw_cancellation_fee(rng, contract, churned),
            churned,
        }
    }

    fn draw_age(rng: &mut Rng) -> u32 {
        (44.0 + 14.0 * rng.normal()).clamp(18.0, 85.0) as u32
    }

    /// Roughly price times tenure, since prices drift over a customer's life; ~2% missing.
    fn draw_total_charges(rng: &mut Rng, monthly: f64, tenure: u32) -> Option<f64> {
        let drift = 1.0 + 0.05 * rng.normal();
        let total = monthly * f64::from(tenure) * drift;
        (!rng.chance(0.02)).then_some(total.max(monthly))
    }

    /// Leak: the fee is billed only when a customer leaves. A few leavers have it waived and a
    /// few stayers pay a small plan-change fee, so the column is not an exact copy of the label.
    fn draw_cancellation_fee(rng: &mut Rng, contract: Contract, churned: bool) -> f64 {
        match (churned, rng.chance(0.03)) {
            (true, false) => contract.termination_fee(rng),
            (false, true) => rng.range(5.0, 30.0),
            _ => 0.0,
        }
    }

    /// Ten random lowercase hex digits, redrawn on the (rare) collision so the ref is unique.
    fn unique_ref(rng: &mut Rng, refs: &mut HashSet<String>) -> String {
        loop {
            let candidate = format!("{:010x}", rng.next_u64() >> 24);
            if refs.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    /// Leak: ids are handed out to the stayers first and the leavers after, as if the table
    /// had been sorted by outcome before being numbered. Within each group the order is random,
    /// and rows keep their random file order, so the leak lives in the value alone.
    fn assign_ids_by_label(rng: &mut Rng, customers: &mut [Customer]) {
        let mut order: Vec<usize> = (0..customers.len()).collect();
        rng.shuffle(&mut order);
        order.sort_by_key(|&index| customers[index].churned);
        for (id, index) in (FIRST_CUSTOMER_ID..).zip(order) {
            customers[index].customer_id = id;
        }
    }

    fn yes_no(flag: bool) -> String {
        if flag { "yes" } else { "no" }.to_owned()
    }

    fn values(c: &Customer) -> [String; COLUMNS.len()] {
        [
            c.customer_id.to_string(),
            c.customer_ref.clone(),
            format_date(c.signup_day),
            c.region.to_owned(),
            or_empty(c.age.map(|age| age.to_string())),
            c.contract.name().to_owned(),
            c.tenure_months.to_string(),
            or_empty(c.payment_method.map(str::to_owned)),
            c.internet_service.to_owned(),
            yes_no(c.paperless_billing),
            fixed(c.monthly_charges, 2),
            or_empty(c.total_charges.map(|total| fixed(total, 2))),
            c.support_calls.to_string(),
            if c.account_closed { "closed" } else { "active" }.to_owned(),
            fixed(c.cancellation_fee, 2),
            yes_no(c.churned),
        ]
    }

    /// Writes `churn.csv` and, from the same rows, `churn_clean.csv` without the leaky columns.
    pub(super) fn write(out_dir: &Path, customers: &[Customer]) -> io::Result<()> {
        let rows: Vec<Vec<String>> = customers.iter().map(|c| values(c).to_vec()).collect();
        write_csv(&out_dir.join("churn.csv"), &COLUMNS, &rows)?;

        let keep: Vec<bool> = COLUMNS.iter().map(|name| !LEAKY.contains(name)).collect();
        let select = |row: &[String]| -> Vec<String> {
            row.iter()
                .zip(&keep)
                .filter(|&(_, &kept)| kept)
                .map(|(value, _)| value.clone())
                .collect()
        };
        let clean_header = select(&COLUMNS.map(str::to_owned));
        let clean_header: Vec<&str> = clean_header.iter().map(String::as_str).collect();
        let clean_rows: Vec<Vec<String>> = rows.iter().map(|row| select(row)).collect();
        write_csv(&out_dir.join("churn_clean.csv"), &clean_header, &clean_rows)
    }
}

mod delivery {
    use super::{
        Level, Path, Rng, days_from_civil, fixed, format_date, io, level, or_empty, write_csv,
    };

    const COLUMNS: [&str; 13] = [
        "order_id",
        "order_time",
        "restaurant_type",
        "items",
        "prep_time_min",
        "distance_km",
        "vehicle",
        "courier_experience_years",
        "weather",
        "temperature_c",
        "traffic_level",
        "tip_eur",
        "delivery_minutes",
    ];

    const FIRST_ORDER_ID: u32 = 700_001;
    /// Orders are spread over the 122 days from 2024-03-01 to 2024-06-30.
    const FIRST_DAY: (i64, i64, i64) = (2024, 3, 1);
    const DAYS: u64 = 122;

    /// Hours the service is open, weighted by order volume: lunch and dinner peaks.
    const HOURS: [(i64, f64); 13] = [
        (10, 2.0),
        (11, 5.0),
        (12, 10.0),
        (13, 9.0),
        (14, 5.0),
        (15, 3.0),
        (16, 3.0),
        (17, 6.0),
        (18, 11.0),
        (19, 12.0),
        (20, 9.0),
        (21, 5.0),
        (22, 2.0),
    ];

    /// Effect: typical kitchen time in minutes before the per-item time is added.
    const RESTAURANTS: [Level; 5] = [
        level("fast-food", 0.32, 7.0),
        level("pizza", 0.22, 13.0),
        level("asian", 0.20, 11.0),
        level("cafe", 0.16, 5.0),
        level("fine-dining", 0.10, 22.0),
    ];

    /// Effect: speed factor relative to clear roads.
    const WEATHER: [Level; 5] = [
        level("clear", 0.48, 1.0),
        level("cloudy", 0.22, 0.97),
        level("rain", 0.18, 0.8),
        level("fog", 0.05, 0.85),
        level("snow", 0.07, 0.6),
    ];

    /// Effect: speed factor. Peak hours (lunch, evening) shift the mix towards jams.
    const TRAFFIC_OFF_PEAK: [Level; 4] = [
        level("low", 0.45, 1.0),
        level("medium", 0.35, 0.8),
        level("high", 0.15, 0.6),
        level("jam", 0.05, 0.4),
    ];
    const TRAFFIC_PEAK: [Level; 4] = [
        level("low", 0.12, 1.0),
        level("medium", 0.33, 0.8),
        level("high", 0.35, 0.6),
        level("jam", 0.20, 0.4),
    ];

    /// A courier's vehicle: longest trip dispatch gives it, free-flow speed, and how strongly
    /// traffic and weather slow it (a bicycle slips past jams but suffers in rain and snow).
    struct Vehicle {
        name: &'static str,
        weight: f64,
        range_km: f64,
        speed_kmh: f64,
        traffic_exposure: f64,
        weather_exposure: f64,
    }

    const VEHICLES: [Vehicle; 3] = [
        Vehicle {
            name: "bicycle",
            weight: 0.3,
            range_km: 7.0,
            speed_kmh: 15.0,
            traffic_exposure: 0.35,
            weather_exposure: 1.5,
        },
        Vehicle {
            name: "scooter",
            weight: 0.45,
            range_km: 20.0,
            speed_kmh: 24.0,
            traffic_exposure: 0.8,
            weather_exposure: 1.1,
        },
        Vehicle {
            name: "car",
            weight: 0.25,
            range_km: 20.0,
            speed_kmh: 30.0,
            traffic_exposure: 1.0,
            weather_exposure: 0.6,
        },
    ];

    pub(super) struct Order {
        order_id: u32,
        /// Minutes since 1970-01-01 00:00.
        order_minute: i64,
        restaurant_type: &'static str,
        items: u32,
        prep_time_min: u32,
        distance_km: f64,
        vehicle: &'static str,
        courier_experience_years: Option<f64>,
        weather: Option<&'static str>,
        temperature_c: f64,
        traffic_level: Option<&'static str>,
        tip_eur: f64,
        delivery_minutes: f64,
    }

    pub(super) fn generate(rng: &mut Rng) -> Vec<Order> {
        let mut orders: Vec<_> = (0..super::DELIVERY_ROWS).map(|_| draw_order(rng)).collect();
        // Order ids follow time, as a real order log would number them.
        orders.sort_by_key(|order| order.order_minute);
        for (id, order) in (FIRST_ORDER_ID..).zip(&mut orders) {
            order.order_id = id;
        }
        orders
    }

    fn draw_order(rng: &mut Rng) -> Order {
        let (hour, order_minute) = draw_time(rng);
        let peak = matches!(hour, 12 | 13 | 18 | 19);
        let restaurant = rng.level(&RESTAURANTS);
        let items = 1 + rng.binomial(9, 0.22);
        let prep_time_min =
            (restaurant.effect + 1.3 * f64::from(items) + 2.5 * rng.normal()).round().max(3.0);
        let distance_km = (0.6 + 4.0 * rng.normal().abs() + rng.range(0.0, 2.0)).min(18.0);
        let vehicle =
            rng.pick(
                &VEHICLES,
                |vehicle| {
                    if distance_km <= vehicle.range_km { vehicle.weight } else { 0.0 }
                },
            );
        let experience = rng.uniform() * rng.uniform() * 12.0;
        let weather = rng.level(&WEATHER);
        let traffic = rng.level(if peak { &TRAFFIC_PEAK } else { &TRAFFIC_OFF_PEAK });

        let travel = travel_minutes(distance_km, vehicle, weather.effect, traffic.effect);
        // Couriers learn the shortcuts and the building entrances within the first year or two.
        let inexperience = 1.0 + 0.35 / (1.0 + experience);
        // Busy kitchens overrun their quoted preparation time at peak hours.
        let kitchen = prep_time_min * if peak { 1.2 } else { 1.0 } * (1.0 + 0.08 * rng.normal());
        let delivery_minutes =
            (kitchen + travel * inexperience + 3.0 + 2.0 * rng.normal()).max(8.0);

        Order {
            order_id: 0, // assigned after sorting by time
            order_minute,
            restaurant_type: restaurant.name,
            items,
            prep_time_min: prep_time_min as u32,
            distance_km,
            vehicle: vehicle.name,
            courier_experience_years: (!rng.chance(0.03)).then_some(experience),
            weather: (!rng.chance(0.02)).then_some(weather.name),
            temperature_c: draw_temperature(rng, weather.name),
            traffic_level: (!rng.chance(0.02)).then_some(traffic.name),
            tip_eur: draw_tip(rng, items),
            delivery_minutes,
        }
    }

    /// Returns the hour of day and the order time in minutes since the epoch.
    fn draw_time(rng: &mut Rng) -> (i64, i64) {
        let (year, month, day) = FIRST_DAY;
        let day = days_from_civil(year, month, day) + rng.below(DAYS) as i64;
        let &(hour, _) = rng.pick(&HOURS, |&(_, weight)| weight);
        let minute = rng.below(60) as i64;
        (hour, day * 1_440 + hour * 60 + minute)
    }

    /// Travel time from distance over an effective speed; exposure scales how much of the
    /// traffic and weather slowdown a vehicle feels.
    fn travel_minutes(distance_km: f64, vehicle: &Vehicle, weather: f64, traffic: f64) -> f64 {
        let slowdown = |factor: f64, exposure: f64| (1.0 - exposure * (1.0 - factor)).max(0.2);
        let speed = vehicle.speed_kmh
            * slowdown(traffic, vehicle.traffic_exposure)
            * slowdown(weather, vehicle.weather_exposure);
        distance_km / speed * 60.0
    }

    /// Spring temperatures, colder in snow; it has no effect on delivery time.
    fn draw_temperature(rng: &mut Rng, weather: &str) -> f64 {
        let typical = match weather {
            "snow" => -2.0,
            "rain" | "fog" => 10.0,
            _ => 15.0,
        };
        typical + 5.0 * rng.normal()
    }

    /// Tips grow a little with order size; they are paid at checkout, before delivery, so they
    /// carry no information about the outcome.
    fn draw_tip(rng: &mut Rng, items: u32) -> f64 {
        if rng.chance(0.35) {
            return 0.0;
        }
        (0.5 + 0.3 * f64::from(items) + rng.range(0.0, 2.5)).max(0.0)
    }

    fn format_minute(minute: i64) -> String {
        let (day, minute_of_day) = (minute.div_euclid(1_440), minute.rem_euclid(1_440));
        let (hour, minute) = (minute_of_day / 60, minute_of_day % 60);
        format!("{} {hour:02}:{minute:02}", format_date(day))
    }

    fn values(o: &Order) -> Vec<String> {
        vec![
            o.order_id.to_string(),
            format_minute(o.order_minute),
            o.restaurant_type.to_owned(),
            o.items.to_string(),
            o.prep_time_min.to_string(),
            fixed(o.distance_km, 2),
            o.vehicle.to_owned(),
            or_empty(o.courier_experience_years.map(|years| fixed(years, 1))),
            or_empty(o.weather.map(str::to_owned)),
            fixed(o.temperature_c, 1),
            or_empty(o.traffic_level.map(str::to_owned)),
            fixed(o.tip_eur, 2),
            fixed(o.delivery_minutes, 1),
        ]
    }

    pub(super) fn write(path: &Path, orders: &[Order]) -> io::Result<()> {
        let rows: Vec<Vec<String>> = orders.iter().map(values).collect();
        write_csv(path, &COLUMNS, &rows)
    }
}
