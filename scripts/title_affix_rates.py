"""How often the injection family finds a novel title affix and a spliced phrase: on held-out genuine news, on
the real Common Crawl spam (held out), on spam pages synthesized from the same held-out outlets and on the written examples (the numbers behind
MIN_AFFIX_BODY_COUNT in classifier/featurizers/injection.py, and how often a phrase reads as spliced).

The bigram model is fitted on the training outlets' genuine news, as in training. Run
scripts/build_default_model.sh first: it fills the synth cache.
With --outlets validation the same counts are taken on the validation outlets (voa, bbc) and the pages
synthesized from them instead, with the bigram model fitted on the other training outlets, and the held-out
Common Crawl spam is left out: the side on which the injection family's constants are chosen.

Usage: python scripts/title_affix_rates.py [--outlets held-out|validation] [--min-body-count N] [--min-spliced-share X]
       [--corpus ../shared/corpus] [--cache DIR] [--written datasets/written]
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

from _common import HELD_OUT_OUTLETS, VALIDATION_OUTLETS, data_arguments, outlet

from classifier.documents import Document, load_labeled
from classifier.featurizers import injection
from classifier.featurizers.injection import InjectionFeaturizer
from classifier.parse import parse_document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    data_arguments(parser, cache=True, written=True)
    parser.add_argument("--min-body-count", type=int, default=injection.MIN_AFFIX_BODY_COUNT,
                        help="MIN_AFFIX_BODY_COUNT to measure with (0: affixes found in the title alone count too)")
    parser.add_argument("--min-spliced-share", type=float, default=injection.MIN_SPLICED_SHARE,
                        help="MIN_SPLICED_SHARE to measure with (0: one spliced occurrence is enough)")
    parser.add_argument("--outlets", choices=("held-out", "validation"), default="held-out",
                        help="which genuine outlets (and pages synthesized from them) to count on")
    args = parser.parse_args()
    measured = HELD_OUT_OUTLETS if args.outlets == "held-out" else VALIDATION_OUTLETS
    injection.MIN_AFFIX_BODY_COUNT = args.min_body_count
    injection.MIN_SPLICED_SHARE = args.min_spliced_share
    corpus = load_labeled([args.corpus]).documents
    news = [d for d in corpus if d.label == "genuine" and "news_waimei" in d.source]
    real_spam = [d for d in corpus if d.source.startswith("webspam_commoncrawl")]
    held = [d for d in news if outlet(d) in measured]
    featurizer = InjectionFeaturizer()
    featurizer.lm_ = featurizer._make_lm().fit(
        parse_document(d).text for d in news if outlet(d) not in HELD_OUT_OUTLETS + measured
    )
    affix, spliced, total = collections.Counter(), collections.Counter(), collections.Counter()

    def count(group: str, doc: Document) -> None:
        parsed = parse_document(doc)
        prefixes, suffixes, _ = featurizer._title_affixes(parsed)
        affix[group] += bool(prefixes or suffixes)
        spliced[group] += bool(featurizer.spliced_phrases(parsed))
        total[group] += 1

    for d in held:
        count(f"{args.outlets} genuine news", d)
    if args.outlets == "held-out":
        for d in real_spam:
            count("real spam (Common Crawl, held out)", d)
    for path in sorted(Path(args.cache).glob("synth-*.jsonl")):
        for line in open(path, encoding="utf-8"):
            row = json.loads(line)
            if row["label"] != "spam" or row["source"].split("/")[-1] not in measured:
                continue
            count(f"synthesized {row['kind']}", Document(row["id"], row["text"]))
    for d in load_labeled([args.written]).documents:
        count("written promotion" if d.label == "spam" else "written reports", d)
    for key in total:
        print(f"{key}: {affix[key]} of {total[key]} with a novel title affix, {spliced[key]} with a spliced phrase")


if __name__ == "__main__":
    main()
