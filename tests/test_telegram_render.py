"""Pure Telegram formatting: escaping, splitting, keyboards."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.telegram_render import keyboard, render_reply, reply_html, split_html
from handlers.types import Choice, Reply
from tests.support.telegram_html import html_problems


def test_escapes_dynamic_text_and_bolds_a_header() -> None:
    html = reply_html('Kết quả:\n<script> & "x" 5 > 3')
    assert html == '<b>Kết quả:</b>\n&lt;script&gt; &amp; "x" 5 &gt; 3'
    assert html_problems(html) == []
    assert reply_html("a < b") == "a &lt; b"


def test_nfc_outgoing() -> None:
    decomposed = "Tie\u0302\u0301n"  # "Tiến" in NFD
    assert reply_html(decomposed) == "Tiến"


def test_long_text_is_split_at_lines_below_the_limit() -> None:
    lines = [f"Dòng {i}: " + "nội dung & <chi tiết> " * 8 for i in range(200)]
    messages = render_reply(
        Reply("Danh sách:\n" + "\n".join(lines), [Choice("Xem thêm", "m:abc:1")])
    )
    assert len(messages) > 1
    assert all(len(m.html) <= 4096 and html_problems(m.html) == [] for m in messages)
    assert [bool(m.buttons) for m in messages] == [False] * (len(messages) - 1) + [True]
    joined = "\n".join(m.html for m in messages)
    assert joined.count("Dòng ") == 200  # nothing lost


def test_one_huge_line_is_cut_without_breaking_entities() -> None:
    text = "&&&&" * 3000
    chunks = split_html(reply_html(text))
    assert all(len(c) <= 4096 and html_problems(c) == [] for c in chunks)
    assert "".join(chunks) == reply_html(text)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab <>&\n\"'ếđ;")), max_size=12000))
def test_any_text_renders_to_valid_html_chunks(text: str) -> None:
    for message in render_reply(Reply(text)):
        assert html_problems(message.html) == []
        assert len(message.html) <= 4096


def test_keyboard_rows_and_callback_limit() -> None:
    reply = Reply(
        "x",
        [
            Choice("Có", "a:1"),
            Choice("Không", "a:2"),
            Choice("Phòng Giáo dục Trung học phổ thông và GDTX", "u:3"),
        ],
    )
    assert keyboard(reply) == [
        [("Có", "a:1"), ("Không", "a:2")],
        [("Phòng Giáo dục Trung học phổ thông và GDTX", "u:3")],
    ]
    with pytest.raises(ValueError):
        keyboard(Reply("x", [Choice("Văn phòng", "u:" + "é" * 40)]))


def test_a_file_reply_uses_an_escaped_caption_or_messages_when_too_long() -> None:
    from bot.telegram_render import CAPTION_LIMIT, render_document
    from handlers.types import Attachment, Choice, Reply

    file = Attachment("nhat_ky.csv", b"a,b\r\n")
    messages, doc = render_document(
        Reply("Nhật ký <CSV> & đính kèm.", [Choice("Xem", "u:1")], attachment=file)
    )
    assert messages == [] and doc.caption == "Nhật ký &lt;CSV&gt; &amp; đính kèm."
    assert (
        doc.filename == "nhat_ky.csv"
        and doc.data == b"a,b\r\n"
        and doc.buttons == [[("Xem", "u:1")]]
    )
    long_text = "dòng dài\n" * (CAPTION_LIMIT // 4)
    messages, doc = render_document(Reply(long_text, attachment=file))
    assert messages and doc.caption == "" and doc.data == b"a,b\r\n"
