"""Readable tables for the book, rendered deterministically and lightly.

A pandas Styler's plain-text form carries its memory address, which would change the stored
notebook output on every run (and trip nbval); ``table()`` renders the HTML once and returns an
object whose every representation is stable. The HTML has one id, on the table, instead of an id
and classes on every cell (most of a Styler table's bytes); styles are scoped to that id.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from scs_book.language import mark_chinese


def table(frame: pd.DataFrame, name: str, caption: str,
          formats: dict[str, str] | None = None,
          styles: list[dict[str, str]] | None = None, index: bool = False) -> HTML:
    """``frame`` as an HTML table with a caption, its element id ``T_<name>``.

    ``styles``: optional CSS rules (``[{"selector": "td", "props": "..."}]``; the selector ``""``
    is the table itself), scoped to this table only. Runs of Chinese are marked ``lang="zh-Hans"``. ``index``: show the row labels (e.g. of a
    cross-table). Cells are written as given: HTML in them is kept (the timeline's line breaks),
    so text that may hold ``<`` or ``&`` is escaped by the caller (as the claims tables do).
    """
    styler = frame.style.set_caption(caption)
    if not index:
        styler = styler.hide(axis="index")
    if formats:
        styler = styler.format(formats)
    table_id = f"T_{name}"
    lines = (line.strip() for line in styler.to_html(exclude_styles=True).splitlines())
    body = "\n".join(lines).replace("<th >", "<th>").replace("<td >", "<td>")
    if not body.startswith("<table>"):
        raise ValueError(f"table {name!r}: pandas wrote no plain <table> element")
    body = mark_chinese(f'<table id="{table_id}">' + body[len("<table>"):])
    return HTML(_scoped_style(table_id, styles or []) + body)


def _scoped_style(table_id: str, styles: list[dict[str, str]]) -> str:
    rules = []
    for style in styles:
        selectors = ", ".join(f"#{table_id} {part.strip()}".rstrip()
                              for part in style["selector"].split(","))
        rules.append(f"{selectors} {{{style['props']}}}")
    return f"<style>{' '.join(rules)}</style>" if rules else ""
