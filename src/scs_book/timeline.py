"""The book's one timeline chart: the dated events of ``data/timeline_events.csv``.

``chart(data.timeline_events(), ...)`` returns an interactive Altair chart, already credited
(:func:`scs_book.figures.credit`): a detail view with one row per actor (or kind of event) and an
overview strip below it whose brush sets the period the detail view shows. Each event is a
mark at the middle of the span its date covers (a year-only date sits mid-year), with a faint
bar across that span, so a date known to the year is visibly less precise than one known to
the day. Circles are events told in the paper's text, squares the rows of Table 3; a black
outline flags an event that the text and Table 3 tell differently. The tooltip shows the date
as the paper prints it, where the date comes from, the note and the work cited, and the
recorded difference.

Every chapter that shows events uses this helper on the same dataset (filters: ``start``,
``end``, ``places``) rather than its own copy of either.
"""

from __future__ import annotations

from typing import Any, Iterable

import altair as alt
import pandas as pd

from . import bibliography, figures, partial_dates
from .datapackage import dataset

ROWS = ("actor", "kind")
OVERVIEW_STYLE = "scs_timeline_overview"
NO_ACTOR = "Not named in the paper"
LANES = {"text": "Told in the text", "table": "Row of Table 3"}
FLAGS = ("Text and Table 3 differ", "No difference recorded")
# Okabe & Ito (without black, kept for the outline) followed by Paul Tol's muted colours: enough
# distinguishable colours for every kind of event (11) or actor (13).
COLOURS = [colour for colour in figures.PALETTE if colour != "#000000"] + [
    "#882255", "#44AA99", "#999933", "#332288", "#AA4499", "#DDCC77"]
REQUIRED = ("event_id", "date", "precision", "date_printed", "date_source", "event",
            "event_printed", "actor", "kind", "location", "footnote", "bib_key",
            "text_vs_table3", "differences", "discrepancy")


DRAWN = ["event_id", "position", "span_start", "span_end", "lane", "slot", "actor_label",
         "kind_label", "location", "text_vs_table3", "flag", "event_shown", "date_shown",
         "source_shown", "stored_date", "note_shown", "citation", "comparison",
         "discrepancy_shown", "spoken"]


class TimelineError(ValueError):
    """The frame given to :func:`chart` is not the timeline dataset, or a filter is wrong."""


