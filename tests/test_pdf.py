"""The PDFs the build prints (scs_book.build.pdf): one per page and one of the whole book (with
a bookmark per page of the book, and links that stay in their page), with no page more than
half blank except a chapter's last, no table or code cut off, the charts and
the Chinese text in them, each chart printed with its title and footer, and each page's ".pdf"
button linking to its file. In print media, a page shows no control of the screen and its text
takes the page's width.

Checks read the PDFs with poppler (pdftoppm, pdftotext), installed with Chromium by
``make browser``, and the book's structure with pypdf.
"""

from __future__ import annotations

import html
import itertools
import re
import subprocess
import tempfile
from pathlib import Path

import pypdf
import pytest

from scs_book.build import pdf
from scs_book.language import is_cjk
from test_browser import pages
from test_reader_pages import OPEN_EVERY_DETAILS

pytestmark = pytest.mark.slow

HALF = 0.5
INK = 200  # a pixel darker than this (of 255) is content


@pytest.fixture(scope="module")
def printed_book(built_book):
    assert pdf.main([str(built_book)]) == 0
    return built_book, built_book / pdf.PDF_DIR


def page_fill(document) -> list[float]:
    """For each page, how far down its printable area the last ink reaches (0 to 1).

    The page is rasterised at 20 dpi; the header and footer bands (the footer carries the page
    number) are left out. A page whose content stops above half its height is half blank.
    """
    fills = []
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            ["pdftoppm", "-r", "20", "-gray", str(document), f"{scratch}/page"], check=True
        )
        for image in sorted(Path(scratch).glob("page-*.pgm")):
            header, pixels = image.read_bytes().split(b"\n255\n", 1)
            width, height = map(int, header.split()[1:3])
            top, bottom = int(height * 0.06), int(height * 0.92)
            inked = [
                row
                for row in range(top, bottom)
                if min(pixels[row * width : (row + 1) * width]) < INK
            ]
            fills.append((inked[-1] - top) / (bottom - top) if inked else 0.0)
    assert fills, f"no page rasterised from {document}"
    return fills


def pdf_text(document) -> str:
    """The PDF's text without page furniture: the footer line (title, "n / m") of each page."""
    # -raw: the text in the order it is drawn, cell after cell (not lines across columns)
    text = subprocess.run(
        ["pdftotext", "-raw", str(document), "-"], check=True, capture_output=True, text=True
    ).stdout
    return squeezed(re.sub(r"(?m)^.* \d+ / \d+$", "", text))


def without_repeated_headers(text: str, headers: list[str]) -> str:
    """``text`` with each table's header row kept once: a table running onto the next page
    repeats its header there, in the middle of the row it splits."""
    for header in filter(None, headers):
        first = text.find(header)
        if first >= 0:
            end = first + len(header)
            text = text[:end] + text[end:].replace(header, "")
    return text


def squeezed(text: str) -> str:
    """Text without whitespace or hyphens: the PDF breaks lines and hyphenates words."""
    return re.sub(r"[\s\-\u00ad\u2010]+", "", html.unescape(text))


def pieces(fragment: str) -> list[str]:
    """The texts between the tags of an HTML fragment (the PDF adds links' addresses)."""
    return [squeezed(piece) for piece in re.split(r"<[^>]+>", fragment) if squeezed(piece)]


def test_every_page_and_the_book_have_a_pdf(printed_book):
    _, out = printed_book
    documents = [out / pdf.pdf_name(name) for name in pdf.toc_pages()]
    assert all(document.is_file() for document in documents)
    pages = [len(page_fill(document)) for document in documents]
    assert len(page_fill(out / pdf.BOOK_PDF)) == sum(pages)


