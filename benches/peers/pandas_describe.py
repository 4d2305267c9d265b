"""Peer benchmark: pandas reads the CSV, then summarises it with `describe(include='all')`.

Usage: python benches/peers/pandas_describe.py CSV_PATH
Prints one JSON line: wall-clock seconds (read, describe, total; imports excluded) and the
process's peak resident memory in MiB from getrusage (Linux reports ru_maxrss in KiB).
"""

import json
import resource
import sys
import time

import pandas as pd


def peak_rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)


def main():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} CSV_PATH")
    path = sys.argv[1]

    start = time.perf_counter()
    df = pd.read_csv(path)
    loaded = time.perf_counter()
    summary = df.describe(include="all")
    done = time.perf_counter()

    print(json.dumps({
        "tool": "pandas",
        "version": pd.__version__,
        "task": "read_csv+describe(include='all')",
        "file": path,
        "rows": len(df),
        "columns": df.shape[1],
        "summary_shape": list(summary.shape),
        "read_seconds": round(loaded - start, 3),
        "describe_seconds": round(done - loaded, 3),
        "seconds": round(done - start, 3),
        "peak_rss_mb": peak_rss_mb(),
    }), flush=True)


if __name__ == "__main__":
    main()