def chart(events: pd.DataFrame, *, title: str, subtitle: str | None = None,
          rows: str = "actor", color: str = "kind", start: str | None = None,
          end: str | None = None, places: Iterable[str] | None = None,
          focus: tuple[str, str] | None = None,
          highlight: tuple[str, str, str] | None = None,
          description: str | None = None, note: str | None = None,
          width: int = 520) -> alt.TopLevelMixin:
    """The timeline of ``events`` (the loaded ``timeline_events`` dataset).

    rows / color: ``"actor"`` or ``"kind"``: what the rows and the colours stand for.
    start / end: partial dates (``"2014"``, ``"2016-11"``); keep events whose date span lies
        within them. places: keep only these values of ``location`` (e.g. ``["Table 3"]``).
    focus: (start, end) partial dates: the brush's initial period (the detail view opens
        zoomed on it). highlight: (start, end, label): a shaded band behind the events.
    description: the screen-reader text; by default one is written from the data shown.
    """
    _check_frame(events)
    if rows not in ROWS or color not in ROWS:
        raise TimelineError(f"rows and color must be one of {ROWS}, not {rows!r}, {color!r}")
    frame = prepared(events, start=start, end=end, places=places, rows=rows)
    if frame.empty:
        raise TimelineError("no event is left after filtering")
    row_field, colour_field = f"{rows}_label", f"{color}_label"
    domains = _domains(events)
    brush = alt.selection_interval(encodings=["x"], name="period",
                                   value=({"x": [_span(focus[0]).start, _span(focus[1]).end]}
                                          if focus else alt.Undefined))
    pick = alt.selection_point(fields=[colour_field], bind="legend", name="pick")
    full = [float(frame["span_start"].min()) - 0.5, float(frame["span_end"].max()) + 0.5]

    zoomed = alt.Scale(domain={"param": "period"}, nice=False, zero=False)
    x_detail = alt.X("position:Q", title=None, scale=zoomed,
                     axis=alt.Axis(format="d", tickMinStep=1, grid=True, labelOverlap=True))
    y = alt.Y(f"{row_field}:N", title=None, sort=_row_order(frame, row_field),
              axis=alt.Axis(labelLimit=190, grid=True, domain=False, ticks=False))
    y_offset = alt.YOffset("slot:N", sort=sorted(frame["slot"].unique(), key=_slot_key),
                           scale=alt.Scale(paddingInner=0.15))
    colour = alt.Color(f"{colour_field}:N", title=rows_title(color),
                       scale=alt.Scale(domain=domains[color], range=COLOURS[:len(domains[color])]),
                       legend=alt.Legend(orient="bottom", direction="horizontal", columns=3,
                                         symbolType="circle", symbolOpacity=1, labelLimit=180))
    faded = alt.condition(pick, alt.value(1.0), alt.value(0.15))

    base = alt.Chart(frame)
    spans = base.mark_rule(strokeWidth=4, clip=True, strokeCap="round").encode(
        x=alt.X("span_start:Q", scale=zoomed), x2="span_end:Q", y=y, yOffset=y_offset,
        color=colour,
        opacity=alt.condition(pick, alt.value(0.35), alt.value(0.06)))
    marks = base.mark_point(filled=True, size=90, strokeWidth=2, clip=True).encode(
        x=x_detail, y=y, yOffset=y_offset, color=colour, opacity=faded,
        shape=alt.Shape("lane:N", title="Where the paper tells it",
                        scale=alt.Scale(domain=list(LANES.values()), range=["circle", "square"]),
                        legend=alt.Legend(orient="top", symbolFillColor="#bbbbbb",
                                          symbolStrokeColor="#bbbbbb")),
        stroke=alt.Stroke("flag:N", title="Text vs Table 3",
                          scale=alt.Scale(domain=list(FLAGS), range=["#000000", "#ffffff"]),
                          legend=alt.Legend(orient="top", symbolFillColor="#bbbbbb",
                                            symbolStrokeWidth=2)),
        tooltip=_tooltip(), description="spoken:N",
    ).add_params(pick)
    layers = [spans, marks]
    if highlight:
        low, high, label = highlight
        band = pd.DataFrame({"x": [_span(low).start], "x2": [_span(high).end], "label": [label]})
        layers.insert(0, alt.Chart(band).mark_rect(color="#f2f2f2", clip=True).encode(
            x=alt.X("x:Q", scale=zoomed), x2="x2:Q"))
        layers.insert(1, alt.Chart(band).mark_text(
            align="right", baseline="top", dx=-4, dy=3, color="#555", fontSize=11, clip=True,
        ).encode(x=alt.X("x2:Q", scale=zoomed), y=alt.value(0),
                 text="label:N"))
    detail = alt.layer(*layers).properties(width=width, height=alt.Step(9))

    overview = base.mark_tick(thickness=2, size=14).encode(
        x=alt.X("position:Q", title="Drag across this strip to zoom the view below",
                scale=alt.Scale(domain=full), axis=alt.Axis(format="d", tickMinStep=1)),
        color=colour,
        tooltip=_tooltip(),
    ).add_params(brush).properties(width=width, height=24,
                                   view=alt.ViewBackground(style=["cell", OVERVIEW_STYLE]))

    # The overview repeats the detail view's events as a navigation strip: it is hidden from
    # assistive technology (its brush has no text alternative), the detail's marks are not.
    result = alt.vconcat(overview, detail, spacing=8).properties(
        title=alt.Title(title, subtitle=subtitle or alt.Undefined),
    ).configure(style={OVERVIEW_STYLE: {"aria": False}})
    credited = figures.credit(result, events, description=description or describe(frame, rows),
                              note=note)
    # The data table and CSV list the events as the tooltip tells them.
    return figures.table_columns(credited, [(t.to_dict()["field"], t.to_dict()["title"])
                                            for t in _tooltip()])


