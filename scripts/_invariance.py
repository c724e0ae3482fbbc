"""What the invariance checks (page_invariance.py, length_invariance.py) share: their arguments and the three
groups of pages they transform and score.

- held-out outlets' articles (real text; ``HELD_OUT_OUTLETS``),
- the written check pages ``datasets/checks/everyday_news.jsonl`` (synthetic text, never trained on),
- SPAM_PAGES spam pages synthesized from held-out articles (verticals and kinds in turn), every line of the
  page kept as a paragraph, banners and ad lines included.
"""

from __future__ import annotations

import argparse
import random

from _common import HELD_OUT_OUTLETS, ROOT, outlet

from classifier.documents import load_labeled
from classifier.parse import parse_document, parse_text
from classifier.synth import KINDS, VERTICALS, Article, article_from_parsed, synthesize

#: spam_pages: spam pages synthesized for the spam side of the checks
SPAM_PAGES = 240
HELD_OUT = "held-out outlets' articles (real text)"
CHECKS = "written check pages (synthetic text)"
SPAM = "spam pages synthesized from held-out articles (synthetic; flagged = caught)"


def arguments(description: str) -> argparse.Namespace:
    """MODEL (default: the shipped model), --corpus, --checks and --seed."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("model", nargs="?", help="model file (default: the shipped model)")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--checks", default=str(ROOT / "datasets" / "checks" / "everyday_news.jsonl"))
    parser.add_argument("--seed", type=int, default=11)
    return parser.parse_args()


def page_groups(args: argparse.Namespace) -> dict[str, list[Article]]:
    """{group name: its articles or pages}, in the order HELD_OUT, CHECKS, SPAM."""
    held_out = [
        a for d in load_labeled([args.corpus]).documents
        if (d.source or "").startswith("news_waimei/") and outlet(d) in HELD_OUT_OUTLETS
        and (a := article_from_parsed(parse_document(d))) is not None
    ]
    checks = [
        a for d in load_labeled([args.checks]).documents
        if d.label == "genuine" and (a := article_from_parsed(parse_document(d))) is not None
    ]
    rng = random.Random(args.seed)
    spam = []
    for i, article in enumerate(rng.sample(held_out, min(SPAM_PAGES, len(held_out)))):
        page = synthesize(article, sorted(VERTICALS)[i % len(VERTICALS)], KINDS[i % len(KINDS)], args.seed + i)
        parsed = parse_text(page.text)
        spam.append(Article(parsed.title, tuple(parsed.lines)))
    return {HELD_OUT: held_out, CHECKS: checks, SPAM: spam}
