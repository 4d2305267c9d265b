"""Reference accuracy of scikit-learn's decision tree on the churn sample, on mlwb's split.

Usage: python benches/reference/sklearn_tree_churn.py
Reads sample-data/churn_clean.csv and the test rows mlwb's `tree_deep` demo spec holds out
(churn_split.json, written from that run's predictions.parquet). Features are every column
but customer_ref and the target, prepared as mlwb does: numbers with missing values filled by
the training median, dates as seconds since 1970, text one-hot encoded on the training rows.
Writes sklearn_tree_churn.json beside this script.
"""

import json
import pathlib

import pandas as pd
import sklearn
from sklearn.tree import DecisionTreeClassifier

HERE = pathlib.Path(__file__).parent
ROOT = HERE.parent.parent


def main():
    df = pd.read_csv(ROOT / "sample-data" / "churn_clean.csv")
    test_rows = set(json.load(open(HERE / "churn_split.json"))["test_rows"])
    is_test = df.index.isin(test_rows)
    y = df.pop("churned")
    df = df.drop(columns=["customer_ref"])
    df["signup_date"] = pd.to_datetime(df["signup_date"]).astype("int64") // 10**9
    text = [c for c in df.columns if df[c].dtype == object]
    numbers = [c for c in df.columns if c not in text]
    for c in numbers:
        df[c] = df[c].fillna(df.loc[~is_test, c].median())
    X = pd.get_dummies(df, columns=text, dtype=float)
    results = {}
    for depth in (4, 8):
        tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X[~is_test], y[~is_test])
        results[str(depth)] = float((tree.predict(X[is_test]) == y[is_test]).mean())
    out = {"sklearn": sklearn.__version__, "test_rows": int(is_test.sum()), "accuracy_by_depth": results}
    json.dump(out, open(HERE / "sklearn_tree_churn.json", "w"), indent=2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
