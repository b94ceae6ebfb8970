"""Checks that a text is valid Telegram HTML: allowed tags only, balanced, entities escaped."""

from __future__ import annotations

import re

ALLOWED = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "tg-spoiler",
    "span",
    "a",
    "tg-emoji",
    "code",
    "pre",
    "blockquote",
}
_TOKEN = re.compile(r"<[^>]*>|&[^;\s]*;?|[<>&]")
_ENTITY = re.compile(r"^&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);$")
_TAG = re.compile(r"^<(/?)([a-z-]+)((?:\s+[a-z-]+=\"[^\"<>]*\")*)\s*>$")


def html_problems(text: str) -> list[str]:
    """Every problem found (empty list = fine)."""
    problems: list[str] = []
    if len(text) > 4096:
        problems.append(f"too long: {len(text)} characters")
    stack: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token.startswith("&"):
            if not _ENTITY.match(token):
                problems.append(f"unescaped or unknown entity {token!r}")
            continue
        if token in ("<", ">"):
            problems.append(f"bare {token!r}")
            continue
        tag = _TAG.match(token)
        if tag is None or tag.group(2) not in ALLOWED:
            problems.append(f"tag not allowed {token!r}")
            continue
        closing, name = tag.group(1), tag.group(2)
        if closing:
            if not stack or stack[-1] != name:
                problems.append(f"unbalanced </{name}>")
            else:
                stack.pop()
        else:
            stack.append(name)
    if stack:
        problems.append(f"unclosed {stack}")
    return problems
