"""Token n-grams, hashed: word 1-2 grams and character 2-grams of the normalized text.

No vocabulary is stored (hashing, as scikit-learn's ``HashingVectorizer(alternate_sign=False, binary=True,
norm="l2")``, whose columns these are exactly: tested); an explanation recovers the names of a bucket from the
document's own n-grams (:meth:`TokenFeaturizer.bucket_ngrams`). Hashing is MurmurHash3_x86_32, the function
scikit-learn's ``murmurhash3_32`` and ``mmh3`` compute, so scoring needs no scikit-learn.

Scoring hashes the n-grams without building them as strings (:func:`hashed_ngrams`): a document's word unigrams
and bigrams are slices of one UTF-8 buffer (its words joined by spaces: bigram ``i`` runs from the start of word
``i`` to the end of word ``i + 1``), its CJK character bigrams are 8 bytes each (``c:`` and two 3-byte
characters) built from its code points, and :func:`murmur3_32` hashes all slices of a batch in numpy, one
4-byte block of every slice at a time. The result equals ``mmh3.hash`` of each n-gram of :func:`token_ngrams`
(tested), in the same order, so an explanation names a bucket by building only the n-grams that fall in it.
"""

from __future__ import annotations

import re
from numbers import Integral

import mmh3
import numpy as np

from classifier.estimator import Interval, Transformer
from classifier.featurizers._base import recall, remember
from classifier.parse import ParsedDoc, parse_document

#: token_ngrams: a token is kept as a word when it contains a CJK character or a Latin letter.
WORD_RE = re.compile(r"[\u3400-\u9fffA-Za-z]")
DIGIT_RE = re.compile(r"\d+")
#: token_ngrams: prefix that keeps character bigrams apart from one-character words in the hash space.
CHAR_PREFIX = "c:"
#: token_ngrams: every CJK character bigram of the text, overlapping (the bigrams of each run of 2+ CJK
#: characters, in text order), found in one regex pass.
CJK_BIGRAM_RE = re.compile(r"(?=([\u3400-\u4dbf\u4e00-\u9fff]{2}))")
#: token_ngrams: joins the kept tokens so that lower() and the digit folding run once per document.
JOIN_SEPARATOR = "\x00"
#: token_ngrams: private attribute of a ParsedDoc holding its n-grams once computed.
NGRAM_CACHE_ATTR = "_token_ngrams_cache"
#: hashed_ngrams: private attribute of a ParsedDoc holding its n-grams' hashes (a HashedNgrams) once computed.
HASH_CACHE_ATTR = "_token_hash_cache"
#: murmur3_32: slices longer than this many bytes are hashed one by one with mmh3 (a very long token would
#: otherwise cost one numpy round per 4 bytes).
MAX_VECTOR_HASH_BYTES = 256
#: hashed_ngrams: UTF-8 of the "c:" prefix of character bigrams.
CHAR_PREFIX_BYTES = CHAR_PREFIX.encode("utf-8")


def token_ngrams(doc) -> list[str]:
    """Word unigrams and bigrams (digits folded to ``0``) plus CJK character bigrams of a ParsedDoc.

    Module-level (not a lambda) so that a fitted model pickles. The list is computed once per ParsedDoc and
    cached on it (explanations ask for it again to name hash buckets); callers must not modify it.

    Examples
    --------
    >>> from classifier.parse import parse_text
    >>> token_ngrams(parse_text("配资平台2024"))[:4]
    ['配资', '平台', '0', '配资 平台']
    """
    doc = parse_document(doc)
    cached = recall(doc, NGRAM_CACHE_ATTR, (doc.text,))
    if cached is not None:
        return cached
    tokens = doc.tokens
    search = WORD_RE.search
    keep = {t: bool(search(t) or t.isdigit()) for t in set(tokens)}
    kept = [t for t in tokens if keep[t]]
    if any(JOIN_SEPARATOR in t for t in keep):
        words = [DIGIT_RE.sub("0", t.lower()) for t in kept]
    else:
        # One lower() and one digit substitution over all words at once; the separator is neither cased nor
        # case-ignorable and not a digit, so each word comes out as it would alone.
        words = DIGIT_RE.sub("0", JOIN_SEPARATOR.join(kept).lower()).split(JOIN_SEPARATOR) if kept else []
    grams = words + [f"{a} {b}" for a, b in zip(words, words[1:])]
    grams += [CHAR_PREFIX + g for g in CJK_BIGRAM_RE.findall(doc.text)]
    return remember(doc, NGRAM_CACHE_ATTR, (doc.text,), grams)


