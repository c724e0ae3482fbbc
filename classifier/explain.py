"""Exact per-document reasons: the decision value split into feature contributions.

For the logistic regression at the end of the pipeline, ``decision = intercept + sum_j coef_j * x_j`` over
the final feature values, so each ``coef_j * x_j`` is that feature's exact contribution. Dense features are
standardized, so ``x_j`` is the distance from the mean training document in standard deviations: as in SHAP's
linear explainer, a contribution says how much this document's value moved the score away from the average
document's (the intercept holds the mean document's dense part), and an absent signal shows up with a
negative contribution when spam usually has it. The contributions and the intercept add
up to the decision value (tested to 1e-6). Hashed n-gram columns have no names of their own: each
contributing bucket is named by the document's own n-grams that hash into it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from classifier.featurizers.tokens import TokenFeaturizer
from classifier.model import DenseFamily, Featurized, SpamClassifier, sigmoid
from classifier.parse import ParsedDoc

#: top_ngrams: how many n-grams an explanation lists for the token family.
TOP_NGRAMS = 8


@dataclass
class Reason:
    """One signal: its name, measured value, contribution to the decision value, and evidence text."""

    feature: str
    value: float | None
    contribution: float
    evidence: str = ""

    def as_text(self) -> str:
        """rspamd-style ``name(+1.23)[evidence]``."""
        shown = self.evidence or (f"{self.value:.3g}" if self.value is not None else "")
        return f"{self.feature}({self.contribution:+.2f})[{shown}]"

    def to_dict(self) -> dict:
        """``dataclasses.asdict(self)``, written out (scoring calls it for every reason of every row)."""
        return {"feature": self.feature, "value": self.value, "contribution": self.contribution, "evidence": self.evidence}


@dataclass
class Explanation:
    """The full breakdown of one score.

    Attributes
    ----------
    decision : float
        ``intercept + sum(contribution)``; the probability of spam is ``1 / (1 + exp(-decision))``.
    reasons : list of Reason
        Every dense feature, plus one ``tokens`` reason summing all n-gram contributions.
    families : dict
        Contribution per feature family.
    top_ngrams : list of (str, float)
        The n-grams with the largest contributions (bucket contribution, named by the document's n-grams).
    """

    decision: float
    intercept: float
    probability: float
    reasons: list[Reason] = field(default_factory=list)
    families: dict[str, float] = field(default_factory=dict)
    top_ngrams: list[tuple[str, float]] = field(default_factory=list)
    _doc: ParsedDoc | None = field(default=None, repr=False, compare=False)
    _model: SpamClassifier | None = field(default=None, repr=False, compare=False)
    _token_nz: tuple | None = field(default=None, repr=False, compare=False)

    def fill_evidence(self, reasons: list[Reason] | None = None) -> None:
        """Fill the evidence of ``reasons`` (default: all), measuring each feature family at most once."""
        if self._doc is None:
            return
        per_family: dict[str, dict] = {}
        measures = {fam.name: fam.featurizer for fam in self._model.families if isinstance(fam, DenseFamily)}
        for reason in self.reasons if reasons is None else reasons:
            if reason.evidence:
                continue
            family, _, fname = reason.feature.partition("__")
            if not fname:
                if self._token_nz is not None and not self.top_ngrams:
                    _, tokens, nonzero, values = self._token_nz
                    self.top_ngrams = _top_ngrams(tokens, self._doc, nonzero, values)
                reason.evidence = ", ".join(list(dict.fromkeys(g for g, _ in self.top_ngrams))[:3])
                continue
            if family not in per_family:
                per_family[family] = measures[family].evidence(self._doc) if family in measures else {}
            evidence = per_family[family]
            reason.evidence = _phrase_evidence(evidence, self._doc) if fname == INJECTED_PHRASE else evidence.get(fname, "")

    def top(self, k: int, label: str) -> list[Reason]:
        """The ``k`` reasons that pushed hardest toward ``label`` (largest positive for spam)."""
        sign = 1.0 if label == "spam" else -1.0
        ranked = sorted(self.reasons, key=lambda r: sign * r.contribution, reverse=True)
        return [r for r in ranked[:k] if sign * r.contribution > 0] or ranked[:1]


def explain_batch(model: SpamClassifier, parsed: list[ParsedDoc], feats: Featurized, with_evidence=True) -> list[Explanation]:
    """Explanations for a featurized batch (see :meth:`SpamClassifier.featurize`).

    Contributions are always computed; evidence texts (which re-measure the document) only with
    ``with_evidence``, or later for chosen reasons with :meth:`Explanation.fill_evidence` (what scoring does
    for the 3 reasons of each row).
    """
    decisions = model.decision_from(feats)
    intercept = float(model.intercept)
    # per family, for the whole batch: reason names, raw values and contributions as Python floats (what
    # float() of each element gives), and the standardized values' non-zero mask
    blocks = []
    for fam in model.families:
        name = fam.name
        if isinstance(fam, DenseFamily):
            values = feats.dense[name]
            nonzero = values != 0
            # a zero value contributes +0.0, as an entry a sparse row does not store (never -0.0)
            contrib = np.where(nonzero, values * fam.coef, 0.0)
            names = [f"{name}__{fname}" for fname in fam.feature_names]
            blocks.append((fam, names, feats.raw[name].tolist(), contrib.tolist(), contrib, nonzero))
        else:
            blocks.append((fam, None, None, None, None, None))
    out = []
    for i, doc in enumerate(parsed):
        expl = Explanation(
            decision=float(decisions[i]), intercept=intercept, probability=float(sigmoid(decisions[i]))
        )
        expl._doc, expl._model = doc, model
        reasons = expl.reasons
        for fam, names, raw_rows, contrib_rows, contrib, nonzero in blocks:
            name = fam.name
            if names is not None:
                reasons.extend(map(Reason, names, raw_rows[i], contrib_rows[i]))
                if name == "injection":
                    _merge_injected_phrase(expl, name)
                    reasons = expl.reasons
                # the sum over the stored (non-zero) values only, as over a sparse row
                expl.families[name] = float(contrib[i][nonzero[i]].sum())
            else:
                # only the row's stored columns: no dense vector of all 2**hash_bits columns per document
                columns, data = feats.tokens[name].row(i)
                token_contrib = data * fam.coef[columns]
                keep = token_contrib != 0
                expl._token_nz = (name, fam.featurizer, columns[keep], token_contrib[keep])
                reasons.append(Reason(feature=name, value=None, contribution=float(token_contrib.sum())))
                expl.families[name] = float(token_contrib.sum())
        if with_evidence:
            expl.fill_evidence()
        out.append(expl)
    return out


#: _merge_injected_phrase: injection features that all measure the same injected phrase; reported as one
#: reason (their contributions summed, so the decomposition stays exact), as in ``injected_phrase(+2.3)[...]``.
PHRASE_FEATURES = ("title_prefix_novel_chars", "title_suffix_novel_chars", "title_affix_body_count",
                   "spliced_phrase_count", "spliced_phrase_max_repeat")
INJECTED_PHRASE = "injected_phrase"


def _merge_injected_phrase(expl: Explanation, family: str) -> None:
    names = {f"{family}__{f}" for f in PHRASE_FEATURES}
    parts = [r for r in expl.reasons if r.feature in names]
    if not any(r.value for r in parts):
        return
    expl.reasons = [r for r in expl.reasons if r.feature not in names]
    expl.reasons.append(
        Reason(
            feature=f"{family}__{INJECTED_PHRASE}",
            value=float(max((r.value or 0) for r in parts)),
            contribution=float(sum(r.contribution for r in parts)),
        )
    )


def _phrase_evidence(evidence: dict[str, str], doc: ParsedDoc) -> str:
    """``phrase xN: title, line 4, ...`` from the injection family's evidence."""
    if evidence.get("spliced_phrase_count"):
        return evidence["spliced_phrase_count"]
    for key in ("title_prefix_novel_chars", "title_suffix_novel_chars"):
        if evidence.get(key):
            phrase = evidence[key].split(" / ")[0]
            import bisect

            starts = [0] + [i + 1 for i, ch in enumerate(doc.text) if ch == "\n"]
            lines = [bisect.bisect_right(starts, m) - 1 for m in _find_all(doc.text, phrase)]
            where = ", ".join("title" if n == 0 else f"line {n}" for n in dict.fromkeys(lines))
            return f"{phrase} x{len(lines)}: {where}"
    return ""


def _find_all(text: str, phrase: str) -> list[int]:
    out, start = [], text.find(phrase)
    while start >= 0:
        out.append(start)
        start = text.find(phrase, start + 1)
    return out


def _top_ngrams(tokens: TokenFeaturizer, doc: ParsedDoc, nonzero: np.ndarray, values: np.ndarray) -> list[tuple[str, float]]:
    if nonzero.size == 0:
        return []
    order = np.argsort(-np.abs(values))[:TOP_NGRAMS]
    wanted = {int(nonzero[k]) for k in order}
    buckets = tokens.bucket_ngrams(doc, wanted)
    return [("/".join(g.removeprefix("c:") for g in buckets.get(int(nonzero[k]), ["?"])[:2]), float(values[k])) for k in order]


def explain(model: SpamClassifier, docs) -> list[Explanation]:
    """Parse, featurize and explain ``docs`` (Documents, ParsedDocs or strings)."""
    parsed, feats = model.featurize(docs)
    return explain_batch(model, parsed, feats)


@dataclass
class DocumentExplanation:
    """What ``classifier explain`` shows: the parsed text, its explanation and spans to highlight."""

    id: str
    text: str
    explanation: Explanation
    threshold: float
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    #: lines set aside as the site's furniture (``ParsedDoc.furniture``): not scored, shown so nothing is hidden
    furniture: list[str] = field(default_factory=list)


#: explain_document: rich styles of highlighted spans.
INJECTED_STYLE = "bold red"
CONTACT_STYLE = "underline magenta"


def explain_document(model: SpamClassifier, doc, threshold: float | None = None) -> DocumentExplanation:
    """Explain one document and locate its injected phrases and contact details in the parsed text."""
    import re

    from classifier.featurizers.contacts import ContactFeaturizer
    from classifier.featurizers.injection import InjectionFeaturizer

    parsed, feats = model.featurize([doc])
    expl = explain_batch(model, parsed, feats)[0]
    text = parsed[0].text
    spans = []
    for fam in model.families:
        measure = fam.featurizer if isinstance(fam, DenseFamily) else None
        if isinstance(measure, InjectionFeaturizer):
            phrases = set(measure.spliced_phrases(parsed[0]))
            prefixes, suffixes, _ = measure._title_affixes(parsed[0])
            for phrase in phrases | prefixes | suffixes:
                spans.extend((m.start(), m.end(), INJECTED_STYLE) for m in re.finditer(re.escape(phrase), text))
    spans.extend((s, e, CONTACT_STYLE) for s, e in ContactFeaturizer.spans(text))
    t = model.threshold if threshold is None else threshold
    return DocumentExplanation(
        id=getattr(doc, "id", "text"), text=text, explanation=expl, threshold=t, spans=sorted(spans),
        furniture=list(parsed[0].furniture),
    )
