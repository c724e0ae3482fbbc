"""Traces of a page copied onto another site (kind 2 of issue 3: scraped and spun news on spam domains).

A content farm (采集站) fills its pages with articles taken from elsewhere and prints a repost disclaimer that
a news outlet never prints on its own reporting: 本文来源于网络, 如有侵权请联系删除, 侵删, 不代表本站观点. Its scraper
also leaves a picture label glued in front of the headline when it drops the picture: "(资料图)某地举行...".
Neither needs a keyword list: both are the page's statements about where its text came from.
"""

from __future__ import annotations

import re

from classifier.featurizers._base import DocFeaturizer
from classifier.featurizers.injection import header_lines
from classifier.parse import ParsedDoc

#: repost_disclaimer_count: a page's statement that its content was taken from the internet or from other
#: sites, or an offer to delete it on a rights holder's complaint (after NFKC and traditional -> simplified).
#: Written from the forms content farms use; on the corpus's genuine news (2,017 training and validation
#: articles), trec06c e-mail, the spam sites' pages and the project's written examples it matches nothing
#: (``python scripts/provenance_rates.py``). "仅代表作者观点" is left out: outlets print it under opinion pieces
#: (26 of 1,567 training articles).
REPOST_DISCLAIMER_RE = re.compile(
    r"(?:本文|文章|内容|文字|图文|资料|素材|部分内容|信息)(?:均|皆)?"
    r"(?:来源|来自|转载|摘自|整理|源自|源于|选自|收集|采集)(?:于|自)?(?:互联)?网络"
    r"|如有侵权|如涉及侵权|侵权(?:请|必)?(?:联系)?(?:删除|必删)|侵删"
    r"|不代表本站(?:观点|立场)"
    r"|本站(?:部分|所有)?(?:内容|文章|资讯|信息|资源)?(?:均|皆)?(?:转载|来源于|来自|采集|整理)自?(?:网络|互联网)?"
)
#: caption_label_title_count: a picture or video label at the very start of a header line, with the headline
#: after it on the same line (a caption label alone on its line, or after a caption, is a genuine layout).
CAPTION_LABEL_RE = re.compile(r"^\s*[(\[【]\s*(?:资料图|资料照片|资料图片|图|组图|多图|图片|图文|视频|高清图)\s*[)\]】]\s*\S")


class ProvenanceFeaturizer(DocFeaturizer):
    """Counts of a scraped page's traces.

    Features
    --------
    repost_disclaimer_count : matches of REPOST_DISCLAIMER_RE in the text (本文来源于网络, 如有侵权请联系删除...).
    caption_label_title_count : header lines (``injection.header_lines``: the title and the lines before the
        first paragraph) that start with a picture/video label followed by text ("(资料图)标题"); the title and a
        copy of it in the first lines count separately.
    """

    feature_names = ("repost_disclaimer_count", "caption_label_title_count")
    #: both signals are evidence of spam when present
    feature_directions = (1, 1)

    def measure(self, doc: ParsedDoc) -> list[float]:
        disclaimers = len(REPOST_DISCLAIMER_RE.findall(doc.text))
        labels = sum(bool(CAPTION_LABEL_RE.match(line)) for line in header_lines(doc)[0]) if "图" in doc.text or "视频" in doc.text else 0
        return [float(disclaimers), float(labels)]

    def evidence(self, doc: ParsedDoc) -> dict[str, str]:
        out = {}
        found = REPOST_DISCLAIMER_RE.findall(doc.text)
        if found:
            out["repost_disclaimer_count"] = ", ".join(dict.fromkeys(found))
        labeled = [line[:30] for line in header_lines(doc)[0] if CAPTION_LABEL_RE.match(line)]
        if labeled:
            out["caption_label_title_count"] = " | ".join(dict.fromkeys(labeled))
        return out
