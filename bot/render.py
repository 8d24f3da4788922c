"""Render answers and messages through the Jinja2 templates, as plain text or Telegram HTML.

In HTML every dynamic piece is escaped by autoescaping; the templates add only
<b>, <i> and an expandable <blockquote> through the formatter `f`.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
)
from markupsafe import Markup

from index.tokenize import fold

from .engine.answer import Answer
from .config import cache_dir
from .engine.meetings import MAX_MEETINGS, is_meeting_list, meetings

TEMPLATES = Path(__file__).parent / "templates"
LANGUAGES = ("vi", "en")
# Compiled templates are cached so that a one-shot `ask` does not recompile them.
BYTECODE_DIR = cache_dir() / "templates"


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and mark the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def number(value: str, language: str) -> str:
    """Digits as each language writes them: 1,200.5 in English, 1.200,5 in Vietnamese."""
    whole, _, fraction = value.partition(".")
    grouped = f"{int(whole):,}" if whole.isdigit() else whole
    if language == "vi":
        return grouped.replace(",", ".") + ("," + fraction if fraction else "")
    return grouped + ("." + fraction if fraction else "")


def ordinal(value: str) -> str:
    """An English ordinal: 1st, 2nd, 3rd, 11th, 55th."""
    n = int(value) if value.isdigit() else 0
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{value}{suffix}"


def inner_quotes(text: str) -> str:
    """A quote that opens or closes with the article's own quotation marks gets single ones
    there, the way a quote within a quote is written: “‘On this basis, …,’ Thanh said.”, never
    ““On this basis, …”. Marks inside the sentence stay as the article writes them."""
    opening = re.match(r'[“"]', text)
    if opening:
        close = re.search(r'[”"]', text[1:])
        text = "‘" + (text[1:close.start() + 1] + "’" + text[close.end() + 1:] if close else text[1:])
    closing = re.search(r'[”"]$', text)
    if closing:
        start = max(text.rfind("“", 0, closing.start()), text.rfind('"', 0, closing.start()))
        if start >= 0:
            text = text[:start] + "‘" + text[start + 1:closing.start()] + "’" + text[closing.end():]
    return text


class _Plain:
    def b(self, text: str) -> str:
        return text

    i = quote_block = b


class _Html:
    def b(self, text: str) -> Markup:
        return Markup("<b>{}</b>").format(text)

    def i(self, text: str) -> Markup:
        return Markup("<i>{}</i>").format(text)

    def quote_block(self, text: str) -> Markup:
        return Markup("<blockquote expandable>{}</blockquote>").format(text)


def _bytecode_cache(html: bool) -> FileSystemBytecodeCache | None:
    """One cache per mode: Jinja keys compiled code by source only, and autoescaping is compiled in."""
    folder = BYTECODE_DIR / ("html" if html else "text")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


@lru_cache(maxsize=2)
def _environment(html: bool) -> Environment:
    env = Environment(
        bytecode_cache=_bytecode_cache(html),
        loader=FileSystemLoader(TEMPLATES),
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )
    env.filters["shorten"] = lambda text, limit: shorten(str(text), limit)
    env.filters["number"] = number
    env.filters["ordinal"] = ordinal
    env.filters["inner_quotes"] = inner_quotes
    env.filters["unaccent"] = lambda text: fold(str(text))
    return env


def _module(language: str, html: bool):
    language = language if language in LANGUAGES else "en"
    return _environment(html).get_template(f"{language}.j2").module


def message(macro_name: str, language: str, html: bool = False, **values) -> str:
    """Render the macro `name` of the language's template (help, start, apology, ...)."""
    macro = getattr(_module(language, html), macro_name)
    formatter = _Html() if html else _Plain()
    args = dict(values)
    if "f" in macro.arguments:
        args["f"] = formatter
    return str(macro(**args)).strip()


def _shown_meetings(answer: Answer) -> list:
    return meetings(answer)[:MAX_MEETINGS] if is_meeting_list(answer) else []


def answer_text(answer: Answer, html: bool = False) -> str:
    """The answer itself (the short line, then the quote, or the list of meetings), without the sources."""
    shown = _shown_meetings(answer)
    more = len(answer.quotes) - len(shown) if shown else 0
    return message("answer", answer.language, html, a=answer, meetings=shown, more=more)


def short_text(answer: Answer) -> str | None:
    """The short answer line alone, or None."""
    return message("short", answer.language, s=answer.short) if answer.short else None


def sources_text(answer: Answer, html: bool = False) -> str:
    """The sources of what the reply shows: of a list of meetings, only the meetings listed."""
    shown = {m.quote.citation for m in _shown_meetings(answer)} or set(range(1, len(answer.citations) + 1))
    return message("sources", answer.language, html, a=answer, shown=shown) if answer.citations else ""


def full_text(answer: Answer, html: bool = False) -> str:
    """The whole reply as a user reads it: the answer, then its sources."""
    parts = [answer_text(answer, html), sources_text(answer, html)]
    return "\n\n".join(p for p in parts if p)


def paragraph_text(answer: Answer, n: int, html: bool = False) -> str:
    """Citation `n` (1-based) of the answer: its source line and the whole paragraph."""
    return message("paragraph", answer.language, html, c=answer.citations[n - 1], n=n)


def to_json(answer: Answer) -> dict:
    return {
        "language": answer.language,
        "answered": answer.answered,
        "answer": answer_text(answer),
        "short": short_text(answer),
        "read_as": list(answer.read_as),
        "about": list(answer.about),
        "citations": [{"doc": c.doc, "paragraph": c.paragraph, "text": c.text, "date": c.date}
                      for c in answer.citations],
        "text": full_text(answer),
    }
