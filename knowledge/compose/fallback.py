"""Honest "not found" and "which unit?" answers that say how to ask."""

from __future__ import annotations

from knowledge.answers import Answer, Suggestion
from knowledge.kb import Snapshot

EXAMPLES = (
    "Phòng TCCB phụ trách gì?",
    "Ai chủ trì đo lường sự hài lòng?",
    "Hạn báo cáo quý?",
    "Văn bản 24/BCĐ-KSTTHC",
)


def not_found(reason: str = "") -> Answer:
    lead = reason or "Xin lỗi, tôi không tìm thấy nội dung này trong các văn bản CCHC hiện có."
    text = (
        f"{lead}\n"
        "Tôi chỉ trả lời theo các kế hoạch, công văn về cải cách hành chính đã nạp. Bạn có thể hỏi:\n"
        + "\n".join(f"• {e}" for e in EXAMPLES)
    )
    return Answer(intent="not_found", text=text, suggestions=[Suggestion(e, e) for e in EXAMPLES[:3]])


def ask_unit(snap: Snapshot) -> Answer:
    units = [u for u in snap.units if not u.is_collective][:8]
    text = (
        "Bạn thuộc phòng/đơn vị nào? Hãy hỏi kèm tên đơn vị, ví dụ «Phòng TCCB phụ trách gì?»"
        + (", hoặc chọn một đơn vị:\n" + "\n".join(f"• {u.name}" for u in units) if units else ".")
    )
    return Answer(
        intent="unit_duties",
        text=text,
        suggestions=[Suggestion(u.name, f"{u.name} phụ trách gì?") for u in units],
    )
