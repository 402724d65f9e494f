"""Dates known only to a year, a month or a day ("partial dates"), as the paper prints them.

A data-package field holds such dates as ISO 8601 strings of mixed precision: ``YYYY``,
``YYYY-MM`` or ``YYYY-MM-DD``. A field declares itself a partial date in
``data/datapackage.json`` with the custom property ``partialDate`` (Frictionless ignores it;
:mod:`scs_book.datapackage` reads it)::

    {"name": "date", "type": "string",
     "constraints": {"pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"},
     "partialDate": {"precisionField": "precision"}}

``precisionField`` (optional) names the column stating each value's precision, one of
:data:`PRECISIONS`; the value's form must agree with it, and a ``decade`` must be stored as
the decade's first year (1990 for "the 1990s"). Every value must be a real calendar date at its
precision: ``2013-13`` and ``2013-02-30`` are errors.

The module also places a partial date on a continuous axis (decimal years) for charts: the
span it covers, and the middle of that span.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

PRECISIONS = ("decade", "year", "month", "day")
_FORM = re.compile(r"^(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?$")
_FORM_OF = {"decade": "YYYY", "year": "YYYY", "month": "YYYY-MM", "day": "YYYY-MM-DD"}


class PartialDateError(ValueError):
    """A value is not a partial date, or disagrees with its stated precision."""


@dataclass(frozen=True)
class PartialDate:
    """A partial date: ``value`` as stored, its ``precision``, and the days it may fall on."""

    value: str
    precision: str
    first_day: date
    last_day: date

    @property
    def start(self) -> float:
        """The first day of the span, in decimal years (2013-01-01 -> 2013.0)."""
        return decimal_year(self.first_day)

    @property
    def end(self) -> float:
        """The end of the span's last day, in decimal years (2013 -> 2014.0)."""
        return decimal_year(self.last_day + timedelta(days=1))

    @property
    def middle(self) -> float:
        """The middle of the span, in decimal years (the position a chart gives the date)."""
        return (self.start + self.end) / 2

    @property
    def year(self) -> int:
        return self.first_day.year


def parse(value: str, precision: str | None = None) -> PartialDate:
    """Read ``value`` (YYYY, YYYY-MM or YYYY-MM-DD) at ``precision`` (inferred if None)."""
    match = _FORM.match(value) if isinstance(value, str) else None
    if not match:
        raise PartialDateError(f"'{value}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in match.group("year", "month", "day"))
    form = "YYYY-MM-DD" if day else "YYYY-MM" if month else "YYYY"
    if precision is None:
        precision = {"YYYY": "year", "YYYY-MM": "month", "YYYY-MM-DD": "day"}[form]
    if precision not in PRECISIONS:
        raise PartialDateError(
            f"unknown precision '{precision}' (expected one of {', '.join(PRECISIONS)})"
        )
    if _FORM_OF[precision] != form:
        raise PartialDateError(
            f"'{value}' has the form {form}, but its precision '{precision}' "
            f"needs {_FORM_OF[precision]}"
        )
    if year == 0:
        raise PartialDateError(f"'{value}': there is no year 0000")
    if month is not None and not 1 <= month <= 12:
        raise PartialDateError(f"'{value}' is not a real date: month {month:02d} does not exist")
    if day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise PartialDateError(
                f"'{value}' is not a real date: {calendar.month_name[month]} {year} has {last} days"
            )
    if precision == "decade":
        if year % 10:
            raise PartialDateError(
                f"'{value}': a decade is stored as its first year ({year - year % 10}), not {year}"
            )
        first, last_day = date(year, 1, 1), date(min(year + 9, 9999), 12, 31)
    elif precision == "year":
        first, last_day = date(year, 1, 1), date(year, 12, 31)
    elif precision == "month":
        first = date(year, month, 1)
        last_day = date(year, month, calendar.monthrange(year, month)[1])
    else:
        first = last_day = date(year, month, day)
    return PartialDate(value, precision, first, last_day)


def decimal_year(day: date) -> float:
    """``day`` as a decimal year: 2013-07-02 -> 2013.5 (midnight at the start of the day)."""
    length = 366 if calendar.isleap(day.year) else 365
    return day.year + (day.toordinal() - date(day.year, 1, 1).toordinal()) / length


def label(value: str, precision: str | None = None) -> str:
    """A partial date in prose, at its precision: '2015', 'Jun 2015', '3 June 2015', '1990s'."""
    when = parse(value, precision)
    day = when.first_day
    return {
        "decade": f"{day:%Y}s",
        "year": f"{day:%Y}",
        "month": f"{day:%b %Y}",
        "day": f"{day.day} {day:%B %Y}",
    }[when.precision]
