#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md: mlwb and the peer tools on the same files, one
# after the other, on this machine. Usage: benches/run.sh [leakage|profile|tree|all|large]
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
# The same interpreter as one command (env replaces itself with python), for `measured`.
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$venv/bin/python")
timed() { /usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "{\"seconds\": %s, \"peak_rss_mb\": %.1f}\n", $1, $2/1024}'; }
# Runs a command and samples /proc every 20 ms: wall seconds, peak resident memory (which counts
# the pages of a memory-mapped input file) and peak anonymous memory (what the process itself
# allocated). Prints the command's own last line of output after the figures.
measured() {
    local out; out=$(mktemp)
    local start; start=$(date +%s.%N)
    "$@" >"$out" 2>/dev/null &
    local pid=$! anon=0 hwm=0 a h
    while kill -0 "$pid" 2>/dev/null; do
        a=$(awk '/^RssAnon/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
        h=$(awk '/^VmHWM/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
        [ -n "$a" ] && [ "$a" -gt "$anon" ] && anon=$a
        [ -n "$h" ] && [ "$h" -gt "$hwm" ] && hwm=$h
        sleep 0.02
    done
    wait "$pid" || true
    local end; end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" -v h="$hwm" -v a="$anon" 'BEGIN {printf "{\"seconds\": %.2f, \"peak_rss_mb\": %.1f, \"peak_anon_mb\": %.1f}", e - s, h / 1024, a / 1024}'
    local last; last=$(tail -1 "$out")
    case "$last" in "{"*) printf ' %s' "$last" ;; esac
    printf '\n'
    rm -f "$out"
}

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
    measured target/release/mlwb profile "$data/bench_1m.csv" --json
    printf 'polars read_csv + describe: '
    measured "${PY[@]}" benches/peers/polars_describe.py "$data/bench_1m.csv"
    printf 'pandas read_csv + describe(include=all): '
    measured "${PY[@]}" benches/peers/pandas_describe.py "$data/bench_1m.csv"
    [ -f "$data/bench_100k.csv" ] || target/release/examples/gen_bench_data "$data/bench_100k.csv" 100000
    echo "== profile, 100,000 rows x 20 columns"
    printf 'mlwb profile: '
    measured target/release/mlwb profile "$data/bench_100k.csv" --json
    printf 'ydata-profiling minimal: '
    measured "${PY[@]}" benches/peers/ydata_minimal.py "$data/bench_100k.csv"
fi

if [ "$what" = large ]; then
    # 10 and 40 million rows (1.2 and 5 GB): the table of rows, and a profile that samples rows
    # once the table would pass its memory budget (1 GiB unless MLWB_PROFILE_MEMORY_MB says).
    cargo build --release --example bench_table
    [ -f "$data/bench_10m.csv" ] || target/release/examples/gen_bench_data "$data/bench_10m.csv" 10000000
    [ -f "$data/bench_40m.csv" ] || target/release/examples/gen_bench_data "$data/bench_40m.csv" 40000000
    echo "== table of rows, 10,000,000 rows"
    target/release/examples/bench_table "$data/bench_10m.csv"
    echo "== profile, 40,000,000 rows x 20 columns (5 GB)"
    printf 'mlwb profile: '
    measured target/release/mlwb profile "$data/bench_40m.csv"
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
