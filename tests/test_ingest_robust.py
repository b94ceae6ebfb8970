"""The parser never crashes on odd input: random lines made of the genre's building blocks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.ingest.parser import parse_document
from knowledge.ingest.readers import RawDocument, _text_blocks
from knowledge.units import UnitCatalog

PIECES = [
    "KẾ HOẠCH", "V/v ", "Số: /KH", "Kính gửi:", "Nơi nhận:", "GIÁM ĐỐC", "KT. GIÁM ĐỐC",
    "Hải Phòng, ngày tháng năm 2025", "I. ", "2.1. ", "a) ", "đ. ", "- ", "+ ",
    "| TT | Nội dung | Đơn vị chủ trì |", "| | tiếp | |", "|---|---|---|", "trước ngày 15/01/2025",
    "Quý II/2026", "hằng tháng, trước ngày 20", "Văn phòng Sở", "Phòng Tổ chức cán bộ",
    "Kế hoạch tài chính các cơ quan, tổ chức có liên quan",
    "Nghị quyết số 131/NQ-CP ngày 06/10/2022", "phân công trách nhiệm", "chủ trì phối hợp với",
    "**", "<u>", "7", "", "  ", "Phạm Quốc Hiệu", "ngày 31/02/2025", "chậm nhất ngày 99/99/2025",
    "báo cáo quý",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES) | st.text(max_size=12), max_size=5), max_size=40))
def test_parse_never_raises(lines: list[list[str]]) -> None:
    text = "\n".join("".join(parts) for parts in lines) or "x"
    raw = RawDocument("fuzz.txt", text.encode(), _text_blocks(text))
    parsed = parse_document(raw, UnitCatalog.seeded())
    assert parsed.content_hash
