"""Readable tables for the book, rendered deterministically.

A pandas Styler's plain-text form carries its memory address, which would change the stored
notebook output on every run (and trip nbval); ``table()`` renders the styled HTML once and
returns an object whose every representation is stable.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML


def table(frame: pd.DataFrame, name: str, caption: str,
          formats: dict[str, str] | None = None) -> HTML:
    """``frame`` as an HTML table with a caption; ``name`` makes its element ids stable."""
    styler = frame.style.hide(axis="index").set_uuid(name).set_caption(caption)
    if formats:
        styler = styler.format(formats)
    return HTML(styler.to_html())
