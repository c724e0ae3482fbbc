"""Injected phrases of parasite pages: title affixes, phrases spliced into sentences, lone numbered ad lines.

A parasite page is a real article with a commercial keyword put before the headline and spliced into
sentences where it does not belong. No keyword list is used: a candidate is any CJK phrase of 4+ characters
that occurs more than once, and it counts as spliced where a character bigram model fitted on genuine text
finds its boundaries far less likely than the join of its neighbours without it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from numbers import Integral, Real

import numpy as np

from classifier.estimator import Interval
from classifier.featurizers._base import CJK_RE, DocFeaturizer, memo
from classifier.featurizers._lm import HASH_PRIME, CharNgramLM, LMFeaturizer, codepoints, is_cjk, is_cjk_point
from classifier.parse import ParsedDoc

#: header_lines: the header zone ends at the first line this long (a paragraph of the article).
PARAGRAPH_MIN_CHARS = 40
#: header_lines: a paragraph has sentence punctuation; headlines seldom do.
SENTENCE_PUNCT_RE = re.compile(r"[。!?;,]")
#: header_lines: at most this many lines before the first paragraph are treated as header.
HEADER_MAX_LINES = 8
#: _title_affixes: separators between a headline and an affix (a space, |, _, dashes); not ":" or "、",
#: which occur inside headlines.
AFFIX_SPLIT_RE = re.compile(r"\s+|\s*[|_｜]\s*|\s+[-—–]+\s+|——")
#: _title_affixes: the article's opening (first lines after the header, capped in characters) that a genuine
#: title's parts are expected to echo.
OPENING_LINES = 2
OPENING_CHARS = 400
#: _is_novel: an affix is novel when at most this share of its 2+-character words occur in the opening.
MAX_ECHOED_WORD_RATIO = 0.34
#: _title_affixes: an affix is a bare phrase of CJK characters, letters and digits; a part with punctuation is
#: a template field of a header line ("点击次数:686", "发布日期:2021-03-01"), not a phrase put on the title.
AFFIX_CHARS_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fffA-Za-z0-9]+")
#: _title_affixes: a novel title affix counts only if the body repeats it at least this often. The parasite's
#: keyword is put on the title *and* into the text (the seed: 3 times); a novel part found in the title alone is
#: most often a site name (<title>深圳上半年经济平稳增长_深圳新闻网</title>, the convention of Chinese sites) or
#: the lead-in of a two-part headline (引题 + 主题), which the opening need not repeat: counted alone, these made
#: this family the top reason of most false positives on held-out genuine news (docs/LOVO.md, docs/ABLATION.md).
MIN_AFFIX_BODY_COUNT = 1
#: _title_affixes: an affix needs at least this many CJK characters (issue 3: "a phrase of 4+ CJK chars").
MIN_PHRASE_CJK = 4
#: spliced_phrases: a repeated phrase counts as spliced only if at least this share of its occurrences read as
#: spliced. The subject of an article recurs naturally many times (白俄罗斯 61 times, 马拉多纳 29) and one of
#: them may sit at a rare boundary; an injected keyword occurs a few times, and is spliced in at least 1 of 8. On
#: the validation side (voa/bbc articles and the pages synthesized from them; the bigram model fitted on the
#: other training outlets): a spliced phrase in 24 of 450 articles with no share required, 13 with 1/8; in 15 of
#: 52 synthesized parasites either way (12 with 0.15, 9 with 0.25). `python scripts/title_affix_rates.py --outlets
#: validation [--min-spliced-share 0]` counts them.
MIN_SPLICED_SHARE = 0.125
#: lone_numbered_line_count: a line starting with a list number, like "1." "2、" "3)".
NUMBERED_RE = re.compile(r"^\s*(\d{1,2})\s*[.、)）]\s*\S")
#: InjectionFeaturizer: private attribute of a ParsedDoc holding what ``measure_with`` found (title affixes,
#: spliced phrases and lone numbered lines) with the language model and thresholds it used, which ``evidence``
#: reuses instead of measuring again.
FOUND_CACHE_ATTR = "_injection_found_cache"


class InjectionFeaturizer(LMFeaturizer, DocFeaturizer):
    """Signals of a commercial phrase put into an article.

    Parameters
    ----------
    min_boundary_bits : float, default=16.0
        An occurrence is spliced only if the mean surprisal (bits) of its CJK-side boundaries is at least
        this (boundaries of natural phrases are mostly below).
    min_gain_bits : float, default=14.0
        ... and if those boundaries are at least this many bits less likely than the join of the
        neighbours without the phrase. With the earlier (18, 10), 42 of the 450 validation articles (voa, bbc)
        had a phrase read as spliced, and 19 of 52 parasites synthesized from them; with (16, 14), 24 and 18: a
        rare word at a boundary is not enough, its neighbours must also join far better without it
        (``python scripts/splice_thresholds.py``; the bigram model fitted on the other training outlets).
    n_folds : int, default=2
        Folds for cross-fitting the bigram model during ``fit_transform``.
    random_state : int, default=0

    Features
    --------
    title_prefix_novel_chars : CJK characters of a title prefix (before a space, |, _ or dash; CJK characters,
        letters and digits only) that is absent from the first paragraph but repeated in the body
        (MIN_AFFIX_BODY_COUNT); 0 if none.
    title_suffix_novel_chars : the same for a suffix.
    title_affix_body_count : occurrences of such affixes in body lines (outside title copies).
    spliced_phrase_count : occurrences of repeated phrases that break the sentence they sit in (a phrase counts
        when at least MIN_SPLICED_SHARE of its occurrences do: an article's own subject does not).
    spliced_phrase_max_repeat : total occurrences of the most repeated spliced phrase.
    lone_numbered_line_count : numbered lines ("1. ...") that are not part of a list.

    No feature counts CMS template lines (a publish date with a click or view counter, 点击次数:82): genuine
    Chinese sites print them as often as spam sites, none of the real documents trained on has one, and the
    weight such a feature got came from the synthesizer's template choices alone; it made a counter line the
    top reason a genuine article in a whole web page was flagged (scripts/page_invariance.py).
    """

    feature_names = (
        "title_prefix_novel_chars",
        "title_suffix_novel_chars",
        "title_affix_body_count",
        "spliced_phrase_count",
        "spliced_phrase_max_repeat",
        "lone_numbered_line_count",
    )
    #: every signal of this family is evidence of spam when it is high
    feature_directions = (1, 1, 1, 1, 1, 1)
    _parameter_constraints = {
        "min_boundary_bits": [Interval(Real, 0, None, closed="left")],
        "min_gain_bits": [Interval(Real, None, None, closed="neither")],
        "n_folds": [Interval(Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, min_boundary_bits: float = 16.0, min_gain_bits: float = 14.0, n_folds: int = 2, random_state=0):
        self.min_boundary_bits = min_boundary_bits
        self.min_gain_bits = min_gain_bits
        self.n_folds = n_folds
        self.random_state = random_state

    @staticmethod
    def _make_lm() -> CharNgramLM:
        return CharNgramLM(order=2, bigram_bits=19)

    def measure_with(self, doc: ParsedDoc, lm: CharNgramLM) -> list[float]:
        (prefixes, suffixes, affix_body), spliced, lone = self._found(doc, lm)
        return [
            float(max((_cjk_len(p) for p in prefixes), default=0)),
            float(max((_cjk_len(s) for s in suffixes), default=0)),
            float(affix_body),
            float(sum(len(v["spliced_at"]) for v in spliced.values())),
            float(max((v["count"] for v in spliced.values()), default=0)),
            float(len(lone)),
        ]

    def _found(self, doc: ParsedDoc, lm: CharNgramLM) -> tuple[tuple[set[str], set[str], int], dict[str, dict], list[str]]:
        """``(self._title_affixes(doc, lm), self.spliced_phrases(doc, lm), _lone_numbered(doc.lines))``, computed
        once per document, language model and thresholds (the header lines found once for both) and kept on
        the document for ``evidence``; callers must not modify them."""
        def find():
            header = header_lines(doc)
            return (
                self._title_affixes_in(doc, lm, header),
                self._spliced_phrases_in(doc, lm, header),
                _lone_numbered(doc.lines),
            )

        key = (doc.text, doc.lines, doc.title, lm, self.min_boundary_bits, self.min_gain_bits)
        return memo(doc, FOUND_CACHE_ATTR, key, find)

    # -- title affixes ---------------------------------------------------------------------------------
    def _title_affixes(self, doc: ParsedDoc, lm: CharNgramLM | None = None) -> tuple[set[str], set[str], int]:
        lm = lm if lm is not None else self.lm_
        return self._title_affixes_in(doc, lm, header_lines(doc))

    def _title_affixes_in(
        self, doc: ParsedDoc, lm: CharNgramLM, header_zone: tuple[list[str], int]
    ) -> tuple[set[str], set[str], int]:
        """:meth:`_title_affixes` given ``header_lines(doc)``."""
        header, start = header_zone
        opening = "\n".join(doc.lines[start:start + OPENING_LINES])[:OPENING_CHARS]
        body_lines = doc.lines[start:]
        prefixes, suffixes, counts = set(), set(), {}
        for line in header:
            parts, second_half = _split_title(line)
            if len(parts) < 2:
                continue
            longest = max(parts, key=len)
            # copies of this headline further down (a page printing its title again) are not the body repeating
            # the affix, nor are lines that are no paragraph (_is_paragraph: a site's name in its app prompt or
            # byline, 打开某某日报APP, where a spliced keyword sits in the article's sentences)
            body = "\n".join(b for b in body_lines if longest not in b and _is_paragraph(b))
            for part, bucket in ((parts[0], prefixes), (parts[-1], suffixes)):
                if part == longest or not AFFIX_CHARS_RE.fullmatch(part) or _cjk_len(part) < MIN_PHRASE_CJK:
                    continue
                if self._is_novel(part, opening, lm):
                    bucket.add(part)
                    if bucket is suffixes and part == second_half:
                        repeats = self._subheadline_body_count(part, body)
                    else:
                        repeats = body.count(part)
                    counts[part] = max(repeats, counts.get(part, 0))
        # only affixes the body repeats: see MIN_AFFIX_BODY_COUNT
        prefixes = {a for a in prefixes if counts[a] >= MIN_AFFIX_BODY_COUNT}
        suffixes = {a for a in suffixes if counts[a] >= MIN_AFFIX_BODY_COUNT}
        return prefixes, suffixes, sum(counts[a] for a in prefixes | suffixes)

    def _subheadline_body_count(self, part: str, body: str) -> int:
        """Occurrences in the body of a title's second half (``_split_title``) that stand apart (no CJK
        character next to them: a line of their own, between punctuation). A Chinese headline in two halves
        puts the second after a space (专家:看清五个特征 守住三条底线; 能源局:某某遭退回 转圜机率不大), and the article
        restates it inside its own sentences (答:要守住三条底线。, 案件转圜机率不大。), where the bigram model's
        one-sided boundary test often misreads a rare but natural join (件|转圜) as a splice; a keyword put after
        a headline with a space and spliced into the sentences is a layout neither the seed (a prefix) nor the
        synthesizer (a prefix, or a suffix after an underscore) has, so only repeats standing apart count. A
        keyword before the headline, or after a bar or an underscore, is counted at every repeat."""
        cps = codepoints(body)
        return sum(not _has_cjk_neighbour(cps, p, p + len(part)) for p in _occurrences(body, part))

    def _is_novel(self, part: str, opening: str, lm: CharNgramLM) -> bool:
        """A title part is novel when the opening does not echo it: no natural verbatim copy (a copy that
        breaks its sentence is a splice, not an echo) and at most MAX_ECHOED_WORD_RATIO of its words."""
        from classifier.segment import segment

        cps = codepoints(opening)
        for start in _occurrences(opening, part):
            if not self._is_spliced(cps, start, start + len(part), lm):
                return False
        opening = opening.replace(part, "")
        words = [w for w in segment(part) if _cjk_len(w) >= 2]
        if not words:
            return True
        return sum(w in opening for w in words) / len(words) <= MAX_ECHOED_WORD_RATIO

    # -- spliced phrases -------------------------------------------------------------------------------
    def spliced_phrases(self, doc: ParsedDoc, lm: CharNgramLM | None = None) -> dict[str, dict]:
        """Repeated CJK phrases with at least one spliced occurrence, and at least MIN_SPLICED_SHARE of their
        occurrences spliced.

        Returns ``{phrase: {"count": total occurrences, "spliced_at": [line numbers, 0 = title]}}``.
        """
        lm = lm if lm is not None else self.lm_
        return self._spliced_phrases_in(doc, lm, header_lines(doc))

    def _spliced_phrases_in(self, doc: ParsedDoc, lm: CharNgramLM, header_zone: tuple[list[str], int]) -> dict[str, dict]:
        """:meth:`spliced_phrases` given ``header_lines(doc)``."""
        text = doc.text
        cps = codepoints(text)
        header, start = header_zone
        header_text = "\n".join(header)
        body_offset = len(header_text) + 1 if header else 0  # text = title + lines; header = title + lines[:start]
        zones = None  # the title's headline and second half in header_text, found for the first candidate phrase
        out: dict[str, dict] = {}
        for phrase in sorted(_repeated_phrases(text, cps)):  # sorted: ties broken alike in every process
            if phrase not in header_text:
                continue  # issue 3: the phrase recurs across title and body
            positions = _occurrences(text, phrase)
            if zones is None:
                zones = _headline_zones(header, header_text)
            headline_spans, second_half_spans = zones
            if all(
                _within(p, p + len(phrase), second_half_spans)
                or self._is_headline_own(cps, p, p + len(phrase), lm, headline_spans)
                for p in positions if p < body_offset
            ):
                continue  # the headline's own phrase, restated in the body: see _is_headline_own
            spliced = [
                p for p in positions if p >= body_offset and self._is_spliced(cps, p, p + len(phrase), lm)
            ]
            if spliced and len(spliced) >= MIN_SPLICED_SHARE * len(positions):
                line_starts = _line_starts(text)
                out[phrase] = {
                    "count": len(positions),
                    "spliced_at": [bisect_right(line_starts, p) - 1 for p in spliced],
                    "all_at": [bisect_right(line_starts, p) - 1 for p in positions],
                }
        return out

    def _is_headline_own(
        self, cps: np.ndarray, start: int, end: int, lm: CharNgramLM, headline_spans: list[tuple[int, int]]
    ) -> bool:
        """An occurrence in the header that is part of the headline's wording: inside the headline proper
        (``_headline_zones``: not a site name, nor an affix put before or after it), a CJK character next to it
        there, and its boundaries natural (not spliced). A parasite's keyword stands apart from the headline
        (the seed's "互联网金融股票配资 深圳市...", "..._杭州某某娱乐城", a site-name line) or breaks it; a phrase
        the headline itself says (专家:看清五个特征) is one the body restates (可以重点看五个特征), and a rare
        boundary there is the body's own wording, not a splice. The second half of a two-part headline
        (``_split_title``) is the headline's wording too, at any boundary. On the validation side (voa/bbc
        articles and pages synthesized from them, the bigram model fitted on the other training outlets) the two
        took the spliced phrase off 9 of the 13 articles with one (of 450) and off none of the 15 parasites (of
        52); written reports with one went from 20 to 6 of 348 (``python scripts/title_affix_rates.py --outlets
        validation``)."""
        return (
            _within(start, end, headline_spans)
            and _has_cjk_neighbour(cps, start, end)
            and not self._is_spliced(cps, start, end, lm)
        )

    def _is_spliced(self, cps: np.ndarray, start: int, end: int, lm: CharNgramLM) -> bool:
        # One code point on each side, so plain ints and floats: the probability of one pair
        # (CharNgramLM.pair_prob), np.log2 of one value, and the mean
        # of one or two values as np.mean computes it ((a + b) / 2), so the same bits as with arrays.
        left = int(cps[start - 1]) if start > 0 else None
        right = int(cps[end]) if end < cps.size else None
        left_cjk = left is not None and is_cjk_point(left)
        right_cjk = right is not None and is_cjk_point(right)
        if not (left_cjk or right_cjk):
            return False  # placed between punctuation or line breaks: a title affix, not a splice
        bits = []
        if left_cjk:
            bits.append(float(-np.log2(lm.pair_prob(left, int(cps[start])))))
        if right_cjk:
            bits.append(float(-np.log2(lm.pair_prob(int(cps[end - 1]), right))))
        boundary = bits[0] if len(bits) == 1 else (bits[0] + bits[1]) / 2
        if not boundary >= self.min_boundary_bits:
            return False
        if left is not None and right is not None:
            join = float(-np.log2(lm.pair_prob(left, right)))
        else:
            join = boundary - self.min_gain_bits
        return boundary - join >= self.min_gain_bits

    def evidence(self, doc: ParsedDoc) -> dict[str, str]:
        out = {}
        (prefixes, suffixes, _), spliced, lone = self._found(doc, self.lm_)
        if spliced:
            phrase, info = max(spliced.items(), key=lambda kv: (len(kv[1]["spliced_at"]), kv[1]["count"]))
            where = ", ".join(_where(i) for i in dict.fromkeys(info["all_at"]))
            out["spliced_phrase_count"] = f"{phrase} x{info['count']}: {where}"
            out["spliced_phrase_max_repeat"] = out["spliced_phrase_count"]
        if prefixes:
            out["title_prefix_novel_chars"] = " / ".join(sorted(prefixes))
        if suffixes:
            out["title_suffix_novel_chars"] = " / ".join(sorted(suffixes))
        if prefixes or suffixes:
            out["title_affix_body_count"] = " / ".join(sorted(prefixes | suffixes))
        if lone:
            out["lone_numbered_line_count"] = " | ".join(line[:30] for line in lone[:3])
        return out


def _is_paragraph(line: str) -> bool:
    """A paragraph of the article: PARAGRAPH_MIN_CHARS or more, with sentence punctuation (where the header zone
    ends, and where a repeated title affix counts)."""
    return len(line) >= PARAGRAPH_MIN_CHARS and SENTENCE_PUNCT_RE.search(line) is not None


def _has_cjk_neighbour(cps: np.ndarray, start: int, end: int) -> bool:
    """Whether a CJK character sits right before or right after ``cps[start:end]``."""
    return (start > 0 and is_cjk_point(int(cps[start - 1]))) or (end < cps.size and is_cjk_point(int(cps[end])))


def _within(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _spans_of(text: str, part: str | None) -> list[tuple[int, int]]:
    return [(p, p + len(part)) for p in _occurrences(text, part)] if part else []


def _split_title(line: str) -> tuple[list[str], str | None]:
    """A header line's parts, split at affix separators (``AFFIX_SPLIT_RE``), and the second half of a two-part
    headline: the last part when whitespace alone sets it off (not a bar, an underscore or a dash: a site name's
    place) and it is not the longest part; else None."""
    parts = [p for p in AFFIX_SPLIT_RE.split(line) if p]
    if len(parts) < 2 or parts[-1] == max(parts, key=len):
        return parts, None
    head = line.rstrip()
    if not head.endswith(parts[-1]):
        return parts, None
    before = head[: -len(parts[-1])]
    if before[-1:].isspace() and before.rstrip()[-1:] not in ("|", "_", "｜", "-", "—", "–"):
        return parts, parts[-1]
    return parts, None


def _headline_zones(header: list[str], header_text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Where the headline proper and the second half of a two-part headline sit in ``header_text`` (the header
    lines joined by line breaks): every copy of the title's (the first header line's) longest part and of its
    second half (``_split_title``), so that neither a part put before or after the headline nor another header
    line (a site's name, a short first paragraph) counts as the headline."""
    if not header:
        return [], []
    parts, second_half = _split_title(header[0])
    headline = max(parts, key=len) if parts else None
    return _spans_of(header_text, headline), _spans_of(header_text, second_half)


