"""Print the numbers of a model card (models/default.card.json by default) that models/MODEL_CARD.md quotes:
threshold choice, training data counts, held-out real and synthetic metrics, per-source flags and the seeds.

Usage: python scripts/card_summary.py [CARD.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from _common import ROOT


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "models" / "default.card.json"
    card = json.loads(path.read_text(encoding="utf-8"))
    print("threshold", round(card["threshold"], 4), "choice", json.dumps(card.get("threshold_choice"), ensure_ascii=False))
    print("training data", json.dumps(card["training_data"], ensure_ascii=False)[:1500])
    holdout = card["holdout"]
    for name, sub in holdout["metrics"]["subsets"].items():
        keys = ("n_spam", "n_genuine", "precision", "recall", "false_positive_rate", "roc_auc", "pr_auc")
        print(name, {k: sub.get(k) for k in keys}, "confusion", sub.get("confusion"))
    for row in holdout["metrics"].get("per_source", []):
        print("  source", row)
    print("probes", json.dumps(card.get("probes"), ensure_ascii=False)[:1500])


if __name__ == "__main__":
    main()
