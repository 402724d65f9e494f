"""The footer under every chart, in the manner of Our World in Data: source(s), note, licence
and links to the data behind the chart. ``credit()`` attaches it to a chart."""

from __future__ import annotations

import html
from typing import Any

import altair as alt
import pandas as pd

from ..language import mark_chinese
from .errors import ChartError

DATA_URL_PREFIX = "../data/"  # notebooks/ and the built pages both sit one level below data/
BIBLIOGRAPHY_URL = (
    "../book/references.html"  # anchors "#cite-<key>" (bibtex_cite_id in _config.yml)
)


def credit(
    chart: alt.TopLevelMixin, *frames: pd.DataFrame, description: str, note: str | None = None
) -> alt.TopLevelMixin:
    """Attach the footer (sources, note, licence, data links) and a screen-reader description.

    ``frames`` are the loaded datasets the chart shows; their metadata (``attrs["dataset"]``,
    set by the loaders) supplies the sources, licences and data files.
    """
    datasets = [frame.attrs.get("dataset") for frame in frames]
    if not datasets or any(not meta for meta in datasets):
        raise ChartError(
            "credit() needs the loaded dataset(s) behind the chart, as returned by "
            "scs_book.data loaders (their metadata names sources and licences)"
        )
    chart = chart.properties(description=description)
    chart.usermeta = {"scs_book": {"footer": _footer(datasets, note)}}
    return chart


def _footer(datasets: list[dict[str, Any]], note: str | None) -> dict[str, Any]:
    sources, licences, files = {}, {}, []
    for meta in datasets:
        sources.update({source["title"]: source for source in meta["sources"]})
        licences.update({licence["title"]: licence for licence in meta["licenses"]})
        files.append({"name": meta["path"], "title": meta["title"]})
    return {
        "sources": list(sources.values()),
        "note": note,
        "licenses": list(licences.values()),
        "files": files,
    }


def footer_html(footer: dict[str, Any], chart_data: str) -> str:
    """The footer under a chart, as HTML."""
    sources = "; ".join(
        _linked(s)
        + (
            f" (the paper's note {', '.join(map(str, s['paper_footnotes']))})"
            if s.get("paper_footnotes")
            else ""
        )
        for s in footer["sources"]
    )
    licences = "; ".join(_linked(item) for item in footer["licenses"])
    files = " · ".join(
        f'<a href="{DATA_URL_PREFIX}{html.escape(item["name"])}" download>'
        f"{html.escape(item['name'])}</a>"
        for item in footer["files"]
    )
    parts = [f"<p><strong>Source:</strong> {sources}</p>"]
    if footer.get("note"):
        parts.append(f"<p><strong>Note:</strong> {html.escape(footer['note'])}</p>")
    parts.append(f"<p><strong>Licence:</strong> {licences}</p>")
    chart_data = f"{chart_data} · " if chart_data else ""
    parts.append(f"<p><strong>Data:</strong> {chart_data}full datasets: {files}</p>")
    return mark_chinese(f'<figcaption class="scs-chart-footer">{"".join(parts)}</figcaption>')


def _linked(item: dict[str, Any]) -> str:
    """A source or licence title, linked to its entry in the book's bibliography when it has
    one (``bib_key``), else to its web address when it has one."""
    title = html.escape(item["title"])
    path = item.get("path", "")
    if item.get("bib_key"):
        anchor = "cite-" + item["bib_key"].replace("_", "-")  # docutils turns "_" into "-" in ids
        return f'<a href="{BIBLIOGRAPHY_URL}#{html.escape(anchor)}">{title}</a>'
    return f'<a href="{html.escape(path)}">{title}</a>' if path.startswith("http") else title
