"""Maps of China's provincial-level divisions: the grey base map, the book's projection and
choropleths that keep "not reported" apart from zero."""

from __future__ import annotations

import json
from typing import Any

import altair as alt
import pandas as pd

from .errors import ChartError
from .style import NO_DATA_COLOUR

AREA_KINDS = {  # boundary `kind` -> legend label and fill
    "mainland": ("Provincial-level division (mainland)", NO_DATA_COLOUR),
    "sar": ("Special administrative region (Hong Kong, Macao)", "#ececec"),
    "taiwan": ("Taiwan", "#f4f4f4"),
    "disputed": ("Disputed (Paracel Islands)", "#fafafa"),
}


TOPOLOGY_URL = "../data/provinces.topo.json"  # notebooks/ and the built pages sit beside data/
TOPOLOGY_OBJECT = "provinces"
AREA_FIELDS = ("iso_code", "name_en", "kind")


def areas(boundaries: pd.DataFrame) -> alt.Chart:
    """A chart of the province areas drawn from the shared TopoJSON file
    (``data/provinces.topo.json``), each with the fields ``iso_code``, ``name_en`` and ``kind``.
    ``boundaries`` is the loaded ``province_boundaries`` dataset the file is derived from."""
    missing = [field for field in AREA_FIELDS if field not in boundaries.columns]
    if missing:
        raise ChartError(f"the boundaries have no column {', '.join(missing)}")
    source = alt.UrlData(
        url=TOPOLOGY_URL, format=alt.TopoDataFormat(type="topojson", feature=TOPOLOGY_OBJECT)
    )
    return alt.Chart(source).transform_calculate(
        **{field: f"datum.properties.{field}" for field in AREA_FIELDS}
    )


def province_base(boundaries: pd.DataFrame) -> alt.Chart:
    """The grey base map; Hong Kong, Macao, Taiwan and the Paracel Islands shaded and labelled."""
    labels = json.dumps({kind: label for kind, (label, _) in AREA_KINDS.items()})
    return (
        areas(boundaries)
        .transform_calculate(area_kind=f"{labels}[datum.kind]")
        .mark_geoshape(stroke="white", strokeWidth=0.6)
        .encode(
            fill=alt.Fill(
                "area_kind:N",
                title="Area",
                scale=alt.Scale(
                    domain=[label for label, _ in AREA_KINDS.values()],
                    range=[fill for _, fill in AREA_KINDS.values()],
                ),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("name_en:N", title="Area"),
                alt.Tooltip("area_kind:N", title="Kind"),
            ],
        )
    )


def china_projection() -> dict[str, Any]:
    """An equal-area conic projection centred on China."""
    return {"type": "conicEqualArea", "rotate": [-105, 0, 0], "parallels": [25, 47]}


# --- Choropleth: a province map coloured by a value, with "not reported" kept apart from zero --

REPORTED = "reported"
# The two labels of the no-value legend, each short enough for a phone's column.
NOT_REPORTED = "Not reported in the sources (unknown, not zero)"
NOT_REPORTED_FILL = "#dedede"
OUTSIDE_MAINLAND = "Hong Kong, Macao, Taiwan, Paracel Is.: no value"
OUTSIDE_MAINLAND_FILL = "#f6f6f6"
# Drawn in the legend's grey: filled almost white on a white chart, these areas (Taiwan, the
# Paracels) would otherwise barely show.
OUTSIDE_MAINLAND_STROKE = "#999"
# Sequential fills for reported values. The lowest value of the domain (zero by default) gets a
# definite light blue, never the grey of "not reported".
VALUE_RANGE = ["#c6dbef", "#08306b"]


OUTLINE = {"stroke": "white", "strokeWidth": 0.6}  # between areas, on every map


def choropleth_table(
    boundaries: pd.DataFrame,
    values: pd.DataFrame,
    value: str,
    key: str = "province_code",
    carry: tuple[str, ...] = (),
) -> pd.DataFrame:
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
        on="iso_code",
        how="left",
        validate="one_to_one",
    )
    table = pd.DataFrame(table)  # a plain frame: no geometry travels with the lookup table
    table["status"] = [
        REPORTED if pd.notna(number) else (NOT_REPORTED if kind == "mainland" else OUTSIDE_MAINLAND)
        for number, kind in zip(table[value], table["kind"], strict=True)
    ]
    return table


def choropleth(
    boundaries: pd.DataFrame,
    values: pd.DataFrame,
    *,
    value: str,
    legend_title: str,
    key: str = "province_code",
    tooltip: tuple[tuple[str, str], ...] = (),
    domain: tuple[float, float] | None = None,
    height: int = 300,
) -> alt.LayerChart:
    """A province map coloured by ``value``; areas without a value in the "not reported" style.

    The areas are drawn from the shared TopoJSON file and the values reach them through a
    lookup. ``tooltip`` is a sequence of (column of ``values``, title) shown on hover.
    ``domain`` fixes the colour scale (default: zero to the largest value), so that two maps
    can share one scale. The map is as wide as the column it is drawn in, ``height`` high.
    """
    carry = tuple(column for column, _ in tooltip if column not in (key, value))
    table = choropleth_table(boundaries, values, value, key=key, carry=carry)
    if domain is None:
        domain = (0, float(table[value].max()) if table[value].notna().any() else 1.0)
    lookup = alt.LookupData(
        data=table[["name_en", "status", value, *carry]],
        key="name_en",
        fields=["status", value, *carry],
    )
    base = areas(boundaries).transform_lookup(lookup="name_en", from_=lookup)
    without = _areas_without_value(base)
    extra = [
        alt.Tooltip("iso_code:N" if column == key else f"{column}:N", title=title)
        for column, title in tooltip
        if column != value
    ]
    with_value = (
        base.transform_filter(f"datum.status === '{REPORTED}'")
        .mark_geoshape(**OUTLINE)
        .encode(
            color=alt.Color(
                f"{value}:Q",
                title=legend_title,
                scale=alt.Scale(domain=list(domain), range=VALUE_RANGE),
                legend=alt.Legend(orient="bottom", direction="horizontal", gradientLength=160),
            ),
            tooltip=[
                alt.Tooltip("name_en:N", title="Area"),
                alt.Tooltip(f"{value}:Q", title=legend_title),
                *extra,
            ],
        )
    )
    return alt.layer(without, with_value).project(**china_projection()).properties(height=height)


def _areas_without_value(base: alt.Chart) -> alt.Chart:
    """The areas with no value, filled in the "not reported" or "outside the mainland" style."""
    return (
        base.transform_filter(f"datum.status !== '{REPORTED}'")
        .mark_geoshape(**OUTLINE)
        .encode(
            fill=alt.Fill(
                "status:N",
                title=None,
                scale=alt.Scale(
                    domain=[NOT_REPORTED, OUTSIDE_MAINLAND],
                    range=[NOT_REPORTED_FILL, OUTSIDE_MAINLAND_FILL],
                ),
                legend=alt.Legend(
                    orient="bottom",
                    direction="vertical",
                    symbolStrokeColor=OUTSIDE_MAINLAND_STROKE,
                    symbolStrokeWidth=0.6,
                    symbolSize=150,
                ),
            ),
            stroke=alt.condition(
                f"datum.status === '{OUTSIDE_MAINLAND}'",
                alt.value(OUTSIDE_MAINLAND_STROKE),
                alt.value(OUTLINE["stroke"]),
            ),
            tooltip=[
                alt.Tooltip("name_en:N", title="Area"),
                alt.Tooltip("status:N", title="Value"),
            ],
        )
    )