def _where(line_number: int) -> str:
    return "title" if line_number == 0 else f"line {line_number}"


def _cjk_len(text: str) -> int:
    return len(CJK_RE.findall(text))


def header_lines(doc: ParsedDoc) -> tuple[list[str], int]:
    """Title-like lines (the title and short lines before the first paragraph), and where the body starts: the
    header zone of a page, shared by the injection and provenance families."""
    header = [doc.title] if doc.title else []
    start = 0
    for i, line in enumerate(doc.lines[:HEADER_MAX_LINES]):
        if _is_paragraph(line) and not _is_title_like(line, header):
            start = i
            break
        header.append(line)
        start = i + 1
    return header, start


def _is_title_like(line: str, header: list[str]) -> bool:
    """A long line that repeats a header line with an affix (the seed's doubled title)."""
    return any(h and len(h) >= MIN_PHRASE_CJK and (h in line or line in h) for h in header)


def _occurrences(text: str, phrase: str) -> list[int]:
    """Starts of the non-overlapping occurrences of a non-empty ``phrase``, left to right: what
    ``re.finditer(re.escape(phrase), text)`` finds, without compiling a pattern per phrase."""
    out, start = [], text.find(phrase)
    while start >= 0:
        out.append(start)
        start = text.find(phrase, start + len(phrase))
    return out


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def _repeated_phrases(text: str, cps: np.ndarray) -> set[str]:
    """Maximal CJK runs of 4+ characters whose every 4-gram occurs at least twice (numpy, no char loop)."""
    n = cps.size
    if n < 2 * MIN_PHRASE_CJK:
        return set()
    cjk = is_cjk(cps)
    ok = cjk[:-3] & cjk[1:-2] & cjk[2:-1] & cjk[3:]
    h = ((cps[:-3] * HASH_PRIME + cps[1:-2]) * HASH_PRIME + cps[2:-1]) * HASH_PRIME + cps[3:]
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return set()
    # the 4-grams that occur at least twice: equal neighbours once sorted (one sort, no np.unique)
    hashes = h[idx]
    order = np.argsort(hashes)
    ordered = hashes[order]
    same = ordered[1:] == ordered[:-1]
    repeated = np.zeros(idx.size, dtype=bool)
    repeated[1:] = same
    repeated[:-1] |= same
    if not repeated.any():
        return set()
    rep = idx[order[repeated]]
    rep.sort()
    breaks = np.flatnonzero(np.diff(rep) != 1)
    starts = rep[np.concatenate(([0], breaks + 1))]
    ends = rep[np.concatenate((breaks, [rep.size - 1]))] + MIN_PHRASE_CJK
    return {text[s:e] for s, e in zip(starts.tolist(), ends.tolist())}


def _lone_numbered(lines: list[str]) -> list[str]:
    """Numbered lines without a neighbouring number anywhere in the document. A list is a sequence however far
    apart its items are: the numbered section headings of a long article ("1. 医疗照护" ... "2. 交通") are
    paragraphs apart (an earlier rule looked only 4 lines around and called such headings lone)."""
    numbered = [(i, int(m.group(1))) for i, line in enumerate(lines) if (m := NUMBERED_RE.match(line))]
    present = {number for _, number in numbered}  # a line's own number is never its neighbour (n +/- 1 != n)
    return [lines[i] for i, number in numbered if number - 1 not in present and number + 1 not in present]


def _lone_numbered_lines(lines: list[str]) -> int:
    return len(_lone_numbered(lines))
