"""Pure Zalo rendering: numbered choices, plain text, splitting below 2000 characters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.zalo_render import ZALO_LIMIT, match_choice, render_reply, split_text
from handlers.types import Choice, Reply

CHOICES = [
    Choice("Văn phòng Sở", "unit:1"),
    Choice("Phòng Kế hoạch - Tài chính", "unit:2"),
    Choice("Xem thêm ▸", "more:abc"),
]


def test_choices_render_as_numbered_lines() -> None:
    [text] = render_reply(Reply("Chọn đơn vị của bạn:", CHOICES))
    assert "1. Văn phòng Sở" in text and "3. Xem thêm ▸" in text
    assert "<" not in text


def test_choice_by_digit_or_name() -> None:
    assert match_choice("2", CHOICES) is CHOICES[1]
    assert match_choice(" 3. ", CHOICES) is CHOICES[2]
    assert match_choice("xem them", CHOICES) is CHOICES[2]
    assert match_choice("VĂN PHÒNG SỞ", CHOICES) is CHOICES[0]
    assert match_choice("9", CHOICES) is None
    assert match_choice("phong", CHOICES) is None  # ambiguous, and too short a part of a label
    assert match_choice("van phong so co nhiem vu gi", CHOICES) is None  # a question, not a pick
    assert match_choice("tai chinh", CHOICES) is None


def test_html_is_stripped() -> None:
    [text] = render_reply(Reply("<b>Hạn</b> &amp; nhiệm vụ"))
    assert text == "Hạn & nhiệm vụ"


@given(st.lists(st.text(alphabet="aăâbcđ ơư\n", min_size=0, max_size=700), max_size=12))
def test_split_keeps_every_character_and_the_limit(lines: list[str]) -> None:
    text = "\n".join(lines)
    chunks = split_text(text, 1900)
    assert all(0 < len(c) <= 1900 < ZALO_LIMIT for c in chunks)
    assert "".join(c.replace("\n", "").replace(" ", "") for c in chunks) == text.replace(
        "\n", ""
    ).replace(" ", "")


def test_split_at_line_boundaries() -> None:
    text = "\n".join(f"Dòng {i}: " + "x" * 90 for i in range(60))
    chunks = split_text(text)
    assert len(chunks) > 1
    assert all(line.startswith("Dòng ") for chunk in chunks for line in chunk.split("\n"))


def test_a_file_reply_says_where_to_get_the_file() -> None:
    from handlers.types import Attachment

    reply = Reply(
        "Nhật ký nhắc hạn và đánh dấu hoàn thành (CSV) đính kèm.",
        attachment=Attachment(
            "nhat_ky.csv", b"a,b\r\n", fallback="python -m bot audit --csv <tệp>"
        ),
    )
    [text] = render_reply(reply)
    assert text.startswith("Nhật ký nhắc hạn và đánh dấu hoàn thành (CSV) đính kèm.")
    assert "chỉ gửi được qua Telegram" in text
    assert "python -m bot audit --csv <tệp>" in text
    [plain_text] = render_reply(Reply("Chào bạn."))
    assert "Telegram" not in plain_text  # no note without a file
