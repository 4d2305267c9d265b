"""Peer benchmark for the leakage checks: ppscore scores every column against the target.

Usage: python benches/peers/ppscore_predictors.py CSV_PATH TARGET
ppscore samples 5,000 rows per score, as mlwb does. Reading with pandas is included in
`seconds`, as mlwb's time includes reading. Peak resident memory (MiB) covers the process.
"""

import json
import resource
import sys
import time

import pandas as pd
import ppscore as pps


def main():
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} CSV_PATH TARGET")
    path, target = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    df = pd.read_csv(path)
    scores = pps.predictors(df, target, random_seed=123)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    top = scores.sort_values("ppscore", ascending=False).head(3)[["x", "ppscore"]].values.tolist()
    print(json.dumps({"tool": "ppscore", "seconds": round(seconds, 3), "peak_rss_mb": round(peak, 1), "top": top}))


if __name__ == "__main__":
    main()