def test_the_books_pdf_has_a_bookmark_at_each_page_of_the_book(printed_book):
    """One bookmark per page of the book, named by its heading, at its first sheet; the
    bookmarks open with the file, which carries the book's title."""
    root, out = printed_book
    book = pypdf.PdfReader(out / pdf.BOOK_PDF)
    names = pdf.toc_pages()
    sheets = [len(pypdf.PdfReader(out / pdf.pdf_name(name)).pages) for name in names]
    headings = [
        html.unescape(re.search(r"<h1>(.*?)</h1>", (root / f"{name}.html").read_text("utf-8"))[1])
        for name in names
    ]
    bookmarks = [(item.title, book.get_destination_page_number(item)) for item in book.outline]
    assert bookmarks == list(zip(headings, itertools.accumulate([0, *sheets[:-1]]), strict=True))
    assert book.metadata.title == pdf.book_title()
    assert book.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_the_books_pdf_keeps_every_link_within_its_page(printed_book):
    """Each page's links to its own sections lead, in the book's PDF, to a sheet of that
    page: pages share anchor names (a chapter's "What this chapter found"), and pdfunite
    dropped the targets altogether."""
    _, out = printed_book
    book = pypdf.PdfReader(out / pdf.BOOK_PDF)
    targets = {
        name: book.get_destination_page_number(target)
        for name, target in book.named_destinations.items()
    }
    first = 0
    for name in pdf.toc_pages():
        page = pypdf.PdfReader(out / pdf.pdf_name(name))
        own = range(first, first + len(page.pages))
        links = [
            (sheet, link.get_object()["/Dest"])
            for sheet in own
            for link in book.pages[sheet].get("/Annots") or []
            if "/Dest" in link.get_object()
        ]
        expected = sum(
            "/Dest" in link.get_object()
            for sheet in page.pages
            for link in sheet.get("/Annots") or []
        )
        assert len(links) == expected, f"{name}: links lost"
        strays = [(sheet, target) for sheet, target in links if targets.get(target) not in own]
        assert not strays, f"{name}: links leading out of the page: {strays[:5]}"
        first += len(page.pages)


def test_no_page_is_more_than_half_blank_except_a_chapters_last(printed_book):
    _, out = printed_book
    blank = {}
    for name in pdf.toc_pages():
        fills = page_fill(out / pdf.pdf_name(name))
        half_blank = [number for number, fill in enumerate(fills[:-1], 1) if fill < HALF]
        if half_blank:
            blank[name] = half_blank
    assert not blank, f"pages more than half blank: {blank}"


def test_no_table_or_code_is_cut_off(printed_book):
    """Every table header, every row's last cell and every line of shown code is in the PDF's
    text: a lost column or a clipped line would be missing from it."""
    root, out = printed_book
    for name in pdf.toc_pages():
        page = (root / f"{name}.html").read_text(encoding="utf-8")
        article = re.sub(
            r"<(script|style)\b.*?</\1>|<details\b.*?</details>",
            "",
            re.search(r'<article class="bd-article">(.*)</article>', page, re.S)[1],
            flags=re.S,
        )
        text = pdf_text(out / pdf.pdf_name(name))
        headers = re.findall(r"<th\b[^>]*>(.*?)</th>", article, re.S)
        missing = [piece for cell in headers for piece in pieces(cell) if not printed(piece, text)]
        header_rows = [
            "".join(
                squeezed(re.sub(r"<[^>]+>", "", cell))
                for cell in re.findall(r"<th\b[^>]*>(.*?)</th>", head, re.S)
            )
            for head in re.findall(r"<thead>(.*?)</thead>", article, re.S)
        ]
        text = without_repeated_headers(text, header_rows)
        cells = re.findall(r"<td\b[^>]*>((?:(?!<td).)*?)</td>\s*</tr>", article, re.S)
        lines = [
            line
            for block in re.findall(r"<pre>(.*?)</pre>", article, re.S)
            for line in squeezed_lines(block)
        ]
        missing += [piece for cell in cells for piece in pieces(cell) if not printed(piece, text)]
        missing += [line for line in lines if not printed(line, text)]
        assert not missing, f"{name}: not in its PDF: {missing[:5]}"


def printed(piece: str, text: str, gap: int = 4000) -> bool:
    """``piece`` is in ``text``, whole or split once by a page break: a table row that runs on
    to the next page continues its cells there after the other cells' first parts."""
    if piece in text:
        return True
    shortest = 4 if is_cjk(piece[0]) else 8  # a run of Chinese says as much in fewer characters
    for cut in range(min(shortest, len(piece) - 1), len(piece)):
        start = text.find(piece[:cut])
        while start >= 0:
            end = start + cut
            if piece[cut:] in text[end : end + gap + len(piece)]:
                return True
            start = text.find(piece[:cut], start + 1)
    return False


def squeezed_lines(block: str) -> list[str]:
    return [squeezed(line) for line in re.sub(r"<[^>]+>", "", block).splitlines() if line.strip()]


