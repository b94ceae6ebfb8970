"""Document types as a header names them, and a document's short display title."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from knowledge.models import DocumentKind

if TYPE_CHECKING:
    from knowledge.ingest.header import Header

# Folded type word → (label, kind). A header line "KẾ HOẠCH …" makes the document a plan.
DOC_TYPES: dict[str, tuple[str, DocumentKind]] = {
    "ke hoach": ("Kế hoạch", DocumentKind.PLAN),
    "cong van": ("Công văn", DocumentKind.DIRECTIVE),
    "quyet dinh": ("Quyết định", DocumentKind.OTHER),
    "bao cao": ("Báo cáo", DocumentKind.OTHER),
    "thong bao": ("Thông báo", DocumentKind.OTHER),
    "huong dan": ("Hướng dẫn", DocumentKind.OTHER),
    "chuong trinh": ("Chương trình", DocumentKind.OTHER),
    "to trinh": ("Tờ trình", DocumentKind.OTHER),
    "chi thi": ("Chỉ thị", DocumentKind.OTHER),
}


def type_of_line(key: str) -> str | None:
    """The folded type word a folded header line starts with ("ke hoach …"), or None."""
    return next((k for k in DOC_TYPES if key == k or key.startswith(k + " ")), None)


def _abbreviate(text: str) -> str:
    text = re.sub(r"(?i)cải cách hành chính(?: nhà nước)?", "CCHC", text)
    text = re.sub(r"(?i)giáo dục và đào tạo", "GDĐT", text)
    return text


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1:2].islower():
        return text[:1].lower() + text[1:]
    return text


def display_title(header: Header) -> str:
    """A short human title: "Kế hoạch công tác CCHC nhà nước năm 2025 …", "Công văn V/v …"."""
    if header.kind is DocumentKind.PLAN and header.title_text:
        return f"Kế hoạch {_lower_first(_abbreviate(header.title_text))}".strip()
    if header.subject:
        label = (
            "Công văn"
            if header.kind in (DocumentKind.DIRECTIVE, DocumentKind.OTHER)
            else header.type_label
        )
        if header.type_label and header.kind is DocumentKind.OTHER:
            label = header.type_label
        number = f" số {header.number}" if re.match(r"^\d", header.number) else ""
        return f"{label}{number} {header.subject}"
    if header.type_label and header.title_text:
        return f"{header.type_label} {_lower_first(header.title_text)}"
    if header.type_label:
        return header.type_label
    return ""
