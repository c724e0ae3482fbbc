"""What the measurement scripts share: where the data is and which sources are held out or used for validation
(the same as scripts/build_default_model.sh). Scripts import it as ``from _common import ...`` (run from any
folder: each script's own folder is on ``sys.path``)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: genuine outlets never trained on (with the Common Crawl folders; see HOLDOUT in ablation.py)
HELD_OUT_OUTLETS = ("rfi", "cna", "dw")
#: training outlets on which the threshold is chosen
VALIDATION_OUTLETS = ("voa", "bbc")
#: the share of the validation outlets' genuine articles the threshold may flag (build_default_model.sh's
#: --max-fpr). 0.005 since the model with the provenance family: at 0.01 the leave-one-vertical-out folds'
#: thresholds fell to 0.2-0.3 and flagged 1.6-3.1% of the held-out articles (see models/MODEL_CARD.md).
MAX_VALIDATION_FPR = 0.005


def outlet(doc) -> str:
    """The outlet of a ``news_waimei/<outlet>`` document (the last part of its source)."""
    return (doc.source or "").split("/")[-1]


def data_arguments(parser: argparse.ArgumentParser, *, cache: bool = False, written: bool = False) -> None:
    """--corpus (default ../shared/corpus), and optionally --cache (the synth cache the build script fills) and
    --written (datasets/written)."""
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    if cache:
        default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "classifier" / "synth"
        parser.add_argument("--cache", default=str(default))
    if written:
        parser.add_argument("--written", default=str(ROOT / "datasets" / "written"))
