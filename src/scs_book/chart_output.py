"""The chart output form the book defines, shared by the notebooks' renderer
(:mod:`scs_book.figures.render`) and the book's Sphinx extension (:mod:`scs_book.sphinx`); it
imports nothing heavy.

A chart is a MIME bundle whose :data:`CHART_MIME` entry holds ``{"version", "id", "title",
"description", "spec", "footer_html", "table": {"columns", "rows"}, "filename"}``.

JSON written inside an HTML ``<script>`` goes through :func:`script_json`: a data value can hold
``</script>``, ``<!--`` or the line separators U+2028/U+2029; escaped as ``\\u`` sequences (valid
JSON, the same value once parsed), no data value can end or alter the script.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

CHART_MIME = "application/vnd.scs-book.chart+json"
BUNDLE_VERSION = 1
BUNDLE_KEYS = ("version", "id", "title", "description", "spec", "footer_html", "table", "filename")
# Run before a chart is drawn, in the book's pages and in a chart's Jupyter fallback alike: it
# wraps the title to the width the chart is drawn at (``scsFitTitle(spec, width)``).
TITLE_SCRIPT = Path(__file__).with_name("chart_title.js")

_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def script_json(value: Any) -> str:
    """``value`` as compact UTF-8 JSON in which no character can end or alter a script."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).translate(
        _ESCAPES
    )


def canvas_html(bundle: dict[str, Any]) -> str:
    """The element a chart is drawn into, named for screen readers by its description."""
    label = html.escape(bundle["description"], quote=True)
    return (
        f'<div class="scs-chart-canvas" role="img" aria-label="{label}">'
        f'<div class="scs-chart-view" id="{html.escape(bundle["id"])}"></div></div>'
    )


def dataset_rows(values: list[Any]) -> list[dict[str, Any]]:
    """An inline dataset's rows, a GeoJSON feature's properties lifted to its top level."""
    return [{**row.get("properties", {}), **row} for row in values if isinstance(row, dict)]


def inline_datasets(spec: dict[str, Any]) -> list[list[Any]]:
    """The values of a spec's inline datasets, in order: a Vega-Lite spec's ``datasets``, or
    the ``values`` of a Vega spec's ``data``."""
    if "datasets" in spec:
        return list(spec["datasets"].values())
    return [
        entry["values"] for entry in spec.get("data", []) if isinstance(entry.get("values"), list)
    ]


def table_rows(datasets: list[list[Any]], fields: list[str]) -> list[list[Any]]:
    """The rows of inline ``datasets`` (``inline_datasets``), as lists of ``fields`` (a missing
    value is ""); a dataset holding none of the fields is left out, identical rows are kept
    once. ``scs-charts.js`` does the same in the page (``tableRows``)."""
    seen, rows = set(), []
    for values in datasets:
        for record in dataset_rows(values):
            if not any(field in record for field in fields):
                continue
            row = ["" if record.get(field) is None else record[field] for field in fields]
            key = json.dumps(row, separators=(",", ":"), ensure_ascii=False)
            if key not in seen:
                seen.add(key)
                rows.append(row)
    return rows


def bundle_problems(bundle: Any) -> list[str]:
    """What is wrong with a chart bundle read from a notebook (empty if nothing)."""
    if not isinstance(bundle, dict):
        return ["the chart output is not a JSON object"]
    problems = [f"it lacks '{key}'" for key in BUNDLE_KEYS if key not in bundle]
    if not problems and bundle["version"] != BUNDLE_VERSION:
        problems.append(f"its version is {bundle['version']!r}, this book reads {BUNDLE_VERSION}")
    if not problems and not (isinstance(bundle["spec"], dict) and bundle["description"]):
        problems.append("it has no spec or no description")
    return problems
