#!/usr/bin/python3
"""Writes tests/reference/sklearn_metrics.json for metrics_reference_test:
scikit-learn's ROC AUC (binary, and one-vs-rest macro), confusion matrix,
precision, recall and F1 (per class, macro, binary) on predictions with many
tied scores (values rounded to one decimal).

Run with Debian's python3-sklearn:  /usr/bin/python3 tests/reference/make_sklearn_metrics.py
"""
import json
import sys
from pathlib import Path

import numpy as np
import sklearn
from sklearn.metrics import confusion_matrix, f1_score, precision_score, recall_score, roc_auc_score, roc_curve


def main():
    rng = np.random.default_rng(7)
    out = {"generator": "tests/reference/make_sklearn_metrics.py", "sklearn": sklearn.__version__}

    # Binary: scores in steps of 0.1 (ties everywhere), labels loosely related.
    n = 200
    labels = rng.integers(0, 2, n)
    scores = np.round(np.clip(0.35 * labels + rng.uniform(0, 0.65, n), 0, 1), 1)
    predicted = (scores > 0.5).astype(int)
    out["binary"] = {
        "scores": scores.tolist(),
        "labels": labels.tolist(),
        "roc_auc": roc_auc_score(labels, scores),
        "roc_curve": [v.tolist() for v in roc_curve(labels, scores, drop_intermediate=False)[:2]],
        "confusion": confusion_matrix(labels, predicted).tolist(),
        "precision": precision_score(labels, predicted),
        "recall": recall_score(labels, predicted),
        "f1": f1_score(labels, predicted),
    }

    # Four classes: rows of rounded scores normalized, ties within and across rows.
    n, k = 300, 4
    classes = rng.integers(0, k, n)
    raw = np.round(rng.uniform(0, 1, (n, k)) + 0.4 * np.eye(k)[classes], 1)
    probs = raw / raw.sum(axis=1, keepdims=True)
    probs = np.round(probs, 2)
    predicted = probs.argmax(axis=1)  # first index wins ties, as mlp's argmax
    normalized = probs / probs.sum(axis=1, keepdims=True)  # scikit-learn's OvR wants rows summing to 1
    out["multiclass"] = {
        "probs": probs.tolist(),
        "probs_normalized": normalized.tolist(),
        "classes": classes.tolist(),
        "roc_auc_ovr": roc_auc_score(classes, normalized, multi_class="ovr", average="macro"),
        "roc_auc_per_class": [roc_auc_score(classes == c, probs[:, c]) for c in range(k)],
        "confusion": confusion_matrix(classes, predicted, labels=list(range(k))).tolist(),
        "precision": precision_score(classes, predicted, average=None, zero_division=0).tolist(),
        "recall": recall_score(classes, predicted, average=None, zero_division=0).tolist(),
        "f1": f1_score(classes, predicted, average=None, zero_division=0).tolist(),
        "precision_macro": precision_score(classes, predicted, average="macro", zero_division=0),
        "recall_macro": recall_score(classes, predicted, average="macro", zero_division=0),
        "f1_macro": f1_score(classes, predicted, average="macro", zero_division=0),
    }
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("sklearn_metrics.json")
    target.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {target}: binary AUC {out['binary']['roc_auc']:.6f}, OvR AUC {out['multiclass']['roc_auc_ovr']:.6f}")


if __name__ == "__main__":
    main()
