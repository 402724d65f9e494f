"""The timeline chart itself (Altair): rows, marks, the optional shaded band, the tooltip."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable
from typing import Any

import altair as alt
import pandas as pd

from .. import figures
from .events import (
    FLAGS,
    LANES,
    ROWS,
    TimelineError,
    _check_frame,
    _row_order,
    _slot_key,
    _span,
    chart_rows,
    describe,
    prepared,
)

LANE_COLOURS = [figures.PALETTE[0], figures.PALETTE[1]]  # both at least 3:1 on white

ROW_STEP = 46  # pixels per row: its name above, then the text and Table 3 sub-rows

ROW_NAME_WIDTH = 36  # characters per line of a row's name (wrapped, never truncated)


def chart(
    events: pd.DataFrame,
    *,
    title: str,
    subtitle: str | None = None,
    rows: str = "actor",
    start: str | None = None,
    end: str | None = None,
    places: Iterable[str] | None = None,
    highlight: tuple[str, str, str] | None = None,
    description: str | None = None,
    note: str | None = None,
) -> alt.TopLevelMixin:
    """The timeline of ``events`` (the loaded ``timeline_events`` dataset).

    rows: ``"actor"`` or ``"kind"``: what a row stands for (only the rows that occur are drawn).
    start / end: partial dates (``"2014"``, ``"2016-11"``); keep events whose date span lies
        within them. places: keep only these values of ``location`` (e.g. ``["Table 3"]``).
    highlight: (start, end, label): a shaded band behind the events.
    description: the screen-reader text; by default one is written from the data shown.
    """
    _check_frame(events)
    if rows not in ROWS:
        raise TimelineError(f"rows must be one of {ROWS}, not {rows!r}")
    frame = prepared(events, start=start, end=end, places=places, rows=rows)
    if frame.empty:
        raise TimelineError("no event is left after filtering")
    row_field = f"{rows}_label"
    order = _row_order(frame, row_field)
    domain = [float(frame["span_start"].min()) - 0.5, float(frame["span_end"].max()) + 0.5]
    x_scale = alt.Scale(domain=domain, nice=False, zero=False)
    layers = _event_layers(frame, order, row_field, x_scale)
    if highlight:  # drawn from constants, not a dataset: no rows of its own in the chart's data
        layers = [*_band(highlight, x_scale), *layers]
    result = alt.layer(*layers).properties(
        height=ROW_STEP * len(order), title=alt.Title(title, subtitle=subtitle or alt.Undefined)
    )
    return figures.credit(
        result,
        events,
        description=description or describe(frame, rows),
        note=note,
        rows=chart_rows(frame),
    )


def _event_layers(
    frame: pd.DataFrame, order: list[str], row_field: str, x_scale: alt.Scale
) -> list[alt.Chart]:
    """One row per actor (or kind): a line across each event's date span, a mark at its middle."""
    y = alt.Y(
        f"{row_field}:N",
        title=None,
        sort=order,
        scale=alt.Scale(paddingInner=0, paddingOuter=0),
        axis=_row_axis(order),
    )
    y_offset = alt.YOffset(
        "slot:N",
        sort=sorted(frame["slot"].unique(), key=_slot_key),
        scale=alt.Scale(paddingOuter=0.2, range=[14, ROW_STEP - 2]),
    )
    lane = alt.Scale(domain=list(LANES.values()), range=LANE_COLOURS)
    legend = alt.Legend(
        orient="top", title=None, direction="vertical", symbolSize=90, symbolStrokeWidth=0
    )

    base = alt.Chart(frame)
    spans = base.mark_rule(strokeWidth=2, strokeCap="round").encode(
        x=alt.X("span_start:Q", scale=x_scale),
        x2="span_end:Q",
        y=y,
        yOffset=y_offset,
        color=alt.Color("lane:N", scale=lane, legend=legend),
    )
    marks = base.mark_point(filled=True, size=80, strokeWidth=2, opacity=1).encode(
        x=alt.X(
            "position:Q",
            title=None,
            scale=x_scale,
            axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True, grid=False),
        ),
        y=y,
        yOffset=y_offset,
        color=alt.Color("lane:N", scale=lane, legend=legend),
        shape=alt.Shape(
            "lane:N",
            scale=alt.Scale(domain=list(LANES.values()), range=["circle", "square"]),
            legend=legend,
        ),
        stroke=alt.Stroke(
            "flag:N",
            legend=None,  # told in the subtitle: one meaning only
            scale=alt.Scale(domain=list(FLAGS), range=["#000000", "#ffffff"]),
        ),
        tooltip=_tooltip(),
        description="spoken:N",
    )
    return [spans, marks]


def _band(highlight: tuple[str, str, str], x_scale: alt.Scale) -> list[alt.Chart]:
    """A shaded band from ``start`` to ``end`` behind the events, its label at its right end."""
    low, high, label = highlight
    start, stop = _span(low).start, _span(high).end
    shade = (
        alt.Chart()
        .mark_rect(color="#f2f2f2", aria=False)
        .encode(x=alt.XDatum(start, type="quantitative", scale=x_scale), x2=alt.X2Datum(stop))
    )
    name = (
        alt.Chart()
        .mark_text(
            align="right",
            baseline="bottom",
            dx=-4,
            dy=-2,
            color="#555555",
            text=label,
            aria=False,
        )
        .encode(x=alt.XDatum(stop, type="quantitative", scale=x_scale), y=alt.value(0))
    )
    return [shade, name]


def _row_axis(order: list[str]) -> alt.Axis:
    """Row names in full above their rows, inside the plot; long names on two lines."""
    lines = {name: textwrap.wrap(name, ROW_NAME_WIDTH) for name in order}
    wrapped = {name: parts for name, parts in lines.items() if len(parts) > 1}
    expression = f"{json.dumps(wrapped)}[datum.label] || datum.label" if wrapped else "datum.label"
    return alt.Axis(
        orient="left",
        labelAlign="left",
        labelBaseline="top",
        labelPadding=-2,
        labelOffset=-ROW_STEP / 2 + 1,
        labelLimit=0,
        labelFontWeight="bold",
        labelExpr=expression,
        ticks=False,
        domain=False,
        grid=True,
        gridColor="#d0d0d0",
        bandPosition=0,
        zindex=1,
    )


def _tooltip() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("event_shown:N", title="Event"),
        alt.Tooltip("date_shown:N", title="Date as printed"),
        alt.Tooltip("source_shown:N", title="Date from"),
        alt.Tooltip("stored_date:N", title="Stored as"),
        alt.Tooltip("actor_label:N", title="Actor"),
        alt.Tooltip("kind_label:N", title="Kind"),
        alt.Tooltip("location:N", title="Place in the paper"),
        alt.Tooltip("note_shown:N", title="Paper's note"),
        alt.Tooltip("citation:N", title="Cites"),
        alt.Tooltip("comparison:N", title="Text vs Table 3"),
        alt.Tooltip("discrepancy_shown:N", title="Recorded difference"),
    ]


def encodings(spec: dict[str, Any]) -> dict[str, Any]:
    """The point layer's encoding, from a chart's ``to_dict()`` (for tests)."""
    return next(layer["encoding"] for layer in spec["layer"] if layer["mark"]["type"] == "point")
