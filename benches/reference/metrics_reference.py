"""Reference values of common evaluation metrics, computed by scikit-learn.

Writes benches/reference/metrics_reference.json next to this script. The inputs are small
hand-written arrays kept literally below, and the JSON repeats them next to every value so a
Rust test can read one file, recompute each metric with mlwb's code and compare.

Run from anywhere:  python benches/reference/metrics_reference.py

Conventions (all scikit-learn's):
* binary predictions are `probability >= 0.5`; the positive class is 1;
* `per_class` lists follow the class order 0, 1(, 2);
* confusion matrices are rows = true class, columns = predicted class;
* log loss is the mean negative natural log-likelihood;
* multiclass ROC AUC is one-vs-rest, macro-averaged;
* MAPE is a fraction (0.1 means 10%), with |y_true| in the denominator.
Floats are written with full round-trip precision.
"""

import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn import metrics

OUTPUT = Path(__file__).resolve().with_suffix(".json")

# Binary: 20 rows, 9 positives. At the 0.5 threshold there are 3 false positives and 2 false
# negatives, so precision and recall differ. The score 0.45 occurs for one positive and one
# negative, so the ranking metrics have a tie to handle.
BINARY_Y_TRUE = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]
BINARY_PROBA = [
    0.92, 0.15, 0.67, 0.45, 0.30, 0.05, 0.81, 0.55, 0.73, 0.22,
    0.51, 0.58, 0.62, 0.10, 0.35, 0.88, 0.45, 0.18, 0.96, 0.27,
]
THRESHOLD = 0.5

# Multiclass: 15 rows, classes 0, 1, 2 with supports 6, 5 and 4 and an uneven confusion
# matrix, so per-class precision and recall differ. Each probability row sums to 1 and the
# predicted class is the row's argmax (both checked below).
MULTI_Y_TRUE = [0, 1, 2, 2, 1, 0, 0, 2, 1, 1, 0, 0, 1, 2, 0]
MULTI_Y_PRED = [0, 1, 2, 1, 1, 0, 1, 2, 0, 1, 2, 0, 2, 2, 0]
MULTI_PROBA = [
    [0.70, 0.20, 0.10],
    [0.10, 0.60, 0.30],
    [0.20, 0.30, 0.50],
    [0.15, 0.45, 0.40],
    [0.25, 0.50, 0.25],
    [0.40, 0.35, 0.25],
    [0.30, 0.45, 0.25],
    [0.05, 0.15, 0.80],
    [0.55, 0.30, 0.15],
    [0.20, 0.65, 0.15],
    [0.10, 0.20, 0.70],
    [0.60, 0.10, 0.30],
    [0.10, 0.35, 0.55],
    [0.30, 0.20, 0.50],
    [0.85, 0.10, 0.05],
]

# Regression: 12 rows; one negative target, no zero target (MAPE divides by |y_true|).
REGRESSION_Y_TRUE = [3.0, -0.5, 2.0, 7.0, 4.2, 10.5, 1.1, 5.5, 8.0, 6.3, 2.9, 12.0]
REGRESSION_Y_PRED = [2.5, 0.0, 2.1, 7.8, 3.9, 9.0, 1.5, 5.0, 8.4, 6.0, 3.5, 11.2]


def floats(values):
    return [float(value) for value in values]


def matrix(values):
    return [[int(cell) for cell in row] for row in values]


def binary_reference():
    y_true = np.array(BINARY_Y_TRUE)
    proba = np.array(BINARY_PROBA)
    y_pred = (proba >= THRESHOLD).astype(int)
    precision, recall, f1, support = metrics.precision_recall_fscore_support(
        y_true, y_pred, labels=[0, 1], average=None
    )
    return {
        "inputs": {
            "y_true": BINARY_Y_TRUE,
            "proba_positive": BINARY_PROBA,
            "threshold": THRESHOLD,
            "y_pred": [int(v) for v in y_pred],
        },
        "accuracy": float(metrics.accuracy_score(y_true, y_pred)),
        "balanced_accuracy": float(metrics.balanced_accuracy_score(y_true, y_pred)),
        "precision": float(metrics.precision_score(y_true, y_pred)),
        "recall": float(metrics.recall_score(y_true, y_pred)),
        "f1": float(metrics.f1_score(y_true, y_pred)),
        "per_class": {
            "labels": [0, 1],
            "precision": floats(precision),
            "recall": floats(recall),
            "f1": floats(f1),
            "support": [int(v) for v in support],
        },
        "macro": {
            "precision": float(metrics.precision_score(y_true, y_pred, average="macro")),
            "recall": float(metrics.recall_score(y_true, y_pred, average="macro")),
            "f1": float(metrics.f1_score(y_true, y_pred, average="macro")),
        },
        "roc_auc": float(metrics.roc_auc_score(y_true, proba)),
        "average_precision": float(metrics.average_precision_score(y_true, proba)),
        "log_loss": float(metrics.log_loss(y_true, proba)),
        "confusion_matrix": matrix(metrics.confusion_matrix(y_true, y_pred, labels=[0, 1])),
    }


def multiclass_reference():
    y_true = np.array(MULTI_Y_TRUE)
    y_pred = np.array(MULTI_Y_PRED)
    proba = np.array(MULTI_PROBA)
    assert np.allclose(proba.sum(axis=1), 1.0), "probability rows must sum to 1"
    assert (proba.argmax(axis=1) == y_pred).all(), "predictions must be the argmax"
    labels = [0, 1, 2]
    precision, recall, f1, support = metrics.precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None
    )
    return {
        "inputs": {"y_true": MULTI_Y_TRUE, "y_pred": MULTI_Y_PRED, "proba": MULTI_PROBA},
        "labels": labels,
        "accuracy": float(metrics.accuracy_score(y_true, y_pred)),
        "balanced_accuracy": float(metrics.balanced_accuracy_score(y_true, y_pred)),
        "macro_precision": float(metrics.precision_score(y_true, y_pred, average="macro")),
        "macro_recall": float(metrics.recall_score(y_true, y_pred, average="macro")),
        "macro_f1": float(metrics.f1_score(y_true, y_pred, average="macro")),
        "weighted_f1": float(metrics.f1_score(y_true, y_pred, average="weighted")),
        "per_class": {
            "precision": floats(precision),
            "recall": floats(recall),
            "f1": floats(f1),
            "support": [int(v) for v in support],
        },
        "confusion_matrix": matrix(metrics.confusion_matrix(y_true, y_pred, labels=labels)),
        "log_loss": float(metrics.log_loss(y_true, proba, labels=labels)),
        "roc_auc_ovr_macro": float(
            metrics.roc_auc_score(y_true, proba, multi_class="ovr", average="macro")
        ),
    }


def regression_reference():
    y_true = np.array(REGRESSION_Y_TRUE)
    y_pred = np.array(REGRESSION_Y_PRED)
    return {
        "inputs": {"y_true": REGRESSION_Y_TRUE, "y_pred": REGRESSION_Y_PRED},
        "mae": float(metrics.mean_absolute_error(y_true, y_pred)),
        "mse": float(metrics.mean_squared_error(y_true, y_pred)),
        "rmse": float(metrics.root_mean_squared_error(y_true, y_pred)),
        "r2": float(metrics.r2_score(y_true, y_pred)),
        "mape": float(metrics.mean_absolute_percentage_error(y_true, y_pred)),
    }


def main():
    result = {
        "generated_by": "benches/reference/metrics_reference.py",
        "versions": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
        "binary": binary_reference(),
        "multiclass": multiclass_reference(),
        "regression": regression_reference(),
    }
    OUTPUT.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
