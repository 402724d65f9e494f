"""The footer under every chart, short in the manner of Our World in Data: one source line, a
note, a licence, and one link to the full provenance. ``credit()`` attaches it to a chart.

The sources are those of the columns the chart encodes: a source or licence of
``data/datapackage.json`` that lists ``fields`` is cited only for a chart that draws one of
them; one without ``fields`` covers its whole resource. The full record (every source, licence,
access date and checksum) is on the About-the-data page, which the footer links to.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any

import altair as alt
import pandas as pd

from ..datapackage import dataset
from ..language import mark_chinese
from ..provenance import anchor
from .errors import ChartError
from .style import wrapped_title

PROVENANCE_PAGE = "../book/about-data.html"  # chart pages sit one level below the book's root
BOOK_LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}
# Content licences a footer names. Software licences of the packages some data came through
# (MIT, LGPL) and statements that are not licences ("facts from the paper") are left to the
# full provenance.
LICENCE_LABELS = {
    "CC-BY-4.0": "CC BY 4.0",
    "CC0-1.0": "CC0 1.0",
    "ODbL-1.0": "ODbL 1.0",
    "public-domain": "public domain",
}
MAX_TEXT = 300  # characters of footer text (source, note, licence, link words)
MAX_NOTE = 160

Drawn = pd.DataFrame | tuple[pd.DataFrame, Iterable[str]]


def credit(
    chart: alt.TopLevelMixin,
    *drawn: Drawn,
    description: str,
    note: str | None = None,
    rows: pd.DataFrame | None = None,
) -> alt.TopLevelMixin:
    """Attach the footer and a screen-reader description to ``chart``.

    ``drawn`` are the loaded datasets the chart shows (frames returned by ``scs_book.data``).
    The columns the chart draws from each are the dataset's columns it encodes; a chart that
    draws columns computed from a dataset names them: ``(frame, ["cameras", "population"])``.
    ``rows``: the rows the chart shows, under the column names a reader sees: what its data
    table and CSV download offer (without it, the renderer derives them from the encodings).
    """
    if not drawn:
        raise ChartError("credit() needs the loaded dataset(s) behind the chart")
    if note and len(note) > MAX_NOTE:
        raise ChartError(
            f"a chart's note is at most {MAX_NOTE} characters (this one has "
            f"{len(note)}); say more in the text around the chart"
        )
    encoded = encoded_fields(chart.to_dict())
    used = [_columns_used(item, encoded) for item in drawn]
    footer = {
        "sources": sources_of(used),
        "note": note,
        "licenses": licences_of(used),
        "provenance": used[0][0]["name"],
    }
    text = footer_text(footer)
    if len(text) > MAX_TEXT:
        raise ChartError(
            f"the footer of a chart is at most {MAX_TEXT} characters; this one has "
            f"{len(text)}: {text!r}"
        )
    chart = chart.properties(description=description)
    if chart.title is not alt.Undefined:
        chart.title = wrapped_title(chart.to_dict()["title"])
    chart.usermeta = {"scs_book": {"footer": footer}}
    if rows is not None:
        chart.usermeta["scs_book"]["table"] = reader_table(rows)
    return chart


def reader_table(rows: pd.DataFrame) -> dict[str, list]:
    """A chart's rows as its bundle carries them: column names and rows of plain JSON values
    (a missing value is empty)."""
    if rows.empty or not len(rows.columns):
        raise ChartError("a chart's rows need at least one column and one row")
    split = json.loads(rows.to_json(orient="split", index=False, date_format="iso"))
    return {
        "columns": [str(column) for column in split["columns"]],
        "rows": [["" if value is None else value for value in row] for row in split["data"]],
    }


def encoded_fields(spec: Any) -> set[str]:
    """Every field named in an ``encoding`` of the spec (channels, tooltips, sort fields)."""
    found: set[str] = set()

    def fields_in(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("field"), str):
                found.add(value["field"])
            for item in value.values():
                fields_in(item)
        elif isinstance(value, list):
            for item in value:
                fields_in(item)

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "encoding":
                    fields_in(item)
                elif key != "datasets":
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(spec)
    return found


def _columns_used(item: Drawn, encoded: set[str]) -> tuple[dict[str, Any], list[str]]:
    frame, columns = (item, None) if isinstance(item, pd.DataFrame) else item
    meta = frame.attrs.get("dataset") if isinstance(frame, pd.DataFrame) else None
    if not meta:
        raise ChartError(
            "credit() takes the loaded datasets, frames returned by scs_book.data loaders (their "
            "metadata names the sources and licences)"
        )
    names = [field["name"] for field in dataset(meta["name"]).fields]
    if columns is None:
        columns = [name for name in names if name in encoded]
        if not columns:
            raise ChartError(
                f"the chart encodes no column of {meta['name']}; name the columns "
                f"it draws from it: ({meta['name']} frame, [columns])"
            )
    unknown = sorted(set(columns) - set(names))
    if unknown:
        raise ChartError(f"{meta['name']} has no column {', '.join(unknown)}")
    return meta, list(columns)


def _covers(entry: dict[str, Any], columns: list[str]) -> bool:
    return "fields" not in entry or bool(set(entry["fields"]) & set(columns))


def sources_of(used: list[tuple[dict[str, Any], list[str]]]) -> list[dict[str, Any]]:
    """The sources of the columns drawn, each named once (by its short name)."""
    found: dict[str, dict[str, Any]] = {}
    for meta, columns in used:
        for source in meta["sources"]:
            if _covers(source, columns):
                name = source.get("short", source["title"])
                found.setdefault(name, {"name": name, "path": source.get("path", "")})
    return list(found.values())


def licences_of(used: list[tuple[dict[str, Any], list[str]]]) -> list[dict[str, Any]]:
    """The licences of the columns drawn that are licences (with a name the book knows and a
    text to link to), each once, after the book's own licence for the chart."""
    found: dict[str, dict[str, Any]] = {}
    for meta, columns in used:
        for licence in meta["licenses"]:
            if (
                licence["name"] in LICENCE_LABELS
                and licence.get("path")
                and _covers(licence, columns)
            ):
                found.setdefault(licence["name"], licence)
    return [BOOK_LICENCE, *found.values()]


