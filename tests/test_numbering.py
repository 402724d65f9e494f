"""Chapters and figures are numbered as the introduction promises, titles are unique, and the
generated prose agrees with the tables beside it."""

from __future__ import annotations

import html
import json
import re

import pytest

pytestmark = pytest.mark.slow

CHAPTERS = {
    "01_general_framework": "I",
    "02_history": "II",
    "03_reality": "III",
    "05_conclusions": "V",
}
BUNDLE = re.compile(r'<script type="application/json" class="scs-chart-bundle">(.*?)</script>')
# The article's own figures and tables, redrawn; or the book's own, "Figure II.1 (book): ...".
ARTICLE_FIGURE = re.compile(r"(Figure|Table)s? \d+( and \d+)?\b[^:()]*: ")
BOOK_FIGURE = re.compile(r"Figure ([IVX]+)\.(\d+) \(book\): ")


def chart_titles(page: str) -> list[str]:
    return [json.loads(bundle)["title"] for bundle in BUNDLE.findall(page)]


def text_of(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_chapters_are_numbered_i_ii_iii_v(built_book):
    for name, numeral in CHAPTERS.items():
        page = (built_book / "notebooks" / f"{name}.html").read_text(encoding="utf-8")
        heading = text_of(re.search(r"<h1>(.*?)</h1>", page, re.S)[1]).strip()
        assert heading.startswith(f"{numeral}. "), (name, heading)
    intro = (built_book / "book" / "intro.html").read_text(encoding="utf-8")
    for numeral in CHAPTERS.values():
        assert f">{numeral}. " in intro, f"the introduction's table names chapter {numeral}"


def test_every_chart_is_numbered_as_promised_and_titles_are_unique(built_book):
    seen = {}
    for name, numeral in CHAPTERS.items():
        page = (built_book / "notebooks" / f"{name}.html").read_text(encoding="utf-8")
        own = []
        for title in chart_titles(page):
            book = BOOK_FIGURE.match(title)
            assert book or ARTICLE_FIGURE.match(title), f"{name}: unnumbered chart {title!r}"
            if book:
                assert book[1] == numeral, f"{name}: {title!r} is numbered for another chapter"
                own.append(int(book[2]))
            seen.setdefault(title.split(":")[0], []).append(name)
        assert own == list(range(1, len(own) + 1)), f"{name}: book figures numbered {own}"
    repeated = {number: pages for number, pages in seen.items() if len(pages) > 1}
    assert not repeated, f"charts share a number: {repeated}"


def test_chapter_ii_counts_its_events_as_its_table_does(built_book):
    """The 11-then-12 slip: the prose's count of Section II's events up to 2014 is the table's."""
    page = (built_book / "notebooks" / "02_history.html").read_text(encoding="utf-8")
    row = re.search(r"<tr>\s*<td>Section II</td>(.*?)</tr>", page, re.S)[1]
    in_table = int(re.findall(r"<td>(\d+)</td>", row)[-1])
    prose = re.search(
        r"Section II itself dates (\d+) events: (\d+) up to 2014.*? and (\d+) after", text_of(page)
    )
    assert prose, "the sentence counting Section II's events"
    total, up_to_2014, later = map(int, prose.groups())
    assert up_to_2014 == in_table and total == up_to_2014 + later