def rows_title(what: str) -> str:
    return {"actor": "Actor", "kind": "Kind of event"}[what]


def prepared(events: pd.DataFrame, *, start: str | None = None, end: str | None = None,
             places: Iterable[str] | None = None, rows: str = "actor") -> pd.DataFrame:
    """The events, filtered, with the columns the chart draws (positions, labels, tooltip);
    ``rows`` decides which marks would share a place and so need sub-rows."""
    _check_frame(events)
    if rows not in ROWS:
        raise TimelineError(f"rows must be one of {ROWS}, not {rows!r}")
    spans = [partial_dates.parse(value, precision)
             for value, precision in zip(events["date"], events["precision"])]
    frame = events.assign(
        span_start=[span.start for span in spans], span_end=[span.end for span in spans],
        position=[span.middle for span in spans])
    if start is not None:
        frame = frame[frame["span_start"] >= _span(start).start]
    if end is not None:
        frame = frame[frame["span_end"] <= _span(end).end]
    if places is not None:
        places = list(places)
        unknown = sorted(set(places) - set(events["location"]))
        if unknown:
            raise TimelineError(f"unknown place(s) {unknown}; the data has "
                                f"{sorted(events['location'].unique())}")
        frame = frame[frame["location"].isin(places)]
    frame = frame.reset_index(drop=True)
    is_table = frame["location"].eq("Table 3")
    frame["lane"] = is_table.map({True: LANES["table"], False: LANES["text"]})
    frame["actor_label"] = frame["actor"].fillna(NO_ACTOR)
    frame["kind_label"] = frame["kind"]
    frame["flag"] = frame["text_vs_table3"].eq("differ").map({True: FLAGS[0], False: FLAGS[1]})
    frame["event_shown"] = [
        printed.replace("*", "") if isinstance(printed, str) else paraphrase
        for printed, paraphrase in zip(frame["event_printed"], frame["event"])]
    frame["date_shown"] = [_date_shown(row) for row in frame.itertuples()]
    frame["source_shown"] = [_date_source(row) for row in frame.itertuples()]
    frame["stored_date"] = frame["date"] + " (" + frame["precision"] + ")"
    frame["note_shown"] = frame["footnote"].map(lambda n: "none" if pd.isna(n) else f"note {int(n)}")
    frame["citation"] = frame["bib_key"].map(_citation)
    frame["comparison"] = [_comparison(row) for row in frame.itertuples()]
    frame["discrepancy_shown"] = frame["discrepancy"].fillna("none")
    frame["slot"] = _slots(frame, f"{rows}_label")
    frame["spoken"] = [  # what a screen reader announces for a mark
        f"{row.event_shown}. {row.location}; date as printed: {row.date_shown}, stored as "
        f"{row.stored_date}; actor: {row.actor_label}; text versus Table 3: {row.comparison}."
        for row in frame.itertuples()]
    return frame[DRAWN]


def describe(frame: pd.DataFrame, rows: str = "actor") -> str:
    """A screen-reader description written from the events a chart shows."""
    text = int((frame["lane"] == LANES["text"]).sum())
    table = len(frame) - text
    differ = int(frame["text_vs_table3"].eq("differ").sum())
    first, last = frame.loc[frame["span_start"].idxmin()], frame.loc[frame["span_end"].idxmax()]
    return (f"Timeline of {len(frame)} dated events of the paper ({text} told in its text, "
            f"{table} rows of Table 3), one row per {rows}, from {first['stored_date']}: "
            f"{first['event_shown']}, to {last['stored_date']}: {last['event_shown']}. "
            f"{differ} events are told differently in the text and in Table 3 and are outlined "
            f"in black. The data table behind the chart can be downloaded below it.")


