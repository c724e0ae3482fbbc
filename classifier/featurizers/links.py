"""Link density, as trafilatura defines it: characters inside links over characters of visible text."""

from __future__ import annotations

from classifier.featurizers._base import DocFeaturizer, safe_ratio
from classifier.parse import ParsedDoc

#: links_per_1k_chars is per this many visible characters.
CHARS_PER_RATE_UNIT = 1000


class LinkFeaturizer(DocFeaturizer):
    """Link features over HTML anchors, markdown links and bare URLs alike.

    Features
    --------
    link_char_ratio : characters of link text (anchor text, markdown link text, bare URL) divided by visible
        non-space characters; 0.0 for an empty document, at most 1.0.
    links_per_1k_chars : number of links per 1,000 visible non-space characters.
    bare_url_count : URLs and bare domains written in the visible text.

    A count of distinct link domains was tried and dropped: in the corpus, anchors come with the genuine
    outlets' HTML and plain-text spam has none, so "no domains" became a spam signal (format, not content).
    """

    feature_names = ("link_char_ratio", "links_per_1k_chars", "bare_url_count")
    #: link farms and bare URLs are evidence of spam; the genuine outlets' HTML links (a corpus accident) may
    #: not teach the model that links mean genuine
    feature_directions = (1, 1, 1)

    def measure(self, doc: ParsedDoc) -> list[float]:
        visible = len(doc.text) - doc.text.count(" ") - doc.text.count("\n")
        link_chars = sum(len(link.text) for link in doc.links)
        return [
            min(1.0, safe_ratio(link_chars, visible)),
            safe_ratio(len(doc.links) * CHARS_PER_RATE_UNIT, visible),
            float(sum(link.kind == "bare" for link in doc.links)),
        ]

    def evidence(self, doc: ParsedDoc) -> dict[str, str]:
        bare = [link.text for link in doc.links if link.kind == "bare"]
        return {
            "bare_url_count": ", ".join(bare[:5]),
            "link_char_ratio": ", ".join(link.text[:20] for link in doc.links[:5]),
        }

