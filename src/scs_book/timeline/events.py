"""The timeline's events: the ``timeline_events`` dataset checked, filtered and given the
columns every view of it uses (positions, labels, the words a tooltip and a list show)."""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from .. import bibliography, partial_dates

ROWS = ("actor", "kind")

NO_ACTOR = "Not named in the paper"

LANES = {"text": "Told in the text", "table": "Row of Table 3"}

FLAGS = ("Text and Table 3 differ", "No difference recorded")

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
