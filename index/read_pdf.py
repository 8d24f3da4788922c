"""A PDF with a text layer (a press release, a printed page): its paragraphs, rebuilt from the layout.

pdfminer.six groups characters into lines and lines into text boxes, column by column: on a
two-column release (tests/article_files.py) each box is a paragraph, in reading order. pypdf
gives the same lines without any paragraph break, the running header and page numbers among
them, so the layout would have to be rebuilt here by hand. What is left to do: running headers
and page numbers out (the same text at the same height on several pages), words hyphenated at
a line's end joined, and a paragraph that goes on in the next column or page put back together.
"""
from __future__ import annotations

import io
import re
from collections import Counter

from .articles import ArticleError

# Wider than pdfminer's default (2.0): justified text spaces its words so far apart that
# a line would otherwise fall into pieces.
CHAR_MARGIN = 8.0
_PAGE_NUMBER = re.compile(r"^(?:(?:page|trang)\s+)?\d+(?:\s*(?:/|of|trên)\s*\d+)?$", re.I)
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)»]$")


def read_pdf(raw: bytes) -> tuple[dict[str, str], str]:
    """The paragraphs of a PDF, one per box of text, and its running header's text as a date hint."""
    from pdfminer.layout import LAParams, LTTextBox
    from pdfminer.high_level import extract_pages
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        pages = [[(box.y0, _lines(box.get_text())) for box in page if isinstance(box, LTTextBox)]
                 for page in extract_pages(io.BytesIO(raw), laparams=LAParams(char_margin=CHAR_MARGIN))]
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise ArticleError(f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # pdfminer's encryption errors share no base class
        if "password" in str(exc).lower() or "encrypt" in type(exc).__name__.lower():
            raise ArticleError("the PDF is encrypted; save it without a password") from None
        raise
    if not any(lines for page in pages for _, lines in page):
        raise ArticleError("no text in the PDF (a scanned one? its pages are images: "
                           "run OCR on it, or save the article's text as .txt)")
    running = _running(pages)
    paragraphs: list[str] = []
    for page in pages:
        for y0, lines in page:
            key = _shape(lines, y0)
            if not lines or key in running or (len(lines) == 1 and _PAGE_NUMBER.match(lines[0])):
                continue
            text = _join(lines)
            if paragraphs and not _SENTENCE_END.search(paragraphs[-1]) and text[:1].islower():
                paragraphs[-1] = _join([paragraphs[-1], text])  # goes on in the next column or page
            else:
                paragraphs.append(text)
    hint = " ".join(" ".join(lines) for page in pages for y0, lines in page if _shape(lines, y0) in running)
    return ({"date": hint} if hint else {}), "\n\n".join(paragraphs)


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _shape(lines: list[str], y0: float) -> tuple[str, int]:
    """A box as a running header or footer repeats it: its height on the page, its text but the numbers."""
    return re.sub(r"\d+", "#", " ".join(lines)), round(y0)


def _running(pages: list[list[tuple[float, list[str]]]]) -> set[tuple[str, int]]:
    """The boxes found at the same place on more than one page: running headers and footers."""
    if len(pages) < 2:
        return set()
    seen = Counter(key for page in pages for key in {_shape(lines, y0) for y0, lines in page})
    return {key for key, n in seen.items() if n > 1}


def _join(lines: list[str]) -> str:
    """Lines into one paragraph; a word hyphenated at a line's end ("diplo-" "matic") is joined."""
    text = lines[0]
    for line in lines[1:]:
        if re.search(r"\w-$", text) and line[:1].islower():
            text = text[:-1] + line
        else:
            text = f"{text} {line}"
    return text
