"""Values printed at the end of bars (or beside dots), kept inside the chart at every width.

A label past the end of the longest bar needs room that does not grow with the chart: padding
the scale's domain by a share of its largest value gives it a few pixels on a phone, where the
label then runs out of the chart. The value scale here stops short of the plot's right edge by
the width of the longest label instead, in pixels, whatever the width of the column.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import altair as alt

from .style import LABEL_SIZE, TEXT_COLOUR

# Width of one character of a value label, in ems: digits, points and commas of the book's
# sans-serif faces are 0.5 to 0.6 em wide; a little more keeps the estimate on the safe side.
CHARACTER_WIDTH = 0.65
GAP = 3  # pixels between the end of a bar and its label


def label_room(values: Iterable[float], number_format: str = "", gap: int = GAP) -> int:
    """Pixels the longest of ``values``, written with ``number_format`` (a Python format that d3
    writes alike, e.g. ``".2f"``, ``","``), takes past the end of its bar."""
    longest = max(len(f"{value:{number_format}}") for value in values)
    return gap + math.ceil(longest * CHARACTER_WIDTH * LABEL_SIZE)


def end_label_scale(
    values: Iterable[float], number_format: str = "", gap: int = GAP, **scale: Any
) -> alt.Scale:
    """A value scale whose range ends ``label_room`` pixels short of the plot's right edge, so
    that the value printed past the longest bar stays inside the chart on a phone too.
    ``scale`` holds further properties of the scale (``domain``, ``nice``...)."""
    room = label_room(values, number_format, gap)
    return alt.Scale(range=[0, {"expr": f"max(width - {room}, 0)"}], **scale)


def end_labels(marks: alt.Chart, field: str, number_format: str = "", gap: int = GAP) -> alt.Chart:
    """Each of ``marks``' values (the quantitative ``field`` on x) printed just past its end,
    in the text colour; the marks' scale is an :func:`end_label_scale` with the same format."""
    return marks.mark_text(align="left", dx=gap).encode(
        text=alt.Text(f"{field}:Q", format=number_format), color=alt.value(TEXT_COLOUR)
    )
