"""Peer benchmark: ydata-profiling's minimal report, rendered to JSON.

Usage: python benches/peers/ydata_minimal.py CSV_PATH
Times pandas.read_csv + ProfileReport(df, minimal=True) + .to_json() (the report is computed
lazily, so to_json is where the work happens). Importing ydata_profiling takes seconds of its
own; it is reported separately as import_seconds and is not part of `seconds`. Peak resident
memory in MiB comes from getrusage (Linux reports ru_maxrss in KiB).
"""

import json
import resource
import sys
import time

import_start = time.perf_counter()
import pandas as pd  # noqa: E402
import ydata_profiling  # noqa: E402
from ydata_profiling import ProfileReport  # noqa: E402
import_seconds = time.perf_counter() - import_start


def peak_rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)


def main():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} CSV_PATH")
    path = sys.argv[1]

    start = time.perf_counter()
    df = pd.read_csv(path)
    loaded = time.perf_counter()
    report = ProfileReport(df, minimal=True, progress_bar=False)
    text = report.to_json()
    done = time.perf_counter()

    print(json.dumps({
        "tool": "ydata-profiling",
        "version": ydata_profiling.__version__,
        "task": "read_csv+ProfileReport(minimal=True).to_json()",
        "file": path,
        "rows": len(df),
        "columns": df.shape[1],
        "json_chars": len(text),
        "import_seconds": round(import_seconds, 3),
        "read_seconds": round(loaded - start, 3),
        "profile_seconds": round(done - loaded, 3),
        "seconds": round(done - start, 3),
        "peak_rss_mb": peak_rss_mb(),
    }), flush=True)


if __name__ == "__main__":
    main()
