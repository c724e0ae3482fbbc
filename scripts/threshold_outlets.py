"""False positives per training outlet, scored out of fold: the numbers behind the shipped threshold rule.

The shipped recipe (scripts/_common.py: THRESHOLD_VALIDATION, THRESHOLD_FOLDS, MAX_VALIDATION_FPR) scores every
training outlet's genuine articles with a model fitted without its group of outlets and picks the threshold on
all of them (classifier.training.out_of_fold_scores, threshold_choice). This prints, for the threshold that rule
picks and for any --threshold given, how many articles of each outlet score above it, and the recall on the
spam pages synthesized from those outlets. Training data as scripts/build_default_model.sh (run it first: it
fills the synth cache); held-out sources are left out. About 2 minutes on 2 cores (four model fits).

Usage: python scripts/threshold_outlets.py [--threshold T ...] [--corpus ../shared/corpus] [--cache DIR]
"""

from __future__ import annotations

import argparse
from collections import Counter

import numpy as np
from _common import HOLDOUT, MAX_VALIDATION_FPR, ROOT, THRESHOLD_FOLDS, THRESHOLD_VALIDATION, data_arguments

from classifier.config import TrainConfig
from classifier.documents import load_labeled
from classifier.training import is_held_out, out_of_fold_scores, threshold_choice


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    data_arguments(parser, cache=True)
    parser.add_argument("--threshold", type=float, action="append", default=[],
                        help="also count at this threshold (repeatable)")
    args = parser.parse_args()
    docs = load_labeled([args.corpus, str(ROOT / "datasets" / "written"), args.cache]).documents
    train = [d for d in docs if not is_held_out(d, HOLDOUT)]
    config = TrainConfig(validation=THRESHOLD_VALIDATION, validation_folds=THRESHOLD_FOLDS,
                         max_false_positive_rate=MAX_VALIDATION_FPR)
    scored = out_of_fold_scores(train, config)
    genuine = [(d, p) for group, scores in scored.genuine for d, p in zip(group, scores)]
    spam = np.concatenate([scores for _, scores in scored.spam])
    rule = threshold_choice(scored, config)["threshold"]
    size = Counter(str(d.source) for d, _ in genuine)
    print(f"{len(genuine)} {scored.basis_kind} genuine articles of {len(size)} outlets in {len(scored.groups)} groups, "
          f"{spam.size} synthesized spam pages; the rule's threshold (at most {MAX_VALIDATION_FPR:.1%}): {rule:.3f}")
    for t in [rule, *args.threshold]:
        flagged = Counter(str(d.source) for d, p in genuine if p > t)
        per = ", ".join(f"{s.split('/')[-1]} {flagged[s]}/{n}" for s, n in sorted(size.items()))
        print(f"threshold {t:.3f}: {sum(flagged.values())} of {len(genuine)} flagged "
              f"({sum(flagged.values()) / len(genuine):.2%}); synthesized spam recall {(spam > t).mean():.3f}")
        print(f"  {per}")


if __name__ == "__main__":
    main()
