"""The book's Altair renderer: it refuses a chart without footer or description, gives each
chart a content-derived id (re-running a notebook rewrites identical output), and writes the
chart followed by its footer.

The chart is Altair's self-contained output (in Jupyter it fetches Vega from a CDN; the book's
build turns it into a call of ``scsChart``, which draws with the Vega libraries the book serves
itself).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
from typing import Any
from urllib.parse import quote

from altair.utils.html import spec_to_html
from altair.vegalite.v6.display import VEGA_VERSION, VEGAEMBED_VERSION, VEGALITE_VERSION

from .errors import ChartError
from .footer import footer_html

RENDERER = "scs_book"


def render(spec: dict[str, Any], **metadata: Any) -> dict[str, str]:
    """Altair renderer: the chart, then its footer, with a deterministic element id."""
    footer = spec.get("usermeta", {}).get("scs_book", {}).get("footer")
    if footer is None:
        raise ChartError("every chart of the book needs a footer: wrap it in figures.credit()")
    if not spec.get("description"):
        raise ChartError("every chart needs a text description for screen readers")
    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    chart_id = f"altair-viz-{hashlib.sha256(canonical.encode()).hexdigest()[:16]}"
    drawn = {key: value for key, value in spec.items() if key != "usermeta"}  # footer is below
    chart_html = spec_to_html(
        drawn, mode="vega-lite", vega_version=VEGA_VERSION, vegalite_version=VEGALITE_VERSION,
        vegaembed_version=VEGAEMBED_VERSION, output_div=chart_id, fullhtml=False,
        requirejs=False, template="universal",
        # No actions menu: its icon-only <summary> has no accessible name; the footer offers
        # the chart's data instead.
        embed_options={"renderer": "svg", "actions": False},
    )
    download = chart_data_link(spec)
    label = html.escape(spec["description"], quote=True)
    return {"text/html": f'<figure class="scs-chart"><div class="scs-chart-canvas" role="img" '
                         f'aria-label="{label}">{chart_html}</div>{footer_html(footer, download)}'
                         '</figure>',
            "text/plain": f"<{spec.get('title', 'chart')!s}: interactive chart>"}


def chart_data_csv(spec: dict[str, Any]) -> str:
    """Exactly the rows the chart draws (its inline datasets, geometry left out), as CSV."""
    rows: list[dict[str, Any]] = []
    for values in spec.get("datasets", {}).values():
        for record in values:
            flat = {**record.get("properties", {}), **record}
            rows.append({key: value for key, value in flat.items()
                         if key not in ("geometry", "properties", "type", "bbox")})
    columns = list(dict.fromkeys(key for row in rows for key in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


_URI_UNSAFE = {c: quote(c) for c in '%#"&<>\n\r\t'}


def _uri_escaped(text: str) -> str:
    """Percent-encode only what would break a data: URI in an HTML attribute; other characters
    (CJK included) stay as they are, which keeps pages light (browsers encode them as UTF-8)."""
    return "".join(_URI_UNSAFE.get(c, c) for c in text)


def chart_data_link(spec: dict[str, Any]) -> str:
    """A link that downloads the chart's own data: the CSV travels in the notebook's output (the
    book's build moves it to a file of its own, fetched only on download)."""
    title = spec.get("title", "chart")
    title = title.get("text", "chart") if isinstance(title, dict) else title
    title = " ".join(title) if isinstance(title, list) else str(title)  # a wrapped title
    filename = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "chart"
    href = "data:text/csv;charset=utf-8," + _uri_escaped(chart_data_csv(spec))
    return f'<a class="scs-chart-data" href="{href}" download="{filename}.csv">chart data (CSV)</a>'
