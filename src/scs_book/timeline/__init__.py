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

from .drawing import LANE_COLOURS, ROW_NAME_WIDTH, ROW_STEP, chart, encodings
from .events import FLAGS, LANES, TimelineError, chart_rows, describe, event_list, prepared
from .table3 import TABLE3_TITLE, comparison, table3

__all__ = [
    "FLAGS",
    "LANES",
    "LANE_COLOURS",
    "ROW_NAME_WIDTH",
    "ROW_STEP",
    "TABLE3_TITLE",
    "TimelineError",
    "chart",
    "chart_rows",
    "comparison",
    "describe",
    "encodings",
    "event_list",
    "prepared",
    "table3",
]
