"""A web page, saved from a browser or fetched: the article and its metadata, without the site around it.

trafilatura tells the article from navigation, share bars, related news and footers, and reads
the title, site name and publication date (`article:published_time`, JSON-LD, ...) from the page.
"""
from __future__ import annotations

import logging

from .articles import ArticleError

PARAGRAPH_MIN_WORDS = 10  # a page whose every line is shorter holds menus and links, no article
# A page trafilatura finds no article in is said once by us, not also by its logger.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


def read_html(raw: bytes, url: str = "") -> tuple[dict[str, str], str]:
    """The page's metadata (title, publisher, date, url) and its article text, a paragraph a line."""
    import trafilatura

    # Only the page's own metadata dates it: a year in its footer or a link's date is no publication date.
    document = trafilatura.bare_extraction(raw, url=url or None, with_metadata=True, include_comments=False,
                                           include_images=False, date_extraction_params={
                                               "extensive_search": False, "original_date": True})
    lines = (document.text or "").splitlines() if document is not None else []
    if not any(len(line.split()) >= PARAGRAPH_MIN_WORDS for line in lines):
        raise ArticleError("no article text found in the page (only links and page chrome?)")
    title = (document.title or "").strip()
    text = document.text.strip()
    if title and not text.startswith(title):
        text = f"{title}\n{text}"
    meta = {"title": title, "publisher": document.sitename or "", "date": document.date or "",
            "url": document.url or url}
    return {key: value.strip() for key, value in meta.items() if value}, text