def ngram_bucket(ngram: str, n_features: int) -> int:
    """The column HashingVectorizer(alternate_sign=False) gives ``ngram``: scikit-learn's murmurhash3_32 (the
    signed MurmurHash3_x86_32 of the UTF-8 bytes, seed 0), its absolute value, modulo ``n_features``.

    For the hash -2**31, whose absolute value does not fit an int32, scikit-learn's loop computes
    ``(2**31 - 1 - (n_features - 1)) % n_features``, which is ``2**31 % n_features``: what ``abs`` gives here.
    """
    return abs(mmh3.hash(ngram, 0, True)) % n_features


def _hash_buckets(grams: list[str], n_features: int) -> list[int]:
    """``[ngram_bucket(g, n_features) for g in grams]``, with the lookups hoisted out of the loop."""
    hash_ = mmh3.hash
    return [abs(hash_(g, 0, True)) % n_features for g in grams]


# -- n-gram hashes without n-gram strings ------------------------------------------------------------------
_C1, _C2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)
_ROUND_ADD = np.uint32(0xE6546B64)
_FMIX1, _FMIX2 = np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35)
_FIVE = np.uint32(5)
_TAIL_MASKS = np.asarray([0, 0xFF, 0xFFFF, 0xFFFFFF], dtype=np.uint32)


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def _mix_k1(k1: np.ndarray) -> np.ndarray:
    k1 = k1 * _C1
    return _rotl(k1, 15) * _C2


