"""The signature block of a document: the signer's title(s) and name, after "Nơi nhận"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from knowledge.ingest.readers import Block
from knowledge.ingest.text import is_caps_line, marker_of, strip_markup
from knowledge.normalize import fold

if TYPE_CHECKING:
    from knowledge.ingest.header import Header

_SIGN_TITLE = re.compile(
    r"^(KT\.?|TM\.?|Q\.|TL\.?|TUQ\.?|PHÓ|GIÁM|CHÁNH|TRƯỞNG|CHỦ|HIỆU|THỦ|PGĐ|GĐ)", re.IGNORECASE
)


def columns(raw: str) -> str:
    """Clean a header line but keep two-column layouts apart with a tab ("Số: 15/…\tHà Nội,
    ngày…")."""
    parts = [strip_markup(p) for p in re.split(r"\s{3,}|\t", raw.strip())]
    return "\t".join(p for p in parts if p)


def sign_split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"\s{3,}|\t+", text) if part.strip()]


def parse_signature(blocks: list[Block], header: Header) -> None:
    start = None
    for i in range(len(blocks) - 1, header.body_start - 1, -1):
        b = blocks[i]
        if not b.is_row and fold(strip_markup(b.text)).startswith("noi nhan"):
            start = i
            break
    if start is None:
        _signature_without_recipients(blocks, header)
        return
    header.sign_start = start
    titles: list[str] = []
    name = ""
    end = None
    first = columns(blocks[start].text)
    candidates: list[tuple[int, str]] = []
    for part in sign_split(re.sub(r"(?i)^nơi\s+nhận\s*:?", "", first))[0:]:
        candidates.append((start, part))
    for i in range(start + 1, len(blocks)):
        if blocks[i].is_row:
            break
        text = columns(blocks[i].text)
        if not text:
            continue
        parts = sign_split(text)
        for part in parts:
            marker = marker_of(part)
            if marker is not None and marker.kind == "bullet":
                continue
            candidates.append((i, part))
        if len(candidates) > 12:
            break
    for i, part in candidates:
        if _SIGN_TITLE.match(part) and is_caps_line(part):
            titles.append(part)
            continue
        if titles and _is_person_name(part):
            name = part
            end = i + 1
            break
        if titles and fold(part) in ("da ky", "(da ky)"):
            continue
    if name:
        header.signer_name = name
        header.sign_end = end
        header.signer_title = _signer_title(titles)


def _signature_without_recipients(blocks: list[Block], header: Header) -> None:
    """No "Nơi nhận": look for a signer title in capitals followed by a name near the end."""
    tail = [
        (i, columns(b.text))
        for i, b in enumerate(blocks)
        if i >= header.body_start and not b.is_row and b.text.strip()
    ][-10:]
    for pos, (i, text) in enumerate(tail):
        if not (_SIGN_TITLE.match(text) and is_caps_line(text)):
            continue
        titles = [text]
        for j, nxt in tail[pos + 1 :]:
            if _SIGN_TITLE.match(nxt) and is_caps_line(nxt):
                titles.append(nxt)
            elif _is_person_name(nxt):
                header.sign_start = i
                header.sign_end = j + 1
                header.signer_name = nxt
                header.signer_title = _signer_title(titles)
                return
            else:
                break


def _is_person_name(text: str) -> bool:
    text = text.strip(" .")
    words = text.split()
    if not 2 <= len(words) <= 5 or is_caps_line(text) and len(words) < 2:
        return False
    return all(w[:1].isupper() for w in words) and not re.search(r"\d|[:;/]", text)


def _signer_title(titles: list[str]) -> str:
    """ "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" → "Phó Giám đốc (KT. Giám đốc)"."""

    def nice(t: str) -> str:
        t = re.sub(r"\s+", " ", t).strip()
        prefix = ""
        m = re.match(r"^(KT|TM|TL|TUQ|Q)\.?\s*(.*)$", t, re.IGNORECASE)
        if m:
            prefix, t = m.group(1).upper() + ". ", m.group(2)
        low = t.lower()
        low = re.sub(r"giám đốc", "Giám đốc", low)
        return prefix + low[:1].upper() + low[1:]

    parts = [nice(t) for t in titles if t.strip()]
    if not parts:
        return ""
    main = parts[-1]
    delegated = [p for p in parts[:-1]]
    return f"{main} ({', '.join(delegated)})" if delegated else main
