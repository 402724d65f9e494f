"""Readable tables for the book, rendered deterministically.

A pandas Styler's plain-text form carries its memory address, which would change the stored
notebook output on every run (and trip nbval); ``table()`` renders the styled HTML once and
returns an object whose every representation is stable.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML


def table(frame: pd.DataFrame, name: str, caption: str,
          formats: dict[str, str] | None = None,
          styles: list[dict[str, str]] | None = None, index: bool = False) -> HTML:
    """``frame`` as an HTML table with a caption; ``name`` makes its element ids stable.

    ``styles``: optional pandas table styles (``[{"selector": "td", "props": "..."}]``),
    scoped to this table only. ``index``: show the row labels (e.g. of a cross-table).
    """
    styler = frame.style.set_uuid(name).set_caption(caption)
    if not index:
        styler = styler.hide(axis="index")
    if formats:
        styler = styler.format(formats)
    if styles:
        styler = styler.set_table_styles(styles)
    return HTML(styler.to_html())
