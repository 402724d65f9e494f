"""How the build joins the pages' PDFs into the book's (scs_book.build.pdf.join), on small PDFs
made here the way Chromium writes them: link targets named in the catalogue's /Dests, links
pointing at them by name. Fast; tests/test_pdf.py checks the printed book itself."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NullObject,
)

from scs_book.build import pdf

BOOK = "A book"


def page_pdf(path: Path, title: str | None, sheets: int, anchor: str) -> Path:
    """A page's PDF of ``sheets`` sheets whose first sheet links to a target named ``anchor``
    on its last sheet."""
    writer = pypdf.PdfWriter()
    for _ in range(sheets):
        writer.add_blank_page(200, 200)
    last = writer.pages[-1].indirect_reference
    writer._root_object[NameObject("/Dests")] = DictionaryObject(
        {
            NameObject(f"/{anchor}"): ArrayObject(
                [last, NameObject("/XYZ"), FloatObject(0), FloatObject(100), NullObject()]
            )
        }
    )
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (0, 0, 50, 20)]),
            NameObject("/Dest"): NameObject(f"/{anchor}"),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    if title is not None:
        writer.add_metadata({"/Title": title})
    writer.write(path)
    return path


def test_pages_that_share_an_anchor_keep_their_links_inside_themselves(tmp_path):
    pages = [
        page_pdf(tmp_path / "one.pdf", f"I. One — {BOOK}", 2, "what-this-chapter-found"),
        page_pdf(tmp_path / "two.pdf", f"II. Two — {BOOK}", 3, "what-this-chapter-found"),
    ]
    pdf.join(pages, tmp_path / "book.pdf", BOOK)
    book = pypdf.PdfReader(tmp_path / "book.pdf")
    targets = {
        name: book.get_destination_page_number(target)
        for name, target in book.named_destinations.items()
    }
    links = [
        (sheet, annotation.get_object()["/Dest"])
        for sheet, page in enumerate(book.pages)
        for annotation in page.get("/Annots") or []
    ]
    assert [(sheet, targets[name]) for sheet, name in links] == [(0, 1), (2, 4)]
    outline = [(item.title, book.get_destination_page_number(item)) for item in book.outline]
    assert outline == [("I. One", 0), ("II. Two", 2)]
    assert book.metadata.title == BOOK and not (tmp_path / "book.pdf.part").exists()


def test_a_page_without_a_title_stops_the_join_and_writes_nothing(tmp_path):
    pages = [
        page_pdf(tmp_path / "one.pdf", f"I. One — {BOOK}", 1, "a"),
        page_pdf(tmp_path / "two.pdf", None, 1, "a"),
    ]
    with pytest.raises(ValueError, match=r"two\.pdf has no title"):
        pdf.join(pages, tmp_path / "book.pdf", BOOK)
    assert not list(tmp_path.glob("book.pdf*"))
