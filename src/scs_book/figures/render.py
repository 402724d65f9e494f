"""The book's Altair renderer and the chart output form the book defines.

``render`` refuses a chart without footer or description and returns a MIME bundle:

* ``application/vnd.scs-book.chart+json`` (:mod:`scs_book.chart_output`), what the book's
  Sphinx extension (``scs_book.sphinx``) draws into the page: ``spec`` is the Vega-Lite spec
  without the footer; ``table`` the rows the chart shows, under the names a reader sees (the CSV
  download and the data-table view);
* ``text/html``, the fallback Jupyter shows: the same chart drawn with the book's own pinned
  Vega, served by the Jupyter server (``jupyter_loader.js``), never a CDN;
* ``text/plain``.

The id is derived from the content, so re-running a notebook rewrites identical output. JSON
written inside a ``<script>`` goes through :func:`scs_book.chart_output.script_json`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..chart_output import (
    BUNDLE_VERSION,
    CHART_MIME,
    TITLE_SCRIPT,
    canvas_html,
    dataset_rows,
    inline_datasets,
    script_json,
    table_rows,
)
from .errors import ChartError
from .footer import footer_html

RENDERER = "scs_book"
FIT_COLUMN = ".scs-chart-view.vega-embed{width:100%;display:flex}"  # as in the book's pages
_LOADER = "\n".join(
    path.read_text(encoding="utf-8").strip()
    for path in (TITLE_SCRIPT, Path(__file__).with_name("jupyter_loader.js"))
)


def render(spec: dict[str, Any], **metadata: Any) -> dict[str, Any]:
    """Altair renderer: the chart's bundle, its Jupyter fallback and a plain-text line."""
    bundle = chart_bundle(spec)
    return {
        CHART_MIME: bundle,
        "text/html": jupyter_html(bundle),
        "text/plain": f"<{bundle['title']}: interactive chart>",
    }


def chart_bundle(spec: dict[str, Any]) -> dict[str, Any]:
    """The book's chart output for ``spec`` (a Vega-Lite dict whose usermeta holds the footer)."""
    footer = spec.get("usermeta", {}).get("scs_book", {}).get("footer")
    if footer is None:
        raise ChartError("every chart of the book needs a footer: wrap it in figures.credit()")
    if not spec.get("description"):
        raise ChartError("every chart needs a text description for screen readers")
    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    drawn = {key: value for key, value in spec.items() if key != "usermeta"}  # footer is below
    title = chart_title(spec)
    return {
        "version": BUNDLE_VERSION,
        "id": f"scs-chart-{hashlib.sha256(canonical.encode()).hexdigest()[:16]}",
        "title": title,
        "description": spec["description"],
        "spec": drawn,
        "footer_html": footer_html(footer, ""),
        "table": spec.get("usermeta", {}).get("scs_book", {}).get("table") or chart_table(spec),
        "filename": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "chart",
    }


def chart_title(spec: dict[str, Any]) -> str:
    title = spec.get("title", "chart")
    title = title.get("text", "chart") if isinstance(title, dict) else title
    return " ".join(title) if isinstance(title, list) else str(title)


def jupyter_html(bundle: dict[str, Any]) -> str:
    """The chart as Jupyter shows it: drawn by ``jupyter_loader.js``, footer and CSV link below."""
    chart_id = bundle["id"]
    data = {"spec": bundle["spec"]}
    href = "data:text/csv;charset=utf-8," + _uri_escaped(table_csv(bundle["table"]))
    link = (
        f'<p class="scs-chart-downloads"><a class="scs-chart-data" href="{href}" '
        f'download="{bundle["filename"]}.csv">Chart data (CSV)</a></p>'
    )
    return (
        f'<figure class="scs-chart"><style>{FIT_COLUMN}</style>{canvas_html(bundle)}'
        f'<script type="application/json" class="scs-chart-bundle">{script_json(data)}'
        f"</script><script>{_LOADER}({script_json(chart_id)});</script>"
        f"{bundle['footer_html']}{link}</figure>"
    )


# --- the chart's own rows ----------------------------------------------------------------------

_DROPPED = ("geometry", "properties", "type", "bbox")


def table_fields(spec: dict[str, Any], titles: dict[str, str]) -> list[str]:
    """The encoded fields the inline datasets hold, in the order they first appear."""
    fields: list[str] = []
    for values in spec.get("datasets", {}).values():
        for row in dataset_rows(values):
            fields += [key for key in row if key in titles and key not in fields]
    return fields


def encoded_fields(spec: Any) -> dict[str, str]:
    """Every field the chart encodes (axes, colours, tooltips...), with the name a reader sees:
    its tooltip title, else the title of another channel, else the field's own name."""
    titles: dict[str, list[tuple[bool, str]]] = {}

    def walk(node: Any, in_tooltip: bool) -> None:
        if isinstance(node, dict):
            field = node.get("field")
            if isinstance(field, str) and field not in _DROPPED:
                title = node.get("title")
                title = " ".join(title) if isinstance(title, list) else title
                titles.setdefault(field, [])
                if title:
                    titles[field].append((in_tooltip, str(title)))
            for key, value in node.items():
                if key != "datasets":
                    walk(value, in_tooltip or key == "tooltip")
        elif isinstance(node, list):
            for item in node:
                walk(item, in_tooltip)

    walk(spec, False)
    found: dict[str, str] = {}
    for field, named in titles.items():
        best = next((t for tooltip, t in named if tooltip), named[0][1] if named else field)
        found[field] = f"{best} ({field})" if best in found.values() else best
    return found


def chart_table(spec: dict[str, Any]) -> dict[str, list]:
    """The rows a chart shows when its author gave none (``credit(rows=...)``): its inline
    datasets' encoded columns (geometry and internal columns left out), under reader-facing
    names; identical rows once."""
    titles = encoded_fields(spec)
    fields = table_fields(spec, titles)
    return {
        "columns": [titles[field] for field in fields],
        "fields": fields,
        "rows": table_rows(inline_datasets(spec), fields),
    }


def table_csv(table: dict[str, list]) -> str:
    """A chart's table as CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table["columns"])
    writer.writerows(table["rows"])
    return buffer.getvalue()


def chart_data_csv(spec: dict[str, Any]) -> str:
    """The rows the chart shows, as CSV (see :func:`chart_table`)."""
    return table_csv(chart_table(spec))


_URI_UNSAFE = {c: quote(c) for c in '%#"&<>\n\r\t'}


def _uri_escaped(text: str) -> str:
    """Percent-encode only what would break a data: URI in an HTML attribute; other characters
    (CJK included) stay as they are (browsers encode them as UTF-8)."""
    return "".join(_URI_UNSAFE.get(c, c) for c in text)
