"""Questions about a province that no loaded document comes from nor mentions.

"kế hoạch cchc của Sở GDĐT Đà Nẵng có gì" must not be answered with another province's plan:
the bot says that it holds nothing of that province and which provinces it does hold.
"""

from __future__ import annotations

import re
import unicodedata

from knowledge.answers import Answer
from knowledge.compose.fallback import not_found
from knowledge.ingest.provinces import PROVINCES
from knowledge.kb import Snapshot
from knowledge.normalize import fold

_BY_KEY = {fold(name): name for name in PROVINCES}
# Without diacritics a province's name folds like ordinary words ("năm định kỳ" holds "nam
# dinh", "diễn biến" holds "dien bien"), so there it counts only after a word for a place.
_PLACE = r"(?:tinh|thanh pho|tp|so gd\w*|so giao duc(?: va dao tao)?|nganh gd\w*)"
# A province named like a person ("tư tưởng Hồ Chí Minh") needs the place word even when spelled.
_PERSON_NAMES = frozenset({"ho chi minh"})


def _mentioned(snap: Snapshot, key: str) -> bool:
    """The province's words, as adjacent pairs, appear somewhere in the documents' passages."""
    words = key.split()
    if len(words) == 1:
        return words[0] in snap.index.idf
    return all(f"{a}_{b}" in snap.index.idf for a, b in zip(words, words[1:], strict=False))


def _named(question: str, key: str, name: str) -> bool:
    """The question names the province: spelled with its diacritics, or after a place word."""
    spelled = unicodedata.normalize("NFC", question).lower()
    if key not in _PERSON_NAMES and re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", spelled):
        return True
    return re.search(rf"\b{_PLACE} {re.escape(key)}\b", fold(question)) is not None


def absent_province(snap: Snapshot, question: str) -> str:
    """The province the question names when no document is from it and none mentions it."""
    held = {fold(d.province) for d in snap.docs.values() if d.province}
    padded = f" {fold(question)} "
    for key in sorted(_BY_KEY, key=len, reverse=True):
        if f" {key} " not in padded or not _named(question, key, _BY_KEY[key]):
            continue
        if any(key in other for other in held) or _mentioned(snap, key):
            return ""  # a held province ("Huế" inside "Thừa Thiên Huế") or a place the text names
        return _BY_KEY[key]
    return ""


def compose(snap: Snapshot, question: str) -> Answer | None:
    """A "nothing of that province" answer, or None when the question names no such province."""
    province = absent_province(snap, question)
    if not province:
        return None
    held = sorted({d.province for d in snap.docs.values() if d.province})
    reason = f"Các văn bản đã nạp không có văn bản nào của {province}."
    if held:
        reason += f" Hiện có văn bản của: {', '.join(held)}."
    return not_found(reason, snap=snap)
