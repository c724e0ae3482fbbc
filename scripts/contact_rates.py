"""How often the contacts family's spelled-out ids occur, per group of documents: the numbers behind
SPELLED_ID_RE in classifier/featurizers/contacts.py, and behind contact evasions that were considered and not
added because no real document has them.

For each group (the groups of scripts/intent_rates.py, plus trec06c ham e-mail) it prints how many documents hold
an id spelled out one character at a time with a letter and a digit (a disguised contact, ``_is_disguise``), a
spelled-out run of letters only, and each candidate evasion the WeChat and QQ patterns do not already catch.

Usage: python scripts/contact_rates.py [--corpus ../shared/corpus] [--written datasets/written]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter

from _common import data_arguments
from intent_rates import GROUPS, group_of

from classifier.documents import load_labeled
from classifier.featurizers import contacts
from classifier.parse import parse_document

HAM = "trec06c ham e-mail"
#: candidate evasions, not in the contacts family: none of them occurs in a real document of the corpus
CANDIDATES = {
    "微 信 (a space inside the marker)": re.compile(r"微\s+信\s*(?:号)?\s*[::]?\s*[A-Za-z0-9][A-Za-z0-9_-]{4,19}"),
    "薇: / 威: (one-character marker)": re.compile(r"[薇威]\s*[::]\s*[A-Za-z0-9][A-Za-z0-9_-]{4,19}"),
    "微 id (no colon)": re.compile(r"微\s+[A-Za-z][A-Za-z0-9_-]{4,19}"),
    "QQ交流群 number": re.compile(r"qq[\u4e00-\u9fff]{1,3}群\s*[::]?\s*\d{5,11}", re.I),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    data_arguments(parser, written=True)
    args = parser.parse_args()
    docs = load_labeled([args.corpus]).documents + load_labeled([args.written]).documents
    sizes, found = Counter(), Counter()
    for doc in docs:
        group = group_of(doc) or (HAM if "trec06c" in (doc.source or "") and doc.label == "genuine" else None)
        if group is None:
            continue
        raw = parse_document(doc).text
        text, disguised = contacts._separators_removed(raw)
        runs = [m.group(0) for m in contacts.SPELLED_ID_RE.finditer(raw)]
        sizes[group] += 1
        found[group, "spelled-out id, letter and digit"] += bool(disguised)
        found[group, "spelled-out run, letters only"] += any(not re.search(r"\d", r) and re.search("[A-Za-z]", r) for r in runs)
        for name, pattern in CANDIDATES.items():
            found[group, name] += any(
                not (contacts.WECHAT_RE.search(m.group(0)) or contacts.QQ_RE.search(m.group(0)))
                for m in pattern.finditer(text)
            )
    groups = [g for g in (*GROUPS, HAM) if sizes[g]]
    print("| documents holding | " + " | ".join(f"{g} (n={sizes[g]})" for g in groups) + " |")
    print("|---|" + "---|" * len(groups))
    for name in ("spelled-out id, letter and digit", "spelled-out run, letters only", *CANDIDATES):
        print(f"| {name} | " + " | ".join(str(found[g, name]) for g in groups) + " |")


if __name__ == "__main__":
    main()
