"""Real article files made from the bundled .txt articles, as people have them: a web page saved
from a browser with its site's chrome, a Word file, a two-column PDF press release.

The tests read these through the bot exactly as they read the .txt files, so each format must
answer the dev set as the .txt does.
"""
from __future__ import annotations

import contextlib
import html
import http.server
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from index.articles import read_article
from index.clean import clean

from .conftest import ROOT

DOCS = ROOT / "docs_src"
VI_ARTICLE, EN_ARTICLE = sorted(DOCS.glob("*.txt"))
DATES = {VI_ARTICLE.stem: "2022-09-05", EN_ARTICLE.stem: "2022-09-05"}
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's fonts-dejavu-core: Vietnamese and curly quotes


@dataclass
class Story:
    title: str
    publisher: str
    language: str
    date: str  # ISO
    blocks: list[tuple[str, str]]  # (kind, text) after the title: lead, body, heading, caption


def story(path: Path) -> Story:
    """A bundled article as its blocks, chrome removed: what a page, a PDF or a Word file would hold."""
    article = read_article(path)
    blocks = clean(article.lines, article.title)
    return Story(blocks[0].text, article.publisher, article.language, DATES[path.stem],
                 [(b.kind, b.text) for b in blocks[1:]])


def web_page(s: Story, url: str = "") -> str:
    """The page as a browser saves it: navigation, share bar, related news and footer around the article."""
    e = html.escape
    parts = []
    for kind, text in s.blocks:
        if kind == "caption":
            parts.append(f'<figure><img src="photo.jpg" alt=""><figcaption>{e(text)}</figcaption></figure>')
        elif kind == "heading":
            parts.append(f"<h2>{e(text)}</h2>")
        else:
            parts.append(f"<p>{e(text)}</p>")
    related = "".join(f'<li><a href="/news/{n}.html">{e(t)}</a></li>' for n, t in enumerate(
        ["Hanoi targets double-digit export growth with focus on high-value goods",
         "Metro ridership target rises as Hanoi pushes safer, smarter urban rail operations",
         "Hanoi advances Capital Region linkages through urban cluster model"]))
    canonical = f'<link rel="canonical" href="{e(url)}">' if url else ""
    return f"""<!DOCTYPE html>
<html lang="{s.language}"><head><meta charset="utf-8">
<title>{e(s.title)} | {e(s.publisher)}</title>{canonical}
<meta property="og:site_name" content="{e(s.publisher)}">
<meta property="og:title" content="{e(s.title)}">
<meta property="article:published_time" content="{s.date}T08:30:00+07:00">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/economy">Economy</a></li><li><a href="/culture">Culture</a></li><li><a href="/login">Log in</a></li></ul></nav></header>
<main><article>
<h1>{e(s.title)}</h1>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet</a> <a href="#">Copy link</a></div>
{"".join(parts)}
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
</article>
<aside class="related"><h3>Related news</h3><ul>{related}</ul></aside></main>
<footer><p>© {e(s.publisher)}. All rights reserved.</p><p><a href="/contact">Contact</a> · <a href="/ads">Advertise</a></p></footer>
</body></html>
"""


def word_file(s: Story, target: Path) -> Path:
    """The article as a Word document: a Title paragraph, a dateline, then its paragraphs and sub-headings."""
    import docx

    document = docx.Document()
    document.add_paragraph(s.title, style="Title")
    document.add_paragraph(f"{s.publisher}, {_long_date(s.date)}")
    for kind, text in s.blocks:
        if kind == "heading":
            document.add_heading(text, level=2)
        elif kind != "caption":
            document.add_paragraph(text)
    document.save(target)
    return target


def press_release(s: Story, target: Path) -> Path:
    """The article as a two-column PDF press release: a running header and page numbers on every
    page, justified text broken at soft hyphens, as a typesetter would."""
    from fpdf import FPDF

    header = f"{s.publisher} · Press release · {_long_date(s.date)}"

    class Release(FPDF):
        def header(self):
            self.set_font("body", size=8)
            self.cell(0, 6, header, align="C")
            self.ln(10)

        def footer(self):
            self.set_y(-12)
            self.set_font("body", size=8)
            self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Release()
    pdf.add_font("body", fname=str(FONT))
    pdf.add_page()
    pdf.set_font("body", size=16)
    pdf.multi_cell(0, 8, s.title)
    pdf.ln(4)
    pdf.set_font("body", size=13)
    with pdf.text_columns(ncols=2, gutter=8, text_align="J") as columns:
        for kind, text in s.blocks:
            if kind != "caption":
                columns.write(re.sub(r"\b([a-z]{5})([a-z]{4,})\b", "\\1\u00ad\\2", text))  # soft hyphens
                columns.ln()
                columns.ln()
    pdf.output(str(target))
    return target


def _long_date(iso: str) -> str:
    year, month, day = map(int, iso.split("-"))
    months = "January February March April May June July August September October November December".split()
    return f"{months[month - 1]} {day}, {year}"


@contextlib.contextmanager
def serve(pages: dict[str, tuple[int, str, bytes]], delay: float = 0.0):
    """A web server on 127.0.0.1 for the test's length: path -> (status, content type, body); a 3xx body
    is the address to go to. Yields its base URL ("http://127.0.0.1:PORT")."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status, kind, body = pages.get(self.path, (404, "text/plain", b"not found"))
            time.sleep(delay)
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", body.decode())
                body = b""
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
