"""Does a genuine article stay genuine when only its beginning was fetched? A length invariance check.

Real web spam in the corpus is often a short plain snippet and the genuine news long markdown, so a model can
learn "short means spam". Crawls hold short genuine pages too (briefs, truncated fetches, snippets). Each
genuine article (the held-out outlets' articles, real text, and the written check pages, synthetic) is cut to
its title and the first N characters of its body as plain text, for each N in CROPS, and scored; printed: how
many cross the model's threshold at each length, against the full article as plain text. Spam pages synthesized
from held-out articles are cut the same way (they should stay spam as long as their injected lines survive; a
cut can remove them, so falling recall is expected there, not a failure).

Usage: python scripts/length_invariance.py [MODEL] [--corpus ../shared/corpus] [--checks datasets/checks/everyday_news.jsonl]
"""

from __future__ import annotations

import argparse
import random

import numpy as np
from _common import HELD_OUT_OUTLETS, ROOT, outlet

from classifier.documents import load_labeled
from classifier.parse import parse_document, parse_text
from classifier.persist import load_model
from classifier.synth import KINDS, VERTICALS, Article, article_from_parsed, synthesize

#: main: body lengths (characters after the title) the articles are cut to; None is the whole article
CROPS = (100, 200, 400, 800, None)
#: main: spam pages synthesized for the spam side of the check
SPAM_PAGES = 240


def crop(article: Article, chars: int | None) -> str:
    """Title, blank line, and the first ``chars`` characters of the paragraphs (all of them with None)."""
    body = "\n".join(article.paragraphs)
    return f"{article.title}\n\n{body if chars is None else body[:chars]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model", nargs="?", help="model file (default: the shipped model)")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--checks", default=str(ROOT / "datasets" / "checks" / "everyday_news.jsonl"))
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    model = load_model(args.model)
    held_out = [
        a for d in load_labeled([args.corpus]).documents
        if (d.source or "").startswith("news_waimei/") and outlet(d) in HELD_OUT_OUTLETS
        and (a := article_from_parsed(parse_document(d))) is not None
    ]
    checks = [a for d in load_labeled([args.checks]).documents if (a := article_from_parsed(parse_document(d))) is not None]
    rng = random.Random(args.seed)
    spam = []
    for i, article in enumerate(rng.sample(held_out, min(SPAM_PAGES, len(held_out)))):
        page = parse_text(synthesize(article, sorted(VERTICALS)[i % len(VERTICALS)], KINDS[i % len(KINDS)], args.seed + i).text)
        spam.append(Article(page.title, tuple(page.lines)))
    groups = {
        "held-out outlets' articles (real text)": held_out,
        "written check pages (synthetic text)": checks,
        "spam pages synthesized from held-out articles (synthetic; flagged = caught)": spam,
    }
    print(f"model threshold {model.threshold:.3f}\n")
    print("| pages | " + " | ".join("whole" if c is None else f"first {c} chars" for c in CROPS) + " |")
    print("|---|" + "---|" * len(CROPS))
    for name, articles in groups.items():
        cells = []
        for chars in CROPS:
            proba = model.predict_proba([crop(a, chars) for a in articles])
            cells.append(f"{int(np.sum(proba > model.threshold))} of {len(articles)}")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
