"""The book's one chart theme: palette, font and text sizes, and a layout that fills the
column at every width, registered with Altair.

Charts are drawn at the width of their container (``width: "container"``, ``autosize: fit``),
never at a fixed design width scaled down, so the text sizes below are the sizes a reader sees,
on a phone too. No text of a chart is smaller than :data:`MIN_FONT_SIZE`.
"""

from __future__ import annotations

import textwrap
from typing import Any

import altair as alt

THEME = "scs_book"

BACKGROUND = "#ffffff"  # charts keep a white ground in dark mode too (the page frames them)
# Okabe & Ito's palette without its light colours (orange, sky blue, yellow), which fall under
# 3:1 against white, plus a wine red: every colour a mark takes contrasts with the background
# by at least MIN_MARK_CONTRAST and stays distinguishable with common colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#882255", "#000000"]
MUTED = "#8c8c8c"  # a mark that stands for "the rest" (grey, still 3:1 on white)
NO_DATA_COLOUR = "#d9d9d9"  # map areas without data (an area, not a mark)
TEXT_COLOUR = "#333333"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

MIN_FONT_SIZE = 11
LABEL_SIZE = 12
TITLE_SIZE = 16
SUBTITLE_SIZE = 13
# Characters per line of a title and a subtitle: lines that fit the narrowest column (a phone's,
# about 340 px); a chart's title wraps at these widths, never shrinks the chart or is cut off.
TITLE_LINE = 36
SUBTITLE_LINE = 48
MIN_MARK_CONTRAST = 3.0


@alt.theme.register(THEME, enable=False)
def theme_config() -> alt.theme.ThemeConfig:
    """The theme: what every chart of the book starts from."""
    return {
        "width": "container",
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            "font": FONT,
            "background": BACKGROUND,
            "range": {"category": PALETTE},
            "view": {"stroke": None, "continuousHeight": 300},
            "padding": 4,
            "title": {
                "anchor": "start",
                "fontSize": TITLE_SIZE,
                "subtitleFontSize": SUBTITLE_SIZE,
                "subtitleColor": "#555555",
                "offset": 8,
            },
            "axis": {
                "labelFontSize": LABEL_SIZE,
                "titleFontSize": LABEL_SIZE,
                "titleFontWeight": "normal",
                "gridColor": "#e6e6e6",
                "labelColor": TEXT_COLOUR,
                "titleColor": TEXT_COLOUR,
                "labelSeparation": 4,  # a label that would touch its neighbour is left out
            },
            "legend": {
                "labelFontSize": LABEL_SIZE,
                "titleFontSize": LABEL_SIZE,
                "labelColor": TEXT_COLOUR,
                "titleColor": TEXT_COLOUR,
                "labelLimit": 0,
                "titleLimit": 0,
                # Legends above or below a chart stack from its left edge, never side by side
                # past the right edge of a phone's column.
                "layout": {
                    "top": {"direction": "vertical", "anchor": "start"},
                    "bottom": {"direction": "vertical", "anchor": "start"},
                },
            },
            "text": {"fontSize": LABEL_SIZE, "color": TEXT_COLOUR},
            "header": {"labelFontSize": LABEL_SIZE, "titleFontSize": LABEL_SIZE},
        },
    }


def wrapped_title(title: Any) -> Any:
    """A chart's title (and subtitle) broken into lines that fit a phone's column."""
    if isinstance(title, str):
        return textwrap.wrap(title, TITLE_LINE)
    if not isinstance(title, dict):
        return title
    title = dict(title)
    for key, width in (("text", TITLE_LINE), ("subtitle", SUBTITLE_LINE)):
        value = title.get(key)
        if isinstance(value, (str, list)):
            lines = [value] if isinstance(value, str) else value
            title[key] = [part for line in lines for part in textwrap.wrap(line, width)]
    return title


def contrast(colour: str, background: str = BACKGROUND) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(colour), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
