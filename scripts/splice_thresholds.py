"""How often the injection family reads a phrase as spliced, for several (min_boundary_bits, min_gain_bits):
on the validation outlets' genuine news (voa, bbc) and on parasite pages synthesized from those outlets. The
bigram model is fitted on the other training outlets' news; held-out outlets are not read. The numbers behind
the defaults of InjectionFeaturizer (classifier/featurizers/injection.py).

Run scripts/build_default_model.sh first: it fills the synth cache.
Usage: python scripts/splice_thresholds.py [--corpus ../shared/corpus] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from _common import HELD_OUT_OUTLETS, VALIDATION_OUTLETS, data_arguments, outlet

from classifier.documents import Document, load_labeled
from classifier.featurizers.injection import InjectionFeaturizer
from classifier.parse import parse_document

SETTINGS = ((18.0, 10.0), (20.0, 10.0), (22.0, 10.0), (18.0, 12.0), (18.0, 14.0), (18.0, 16.0), (16.0, 14.0),
            (16.0, 16.0), (20.0, 12.0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    data_arguments(parser, cache=True)
    args = parser.parse_args()
    news = [d for d in load_labeled([args.corpus]).documents if d.label == "genuine" and "news_waimei" in d.source]
    validation = [parse_document(d) for d in news if outlet(d) in VALIDATION_OUTLETS]
    lm = InjectionFeaturizer._make_lm().fit(
        parse_document(d).text for d in news if outlet(d) not in HELD_OUT_OUTLETS + VALIDATION_OUTLETS
    )
    parasites = []
    for path in sorted(Path(args.cache).glob("synth-*.jsonl")):
        for line in open(path, encoding="utf-8"):
            row = json.loads(line)
            if row["label"] == "spam" and row["kind"] == "parasite" and row["source"].split("/")[-1] in VALIDATION_OUTLETS:
                parasites.append(parse_document(Document(row["id"], row["text"])))
    print("| min_boundary_bits | min_gain_bits | validation news with a spliced phrase | synthesized parasites |")
    print("|---|---|---|---|")
    for boundary, gain in SETTINGS:
        featurizer = InjectionFeaturizer(min_boundary_bits=boundary, min_gain_bits=gain)
        featurizer.lm_ = lm
        n_news = sum(bool(featurizer.spliced_phrases(d)) for d in validation)
        n_parasites = sum(bool(featurizer.spliced_phrases(d)) for d in parasites)
        print(f"| {boundary:g} | {gain:g} | {n_news}/{len(validation)} | {n_parasites}/{len(parasites)} |")


if __name__ == "__main__":
    main()
