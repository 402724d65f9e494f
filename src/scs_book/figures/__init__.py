"""The book's figures: one chart theme (``style``), the footer every chart carries
(``footer``), the renderer that refuses a chart without footer or description (``render``) and
the province maps (``maps``) and values printed at the end of bars (``labels``).

A notebook calls ``figures.setup()`` once, then wraps each chart in ``figures.credit()``.
"""

from __future__ import annotations

import altair as alt

from .errors import ChartError
from .footer import credit
from .labels import end_label_scale, end_labels
from .maps import (
    NOT_REPORTED,
    OUTSIDE_MAINLAND,
    REPORTED,
    china_projection,
    choropleth,
    choropleth_table,
    province_base,
)
from .render import RENDERER, chart_bundle, chart_data_csv, render
from .style import MUTED, PALETTE, TEXT_COLOUR, THEME

__all__ = [
    "MUTED",
    "NOT_REPORTED",
    "OUTSIDE_MAINLAND",
    "PALETTE",
    "REPORTED",
    "TEXT_COLOUR",
    "ChartError",
    "chart_bundle",
    "chart_data_csv",
    "china_projection",
    "choropleth",
    "choropleth_table",
    "credit",
    "end_label_scale",
    "end_labels",
    "province_base",
    "render",
    "setup",
]


def setup() -> None:
    """Activate the book's theme and renderer (call once at the top of a notebook)."""
    alt.theme.enable(THEME)
    alt.renderers.register(RENDERER, render)
    alt.renderers.enable(RENDERER)
