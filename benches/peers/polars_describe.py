"""Peer benchmark: polars reads the CSV, then summarises every column with `describe()`.

Usage: python benches/peers/polars_describe.py CSV_PATH
Prints one JSON line: wall-clock seconds (read, describe, total; imports excluded) and the
process's peak resident memory in MiB from getrusage (Linux reports ru_maxrss in KiB).
"""

import json
import resource
import sys
import time

import polars as pl


def peak_rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)


def main():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} CSV_PATH")
    path = sys.argv[1]

    start = time.perf_counter()
    df = pl.read_csv(path)
    loaded = time.perf_counter()
    summary = df.describe()
    done = time.perf_counter()

    print(json.dumps({
        "tool": "polars",
        "version": pl.__version__,
        "task": "read_csv+describe",
        "file": path,
        "rows": df.height,
        "columns": df.width,
        "summary_shape": list(summary.shape),
        "read_seconds": round(loaded - start, 3),
        "describe_seconds": round(done - loaded, 3),
        "seconds": round(done - start, 3),
        "peak_rss_mb": peak_rss_mb(),
    }), flush=True)


if __name__ == "__main__":
    main()
