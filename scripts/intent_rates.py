"""How often each intent signal fires, per group of documents: the numbers behind the word lists and
context rules of classifier/featurizers/intent.py.

For each signal it prints the share of documents where it counts at least once (and the mean count per
1,000 characters) in: the training outlets' genuine news, the held-out outlets' genuine news, the real spam
of the corpus (the spam sites' own pages, trained on, and the Common Crawl spam, held out; trec06c e-mail
apart), and the project's
written examples (synthetic: promotion pages and same-topic reports). A good signal fires on the spam
groups and on promotion pages, and seldom on genuine news or reports.
With --words, the share of documents holding each word of the call-to-action and trust lists (and bare
安全 / 保障, which the trust list counts only in claim forms); with --advice, how many calls to action and
trust words sit in an official's advice (``ADVICE_RE``), of all, per group; with --trust, how many different
trust words a document asserts (0, 1, 2, 3+) and the
commonest lone ones; with --interviews, the share of documents with a reporter's or host's question line
(``INTERVIEWER_LINE_RE``) and with Q&A lines.
Usage: python scripts/intent_rates.py [--words] [--advice] [--trust] [--interviews] [--corpus ../shared/corpus]
    [--written datasets/written]
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict

from _common import HELD_OUT_OUTLETS, data_arguments

from classifier.documents import load_labeled
from classifier.featurizers import intent
from classifier.featurizers.intent import IntentFeaturizer
from classifier.parse import parse_document

GROUPS = (
    "news, training outlets",
    "news, held-out outlets",
    "real web spam, training (spam sites' pages)",
    "real web spam, held-out (Common Crawl)",
    "trec06c spam e-mail",
    "written promotion (synthetic)",
    "written reports (synthetic)",
)


def group_of(doc) -> str | None:
    source = doc.source or ""
    if doc.meta.get("synthetic"):
        return GROUPS[5] if doc.label == "spam" else GROUPS[6]
    if source.startswith("news_waimei/"):
        return GROUPS[1] if source.split("/")[1] in HELD_OUT_OUTLETS else GROUPS[0]
    if doc.label == "spam":
        if "trec06c" in source:
            return GROUPS[4]
        return GROUPS[3] if source.startswith("webspam_commoncrawl") else GROUPS[2]
    return None  # trec06c ham and Common Crawl news: small or another format, not compared here


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    data_arguments(parser, written=True)
    parser.add_argument("--words", action="store_true", help="also the share of documents holding each listed word")
    parser.add_argument("--advice", action="store_true", help="also the matches inside officials' advice")
    parser.add_argument("--trust", action="store_true", help="also how many different trust words documents assert")
    parser.add_argument("--interviews", action="store_true", help="also reporters' question lines and Q&A lines")
    args = parser.parse_args()
    docs = load_labeled([args.corpus]).documents + load_labeled([args.written]).documents
    grouped = [(group, parse_document(doc)) for doc in docs if (group := group_of(doc)) is not None]
    featurizer = IntentFeaturizer()
    names = featurizer.feature_names
    fired: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    total: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    sizes: dict[str, int] = defaultdict(int)
    for group, parsed in grouped:
        sizes[group] += 1
        for name, value in zip(names, featurizer.measure(parsed)):
            fired[group][name] += value > 0
            total[group][name] += value
            if not name.endswith("_chars"):  # counts: also how often they reach 2
                fired[group][f"{name} >= 2"] += value >= 2
    groups = [g for g in GROUPS if sizes[g]]
    header = "| {} | " + " | ".join(f"{g} (n={sizes[g]})" for g in groups) + " |\n|---|" + "---|" * len(groups)
    print("share of documents where the signal fires (mean value in brackets)\n")
    print(header.format("signal"))
    for name in names:
        cells = [f"{fired[g][name] / sizes[g]:.3f} ({total[g][name] / sizes[g]:.2f})" for g in groups]
        print(f"| {name} | " + " | ".join(cells) + " |")
        if not name.endswith("_chars"):
            print(f"| {name} >= 2 | " + " | ".join(f"{fired[g][f'{name} >= 2'] / sizes[g]:.3f}" for g in groups) + " |")
    if args.words:
        holding: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for group, parsed in grouped:
            words = {m.group(0) for pattern in (intent.CTA_RE, intent.TRUST_RE) for m in pattern.finditer(parsed.text)}
            words |= {f"{w} (bare, any use)" for w in ("安全", "保障") if w in parsed.text}
            for word in words:
                holding[word][group] += 1
        print("\nshare of documents holding the word (calls to action and trust words, made or reported)\n")
        print(header.format("word"))
        for word, by_group in sorted(holding.items(), key=lambda kv: -sum(kv[1].values())):
            print(f"| {word} | " + " | ".join(f"{by_group[g] / sizes[g]:.3f}" for g in groups) + " |")
    if args.advice:
        advised: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
        for group, parsed in grouped:
            text = parsed.text
            for kind, pattern in (("calls to action", intent.CTA_RE), ("trust words", intent.TRUST_RE)):
                for m in pattern.finditer(text):
                    advised[kind][group][0] += intent._in_advice(text, m.start())
                    advised[kind][group][1] += 1
        print("\nmatches inside an official's advice, of all matches\n")
        print(header.format("kind"))
        for kind, by_group in advised.items():
            print(f"| {kind} | " + " | ".join(f"{by_group[g][0]}/{by_group[g][1]}" for g in groups) + " |")
    if args.trust:
        counts: dict[str, Counter] = defaultdict(Counter)
        lone: dict[str, Counter] = defaultdict(Counter)
        for group, parsed in grouped:
            asserted = {m.group(0) for m in intent.split_trust_words(parsed.text)[0]}
            counts[group][min(len(asserted), 3)] += 1
            if len(asserted) == 1:
                lone[group][next(iter(asserted))] += 1
        print("\nshare of documents asserting this many different trust words (commonest lone words last)\n")
        print(header.format("different trust words"))
        for n, label in ((0, "0"), (1, "1"), (2, "2"), (3, "3 or more")):
            print(f"| {label} | " + " | ".join(f"{counts[g][n] / sizes[g]:.3f}" for g in groups) + " |")
        print("| lone word, commonest | " + " | ".join(
            ", ".join(f"{w} {c}" for w, c in lone[g].most_common(3)) for g in groups) + " |")
    if args.interviews:
        print("\nshare of documents with a reporter's or host's question line / with Q&A lines\n")
        print(header.format("lines"))
        for label, pattern in (("interviewer (记者: ...)", intent.INTERVIEWER_LINE_RE), ("Q&A (问: 答: ...)", intent.QA_LINE_RE)):
            share = defaultdict(int)
            for group, parsed in grouped:
                share[group] += any(pattern.match(line) for line in parsed.lines)
            print(f"| {label} | " + " | ".join(f"{share[g] / sizes[g]:.3f}" for g in groups) + " |")


if __name__ == "__main__":
    main()
