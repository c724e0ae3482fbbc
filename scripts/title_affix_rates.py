"""How often the injection family finds a novel title affix: on held-out genuine news and on spam pages
synthesized from the same held-out outlets (the numbers behind MIN_AFFIX_BODY_COUNT in
classifier/featurizers/injection.py).

The bigram model is fitted on the training outlets' genuine news, as in training. Run
scripts/build_default_model.sh first: it fills the synth cache.
Usage: python scripts/title_affix_rates.py [--min-body-count N] [--corpus ../shared/corpus] [--cache DIR]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
from pathlib import Path

from classifier.documents import Document, load_labeled
from classifier.featurizers import injection
from classifier.featurizers.injection import InjectionFeaturizer
from classifier.parse import parse_document

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT_OUTLETS = ("rfi", "cna", "dw")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "classifier" / "synth"
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--cache", default=str(cache))
    parser.add_argument("--min-body-count", type=int, default=injection.MIN_AFFIX_BODY_COUNT,
                        help="MIN_AFFIX_BODY_COUNT to measure with (0: affixes found in the title alone count too)")
    args = parser.parse_args()
    injection.MIN_AFFIX_BODY_COUNT = args.min_body_count
    news = [d for d in load_labeled([args.corpus]).documents if d.label == "genuine" and "news_waimei" in d.source]
    held = [d for d in news if d.source.split("/")[-1] in HELD_OUT_OUTLETS]
    featurizer = InjectionFeaturizer()
    featurizer.lm_ = featurizer._make_lm().fit(
        parse_document(d).text for d in news if d.source.split("/")[-1] not in HELD_OUT_OUTLETS
    )
    found, total = collections.Counter(), collections.Counter()
    for d in held:
        prefixes, suffixes, _ = featurizer._title_affixes(parse_document(d))
        found["held-out genuine news"] += bool(prefixes or suffixes)
        total["held-out genuine news"] += 1
    for path in sorted(Path(args.cache).glob("synth-*.jsonl")):
        for line in open(path, encoding="utf-8"):
            row = json.loads(line)
            if row["label"] != "spam" or row["source"].split("/")[-1] not in HELD_OUT_OUTLETS:
                continue
            prefixes, suffixes, _ = featurizer._title_affixes(parse_document(Document(row["id"], row["text"])))
            found[f"synthesized {row['kind']}"] += bool(prefixes or suffixes)
            total[f"synthesized {row['kind']}"] += 1
    for key in total:
        print(f"{key}: {found[key]} of {total[key]} with a novel title affix")


if __name__ == "__main__":
    main()
