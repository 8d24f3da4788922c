"""Split a Telegram HTML message into parts that fit its length limit.

The message is read as atoms (tags, entities, separators, runs of text) so that no
cut falls inside a tag or an entity. Each part is cut at the best boundary that
fits: a blank line (paragraph), else a line break, else a space, else between two
atoms. Tags open at a cut are closed at the end of the part and reopened at the
start of the next.
"""
from __future__ import annotations

import re

TELEGRAM_LIMIT = 4096
_ATOM = re.compile(r"<[^>]*>|&#?\w+;|\n\n|\n| |[^<&\n ]+|[<&]")
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*>")
_BREAKS = {"\n\n": 3, "\n": 2, " ": 1}


def _tag(atom: str) -> tuple[bool, str] | None:
    """(closing, name) for a tag atom, None for anything else."""
    match = _TAG.fullmatch(atom)
    return (bool(match.group(1)), match.group(2).lower()) if match else None


def _open_after(opened: list[str], atoms: list[str]) -> list[str]:
    """The opening tags still open after `atoms`, given those open before them."""
    stack = list(opened)
    for atom in atoms:
        tag = _tag(atom)
        if tag is None:
            continue
        closing, name = tag
        if not closing:
            stack.append(atom)
            continue
        for i in range(len(stack) - 1, -1, -1):
            if _tag(stack[i])[1] == name:
                del stack[i]
                break
    return stack


def _closing(opened: list[str]) -> str:
    return "".join(f"</{_tag(t)[1]}>" for t in reversed(opened))


def _cut_point(atoms: list[str]) -> int:
    """Index of the best separator to cut at (the latest of the strongest kind), or the last atom."""
    best, best_rank, text_seen = len(atoms) - 1, 0, False
    for i, atom in enumerate(atoms):
        rank = _BREAKS.get(atom, 0)
        if rank and text_seen and rank >= best_rank:
            best, best_rank = i, rank
        text_seen = text_seen or (not rank and _tag(atom) is None)
    return best


def _atoms(html: str, limit: int) -> list[str]:
    """Atoms of `html`, runs of text cut short enough to always fit a part beside its tags."""
    longest = max(1, limit // 4)
    atoms = []
    for atom in _ATOM.findall(html):
        if len(atom) > longest and atom[0] not in "<&":
            atoms.extend(atom[i:i + longest] for i in range(0, len(atom), longest))
        else:
            atoms.append(atom)
    return atoms


def split_message(html: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Parts of at most `limit` characters, each well formed, together holding all the text."""
    if len(html) <= limit:
        return [html]
    parts: list[str] = []
    opened: list[str] = []  # tags reopened at the start of the current part
    current: list[str] = []
    stack: list[str] = []  # tags open after `current`
    size = 0  # length of `opened` plus `current`
    for atom in _atoms(html, limit):
        current.append(atom)
        size += len(atom)
        stack = _open_after(stack, [atom])
        while size + len(_closing(stack)) > limit and len(current) > 1:
            cut = _cut_point(current[:-1])
            head = current[:cut] if _BREAKS.get(current[cut]) else current[:cut + 1]
            rest = current[cut + 1:]
            while head and _tag(head[-1]) and not _tag(head[-1])[0]:
                rest.insert(0, head.pop())  # an opening tag with nothing after it goes on
            if not head:  # nothing could be moved on without looping: cut before the newest atom
                head, rest = current[:-1], current[-1:]
            head_stack = _open_after(opened, head)
            text = ("".join(opened) + "".join(head)).rstrip() + _closing(head_stack)
            if re.sub(r"<[^>]*>", "", text).strip():
                parts.append(text)
            while rest and _BREAKS.get(rest[0]):
                rest.pop(0)
            opened, current = head_stack, rest
            stack = _open_after(opened, current)
            size = sum(map(len, opened)) + sum(map(len, current))
    text = ("".join(opened) + "".join(current)).rstrip()
    if re.sub(r"<[^>]*>", "", text).strip():
        parts.append(text + _closing(stack))
    return parts
