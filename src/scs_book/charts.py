"""The book's one chart style, renderer and footer.

``setup()`` activates a renderer that (a) writes Altair's self-contained chart output (in
Jupyter it fetches Vega from a CDN; the book's build turns it into a call of ``scsChart``, which
draws with the Vega libraries the book serves itself), (b) gives each chart a content-derived
id, so re-running a notebook rewrites identical output, and (c) writes under every chart a
footer in the manner of Our World in Data: source(s), note, licence and a link to the data file
behind the chart. ``credit()`` attaches that footer; the renderer refuses a chart without one.
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

import altair as alt
import pandas as pd
from altair.utils.html import spec_to_html
from altair.vegalite.v6.display import VEGA_VERSION, VEGAEMBED_VERSION, VEGALITE_VERSION

RENDERER = "scs_book"
THEME = "scs_book"
DATA_URL_PREFIX = "../data/"  # notebooks/ and the built pages both sit one level below data/
BIBLIOGRAPHY_URL = "../book/references.html"  # anchors "#cite-<key>" (bibtex_cite_id in _config.yml)

# Okabe & Ito's palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
NO_DATA_COLOUR = "#d9d9d9"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


class ChartError(ValueError):
    """A chart was rendered without the footer every chart of the book carries."""


def setup() -> None:
    """Activate the book's theme and renderer (call once at the top of a notebook)."""
    alt.theme.enable(THEME)
    alt.renderers.register(RENDERER, render)
    alt.renderers.enable(RENDERER)


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


def credit(chart: alt.TopLevelMixin, *frames: pd.DataFrame, description: str,
           note: str | None = None) -> alt.TopLevelMixin:
    """Attach the footer (sources, note, licence, data links) and a screen-reader description.

    ``frames`` are the loaded datasets the chart shows; their metadata (``attrs["dataset"]``,
    set by the loaders) supplies the sources, licences and data files.
    """
    datasets = [frame.attrs.get("dataset") for frame in frames]
    if not datasets or any(not meta for meta in datasets):
        raise ChartError("credit() needs the loaded dataset(s) behind the chart, as returned by "
                         "scs_book.data loaders (their metadata names sources and licences)")
    chart = chart.properties(description=description)
    chart.usermeta = {"scs_book": {"footer": _footer(datasets, note)}}
    return chart


def _footer(datasets: list[dict[str, Any]], note: str | None) -> dict[str, Any]:
    sources, licences, files = {}, {}, []
    for meta in datasets:
        sources.update({source["title"]: source for source in meta["sources"]})
        licences.update({licence["title"]: licence for licence in meta["licenses"]})
        files.append({"name": meta["path"], "title": meta["title"]})
    return {"sources": list(sources.values()), "note": note, "licenses": list(licences.values()),
            "files": files}


def render(spec: dict[str, Any], **metadata: Any) -> dict[str, str]:
    """Altair renderer: the chart, then its footer, with a deterministic element id."""
    footer = spec.get("usermeta", {}).get("scs_book", {}).get("footer")
    if footer is None:
        raise ChartError("every chart of the book needs a footer: wrap it in charts.credit()")
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
    title = title.get("text", "chart") if isinstance(title, dict) else str(title)
    filename = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "chart"
    href = "data:text/csv;charset=utf-8," + _uri_escaped(chart_data_csv(spec))
    return f'<a class="scs-chart-data" href="{href}" download="{filename}.csv">chart data (CSV)</a>'


