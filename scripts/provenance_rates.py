"""How often the provenance family fires, per group of training-side documents: the corpus's genuine news
(training and validation outlets; the held-out outlets and Common Crawl folders are left out), trec06c e-mail,
the spam sites' pages, the pages synthesized from training outlets (by kind; fill the cache first:
scripts/build_default_model.sh) and the written examples. The numbers behind REPOST_DISCLAIMER_RE and
CAPTION_LABEL_RE in classifier/featurizers/provenance.py.

Usage: python scripts/provenance_rates.py [--corpus ../shared/corpus] [--cache DIR] [--written datasets/written]
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

from _common import HELD_OUT_OUTLETS, data_arguments, outlet

from classifier.documents import Document, load_labeled
from classifier.featurizers.provenance import ProvenanceFeaturizer
from classifier.parse import parse_document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    data_arguments(parser, cache=True, written=True)
    args = parser.parse_args()
    groups: dict[str, list[Document]] = collections.defaultdict(list)
    for d in load_labeled([args.corpus]).documents:
        if "commoncrawl" in (d.source or "") or outlet(d) in HELD_OUT_OUTLETS:
            continue
        groups[f"{d.label}: {d.source.split('/')[0]}"].append(d)
    for path in sorted(Path(args.cache).glob("synth-*.jsonl")):
        for line in open(path, encoding="utf-8"):
            row = json.loads(line)
            if row["source"].split("/")[-1] not in HELD_OUT_OUTLETS:
                groups[f"synthesized {row['kind']}"].append(Document(row["id"], row["text"]))
    for d in load_labeled([args.written]).documents:
        groups[f"written {d.label}"].append(d)
    featurizer = ProvenanceFeaturizer()
    names = featurizer.feature_names
    for group, docs in sorted(groups.items()):
        fired = collections.Counter()
        examples = collections.Counter()
        for d in docs:
            parsed = parse_document(d)
            for name, value in zip(names, featurizer.measure(parsed)):
                fired[name] += value > 0
            examples.update(e for e in featurizer.evidence(parsed).get(names[0], "").split(", ") if e)
        shown = [e for e, _ in examples.most_common(4) if e]
        print(f"{group}: " + ", ".join(f"{n} {fired[n]} of {len(docs)}" for n in names) + (f"  e.g. {shown}" if shown else ""))


if __name__ == "__main__":
    main()
