"""Peer benchmark: scikit-learn fits a depth-10 decision tree on the 12 numeric columns.

Usage: python benches/peers/sklearn_tree.py CSV_PATH
X is num_01..num_12 (empty cells filled with 0) as float64, y is `label`. Only
DecisionTreeClassifier(max_depth=10, random_state=0).fit(X, y) is timed as `seconds`; reading
is reported as read_seconds. Peak resident memory in MiB comes from getrusage (Linux reports
ru_maxrss in KiB) and covers the whole process, reading included.
"""

import json
import resource
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.tree import DecisionTreeClassifier

FEATURES = [f"num_{i:02d}" for i in range(1, 13)]


def peak_rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)


def main():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} CSV_PATH")
    path = sys.argv[1]

    start = time.perf_counter()
    df = pd.read_csv(path, usecols=FEATURES + ["label"])
    x = df[FEATURES].fillna(0).to_numpy(dtype=np.float64)
    y = df["label"].to_numpy()
    loaded = time.perf_counter()
    model = DecisionTreeClassifier(max_depth=10, random_state=0).fit(x, y)
    done = time.perf_counter()

    print(json.dumps({
        "tool": "scikit-learn",
        "version": sklearn.__version__,
        "task": "DecisionTreeClassifier(max_depth=10).fit",
        "file": path,
        "rows": len(df),
        "features": len(FEATURES),
        "tree_nodes": int(model.tree_.node_count),
        "train_accuracy": round(float(model.score(x, y)), 4),
        "read_seconds": round(loaded - start, 3),
        "seconds": round(done - loaded, 3),
        "peak_rss_mb": peak_rss_mb(),
    }), flush=True)


if __name__ == "__main__":
    main()