def murmur3_32(data: bytes, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Signed MurmurHash3_x86_32 (seed 0) of ``data[s:s + n]`` for each ``(s, n)`` of ``starts``/``lengths``, as
    an int32 array: what ``mmh3.hash(data[s:s + n], 0, True)`` gives, computed in numpy over all slices at once
    (block ``k`` of every slice that has one, for k = 0, 1, ...; then the tails; then the finalization)."""
    starts = np.asarray(starts, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    n = starts.size
    out = np.zeros(n, dtype=np.uint32)
    if n == 0:
        return out.view(np.int32)
    long_ = np.flatnonzero(lengths > MAX_VECTOR_HASH_BYTES)
    padded = data + b"\0\0\0"
    # the little-endian 32-bit word starting at every byte of ``data`` (an unaligned view, no copy)
    words = np.ndarray(shape=(len(padded) - 3,), dtype="<u4", buffer=padded, strides=(1,))
    nblocks = lengths >> 2
    if long_.size:
        nblocks = nblocks.copy()
        nblocks[long_] = 0
    order = np.argsort(-nblocks, kind="stable")  # most blocks first: the slices with a block k are a prefix
    sorted_starts, sorted_blocks = starts[order], nblocks[order]
    h = np.zeros(n, dtype=np.uint32)
    max_blocks = int(sorted_blocks[0])
    if max_blocks:
        having = np.searchsorted(-sorted_blocks, -np.arange(max_blocks), side="left")
        for k in range(max_blocks):
            m = int(having[k])
            part = h[:m] ^ _mix_k1(words[sorted_starts[:m] + 4 * k])
            h[:m] = _rotl(part, 13) * _FIVE + _ROUND_ADD
    out[order] = h
    rem = lengths & 3
    tails = np.flatnonzero(rem)
    if long_.size:
        tails = np.setdiff1d(tails, long_, assume_unique=True)
    if tails.size:
        last = words[starts[tails] + 4 * nblocks[tails]] & _TAIL_MASKS[rem[tails]]
        out[tails] ^= _mix_k1(last)
    out ^= lengths.astype(np.uint32)
    out ^= out >> np.uint32(16)
    out *= _FMIX1
    out ^= out >> np.uint32(13)
    out *= _FMIX2
    out ^= out >> np.uint32(16)
    signed = out.view(np.int32)
    for i in long_.tolist():
        s, size = int(starts[i]), int(lengths[i])
        signed[i] = mmh3.hash(data[s:s + size], 0, True)
    return signed


class HashedNgrams:
    """The n-grams of a document as :func:`token_ngrams` lists them (word unigrams, word bigrams, CJK character
    bigrams), kept as their hashes; :meth:`gram` builds the string of one of them when asked.

    Attributes
    ----------
    hashes : ndarray of int64
        ``abs`` of each n-gram's signed MurmurHash3 (its column is ``hashes % n_features``).
    """

    __slots__ = ("_joined", "_words", "n_words", "text", "pair_starts", "hashes")

    def __init__(self, joined: str | None, words: list[str] | None, n_words: int, text: str, pair_starts: np.ndarray):
        self._joined, self._words, self.n_words = joined, words, n_words
        self.text, self.pair_starts = text, pair_starts
        self.hashes: np.ndarray | None = None

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words = self._joined.split(JOIN_SEPARATOR) if self.n_words else []
        return self._words

    def gram(self, k: int) -> str:
        """The ``k``-th n-gram of :func:`token_ngrams`."""
        n = self.n_words
        if k < n:
            return self.words[k]
        k -= n
        if k < n - 1:
            words = self.words
            return f"{words[k]} {words[k + 1]}"
        start = int(self.pair_starts[k - max(n - 1, 0)])
        return CHAR_PREFIX + self.text[start:start + 2]


def _ngram_slices(doc: ParsedDoc) -> tuple[HashedNgrams, bytes, np.ndarray, np.ndarray]:
    """A document's n-grams as slices of one byte string: ``(HashedNgrams without hashes, data, starts,
    lengths)``, in :func:`token_ngrams` order (the words exactly as token_ngrams folds them)."""
    tokens = doc.tokens
    search = WORD_RE.search
    keep = {t: bool(search(t) or t.isdigit()) for t in set(tokens)}
    kept = [t for t in tokens if keep[t]]
    n = len(kept)
    if JOIN_SEPARATOR in "".join(keep):  # any(JOIN_SEPARATOR in t for t in keep): the separator is one character
        words = [DIGIT_RE.sub("0", t.lower()) for t in kept]
        joined = None
        encoded = [w.encode("utf-8") for w in words]
        sizes = np.fromiter(map(len, encoded), dtype=np.int64, count=n)
        word_data = b" ".join(encoded)
        word_starts = np.concatenate(([0], np.cumsum(sizes + 1)[:-1])).astype(np.int64) if n else sizes
        word_ends = word_starts + sizes
    else:
        words = None
        # the separator is neither cased nor a digit, so each word comes out as it would alone (token_ngrams)
        joined = DIGIT_RE.sub("0", JOIN_SEPARATOR.join(kept).lower()) if n else ""
        word_data = joined.encode("utf-8")
        separators = np.flatnonzero(np.frombuffer(word_data, dtype=np.uint8) == 0)
        word_starts = np.concatenate(([0], separators + 1)) if n else separators
        word_ends = np.concatenate((separators, [len(word_data)])) if n else separators
        word_data = word_data.replace(b"\0", b" ")
    text = doc.text
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    cjk = ((cps >= 0x4E00) & (cps <= 0x9FFF)) | ((cps >= 0x3400) & (cps <= 0x4DBF))
    pair_starts = np.flatnonzero(cjk[:-1] & cjk[1:])
    m = pair_starts.size
    if m:
        # "c:" and two characters of U+3400..U+9FFF, each 3 bytes in UTF-8: 1110xxxx 10xxxxxx 10xxxxxx
        grams = np.empty((m, 8), dtype=np.uint8)
        grams[:, 0], grams[:, 1] = CHAR_PREFIX_BYTES[0], CHAR_PREFIX_BYTES[1]
        for col, cp in ((2, cps[pair_starts]), (5, cps[pair_starts + 1])):
            grams[:, col] = 0xE0 | (cp >> 12)
            grams[:, col + 1] = 0x80 | ((cp >> 6) & 0x3F)
            grams[:, col + 2] = 0x80 | (cp & 0x3F)
        pair_data = grams.tobytes()
    else:
        pair_data = b""
    base = len(word_data)
    starts = np.concatenate((word_starts, word_starts[:-1], base + 8 * np.arange(m, dtype=np.int64)))
    lengths = np.concatenate((word_ends - word_starts, word_ends[1:] - word_starts[:-1], np.full(m, 8, dtype=np.int64)))
    return HashedNgrams(joined, words, n, text, pair_starts), word_data + pair_data, starts, lengths


def hashed_ngrams(docs) -> list[HashedNgrams]:
    """The :class:`HashedNgrams` of each ParsedDoc, computed for all of them in one :func:`murmur3_32` pass and
    cached on each document (the explanation reads them again to name buckets)."""
    out: list[HashedNgrams | None] = [recall(doc, HASH_CACHE_ATTR, (doc.text,)) for doc in docs]
    missing = [i for i, cached in enumerate(out) if cached is None]
    if not missing:
        return out
    parts, datas, starts, lengths, counts, offset = [], [], [], [], [], 0
    for i in missing:
        hashed, data, s, n = _ngram_slices(docs[i])
        parts.append(hashed)
        datas.append(data)
        starts.append(s + offset)
        lengths.append(n)
        counts.append(s.size)
        offset += len(data)
    signed = murmur3_32(b"".join(datas), np.concatenate(starts), np.concatenate(lengths))
    hashes = np.abs(signed.astype(np.int64))
    bounds = np.concatenate(([0], np.cumsum(counts)))
    for j, i in enumerate(missing):
        hashed = parts[j]
        hashed.hashes = hashes[bounds[j]:bounds[j + 1]]
        out[i] = remember(docs[i], HASH_CACHE_ATTR, (docs[i].text,), hashed)
    return out


class TokenFeaturizer(Transformer):
    """Hashed, L2-normalized binary bag of word and character n-grams.

    Parameters
    ----------
    hash_bits : int, default=18
        Number of columns is ``2**hash_bits`` (10 to 24).
    """

    _parameter_constraints = {"hash_bits": [Interval(Integral, 10, 24, closed="both")]}

    def __init__(self, hash_bits: int = 18):
        self.hash_bits = hash_bits

    def fit(self, X, y=None):
        self._validate_params()
        self.n_features_out_ = 2**self.hash_bits
        return self

    def columns(self, doc) -> np.ndarray:
        """The non-empty columns of ``doc``, ascending; each holds ``1 / sqrt(len(columns))``."""
        indptr, indices, _ = self.rows([doc])
        return indices

    def rows(self, docs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CSR arrays ``(indptr, indices, data)`` of ``docs``: the columns of each document and their values
        (binary, then L2-normalized: every value of a row is ``1 / sqrt(its number of columns)``)."""
        n_features = 2**self.hash_bits
        hashed = hashed_ngrams([parse_document(doc) for doc in docs])
        per_doc = np.fromiter((h.hashes.size for h in hashed), dtype=np.int64, count=len(hashed))
        if hashed:
            # one sort for the whole batch: keys doc * n_features + column, unique, split back by document
            keys = np.repeat(np.arange(len(hashed), dtype=np.int64) * n_features, per_doc)
            keys += np.concatenate([h.hashes for h in hashed]) % n_features
            keys.sort()  # then drop repeats: np.unique's result, without its (slower) hash table
            keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if keys.size else keys
            sizes = np.bincount(keys // n_features, minlength=len(hashed)).astype(np.int64)
            indices = keys % n_features
        else:
            sizes = np.zeros(0, dtype=np.int64)
            indices = np.zeros(0, dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        norms = np.sqrt(sizes.astype(np.float64), where=sizes > 0, out=np.ones(sizes.size))
        data = np.repeat(1.0 / norms, sizes)
        return indptr, indices, data

    def transform(self, X):
        """A ``scipy.sparse`` CSR matrix of ``2**hash_bits`` columns (for training in scikit-learn)."""
        import scipy.sparse as sp

        indptr, indices, data = self.rows(X)
        return sp.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, 2**self.hash_bits))

    def get_feature_names_out(self, input_features=None):
        width = len(str(2**self.hash_bits))
        return np.asarray([f"ngram_bucket_{i:0{width}d}" for i in range(2**self.hash_bits)], dtype=object)

    def bucket_ngrams(self, doc: ParsedDoc, wanted: set[int] | None = None) -> dict[int, list[str]]:
        """Map each non-empty column of ``doc`` (or only the ``wanted`` ones) to the document's own n-grams
        hashed into it (each n-gram once, in the order of its first occurrence)."""
        n_features = 2**self.hash_bits
        if wanted is None:
            out: dict[int, list[str]] = {}
            grams = list(dict.fromkeys(token_ngrams(doc)))
            for gram, bucket in zip(grams, _hash_buckets(grams, n_features)):
                out.setdefault(bucket, []).append(gram)
            return out
        hashed = hashed_ngrams([parse_document(doc)])[0]
        buckets = hashed.hashes % n_features
        positions = np.flatnonzero(np.isin(buckets, np.fromiter(wanted, dtype=np.int64, count=len(wanted))))
        out, seen = {}, set()
        for k, bucket in zip(positions.tolist(), buckets[positions].tolist()):
            gram = hashed.gram(k)
            if gram not in seen:
                seen.add(gram)
                out.setdefault(bucket, []).append(gram)
        return out