def footer_text(footer: dict[str, Any]) -> str:
    """The footer's words, as a reader sees them (what :data:`MAX_TEXT` limits)."""
    return html.unescape(re.sub(r"<[^>]+>", "", footer_html(footer).replace("</p>", " "))).strip()


def footer_html(footer: dict[str, Any], chart_data: str = "") -> str:
    """The footer under a chart, as HTML; ``chart_data``: download links to add to it."""
    sources = "; ".join(html.escape(source["name"]) for source in footer["sources"])
    parts = [f"<p><strong>Source:</strong> {sources}.</p>"]
    if footer.get("note"):
        parts.append(f"<p><strong>Note:</strong> {html.escape(footer['note'])}</p>")
    chart_licence, *data_licences = footer["licenses"]
    same = any(item["name"] == chart_licence["name"] for item in data_licences)
    licence = f"{_licence_link(chart_licence)} ({'chart and data' if same else 'chart'})"
    others = [item for item in data_licences if item["name"] != chart_licence["name"]]
    if others:
        licence += "; data " + ", ".join(_licence_link(item) for item in others)
    provenance = f"{PROVENANCE_PAGE}#{anchor(footer['provenance'])}"
    downloads = f" · {chart_data}" if chart_data else ""
    parts.append(
        f'<p><strong>Licence:</strong> {licence} · <a href="{html.escape(provenance)}">'
        f"Full provenance</a>{downloads}</p>"
    )
    return mark_chinese(f'<figcaption class="scs-chart-footer">{"".join(parts)}</figcaption>')


def _licence_link(licence: dict[str, Any]) -> str:
    label = LICENCE_LABELS.get(licence["name"], licence["name"])
    return f'<a href="{html.escape(licence["path"])}" rel="license">{html.escape(label)}</a>'
