"""Reference predictive power scores (ppscore) for the shipped sample data.

Writes benches/reference/ppscore_churn.json next to this script. For every file it stores,
per feature, ppscore's `ppscore`, `model_score`, `baseline_score`, `case`, `metric` and
`model`, so that mlwb's own PPS can be compared against it in a Rust test.

Run from anywhere:  python benches/reference/ppscore_churn.py

Settings are ppscore's defaults, passed explicitly so they show up in the JSON:
sample=5000 (the files have exactly 5,000 rows, so no sampling happens), cross_validation=4
(StratifiedKFold for classification, KFold for regression, both without shuffling),
random_seed=123 (ppscore's own default: it seeds the row shuffle before cross-validation
and the shuffled-label F1 baseline). ppscore's decision trees have no random_state, so the
scores of one-hot-encoded categorical features can wobble a little between runs; the
`seed_spread` block gives each feature's min and max over a few other seeds as a hint of how
much tolerance a comparison needs.
"""

import json
import math
import warnings
from pathlib import Path

import pandas as pd
import ppscore as pps
import sklearn

REPO = Path(__file__).resolve().parents[2]
OUTPUT = Path(__file__).resolve().with_suffix(".json")

SETTINGS = {"sample": 5000, "cross_validation": 4, "random_seed": 123}
SPREAD_SEEDS = [0, 1, 2, 3, 4]
FILES = [
    ("sample-data/churn.csv", "churned"),
    ("sample-data/churn_clean.csv", "churned"),
    ("sample-data/delivery.csv", "delivery_minutes"),
]


def number(value):
    """Plain float for JSON; NaN (never expected) becomes null."""
    value = float(value)
    return None if math.isnan(value) else value


def predictors(df, target, **settings):
    table = pps.predictors(df, target, sorted=False, catch_errors=False, **settings)
    rows = []
    for record in table.to_dict(orient="records"):
        rows.append({
            "feature": record["x"],
            "ppscore": number(record["ppscore"]),
            "model_score": number(record["model_score"]),
            "baseline_score": number(record["baseline_score"]),
            "case": record["case"],
            "metric": record["metric"],
            "model": None if record["model"] is None else str(record["model"]),
        })
    return rows


def seed_spread(df, target):
    runs = [predictors(df, target, **{**SETTINGS, "random_seed": seed}) for seed in SPREAD_SEEDS]
    spread = {}
    for rows in runs:
        for row in rows:
            low, high = spread.get(row["feature"], (math.inf, -math.inf))
            spread[row["feature"]] = (min(low, row["ppscore"]), max(high, row["ppscore"]))
    return {feature: {"min": low, "max": high} for feature, (low, high) in spread.items()}


def main():
    # ppscore 1.3 calls pandas' deprecated is_categorical_dtype; the warning is noise here.
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    result = {
        "generated_by": "benches/reference/ppscore_churn.py",
        "versions": {
            "ppscore": pps.__version__,
            "scikit-learn": sklearn.__version__,
            "pandas": pd.__version__,
        },
        "settings": SETTINGS,
        "spread_seeds": SPREAD_SEEDS,
        "files": [],
    }
    for relative, target in FILES:
        df = pd.read_csv(REPO / relative)
        result["files"].append({
            "file": relative,
            "target": target,
            "rows": len(df),
            "predictors": predictors(df, target, **SETTINGS),
            "seed_spread": seed_spread(df, target),
        })
    OUTPUT.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
