"""The book's one timeline chart: the dated events of ``data/timeline_events.csv``.

``chart(data.timeline_events(), ...)`` returns an Altair chart, already credited
(:func:`scs_book.figures.credit`), as wide as the column it is drawn in: one row per actor (or
kind of event), each row named in full above its events. Each event is a mark at the middle of
the span its date covers (a year-only date sits mid-year), on a line across that span, so a
date known to the year is visibly less precise than one known to the day. Blue circles are
events told in the paper's text, vermilion squares the rows of Table 3; a black outline flags
an event that the text and Table 3 tell differently. A tap or hover shows the date as the paper
prints it, where the date comes from, the note and the work cited, and the recorded difference;
:func:`event_list` gives the same events as a compact table to print under the chart, so that
nothing needs a pointer.

Every chapter that shows events uses these helpers on the same dataset (filters: ``start``,
``end``, ``places``) rather than its own copy of either.
"""

from __future__ import annotations

import html
import json
import textwrap
from collections.abc import Iterable
from typing import Any

import altair as alt
import pandas as pd

from . import bibliography, figures, partial_dates

ROWS = ("actor", "kind")
NO_ACTOR = "Not named in the paper"
LANES = {"text": "Told in the text", "table": "Row of Table 3"}
LANE_COLOURS = [figures.PALETTE[0], figures.PALETTE[1]]  # both at least 3:1 on white
FLAGS = ("Text and Table 3 differ", "No difference recorded")
ROW_STEP = 46  # pixels per row: its name above, then the text and Table 3 sub-rows
ROW_NAME_WIDTH = 36  # characters per line of a row's name (wrapped, never truncated)
REQUIRED = (
    "event_id",
    "date",
    "precision",
    "date_printed",
    "date_source",
    "event",
    "event_printed",
    "actor",
    "kind",
    "location",
    "footnote",
    "bib_key",
    "text_vs_table3",
    "differences",
    "discrepancy",
)


DRAWN = [
    "event_id",
    "position",
    "span_start",
    "span_end",
    "lane",
    "slot",
    "actor_label",
    "kind_label",
    "location",
    "text_vs_table3",
    "flag",
    "event_shown",
    "date_shown",
    "source_shown",
    "stored_date",
    "note_shown",
    "citation",
    "comparison",
    "discrepancy_shown",
    "spoken",
]


class TimelineError(ValueError):
    """The frame given to :func:`chart` is not the timeline dataset, or a filter is wrong."""


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
    layers = [spans, marks]
    if highlight:  # drawn from constants, not a dataset: no rows of its own in the chart's data
        low, high, label = highlight
        start, stop = _span(low).start, _span(high).end
        layers.insert(
            0,
            alt.Chart()
            .mark_rect(color="#f2f2f2", aria=False)
            .encode(x=alt.XDatum(start, type="quantitative", scale=x_scale), x2=alt.X2Datum(stop)),
        )
        layers.insert(
            1,
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
            .encode(x=alt.XDatum(stop, type="quantitative", scale=x_scale), y=alt.value(0)),
        )
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


