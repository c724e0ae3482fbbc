"""Contact details: QQ, WeChat, other messengers, phone numbers, e-mail, including disguised forms (加V, 薇信,
扣扣)."""

from __future__ import annotations

import re

from classifier.featurizers._base import DocFeaturizer, memo, safe_ratio
from classifier.parse import ParsedDoc

#: _separators_removed: separators spammers put between digits (spaces, dashes, dots) are removed first, so
#: "138 0013 8000" and "１３８-００１３-８０００" (NFKC makes full-width digits ASCII) read as one number.
DIGIT_SEPARATOR_RE = re.compile(r"(?<=\d)[\s\-—.·_~]{1,2}(?=\d)")
#: _separators_removed / disguised_contact_count: an id spelled out one character at a time (微信 h x l s _ 3 3 8
#: 5, 加微: k z t j - 0 8 1 7): 5 or more single letters or digits, each after one to three separator characters.
#: Its separators are removed too, so the id after a WeChat or QQ marker reads as one; spelled with a letter and a
#: digit it is a disguise of its own (_is_disguise). On the corpus (`python scripts/contact_rates.py`): such a run
#: with a letter and a digit in none of the 2,817 news articles, 500 ham e-mails or 134 real spam web pages, in 1
#: of 2,000 spam e-mails ("1 6 3 . c o m") and 9 of the 240 written promotion pages; with letters only in 1 ham
#: e-mail (a name spelled out).
SPELLED_ID_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9](?:[ \-—.·_~]{1,3}[A-Za-z0-9](?![A-Za-z0-9])){4,}")
SPELLED_SEPARATOR_RE = re.compile(r"[ \-—.·_~]+")
#: qq_count: a QQ marker (QQ, 扣扣, 企鹅, 球球, Q号) then 5-11 digits.
QQ_RE = re.compile(r"(?:qq|扣扣|企鹅|球球|q号|口口)\s*(?:号码?|群)?\s*[::]?\s*\d{5,11}", re.I)
#: wechat_count: a WeChat marker (微信, 薇信, 威信, 徽信, V信, vx, wx, 加V, 加微) then an id (微信号是 ...).
WECHAT_RE = re.compile(
    r"(?:微信|薇信|威信|徽信|维信|v信|vx|wx|加v|加微|微\s*[::])\s*(?:号)?\s*(?:是|为)?\s*[::]?\s*"
    r"[A-Za-z0-9][A-Za-z0-9_-]{4,19}",
    re.I,
)
#: messenger_count: an id on LINE, Telegram (TG, 飞机/纸飞机 in spam slang), WhatsApp or Skype, after a
#: colon or @ (so "飞机A320" or "online" are not ids), and t.me/ links.
MESSENGER_RE = re.compile(
    r"(?:(?<![A-Za-z])line|telegram|(?<![A-Za-z])tg|whatsapp|skype|纸飞机|飞机)\s*(?:官方)?(?:id|号|账号|帐号)?\s*[::@]\s*@?"
    r"[A-Za-z0-9][\w.\-]{3,30}|t\.me/\w+",
    re.I,
)
#: phone_count: mainland mobile numbers, 400/800 service numbers and landlines with area code.
PHONE_RE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|[48]00\d{7}|0\d{2,3}\d{7,8})(?!\d)")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
#: disguised_contact_count: spellings that exist to dodge contact filters. Not 球球 and 口口 on their own: they are
#: also words (a child's pet name, a ball game, a censored name rendered 口口, 人口口径); followed by a number
#: they are a QQ number (QQ_RE). Alone they were in 3 of the 2,017 training outlets' articles and 3 ham e-mails,
#: and in no real spam page or spam e-mail trained on (ad-hoc count).
DISGUISE_RE = re.compile(r"薇信|威信|徽信|维信|扣扣|加v|v信|vx|加薇|企鹅号", re.I)
#: _is_disguise: a spelled-out id (SPELLED_ID_RE) with a letter and a digit.
LETTER_RE = re.compile(r"[A-Za-z]")
DIGIT_RE = re.compile(r"\d")


