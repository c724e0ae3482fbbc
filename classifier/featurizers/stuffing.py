"""Keyword stuffing and repetition: repeated n-grams and phrases, compressibility, title recurrence."""

from __future__ import annotations

import zlib
from collections import Counter
from numbers import Integral

from sklearn.utils._param_validation import Interval

from classifier.featurizers._base import CJK_RE, DocFeaturizer, safe_ratio
from classifier.parse import ParsedDoc

#: duplicate_line_ratio: lines shorter than this many characters (nav items, "返回") are not counted.
MIN_DUPLICATE_LINE_CHARS = 6


#: _compression_gain: below this many bytes the gain is not measured (0.0, "no repetition").
MIN_COMPRESSION_BYTES = 200


def _compression_gain(data: bytes) -> float:
    if len(data) < MIN_COMPRESSION_BYTES:
        return 0.0
    half = len(data) // 2
    parts = len(zlib.compress(data[:half])) + len(zlib.compress(data[half:]))
    return 1.0 - safe_ratio(len(zlib.compress(data)), parts)


class StuffingFeaturizer(DocFeaturizer):
    """Repetition signals of keyword-stuffed and template pages.

    Parameters
    ----------
    max_ngram_tokens : int, default=4
        Word n-grams of 2 up to this many tokens are considered for ``top_ngram_char_ratio`` (2 to 8).
    min_phrase_repeats : int, default=3
        A phrase counts for ``longest_repeated_phrase_chars`` when it occurs at least this often (2 to 10).

    Features
    --------
    top_ngram_char_ratio : characters covered by the most frequent word n-gram (all its occurrences) over
        the characters of all tokens; the maximum over n = 2..max_ngram_tokens (datatrove's gopher idea).
    longest_repeated_phrase_chars : CJK characters in the longest word n-gram occurring min_phrase_repeats+
        times.
    compression_gain : 1 - zlib size of the whole text / (zlib size of its first half + of its second half):
        about 0 when the halves share nothing, higher when the text repeats itself. The plain compression
        ratio mostly measures length (short texts compress badly), which is not the signal; this one is
        about length-neutral. 0.0 for texts under MIN_COMPRESSION_BYTES.
    title_ngram_body_repeat : mean number of occurrences in the body of the title's word bigrams.
    duplicate_line_ratio : lines (6+ characters) that repeat an earlier line, over all such lines.
    """

    feature_names = (
        "top_ngram_char_ratio",
        "longest_repeated_phrase_chars",
        "compression_gain",
        "title_ngram_body_repeat",
        "duplicate_line_ratio",
    )
    _parameter_constraints = {
        "max_ngram_tokens": [Interval(Integral, 2, 8, closed="both")],
        "min_phrase_repeats": [Interval(Integral, 2, 10, closed="both")],
    }

    def __init__(self, max_ngram_tokens: int = 4, min_phrase_repeats: int = 3):
        self.max_ngram_tokens = max_ngram_tokens
        self.min_phrase_repeats = min_phrase_repeats

    def measure(self, doc: ParsedDoc) -> list[float]:
        words = [t for t in doc.tokens if CJK_RE.search(t) or t.isalnum()]
        total_chars = sum(len(w) for w in words)
        top_ratio = 0.0
        for n in range(2, self.max_ngram_tokens + 1):
            counts = Counter(zip(*(words[i:] for i in range(n))))
            if not counts:
                break
            gram, count = counts.most_common(1)[0]
            if count > 1:
                top_ratio = max(top_ratio, safe_ratio(sum(len(w) for w in gram) * count, total_chars))
        phrase = self._longest_repeated_phrase(words)
        compression = _compression_gain(doc.text.encode("utf-8"))
        return [
            top_ratio,
            float(len(CJK_RE.findall(phrase))),
            compression,
            self._title_repeat(doc),
            self._duplicate_line_ratio(doc),
        ]

    def _longest_repeated_phrase(self, words: list[str]) -> str:
        best = ""
        n = 1
        while n <= len(words):
            counts = Counter(zip(*(words[i:] for i in range(n))))
            repeated = [g for g, c in counts.items() if c >= self.min_phrase_repeats]
            if not repeated:
                break
            longest = max(("".join(g) for g in repeated), key=len)
            if len(longest) > len(best):
                best = longest
            n += 1
        return best

    @staticmethod
    def _title_repeat(doc: ParsedDoc) -> float:
        if not doc.title:
            return 0.0
        from classifier.segment import segment

        title_words = [t for t in segment(doc.title) if CJK_RE.search(t)]
        bigrams = {a + b for a, b in zip(title_words, title_words[1:])}
        if not bigrams:
            return 0.0
        body = doc.body
        return safe_ratio(sum(body.count(b) for b in bigrams), len(bigrams))

    @staticmethod
    def _duplicate_line_ratio(doc: ParsedDoc) -> float:
        lines = [line for line in doc.lines if len(line) >= MIN_DUPLICATE_LINE_CHARS]
        return safe_ratio(len(lines) - len(set(lines)), len(lines))

    def evidence(self, doc: ParsedDoc) -> dict[str, str]:
        words = [t for t in doc.tokens if CJK_RE.search(t) or t.isalnum()]
        phrase = self._longest_repeated_phrase(words)
        return {"longest_repeated_phrase_chars": phrase} if phrase else {}
