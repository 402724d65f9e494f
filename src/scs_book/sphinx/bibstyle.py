"""The bibliography style of the book's References page.

pybtex's ``plain`` style sorts entries by author, but it sorts a body written as a braced name
(``{State Council}``, the BibTeX way to keep "State Council" whole) after every personal name,
because it compares the brace. This style is ``plain`` with the braces ignored when sorting, so
the References page is alphabetical by author, as the paper's bibliography is. Select it with
``bibtex_default_style: scs_book`` (``_config.yml``).

It also fixes the bibliography's markup for assistive technology: docutils writes the list of
entries as ``role="list"`` holding ``role="doc-biblioentry"`` items, a role that ARIA 1.2
deprecates, so a list without list items (an axe-core "critical" finding). The entries are
given ``role="listitem"`` instead.
"""

from __future__ import annotations

from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.sorting.author_year_title import SortingStyle as AuthorYearTitle

NAME = "scs_book"


class SortingStyle(AuthorYearTitle):
    """Author, year, title, with the braces that protect a body's name ignored."""

    def person_key(self, person) -> str:
        return super().person_key(person).replace("{", "").replace("}", "")


class Style(UnsrtStyle):
    """pybtex's ``plain`` (``unsrt`` formatting) with :class:`SortingStyle`."""

    default_sorting_style = NAME


def _entries_as_list_items(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app) -> None:
    register_plugin("pybtex.style.sorting", NAME, SortingStyle)
    register_plugin("pybtex.style.formatting", NAME, Style)
    app.connect("html-page-context", _entries_as_list_items)
