"""A PDF of every page of the built book and of the whole book, printed by headless Chromium.

    python -m scs_book.build.pdf            # after the HTML build; `make pdf` (and `make book`
                                            # when Chromium is installed) runs it

The same Debian Chromium the tests use opens each page of the table of contents from a loopback
server, waits until every chart is drawn and the fonts (the book's Chinese font among them) are
loaded, and prints it to A4 with the book's print stylesheet (``scs-book.css``, ``@media print``)
and page numbers. The pages' PDFs are written to ``_build/html/pdf/<page>.pdf`` and joined, in
the table of contents' order, into ``_build/html/pdf/book.pdf`` with pypdf: one bookmark per
page of the book, and each page's own links kept pointing inside that page.
The ".pdf" button of each page links to its file (``scs_book.sphinx.reader``).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
from pathlib import Path

import pypdf
import yaml
from pypdf.generic import DictionaryObject, NameObject

from ..paths import ROOT
from .chromium import CHROMIUM, CHROMIUM_ARGS

HTML = ROOT / "_build" / "html"
PDF_DIR = "pdf"
BOOK_PDF = "book.pdf"
# A reader who reaches the first chart gets every chart of the page drawn (scs-charts.js).
REACH_THE_CHARTS = "document.querySelector('figure.scs-chart')?.scrollIntoView()"
CHARTS_DRAWN = """() => [...document.querySelectorAll('figure.scs-chart')].every(
    figure => figure.querySelector('svg.marks, canvas.marks'))"""
# The page laid out with the stylesheets scs-reader.js turns on at load (the Chinese font's
# slices), which starts their fonts loading, and then every font it asked for loaded.
FONTS_LOADED = "() => { document.body.offsetHeight; return document.fonts.ready.then(() => true); }"
FOOTER = (
    '<div style="font-size:8px;width:100%;padding:0 12mm;color:#555;display:flex;'
    'justify-content:space-between"><span class="title"></span>'
    '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def toc_pages(root: Path = ROOT) -> list[str]:
    """The book's documents in the table of contents' order (``book/intro``, ...)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            pages.append(chapter["file"])
            pages.extend(section["file"] for section in chapter.get("sections", []))
    return [str(Path(page).with_suffix("")) for page in pages]


def pdf_name(docname: str) -> str:
    """The PDF file of a document: its name without folders (``01_general_framework.pdf``)."""
    return Path(docname).name + ".pdf"


def print_pages(html: Path, docnames: list[str], out: Path) -> list[Path]:
    """Each document's page printed to ``out``; the PDF files, in order."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1000, "height": 1400})
            for docname in docnames:
                page.goto(f"{base}{docname}.html", wait_until="load")
                page.evaluate(REACH_THE_CHARTS)
                page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
                page.evaluate(FONTS_LOADED)
                target = out / pdf_name(docname)
                page.pdf(
                    path=str(target),
                    format="A4",
                    print_background=True,
                    display_header_footer=True,
                    header_template="<div></div>",
                    footer_template=FOOTER,
                    margin={"top": "14mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                )
                written.append(target)
                print(f"pdf: {target.relative_to(html)}", flush=True)
            browser.close()
    finally:
        server.shutdown()
    return written


def book_title(root: Path = ROOT) -> str:
    """The book's title (``_config.yml``); Sphinx ends each page's title with it."""
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))["title"]


def bookmark(page: Path, document: pypdf.PdfReader, title: str) -> str:
    """A page's bookmark in the book's PDF: its title (Chromium records the HTML page's
    ``<title>``), less the book's title that Sphinx appends."""
    if not (document.metadata and document.metadata.title):
        raise ValueError(f"pdf: {page} has no title to name its bookmark")
    return document.metadata.title.removesuffix(f" — {title}")


def keep_links_inside(document: pypdf.PdfReader, prefix: str) -> None:
    """Prefix the names of the page's link targets, in its catalogue and in its links.

    Chromium names a target after its HTML anchor, and pages share anchors
    (``#what-this-chapter-found``): joined as they are, a link would lead to another chapter.
    """
    catalogue = document.trailer["/Root"]
    targets = catalogue.get("/Dests")
    if targets is None:
        return
    catalogue[NameObject("/Dests")] = DictionaryObject(
        {NameObject(f"/{prefix}{name[1:]}"): target for name, target in targets.items()}
    )
    for page in document.pages:
        for link in page.get("/Annots") or []:
            link = link.get_object()
            if isinstance(link.get("/Dest"), NameObject):
                link[NameObject("/Dest")] = NameObject(f"/{prefix}{link['/Dest'][1:]}")


def join(pages: list[Path], target: Path, title: str) -> None:
    """The pages' PDFs as one file, titled ``title``, with a bookmark per page, shown on
    opening; written whole or not at all."""
    book = pypdf.PdfWriter()
    for number, page in enumerate(pages):
        document = pypdf.PdfReader(page)
        keep_links_inside(document, prefix=f"p{number}-")
        book.append(document, outline_item=bookmark(page, document, title), import_outline=False)
    book.add_metadata({"/Title": title})
    book.page_mode = "/UseOutlines"
    partial = target.with_name(target.name + ".part")
    try:
        book.write(partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    html = Path(argv[0]) if argv else HTML
    if not shutil.which(CHROMIUM) or not (html / "index.html").is_file():
        sys.exit(f"pdf: needs a built book ({html}) and Chromium (apt-get install chromium)")
    out = html / PDF_DIR
    out.mkdir(exist_ok=True)
    pages = print_pages(html, toc_pages(), out)
    join(pages, out / BOOK_PDF, book_title())
    print(f"pdf: {PDF_DIR}/{BOOK_PDF} ({len(pages)} pages of the book)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
