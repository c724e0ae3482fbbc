"""Convert a model file of an earlier release (``.skops``, or a trusted pickle) into the json-npz format.

The numbers are carried over as they are (no retraining): ``classifier.persist.convert_model`` loads the old
file through its legacy path (scikit-learn and skops, with the old checks), converts the fitted pipeline with
``classifier.pipeline.from_pipeline`` and saves the result with its card, which records the conversion.

Usage::

    python scripts/convert_model.py models/default.skops models/default.model
"""

from __future__ import annotations

import argparse
import sys

from classifier.errors import ClassifierError
from classifier.persist import convert_model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="model file to convert (its .card.json beside it)")
    parser.add_argument("target", help="json-npz model file to write, e.g. models/default.model")
    parser.add_argument("--trust-model", action="store_true", help="allow a pickle/joblib source (runs its code)")
    args = parser.parse_args()
    try:
        card = convert_model(args.source, args.target, trust_model=args.trust_model)
    except ClassifierError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.target} (card: {card})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