def event_list(
    events: pd.DataFrame,
    *,
    start: str | None = None,
    end: str | None = None,
    places: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The events a timeline shows, as a compact table in date order: the date as the paper
    prints it, the event, the actor and where the paper tells it (cells HTML-escaped, for
    :func:`scs_book.tables.table`)."""
    frame = _in_date_order(prepared(events, start=start, end=end, places=places))
    listed = pd.DataFrame(
        {
            "Date": frame["date_listed"],
            "Event": frame["event_shown"],
            "Actor": frame["actor_label"],
            "Where": frame["location"],
            "Text vs Table 3": frame["comparison"],
        }
    )
    return listed.map(html.escape).reset_index(drop=True)


def _in_date_order(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.sort_values(["position", "lane"], kind="stable")
    return frame.assign(
        date_listed=[
            printed.strip("“”") if printed != "none printed" else stored
            for printed, stored in zip(frame["date_shown"], frame["stored_date"], strict=True)
        ]
    )


def chart_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows a timeline offers as its data table and CSV: one per event, in date order,
    under the names its tooltip uses."""
    frame = _in_date_order(frame)
    return pd.DataFrame(
        {
            "Date as printed": frame["date_listed"],
            "Stored as": frame["stored_date"],
            "Event": frame["event_shown"],
            "Actor": frame["actor_label"],
            "Kind": frame["kind_label"],
            "Place in the paper": frame["location"],
            "Paper's note": frame["note_shown"],
            "Cites": frame["citation"],
            "Text vs Table 3": frame["comparison"],
            "Recorded difference": frame["discrepancy_shown"],
        }
    ).reset_index(drop=True)


def prepared(
    events: pd.DataFrame,
    *,
    start: str | None = None,
    end: str | None = None,
    places: Iterable[str] | None = None,
    rows: str = "actor",
) -> pd.DataFrame:
    """The events, filtered, with the columns the chart draws (positions, labels, tooltip);
    ``rows`` decides which marks would share a place and so need sub-rows."""
    _check_frame(events)
    if rows not in ROWS:
        raise TimelineError(f"rows must be one of {ROWS}, not {rows!r}")
    spans = [
        partial_dates.parse(value, precision)
        for value, precision in zip(events["date"], events["precision"], strict=True)
    ]
    frame = events.assign(
        span_start=[span.start for span in spans],
        span_end=[span.end for span in spans],
        position=[span.middle for span in spans],
    )
    if start is not None:
        frame = frame[frame["span_start"] >= _span(start).start]
    if end is not None:
        frame = frame[frame["span_end"] <= _span(end).end]
    if places is not None:
        places = list(places)
        unknown = sorted(set(places) - set(events["location"]))
        if unknown:
            raise TimelineError(
                f"unknown place(s) {unknown}; the data has {sorted(events['location'].unique())}"
            )
        frame = frame[frame["location"].isin(places)]
    frame = frame.reset_index(drop=True)
    is_table = frame["location"].eq("Table 3")
    frame["lane"] = is_table.map({True: LANES["table"], False: LANES["text"]})
    frame["actor_label"] = frame["actor"].fillna(NO_ACTOR)
    frame["kind_label"] = frame["kind"]
    frame["flag"] = frame["text_vs_table3"].eq("differ").map({True: FLAGS[0], False: FLAGS[1]})
    frame["event_shown"] = [
        printed.replace("*", "") if isinstance(printed, str) else paraphrase
        for printed, paraphrase in zip(frame["event_printed"], frame["event"], strict=True)
    ]
    frame["date_shown"] = [_date_shown(row) for row in frame.itertuples()]
    frame["source_shown"] = [_date_source(row) for row in frame.itertuples()]
    frame["stored_date"] = frame["date"] + " (" + frame["precision"] + ")"
    frame["note_shown"] = frame["footnote"].map(
        lambda n: "none" if pd.isna(n) else f"note {int(n)}"
    )
    frame["citation"] = frame["bib_key"].map(_citation)
    frame["comparison"] = [_comparison(row) for row in frame.itertuples()]
    frame["discrepancy_shown"] = frame["discrepancy"].fillna("none")
    frame["slot"] = _slots(frame, f"{rows}_label")
    frame["spoken"] = [  # what a screen reader announces for a mark
        f"{row.event_shown}. {row.location}; date as printed: {row.date_shown}, stored as "
        f"{row.stored_date}; actor: {row.actor_label}; text versus Table 3: {row.comparison}."
        for row in frame.itertuples()
    ]
    return frame[DRAWN]


def describe(frame: pd.DataFrame, rows: str = "actor") -> str:
    """A screen-reader description written from the events a chart shows."""
    text = int((frame["lane"] == LANES["text"]).sum())
    table = len(frame) - text
    differ = int(frame["text_vs_table3"].eq("differ").sum())
    first, last = frame.loc[frame["span_start"].idxmin()], frame.loc[frame["span_end"].idxmax()]
    return (
        f"Timeline of {len(frame)} dated events of the paper ({text} told in its text, "
        f"{table} rows of Table 3), one row per {rows}, from {first['stored_date']}: "
        f"{first['event_shown']}, to {last['stored_date']}: {last['event_shown']}. "
        f"{differ} events are told differently in the text and in Table 3 and are outlined "
        f"in black. The data table behind the chart can be downloaded below it."
    )


def _check_frame(events: pd.DataFrame) -> None:
    if not isinstance(events, pd.DataFrame):
        raise TimelineError("expected the timeline_events DataFrame (data.timeline_events())")
    missing = [column for column in REQUIRED if column not in events.columns]
    if missing:
        raise TimelineError(f"not the timeline_events dataset: missing column(s) {missing}")
    if (events.attrs.get("dataset") or {}).get("name") != "timeline_events":
        raise TimelineError(
            "pass the frame returned by data.timeline_events() (its metadata credits the chart)"
        )


def _span(value: str) -> partial_dates.PartialDate:
    try:
        return partial_dates.parse(value)
    except partial_dates.PartialDateError as error:
        raise TimelineError(f"filter or focus date: {error}") from None


def _date_shown(row) -> str:
    if not isinstance(row.date_printed, str):
        return "none printed"
    return f"“{row.date_printed}”"


def _date_source(row) -> str:
    return {
        "statement": "the statement itself",
        "Table 3": "Table 3",
        "context": "inferred from the surrounding text",
        "note": "the note ("
        + ("?" if pd.isna(row.footnote) else f"note {int(row.footnote)}")
        + "), the statement has none",
    }[row.date_source]


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


def _citation(key) -> str:
    if not isinstance(key, str):
        return "none"
    return bibliography.short_citation(key)


def _comparison(row) -> str:
    if row.text_vs_table3 == "differ":
        return f"differ ({row.differences.replace(';', ', ')})"
    return row.text_vs_table3


def _slots(frame: pd.DataFrame, row_field: str) -> list[str]:
    """Sub-rows within a row: text above Table 3, and a second text sub-row for two text
    events at the same place and date, so that no mark hides another."""
    seen: dict[tuple, int] = {}
    slots = []
    for row, label in zip(frame.itertuples(), frame[row_field], strict=True):
        key = (label, row.lane, row.position)
        seen[key] = seen.get(key, 0) + 1
        base = "text" if row.lane == LANES["text"] else "Table 3"
        slots.append(base if seen[key] == 1 else f"{base} {seen[key]}")
    return slots


def _slot_key(slot: str) -> tuple:
    lane = "Table 3" if slot.startswith("Table 3") else "text"
    return (lane == "Table 3", int(slot.removeprefix(lane).strip() or 1))


def _row_order(frame: pd.DataFrame, field: str) -> list[str]:
    """Rows in order of their first event; actors not named in the paper last."""
    order = frame.sort_values("position", kind="stable").drop_duplicates(field)[field].tolist()
    return [value for value in order if value != NO_ACTOR] + (
        [NO_ACTOR] if NO_ACTOR in order else []
    )


def encodings(spec: dict[str, Any]) -> dict[str, Any]:
    """The point layer's encoding, from a chart's ``to_dict()`` (for tests)."""
    return next(layer["encoding"] for layer in spec["layer"] if layer["mark"]["type"] == "point")


# --- Tables from the same dataset ------------------------------------------------------------

TABLE3_TITLE = "Timeline for Social Credit System development in China"


def _emphasis(text: str) -> str:
    """The dataset marks the printed italics with asterisks; render them as HTML <em>."""
    parts = html.escape(text, quote=False).split("*")
    if len(parts) % 2 == 0:
        raise TimelineError(f"unbalanced italics marker in {text!r}")
    return "".join(f"<em>{part}</em>" if index % 2 else part for index, part in enumerate(parts))


def table3(events: pd.DataFrame) -> pd.DataFrame:
    """The paper's Table 3 as printed: one row per Year cell, the events of a cell one per line
    (HTML: italics as printed, line breaks between the events of a cell)."""
    _check_frame(events)
    rows = events[events["location"] == "Table 3"]
    if rows["event_printed"].isna().any() or rows["date_printed"].isna().any():
        raise TimelineError("a Table 3 row lacks its printed year or event")
    cells: dict[str, list[str]] = {}
    last = None
    for year, event in zip(rows["date_printed"], rows["event_printed"], strict=True):
        if year in cells and year != last:
            raise TimelineError(f"Table 3 rows of year {year!r} are not consecutive")
        cells.setdefault(year, []).append(_emphasis(event))
        last = year
    return pd.DataFrame({"Year": list(cells), "Event": ["<br>".join(v) for v in cells.values()]})


def _text_date(row) -> str:
    """The date a text statement prints; where it prints none, where the date comes from."""
    if row.date_source == "statement":
        return f"{_date_shown(row)} ({row.date})"
    if row.date_source == "note":
        return f"none; note {int(row.footnote)} prints {_date_shown(row)}"
    return f"none; {row.date} from the context"


def comparison(
    events: pd.DataFrame,
    *,
    start: str | None = None,
    end: str | None = None,
    include_text_only: bool = True,
) -> pd.DataFrame:
    """Table 3 next to the text: one row per text statement of an event Table 3 also lists,
    per Table 3 row without a text counterpart and (``include_text_only``) per text event
    Table 3 leaves out, in date order, with the classification and, where the two differ, the
    dataset's remark. (The remarks on other rows, about the text and its notes, are in the
    timeline's tooltips.)"""
    frame = events.copy()
    spans = [
        partial_dates.parse(v, p) for v, p in zip(frame["date"], frame["precision"], strict=True)
    ]
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= pd.Series([s.start >= _span(start).start for s in spans], index=frame.index)
    if end is not None:
        keep &= pd.Series([s.end <= _span(end).end for s in spans], index=frame.index)
    frame = frame[keep]
    is_table = frame["location"].eq("Table 3")
    table_rows = frame[is_table].set_index("pair_id", drop=False)
    records = []
    for row in frame.itertuples():
        if row.location == "Table 3" and isinstance(row.pair_id, str):
            continue  # shown beside its text counterpart(s)
        if row.text_vs_table3 == "text only" and not include_text_only:
            continue
        partner = None
        if row.location != "Table 3" and isinstance(row.pair_id, str):
            if row.pair_id not in table_rows.index:
                raise TimelineError(
                    f"{row.event_id}: pair {row.pair_id!r} has no Table 3 row in the period shown"
                )
            partner = table_rows.loc[row.pair_id]
        table_row = row if row.location == "Table 3" else partner
        text_row = None if row.location == "Table 3" else row
        records.append(
            {
                "Table 3 (as printed)": (
                    f"{table_row.date_printed}: {table_row.event_printed.replace('*', '')}"
                    if table_row is not None
                    else "—"
                ),
                "Text (place, date as printed: event)": (
                    f"{text_row.location}, {_text_date(text_row)}: {text_row.event}"
                    if text_row is not None
                    else "—"
                ),
                "Comparison": _comparison(row),
                "Remarks (from the dataset)": (
                    row.discrepancy if row.text_vs_table3 == "differ" else ""
                ),
            }
        )
    return pd.DataFrame(records)
