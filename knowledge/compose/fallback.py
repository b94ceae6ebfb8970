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


def examples_for(snap: Snapshot | None) -> tuple[str, ...]:
    """Example questions that this knowledge base can answer (a real unit and a real citation)."""
    if snap is None:
        return EXAMPLES
    unit = next((u for u in snap.units if not u.is_collective and u.short_name), None)
    first = f"{unit.name} phụ trách gì?" if unit else EXAMPLES[0]
    last = f"Văn bản {snap.example_code} nói gì?" if snap.example_code else EXAMPLES[3]
    return (first, EXAMPLES[1], EXAMPLES[2], last)


def not_found(reason: str = "", snap: Snapshot | None = None) -> Answer:
    examples = examples_for(snap)
    lead = reason or "Xin lỗi, tôi không tìm thấy nội dung này trong các văn bản CCHC hiện có."
    text = (
        f"{lead}\n"
        "Tôi chỉ trả lời theo các kế hoạch, công văn về cải cách hành chính đã nạp. Bạn có thể "
        "hỏi:\n" + "\n".join(f"• {e}" for e in examples)
    )
    return Answer(
        intent="not_found", text=text, suggestions=[Suggestion(e, e) for e in examples[:3]]
    )


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


def help_answer(thanks: bool = False, snap: Snapshot | None = None) -> Answer:
    greeting = "Rất vui được giúp bạn!" if thanks else "Chào bạn!"
    text = (
        f"{greeting} Tôi là Trợ lý CCHC: tôi trả lời theo các kế hoạch, công văn về cải cách hành "
        "chính đã nạp và luôn ghi rõ nguồn. Bạn có thể hỏi, ví dụ:\n"
        + "\n".join(
            f"• {e}"
            for e in (
                *examples_for(snap),
                "Tỷ lệ hồ sơ trực tuyến đạt bao nhiêu?",
                "Ai ký kế hoạch CCHC?",
            )
        )
    )
    return Answer(intent="help", text=text, suggestions=[Suggestion(e, e) for e in EXAMPLES[:3]])
