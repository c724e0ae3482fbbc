"""Check datasets/written: counts per vertical/label/form, lengths, shared sentences and near-duplicates.

Near-duplicate rate: share of document pairs (same vertical) whose character 5-gram Jaccard similarity is >= 0.5.
Usage: python scripts/check_written.py
"""

import itertools
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "datasets" / "written"
#: sentences of at least this many characters are compared across documents
MIN_SENTENCE_CHARS = 8
#: a pair of documents with 5-gram Jaccard similarity at least this is a near-duplicate
NEAR_DUPLICATE_JACCARD = 0.5


def main() -> int:
    docs = [json.loads(line) for f in sorted(ROOT.glob("*.jsonl")) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    print(f"{len(docs)} documents")
    print(Counter((d["vertical"], d["label"]) for d in docs))
    seen = {}
    shared = 0
    for d in docs:
        for s in re.split(r"[。！？!?\n]", d["text"]):
            s = s.strip()
            if len(s) >= MIN_SENTENCE_CHARS:
                if s in seen and seen[s] != d["id"]:
                    shared += 1
                seen.setdefault(s, d["id"])
    grams = {d["id"]: {d["text"][i:i + 5] for i in range(len(d["text"]) - 4)} for d in docs}
    by_vertical = {}
    for d in docs:
        by_vertical.setdefault(d["vertical"], []).append(d["id"])
    pairs = near = 0
    for ids in by_vertical.values():
        for a, b in itertools.combinations(ids, 2):
            pairs += 1
            inter = len(grams[a] & grams[b])
            if inter / max(1, len(grams[a] | grams[b])) >= NEAR_DUPLICATE_JACCARD:
                near += 1
    lengths = sorted(len(d["text"]) for d in docs)
    print(f"lengths: min {lengths[0]} median {lengths[len(lengths) // 2]} max {lengths[-1]}")
    print(f"sentences shared between documents: {shared}")
    print(f"near-duplicate pairs (5-gram Jaccard >= {NEAR_DUPLICATE_JACCARD}): {near} of {pairs} ({near / max(1, pairs):.4%})")
    return 1 if shared else 0


if __name__ == "__main__":
    sys.exit(main())
