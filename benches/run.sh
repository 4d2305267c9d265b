#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md: mlwb and the peer tools on the same files, one
# after the other, on this machine. Usage: benches/run.sh [leakage|profile|tree|all]
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
data=target/bench-data
venv="${MLWB_BENCH_VENV:-target/bench-venv}"

cargo build --release --bin mlwb --example gen_bench_data
mkdir -p "$data"
[ -f "$data/bench_1m.csv" ] || target/release/examples/gen_bench_data "$data/bench_1m.csv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet -r benches/peers/requirements.txt
fi
py() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$venv/bin/python" "$@"; }
timed() { /usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "{\"seconds\": %s, \"peak_rss_mb\": %.1f}\n", $1, $2/1024}'; }

if [ "$what" = leakage ] || [ "$what" = all ]; then
    echo "== leakage checks, 1,000,000 rows x 20 columns, target label"
    printf 'mlwb check leakage: '
    timed target/release/mlwb check leakage --file "$data/bench_1m.csv" --target label --json
    printf 'ppscore predictors: '
    py benches/peers/ppscore_predictors.py "$data/bench_1m.csv" label
fi

if [ "$what" = profile ] || [ "$what" = all ]; then
    echo "== profile, 1,000,000 rows x 20 columns (statistics, histograms, alerts)"
    printf 'mlwb profile: '
    timed target/release/mlwb profile "$data/bench_1m.csv" --json
    printf 'polars read_csv + describe: '
    py benches/peers/polars_describe.py "$data/bench_1m.csv"
    printf 'pandas read_csv + describe(include=all): '
    py benches/peers/pandas_describe.py "$data/bench_1m.csv"
    [ -f "$data/bench_100k.csv" ] || target/release/examples/gen_bench_data "$data/bench_100k.csv" 100000
    echo "== profile, 100,000 rows x 20 columns"
    printf 'mlwb profile: '
    timed target/release/mlwb profile "$data/bench_100k.csv" --json
    printf 'ydata-profiling minimal: '
    py benches/peers/ydata_minimal.py "$data/bench_100k.csv"
fi

if [ "$what" = tree ] || [ "$what" = all ]; then
    echo "== depth-10 decision tree, 1,000,000 rows x 12 numeric features"
    ws="$data/tree-ws"
    if [ ! -f "$ws/mlwb.toml" ]; then
        target/release/mlwb init "$ws" >/dev/null
        ln -sf "$(pwd)/$data/bench_1m.csv" "$ws/data/bench.csv"
        include=$(printf '"num_%02d", ' $(seq 1 12))
        cat > "$ws/experiments/tree10.toml" <<SPEC
dataset = "bench"
target = "label"
features = { include = [${include%, }] }
split = { kind = "random", test_fraction = 0.01, seed = 1 }
preprocessing = { impute = "zero" }
model = { kind = "decision_tree", params = { max_depth = 10 } }
SPEC
    fi
    printf 'mlwb train (read, split, fit, measure, write): '
    timed target/release/mlwb --workspace "$ws" train tree10
    printf 'scikit-learn fit: '
    py benches/peers/sklearn_tree.py "$data/bench_1m.csv"
fi
