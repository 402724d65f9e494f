"""The PDFs the build prints (scs_book.build.pdf): one per page and one of the whole book, with
no page more than half blank except a chapter's last, no table or code cut off, the charts and
the Chinese text in them, and each page's ".pdf" button linking to its file.

Checks read the PDFs with poppler (pdftoppm, pdftotext), installed with Chromium by
``make browser``.
"""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from scs_book.build import pdf
from scs_book.language import is_cjk

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
    for cut in range(min(8, len(piece) - 1), len(piece)):
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