#: The patterns counted per line by contact_line_ratio, in feature order.
CONTACT_PATTERNS = (QQ_RE, WECHAT_RE, MESSENGER_RE, PHONE_RE, EMAIL_RE)
#: _count_contact_lines: CONTACT_PATTERNS as one alternation, each keeping its own flags: a line has a match of
#: the alternation exactly when it has a match of one of the patterns, found in one search instead of five.
ANY_CONTACT_RE = re.compile(
    "|".join(f"(?{'i' if pattern.flags & re.I else ''}:{pattern.pattern})" for pattern in CONTACT_PATTERNS)
)
#: ContactFeaturizer: private attribute of a ParsedDoc holding ``(text with digit separators removed, matches of
#: each evidence pattern)`` from ``measure``, which ``evidence`` reuses instead of searching the text again.
FOUND_CACHE_ATTR = "_contacts_found_cache"


def _is_disguise(spelled: str) -> bool:
    """Whether a spelled-out run (``SPELLED_ID_RE``) mixes a letter and a digit: an id, not a word or a figure."""
    return LETTER_RE.search(spelled) is not None and DIGIT_RE.search(spelled) is not None


def _separators_removed(text: str) -> tuple[str, list[str]]:
    """``text`` with the separators inside numbers and inside runs spelled out character by character removed,
    and the spelled-out runs that are disguised ids (``_is_disguise``), in one pass of ``SPELLED_ID_RE``."""
    disguised = []

    def join(m: re.Match) -> str:
        if _is_disguise(m.group(0)):
            disguised.append(m.group(0))
        return SPELLED_SEPARATOR_RE.sub("", m.group(0))

    return DIGIT_SEPARATOR_RE.sub("", SPELLED_ID_RE.sub(join, text)), disguised


def _count_contact_lines(lines: list[str]) -> int:
    search = ANY_CONTACT_RE.search
    return sum(1 for line in lines if search(line))


def _found(doc: ParsedDoc) -> tuple[str, list[list[str]]]:
    """``(text with separators removed (_separators_removed), findall of each of CONTACT_PATTERNS, and DISGUISE_RE's
    matches with the disguised spelled-out ids)``, computed once per document text."""
    def find() -> tuple[str, list[list[str]]]:
        text, disguised = _separators_removed(doc.text)
        return text, [pattern.findall(text) for pattern in CONTACT_PATTERNS] + [DISGUISE_RE.findall(text) + disguised]

    return memo(doc, FOUND_CACHE_ATTR, (doc.text,), find)


class ContactFeaturizer(DocFeaturizer):
    """Counts of contact details, after folding full-width digits and removing digit separators.

    Features
    --------
    qq_count, wechat_count, messenger_count, phone_count, email_count : matches of each pattern
        (``messenger_count``: LINE, Telegram, WhatsApp and Skype ids, t.me links).
    disguised_contact_count : disguised spellings (薇信, 扣扣, 加V, vx ...) and ids spelled out one character at a
        time with a letter and a digit (k z t j - 0 8 1 7).
    contact_line_ratio : lines holding any contact detail over all lines (0.0 for an empty document).
    """

    feature_names = (
        "qq_count",
        "wechat_count",
        "messenger_count",
        "phone_count",
        "email_count",
        "disguised_contact_count",
        "contact_line_ratio",
    )
    #: every signal of this family is evidence of spam when it is high
    feature_directions = (1, 1, 1, 1, 1, 1, 1)

    def measure(self, doc: ParsedDoc) -> list[float]:
        text, found = _found(doc)
        lines = text.split("\n")
        counts = [len(matches) for matches in found]
        # A match inside one line is also a match in the whole text (no pattern is anchored and the
        # lookarounds see "\n" there, which is no digit), so a text without matches has no contact line.
        contact_lines = _count_contact_lines(lines) if any(counts[:len(CONTACT_PATTERNS)]) else 0
        return [
            *map(float, counts),
            safe_ratio(contact_lines, len(lines)),
        ]

    def evidence(self, doc: ParsedDoc) -> dict[str, str]:
        _, found = _found(doc)
        out = {}
        for name, matches in zip(
            ("qq_count", "wechat_count", "messenger_count", "phone_count", "email_count", "disguised_contact_count"),
            found,
        ):
            if matches:
                out[name] = ", ".join(matches[:3])
        return out

    @staticmethod
    def spans(text: str) -> list[tuple[int, int]]:
        """Character spans of contact details in ``text`` (for highlighting; separators not removed)."""
        spans = []
        for pattern in (QQ_RE, WECHAT_RE, MESSENGER_RE, EMAIL_RE, DISGUISE_RE, PHONE_RE):
            spans.extend(m.span() for m in pattern.finditer(text))
        spans.extend(m.span() for m in SPELLED_ID_RE.finditer(text) if _is_disguise(m.group(0)))
        return sorted(spans)
