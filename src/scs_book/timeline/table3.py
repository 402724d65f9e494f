"""Tables from the same dataset: the paper's Table 3 as printed, and Table 3 beside the text."""

from __future__ import annotations

import html

import pandas as pd

from .. import partial_dates
from .events import TimelineError, _check_frame, _comparison, _date_shown, _span

TABLE3_TITLE = "Timeline for Social Credit System development in China"


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


def _emphasis(text: str) -> str:
    """The dataset marks the printed italics with asterisks; render them as HTML <em>."""
    parts = html.escape(text, quote=False).split("*")
    if len(parts) % 2 == 0:
        raise TimelineError(f"unbalanced italics marker in {text!r}")
    return "".join(f"<em>{part}</em>" if index % 2 else part for index, part in enumerate(parts))


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
