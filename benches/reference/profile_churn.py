"""Reference column statistics for the shipped churn sample, computed with pandas and numpy.

Writes benches/reference/profile_churn.json next to this script; the Rust test
`profile_agrees_with_pandas` (tests/profile.rs) compares `mlwb profile --json` with it.

Run from anywhere:  python benches/reference/profile_churn.py

Definitions, chosen to match mlwb's documented ones:
- count and missing: non-null and null cells; distinct: `nunique()` (nulls not counted)
- std and skew: pandas' sample (n - 1) standard deviation and bias-corrected skewness
- quantiles: linear interpolation (pandas' default) at 1, 5, 25, 50, 75, 95 and 99 %
- histogram: numpy equal-width bins over [min, max], as many as distinct values up to 50
- dates (text that parses as YYYY-MM-DD): seconds since 1970-01-01 UTC, then as numbers
- text columns: the counts of the ten most frequent values, and every value's count when
  there are at most 100 distinct values (ties among the most frequent may be listed in any
  order, so values are compared by their counts)
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
OUTPUT = Path(__file__).resolve().with_suffix(".json")
QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]


def numeric(values):
    present = values.dropna().astype(float)
    distinct = int(present.nunique())
    bins = max(1, min(distinct, 50))
    lo, hi = float(present.min()), float(present.max())
    counts, _ = np.histogram(present, bins=bins, range=(lo, hi) if hi > lo else None)
    return {
        "min": lo,
        "max": hi,
        "mean": float(present.mean()),
        "std": float(present.std()),
        "skewness": float(present.skew()),
        "zeros": int((present == 0).sum()),
        "quantiles": [float(present.quantile(q)) for q in QUANTILES],
        "histogram": [int(c) for c in counts] if hi > lo else [int(len(present))],
    }


def main():
    path = REPO / "sample-data" / "churn.csv"
    df = pd.read_csv(path)
    columns = {}
    for name in df.columns:
        s = df[name]
        entry = {
            "count": int(s.notna().sum()),
            "missing": int(s.isna().sum()),
            "distinct": int(s.nunique()),
        }
        if pd.api.types.is_numeric_dtype(s):
            entry["numeric"] = numeric(s)
        else:
            dates = pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")
            if dates.notna().sum() == s.notna().sum():
                seconds = (dates - pd.Timestamp("1970-01-01")) // pd.Timedelta(seconds=1)
                entry["numeric"] = numeric(seconds)
            else:
                counts = s.value_counts()
                entry["top_counts"] = [int(v) for v in counts.head(10)]
                if len(counts) <= 100:
                    entry["counts"] = {str(k): int(v) for k, v in counts.items()}
        columns[name] = entry
    doc = {
        "file": "sample-data/churn.csv",
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "rows": int(len(df)),
        "columns": columns,
    }
    OUTPUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {OUTPUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