def test_the_pdfs_carry_the_charts_and_the_chinese(printed_book):
    root, out = printed_book
    chinese_pages = 0
    for name in pdf.toc_pages():
        page = (root / f"{name}.html").read_text(encoding="utf-8")
        text = pdf_text(out / pdf.pdf_name(name))
        for title in re.findall(r'"title":"([^"]+)","spec"', page):
            assert squeezed(title)[:30] in text, f"{name}: chart {title!r} not printed"
        shown = r"<(script|style|details)\b.*?</\1>|<[^>]+>"  # tags, tooltips, hidden parts
        visible = squeezed(re.sub(shown, "", page, flags=re.S))
        chinese = {char for char in visible if is_cjk(char)}
        assert chinese <= set(text), f"{name}: Chinese missing from its PDF"
        chinese_pages += bool(chinese)
    assert chinese_pages >= 3


def test_each_pages_pdf_button_links_its_pdf(printed_book):
    root, out = printed_book
    for name in pdf.toc_pages():
        page = (root / f"{name}.html").read_text(encoding="utf-8")
        links = re.findall(r'href="((?!https?:)[^"]+\.pdf)"', page)
        targets = {(root / name).parent.joinpath(link).resolve() for link in links}
        assert targets == {(out / pdf.pdf_name(name)).resolve(), (out / pdf.BOOK_PDF).resolve()}
        assert "window.print()" not in page


def page_texts(document) -> list[str]:
    """Each page's text, squeezed (pdftotext ends every page with a form feed)."""
    text = subprocess.run(
        ["pdftotext", "-raw", str(document), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [squeezed(page) for page in text.split("\f")[:-1]]


def test_each_chart_is_printed_on_one_page_with_its_title_and_footer(printed_book):
    """A chart's title (drawn in the chart) and its whole footer, its first line ("Source: ...")
    to its last ("Licence: ..."), on one page: no footer left to the next page."""
    root, out = printed_book
    apart = []
    for name in pdf.toc_pages():
        page = (root / f"{name}.html").read_text(encoding="utf-8")
        texts = page_texts(out / pdf.pdf_name(name))
        for figure in re.findall(r'<figure class="scs-chart".*?</figure>', page, re.S):
            title = squeezed(re.search(r'"title":"([^"]+)","spec"', figure)[1])[:30]
            caption = re.search(r"<figcaption.*?</figcaption>", figure, re.S)[0]
            footer = re.findall(r"<p>(.*?)</p>", caption, re.S)
            ends = [max(pieces(line), key=len)[:40] for line in (footer[0], footer[-1])]
            number = next(n for n, text in enumerate(texts) if title in text)
            if not all(end in texts[number] for end in ends):
                apart.append(f"{name}, page {number + 1}: {title}")
    assert not apart, f"charts printed apart from their footers: {apart}"


CONTROLS = (
    "button, summary, input, select, textarea, [role=button], [role=switch], [role=tab], "
    "[role=checkbox], [role=menuitem], a.btn, .copybtn, .toggle-button, .scs-chart-tools"
)
VISIBLE_CONTROLS = """(controls) => [...document.querySelectorAll(controls)].filter(element => {
  const box = element.getBoundingClientRect(), style = getComputedStyle(element);
  return box.width > 0 && box.height > 0 && style.visibility !== 'hidden'
    && Number(style.opacity) > 0;
}).map(element => `${element.tagName.toLowerCase()}.${element.className}: `
  + (element.textContent || element.getAttribute('aria-label') || '').trim().slice(0, 40))"""


def test_a_printed_page_shows_no_control(served, chromium):  # noqa: F811
    """In print media, with every toggle a reader could have opened open (code cells, a chart's
    data table), no button, toggle, download or copy control is on the page."""
    base, root = served
    page = chromium.new_page(viewport={"width": 1000, "height": 1400})
    shown = {}
    for name in pages(root):
        page.emulate_media(media="screen")
        page.goto(base + name)
        page.wait_for_load_state("networkidle")
        page.evaluate(OPEN_EVERY_DETAILS)
        page.emulate_media(media="print")
        if found := page.evaluate(VISIBLE_CONTROLS, CONTROLS):
            shown[name] = found[:5]
    page.close()
    assert not shown, f"controls in print: {shown}"


A4_TEXT_WIDTH = 688  # CSS px: 210 mm less the PDFs' margins (2 x 14 mm) at 96 px per inch


def test_printed_text_takes_the_pages_width(served, chromium):  # noqa: F811
    """In print, the text runs from margin to margin: no screen gutters narrowing the column,
    which lengthened the chapters' PDFs by a tenth."""
    base, _ = served
    page = chromium.new_page(viewport={"width": A4_TEXT_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    page.goto(base + "notebooks/03_reality.html")
    box = page.locator("article.bd-article > section > p").first.bounding_box()
    page.close()
    assert box["x"] <= 2 and box["width"] >= A4_TEXT_WIDTH - 4, box