def footer_html(footer: dict[str, Any], chart_data: str) -> str:
    """The footer under a chart, as HTML."""
    sources = "; ".join(
        _linked(s) + (f' (the paper\'s note {", ".join(map(str, s["paper_footnotes"]))})'
                      if s.get("paper_footnotes") else "")
        for s in footer["sources"])
    licences = "; ".join(_linked(item) for item in footer["licenses"])
    files = " · ".join(
        f'<a href="{DATA_URL_PREFIX}{html.escape(item["name"])}" download>'
        f'{html.escape(item["name"])}</a>' for item in footer["files"])
    parts = [f"<p><strong>Source:</strong> {sources}</p>"]
    if footer.get("note"):
        parts.append(f"<p><strong>Note:</strong> {html.escape(footer['note'])}</p>")
    parts.append(f"<p><strong>Licence:</strong> {licences}</p>")
    parts.append(f"<p><strong>Data:</strong> {chart_data} · full datasets: {files}</p>")
    return f'<figcaption class="scs-chart-footer">{"".join(parts)}</figcaption>'


AREA_KINDS = {  # boundary `kind` -> legend label and fill
    "mainland": ("Provincial-level division (mainland)", NO_DATA_COLOUR),
    "sar": ("Special administrative region (Hong Kong, Macao)", "#ececec"),
    "taiwan": ("Taiwan", "#f4f4f4"),
    "disputed": ("Disputed (Paracel Islands)", "#fafafa"),
}


def _linked(item: dict[str, Any]) -> str:
    """A source or licence title, linked to its entry in the book's bibliography when it has
    one (``bib_key``), else to its web address when it has one."""
    title = html.escape(item["title"])
    path = item.get("path", "")
    if item.get("bib_key"):
        anchor = "cite-" + item["bib_key"].replace("_", "-")  # docutils turns "_" into "-" in ids
        return f'<a href="{BIBLIOGRAPHY_URL}#{html.escape(anchor)}">{title}</a>'
    return f'<a href="{html.escape(path)}">{title}</a>' if path.startswith("http") else title


def province_base(boundaries: pd.DataFrame) -> alt.Chart:
    """The grey base map; Hong Kong, Macao, Taiwan and the Paracel Islands shaded and labelled."""
    labelled = boundaries.assign(area_kind=boundaries["kind"].map(lambda k: AREA_KINDS[k][0]))
    return alt.Chart(labelled).mark_geoshape(stroke="white", strokeWidth=0.6).encode(
        fill=alt.Fill("area_kind:N", title="Area",
                      scale=alt.Scale(domain=[label for label, _ in AREA_KINDS.values()],
                                      range=[fill for _, fill in AREA_KINDS.values()]),
                      legend=None),
        tooltip=[alt.Tooltip("name_en:N", title="Area"), alt.Tooltip("area_kind:N", title="Kind")])


def china_projection() -> dict[str, Any]:
    """An equal-area conic projection centred on China."""
    return {"type": "conicEqualArea", "rotate": [-105, 0, 0], "parallels": [25, 47]}


# --- Choropleth: a province map coloured by a value, with "not reported" kept apart from zero --

REPORTED = "reported"
NOT_REPORTED = "Not reported in the sources (unknown, not zero)"
NOT_REPORTED_FILL = "#dedede"
OUTSIDE_MAINLAND = "Hong Kong, Macao, Taiwan, Paracel Is. (no value in the sources)"
OUTSIDE_MAINLAND_FILL = "#f6f6f6"
# Sequential fills for reported values. The lowest value of the domain (zero by default) gets a
# definite light blue, never the grey of "not reported".
VALUE_RANGE = ["#c6dbef", "#08306b"]


