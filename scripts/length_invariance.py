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

import numpy as np
from _invariance import arguments, page_groups

from classifier.persist import load_model
from classifier.synth import Article

#: main: body lengths (characters after the title) the articles are cut to; None is the whole article
CROPS = (100, 200, 400, 800, None)


def crop(article: Article, chars: int | None) -> str:
    """Title, blank line, and the first ``chars`` characters of the paragraphs (all of them with None)."""
    body = "\n".join(article.paragraphs)
    return f"{article.title}\n\n{body if chars is None else body[:chars]}"


def main() -> None:
    args = arguments(__doc__)
    model = load_model(args.model)
    groups = page_groups(args)
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