def _check_frame(events: pd.DataFrame) -> None:
    if not isinstance(events, pd.DataFrame):
        raise TimelineError("expected the timeline_events DataFrame (data.timeline_events())")
    missing = [column for column in REQUIRED if column not in events.columns]
    if missing:
        raise TimelineError(f"not the timeline_events dataset: missing column(s) {missing}")
    if (events.attrs.get("dataset") or {}).get("name") != "timeline_events":
        raise TimelineError("pass the frame returned by data.timeline_events() (its metadata "
                            "credits the chart)")


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
    return {"statement": "the statement itself", "Table 3": "Table 3",
            "context": "inferred from the surrounding text",
            "note": "the note (" + ("?" if pd.isna(row.footnote) else f"note {int(row.footnote)}")
                    + "), the statement has none"}[row.date_source]


def _tooltip() -> list[alt.Tooltip]:
    return [alt.Tooltip("event_shown:N", title="Event"),
            alt.Tooltip("date_shown:N", title="Date as printed"),
            alt.Tooltip("source_shown:N", title="Date from"),
            alt.Tooltip("stored_date:N", title="Stored as"),
            alt.Tooltip("actor_label:N", title="Actor"),
            alt.Tooltip("kind_label:N", title="Kind"),
            alt.Tooltip("location:N", title="Place in the paper"),
            alt.Tooltip("note_shown:N", title="Paper's note"),
            alt.Tooltip("citation:N", title="Cites"),
            alt.Tooltip("comparison:N", title="Text vs Table 3"),
            alt.Tooltip("discrepancy_shown:N", title="Recorded difference")]


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
    for row, label in zip(frame.itertuples(), frame[row_field]):
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
        [NO_ACTOR] if NO_ACTOR in order else [])


def _domains(events: pd.DataFrame) -> dict[str, list[str]]:
    """Colour domains from the dataset's declared vocabularies, so that every chapter's
    timeline gives a kind (or an actor) the same colour whatever subset it shows."""
    fields = {field["name"]: field for field in dataset("timeline_events").fields}
    return {"kind": list(fields["kind"]["constraints"]["enum"]),
            "actor": list(fields["actor"]["constraints"]["enum"]) + [NO_ACTOR]}


def encodings(spec: dict[str, Any]) -> dict[str, Any]:
    """The detail view's point layer encoding, from a chart's ``to_dict()`` (for tests)."""
    detail = spec["vconcat"][1]
    return next(layer["encoding"] for layer in detail["layer"]
                if layer["mark"]["type"] == "point")


# --- Tables from the same dataset ------------------------------------------------------------

TABLE3_TITLE = "Timeline for Social Credit System development in China"


def _emphasis(text: str) -> str:
    """The dataset marks the printed italics with asterisks; render them as HTML <em>."""
    import html

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
    for year, event in zip(rows["date_printed"], rows["event_printed"]):
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


def comparison(events: pd.DataFrame, *, start: str | None = None, end: str | None = None,
               include_text_only: bool = True) -> pd.DataFrame:
    """Table 3 next to the text: one row per text statement of an event Table 3 also lists,
    per Table 3 row without a text counterpart and (``include_text_only``) per text event
    Table 3 leaves out, in date order, with the classification and, where the two differ, the
    dataset's remark. (The remarks on other rows, about the text and its notes, are in the
    timeline's tooltips.)"""
    frame = events.copy()
    spans = [partial_dates.parse(v, p) for v, p in zip(frame["date"], frame["precision"])]
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
                raise TimelineError(f"{row.event_id}: pair {row.pair_id!r} has no Table 3 row "
                                    "in the period shown")
            partner = table_rows.loc[row.pair_id]
        table_row = row if row.location == "Table 3" else partner
        text_row = None if row.location == "Table 3" else row
        records.append({
            "Table 3 (as printed)": (f"{table_row.date_printed}: "
                                     f"{table_row.event_printed.replace('*', '')}"
                                     if table_row is not None else "—"),
            "Text (place, date as printed: event)": (
                f"{text_row.location}, {_text_date(text_row)}: {text_row.event}"
                if text_row is not None else "—"),
            "Comparison": _comparison(row),
            "Remarks (from the dataset)": (row.discrepancy if row.text_vs_table3 == "differ"
                                           else ""),
        })
    return pd.DataFrame(records)
