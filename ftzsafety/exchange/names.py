"""Normalising enterprise names for entity resolution (issue 4, item 3). Pure functions, no database.

Chinese names: NFKC (full-width → half-width, （）→ ()), spaces removed, the company-form suffixes of the Company
Law (公司法 第七条: 有限责任公司 / 股份有限公司 / 有限公司) unified. English names: lower case, punctuation
removed, "co ltd" / "company limited" / "inc" / "corp" variants unified.
"""

import re
import unicodedata
from difflib import SequenceMatcher

_CN_FORMS = (("股份有限公司", "有限公司"), ("有限责任公司", "有限公司"), ("有限公司", "有限公司"))
_EN_FORMS = (
    (r"\bcompany limited\b", "co ltd"),
    (r"\bco limited\b", "co ltd"),
    (r"\bcompany ltd\b", "co ltd"),
    (r"\blimited\b", "ltd"),
    (r"\bincorporated\b", "inc"),
    (r"\bcorporation\b", "corp"),
    (r"\bco ltd\b", "co ltd"),
)
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")


_CJK = re.compile("[\u4e00-\u9fff]")


def _has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def normalise_name(name: str) -> str:
    """The comparison key of an enterprise name; two spellings of one registered name share it."""
    text = unicodedata.normalize("NFKC", name or "").strip()
    if not text:
        return ""
    if _has_cjk(text):
        text = _SPACES.sub("", text).replace("(", "(").replace(")", ")").casefold()
        for variant, unified in _CN_FORMS:
            if text.endswith(variant):
                text = text[: -len(variant)] + unified
                break
        return text
    text = _PUNCT.sub(" ", text.casefold())
    text = _SPACES.sub(" ", text).strip()
    for pattern, unified in _EN_FORMS:
        text = re.sub(pattern, unified, text)
    return _SPACES.sub(" ", text).strip()


def similarity(a: str, b: str) -> float:
    """0..1 similarity of two normalised names (difflib's ratio)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b).ratio()
