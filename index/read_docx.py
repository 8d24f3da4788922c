"""A Word document (.docx): its paragraphs as Word holds them, and its title."""
from __future__ import annotations

import io
import zipfile

from .articles import ArticleError


def read_docx(raw: bytes) -> tuple[dict[str, str], str]:
    """The document's title (its Title-styled paragraph, else its properties') and its paragraphs."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ArticleError(f"not a readable Word file ({type(exc).__name__})") from None
    paragraphs = [(p.style.name if p.style is not None else "", p.text.strip()) for p in document.paragraphs]
    paragraphs = [(style, text) for style, text in paragraphs if text]
    if not paragraphs:
        raise ArticleError("no text in the Word file")
    title = next((text for style, text in paragraphs if style == "Title"), document.core_properties.title or "")
    return ({"title": title.strip()} if title.strip() else {}), "\n\n".join(text for _, text in paragraphs)
