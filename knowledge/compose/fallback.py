"""Honest "not found" and "which unit?" answers that say how to ask."""

from __future__ import annotations

import re

from knowledge.answers import Answer, Suggestion
from knowledge.kb import Snapshot, UnitInfo
from knowledge.normalize import fold

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


MAX_UNIT_CHOICES = 10
# "phòng tôi", "trường của mình", "đơn vị chúng em": the asker's own unit (folded words)
_SELF_PHRASE = re.compile(
    r"\b(?:phong|don vi|bo phan|co quan|truong|trung tam|to)(?: cua)?"
    r" (?:chung toi|chung em|toi|minh|em|tui)\b"
)


def ask_unit(snap: Snapshot, question: str = "") -> Answer:
    """ "Phòng tôi phụ trách gì" from someone whose unit is unknown: which unit, with a choice
    of the units a person can belong to (departments, then member collectives such as the
    schools), each choice asking the same question of that unit."""
    units = _member_choices(snap)[:MAX_UNIT_CHOICES]
    text = (
        "Bạn thuộc phòng/đơn vị nào? Hãy hỏi kèm tên đơn vị, ví dụ «Phòng TCCB phụ trách gì?»"
        + (", hoặc chọn một đơn vị:\n" + "\n".join(f"• {u.name}" for u in units) if units else ".")
    )
    return Answer(
        intent="unit_duties",
        text=text,
        suggestions=[Suggestion(u.name, _asked_of(question, u.name)) for u in units],
        clarify="unit",
    )


def _member_choices(snap: Snapshot) -> list[UnitInfo]:
    """Departments first, then collectives whose members ask for themselves ("Các đơn vị giáo
    dục"); not an umbrella of the departments ("Các phòng CMNV Sở")."""
    heads = {fold(u.name).split()[0] for u in snap.units if not u.is_collective and fold(u.name)}

    def umbrella(u: UnitInfo) -> bool:
        words = fold(u.name).split()
        return len(words) > 1 and words[0] in ("cac", "nhung") and words[1] in heads

    named = [u for u in snap.units if u.named]
    return [u for u in named if not u.is_collective] + [
        u for u in named if u.is_collective and not umbrella(u)
    ]


def _asked_of(question: str, name: str) -> str:
    """The question with "phòng tôi" replaced by the unit's name, else "<unit> phụ trách gì?"."""
    words = question.split()
    folded = [" ".join(fold(w).split()) for w in words]
    found = _SELF_PHRASE.search(" ".join(folded))
    if found is None or any(" " in f or not f for f in folded):
        return f"{name} phụ trách gì?"
    start = len(" ".join(folded)[: found.start()].split())
    end = start + len(found.group().split())
    return " ".join([*words[:start], name, *words[end:]])


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