def choropleth_table(boundaries: pd.DataFrame, values: pd.DataFrame, value: str,
                     key: str = "province_code", carry: tuple[str, ...] = ()) -> pd.DataFrame:
    """One row per area of the map with its value (if any) and its status.

    ``status`` is :data:`REPORTED` for an area with a value (zero included), and for an area
    without one :data:`NOT_REPORTED` (a mainland provincial-level division) or
    :data:`OUTSIDE_MAINLAND` (Hong Kong, Macao, Taiwan, the Paracel Islands). A missing value
    never becomes zero. ``carry`` names further columns of ``values`` kept for tooltips.
    Raises :class:`ChartError` for a key that is not an area of the map or is given twice.
    """
    for column in (key, value, *carry):
        if column not in values.columns:
            raise ChartError(f"choropleth: values have no column '{column}'")
    if boundaries["name_en"].duplicated().any():
        raise ChartError("choropleth: area names of the boundaries are not unique")
    duplicated = values.loc[values[key].duplicated(), key].tolist()
    if duplicated:
        raise ChartError(f"choropleth: more than one value for {', '.join(map(str, duplicated))}")
    unknown = sorted(set(values[key].dropna()) - set(boundaries["iso_code"].dropna()))
    if unknown:
        raise ChartError(f"choropleth: {', '.join(unknown)} is not an area of the map")
    numbers = pd.to_numeric(values[value], errors="raise")
    table = boundaries[["iso_code", "name_en", "kind"]].merge(
        values[[key, *carry]].assign(**{value: numbers}).rename(columns={key: "iso_code"}),
        on="iso_code", how="left", validate="one_to_one")
    table = pd.DataFrame(table)  # a plain frame: no geometry travels with the lookup table
    table["status"] = [
        REPORTED if pd.notna(number) else (NOT_REPORTED if kind == "mainland" else OUTSIDE_MAINLAND)
        for number, kind in zip(table[value], table["kind"])]
    return table


def choropleth(boundaries: pd.DataFrame, values: pd.DataFrame, *, value: str, legend_title: str,
               key: str = "province_code", tooltip: tuple[tuple[str, str], ...] = (),
               domain: tuple[float, float] | None = None, width: int = 320,
               height: int = 270) -> alt.LayerChart:
    """A province map coloured by ``value``; areas without a value in the "not reported" style.

    The geometry is the unchanged ``boundaries`` frame and the values reach it through a lookup,
    so several choropleths concatenated in one chart embed the boundaries only once. ``tooltip``
    is a sequence of (column of ``values``, title) shown on hover. ``domain`` fixes the colour
    scale (default: zero to the largest value), so that two maps can share one scale.
    """
    carry = tuple(column for column, _ in tooltip if column not in (key, value))
    table = choropleth_table(boundaries, values, value, key=key, carry=carry)
    if domain is None:
        domain = (0, float(table[value].max()) if table[value].notna().any() else 1.0)
    lookup = alt.LookupData(data=table[["name_en", "status", value, *carry]], key="name_en",
                            fields=["status", value, *carry])
    base = alt.Chart(boundaries).transform_lookup(lookup="name_en", from_=lookup)
    outline = {"stroke": "white", "strokeWidth": 0.6}
    without = base.transform_filter(f"datum.status !== '{REPORTED}'").mark_geoshape(**outline).encode(
        fill=alt.Fill("status:N", title=None,
                      scale=alt.Scale(domain=[NOT_REPORTED, OUTSIDE_MAINLAND],
                                      range=[NOT_REPORTED_FILL, OUTSIDE_MAINLAND_FILL]),
                      legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400,
                                        symbolStrokeColor="#999", symbolStrokeWidth=0.6)),
        tooltip=[alt.Tooltip("name_en:N", title="Area"), alt.Tooltip("status:N", title="Value")])
    extra = [alt.Tooltip("iso_code:N" if column == key else f"{column}:N", title=title)
             for column, title in tooltip if column != value]
    with_value = base.transform_filter(f"datum.status === '{REPORTED}'").mark_geoshape(**outline).encode(
        color=alt.Color(f"{value}:Q", title=legend_title,
                        scale=alt.Scale(domain=list(domain), range=VALUE_RANGE),
                        legend=alt.Legend(orient="bottom", direction="horizontal",
                                          gradientLength=160, titleLimit=400)),
        tooltip=[alt.Tooltip("name_en:N", title="Area"),
                 alt.Tooltip(f"{value}:Q", title=legend_title), *extra])
    return alt.layer(without, with_value).project(**china_projection()).properties(
        width=width, height=height)
