"""Split a Telegram HTML message into parts that fit its length limit.

Parts break at paragraph boundaries (blank lines) where possible, then at line
breaks, then between words; a tag open at a break is closed at the end of the part
and reopened at the start of the next, so no part is cut inside a tag.
"""
from __future__ import annotations

import re

TELEGRAM_LIMIT = 4096
_TAG = re.compile(r"<(/?)([a-z]+)[^>]*>")


def _words(text: str) -> list[str]:
    """Words with their following whitespace, never splitting an HTML tag."""
    return re.findall(r"(?:<[^>]*>|[^\s<])+\s*|\s+", text)


def _open_tags(html: str) -> list[str]:
    stack: list[str] = []
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2)
        if closing:
            if name in stack:
                stack.reverse()
                stack.remove(name)
                stack.reverse()
        else:
            stack.append(match.group(0))
    return stack


def _closing(tags: list[str]) -> str:
    return "".join(f"</{_TAG.match(t).group(2)}>" for t in reversed(tags))


def _hard_split(text: str, limit: int) -> list[str]:
    parts, current = [], ""
    for word in _words(text):
        while len(word) > limit // 2:  # a single enormous word
            head, word = word[: limit // 2], word[limit // 2:]
            parts, current = _push(parts, current, head, limit)
        parts, current = _push(parts, current, word, limit)
    if current:
        parts.append(current)
    return parts


def _push(parts: list[str], current: str, piece: str, limit: int) -> tuple[list[str], str]:
    tags = _open_tags(current)
    if current and len(current) + len(piece) + len(_closing(_open_tags(current + piece))) > limit:
        parts.append(current.rstrip() + _closing(tags))
        current = "".join(tags)
    return parts, current + piece


def split_message(html: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Parts of at most `limit` characters, cut at the largest boundary that fits."""
    if len(html) <= limit:
        return [html]
    parts: list[str] = []
    current = ""
    for block in html.split("\n\n"):
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        if len(block) <= limit:
            current = block
            continue
        lines, current = block.split("\n"), ""
        for line in lines:
            candidate = f"{current}\n{line}" if current else line
            if len(candidate) <= limit:
                current = candidate
                continue
            if current:
                parts.append(current)
            if len(line) <= limit:
                current = line
            else:
                *full, current = _hard_split(line, limit)
                parts.extend(full)
    if current:
        parts.append(current)
    return [p for p in parts if p.strip()]
