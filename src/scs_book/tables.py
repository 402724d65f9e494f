"""Readable tables for the book, rendered deterministically and lightly.

A pandas Styler's plain-text form carries its memory address, which would change the stored
notebook output on every run (and trip nbval); ``table()`` renders the HTML once and returns an
object whose every representation is stable. The HTML has one id, on the table, instead of an id
and classes on every cell (most of a Styler table's bytes); styles are scoped to that id.

Tables read as the book's prose does: every header is in sentence case, a column still named
in code (``population_2025``) in words ("Population 2025"), large whole numbers get thousands
separators (30,482,100; a column of years stays 2014), decimals two places, and a table with no
rows is not drawn as an empty grid: its caption is followed by "none".
"""

from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import HTML

from scs_book.language import mark_chinese

# Below this, whole numbers are shown as they are (years, counts, note numbers).
THOUSANDS_FROM = 10_000
_CODE_NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def table(
    frame: pd.DataFrame,
    name: str,
    caption: str,
    formats: dict[str, str] | None = None,
    styles: list[dict[str, str]] | None = None,
    index: bool = False,
) -> HTML:
    """``frame`` as an HTML table with a caption, its element id ``T_<name>``.

    ``formats``: format strings by column, beside (and before) the default number formats.
    ``styles``: optional CSS rules (``[{"selector": "td", "props": "..."}]``; the selector ``""``
    is the table itself), scoped to this table only. ``index``: show the row labels (e.g. of a
    cross-table). Cells are written as given: HTML in them is kept (the timeline's line breaks),
    so text that may hold ``<`` or ``&`` is escaped by the caller (as the claims tables do).
    Runs of Chinese are marked ``lang="zh-Hans"``.
    """
    table_id = f"T_{name}"
    if frame.empty:
        return HTML(
            f'<p id="{table_id}" class="scs-empty-table"><span class="caption-text">'
            f"{caption}</span>: none.</p>"
        )
    formats = {**number_formats(frame), **(formats or {})}
    styler = headed(frame, index).style.set_caption(caption)
    if not index:
        styler = styler.hide(axis="index")
    styler = styler.format(
        {readable_header(column): spec for column, spec in formats.items()}, na_rep="–"
    )
    lines = (line.strip() for line in styler.to_html(exclude_styles=True).splitlines())
    body = "\n".join(lines).replace("<th >", "<th>").replace("<td >", "<td>")
    if not body.startswith("<table>"):
        raise ValueError(f"table {name!r}: pandas wrote no plain <table> element")
    body = mark_chinese(f'<table id="{table_id}">' + body[len("<table>") :])
    return HTML(_scoped_style(table_id, styles or []) + body)


def readable_header(label):
    """A header in sentence case: a column named in code (``per_1000_printed``) as words ("Per
    1000 printed"), any other label with a capital first letter ("confirmed by source" as
    "Confirmed by source"), as every header of the book reads."""
    if not isinstance(label, str) or not label:
        return label
    if _CODE_NAME.fullmatch(label):
        label = html.escape(label.replace("_", " "))
    return label[0].upper() + label[1:]


def headed(frame: pd.DataFrame, index: bool) -> pd.DataFrame:
    """``frame`` with readable headers: its column labels, the names of its axes and, when the
    row labels are shown (``index``), those too."""
    frame = frame.rename(columns=readable_header, index=readable_header if index else None)
    frame.columns.name = readable_header(frame.columns.name)
    frame.index.name = readable_header(frame.index.name)
    return frame


def number_formats(frame: pd.DataFrame) -> dict[str, str]:
    """Thousands separators for large whole numbers, two decimals for fractions."""
    formats = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
            continue
        whole = values.dropna()
        large = not whole.empty and whole.abs().max() >= THOUSANDS_FROM
        if pd.api.types.is_integer_dtype(values):
            if large:
                formats[column] = "{:,}"
        elif (whole == whole.round()).all():
            formats[column] = "{:,.0f}" if large else "{:.0f}"
        else:
            formats[column] = "{:,.2f}"
    return formats


def _scoped_style(table_id: str, styles: list[dict[str, str]]) -> str:
    rules = []
    for style in styles:
        selectors = ", ".join(
            f"#{table_id} {part.strip()}".rstrip() for part in style["selector"].split(",")
        )
        rules.append(f"{selectors} {{{style['props']}}}")
    return f"<style>{' '.join(rules)}</style>" if rules else ""
