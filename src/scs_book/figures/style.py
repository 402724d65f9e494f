"""The book's one chart theme: palette, font and text sizes, registered with Altair."""

from __future__ import annotations

import altair as alt

THEME = "scs_book"

# Okabe & Ito's palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
NO_DATA_COLOUR = "#d9d9d9"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


@alt.theme.register(THEME, enable=False)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "range": {"category": PALETTE},
            "view": {"stroke": None},
            "title": {"anchor": "start", "fontSize": 15, "subtitleColor": "#555"},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridColor": "#e6e6e6"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12},
        }
    }
