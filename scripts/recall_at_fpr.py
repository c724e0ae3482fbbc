"""Recall on the held-out real spam at equal false-positive rates on the held-out real genuine documents.

For comparing two models' ranking in the operating region (MODEL_CARD.md). The thresholds are set on the
held-out set itself, so these are comparisons, never a threshold to ship.
Usage: python scripts/recall_at_fpr.py [MODEL] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import HOLDOUT, ROOT  # noqa: E402

from classifier.documents import load_labeled  # noqa: E402
from classifier.persist import load_model  # noqa: E402

RATES = (0.005, 0.01, 0.02)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model", nargs="?", help="model file (default: the shipped model)")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    args = parser.parse_args()
    docs = [
        d for d in load_labeled([args.corpus]).documents
        if any(d.source == h or d.source.startswith(h + "/") for h in HOLDOUT)
    ]
    proba = load_model(args.model).predict_proba(docs)
    spam = np.array([d.label == "spam" for d in docs])
    folder = np.array([d.source.split("/")[0] for d in docs])
    genuine_scores = np.sort(proba[~spam])[::-1]
    print(f"{spam.sum()} real spam, {(~spam).sum()} real genuine held-out documents")
    for rate in RATES:
        threshold = genuine_scores[int(rate * genuine_scores.size)]
        caught = (proba > threshold) & spam
        by_folder = ", ".join(
            f"{f} {int(np.sum(caught & (folder == f)))}/{int(np.sum(spam & (folder == f)))}"
            for f in sorted(set(folder[spam]))
        )
        print(f"false-positive rate {rate:.1%}: threshold {threshold:.3f}, recall {caught.sum() / spam.sum():.3f} "
              f"({caught.sum()}/{spam.sum()}; {by_folder})")


if __name__ == "__main__":
    main()
