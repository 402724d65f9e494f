"""Checks of the paper's printed numbers against the data.

Each check returns a table (one row per checked value) with the printed value, the value the
data gives, the difference and a status: ``reproduced`` or ``discrepancy``. The helpers at the
end (parsing printed numbers, dates, page ranges, acronyms, section numbers) serve the claims
ledger in :mod:`scs_book.claims`, whose checks may also conclude ``not verifiable``.
"""

from __future__ import annotations

import re

import pandas as pd

REPRODUCED, DISCREPANCY, NOT_VERIFIABLE = "reproduced", "discrepancy", "not verifiable"


def rate_per_1000(frame: pd.DataFrame, count: str, population: str, printed: str,
                  label: str, decimals: int = 2) -> pd.DataFrame:
    """Recompute ``count / population * 1000`` and compare it with the printed rate.

    The recomputed rate is rounded to ``decimals`` places, the precision the paper prints; a
    row is reproduced when the rounded value equals the printed one.
    """
    recomputed = (frame[count] / frame[population] * 1000).round(decimals)
    difference = (recomputed - frame[printed]).round(decimals)
    return pd.DataFrame({
        label: frame[label],
        "printed": frame[printed],
        "recomputed": recomputed,
        "difference": difference,
        "status": [REPRODUCED if d == 0 else DISCREPANCY for d in difference],
    })


def out_of_order(frame: pd.DataFrame, column: str, label: str,
                 descending: bool = True) -> pd.DataFrame:
    """Rows whose ``column`` breaks the (descending) order of the rows above them."""
    values = frame[column]
    previous = values.shift(1)
    broken = values > previous if descending else values < previous
    return frame.loc[broken.fillna(False), [label, column]].assign(previous_value=previous[broken])


def order_verdict(broken: pd.DataFrame) -> str:
    """A short verdict on an :func:`out_of_order` result."""
    return "yes" if broken.empty else f"no: {len(broken)} row(s) out of order"


def adjacent_transpositions(value: int) -> list[int]:
    """Every distinct number obtained by swapping two adjacent digits of ``value``."""
    digits = str(value)
    found = []
    for i in range(len(digits) - 1):
        swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
        if swapped != digits and not swapped.startswith("0") and int(swapped) not in found:
            found.append(int(swapped))
    return found


def count_at_rate(frame: pd.DataFrame, count: str, population: str, rate_per_1000: float,
                  label: str, expected: str = "population_x_rate") -> pd.DataFrame:
    """Compare each printed ``count`` with ``population`` times a rate per 1,000, rounded to a
    whole number (``expected``); reproduced when they are equal."""
    at_rate = (frame[population] * (rate_per_1000 / 1000)).round().astype("int64")
    difference = frame[count] - at_rate
    return pd.DataFrame({
        label: frame[label],
        population: frame[population],
        f"{count}_printed": frame[count],
        expected: at_rate,
        "difference": difference,
        "status": [REPRODUCED if d == 0 else DISCREPANCY for d in difference],
    })


# --- helpers for the claims ledger (scs_book.claims) ----------------------------------------

NUMBER_WORDS = {  # English, and the Romanian of the paper's second abstract
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "unu": 1, "doi": 2, "trei": 3, "patru": 4, "cinci": 5, "șase": 6, "șapte": 7, "opt": 8,
    "nouă": 9, "zece": 10,
}
_SCALE = {"bn": 10**9, "billion": 10**9, "m": 10**6, "million": 10**6}
_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(bn|billion|m|million)?\b", re.IGNORECASE)


def parse_number(text: str) -> float:
    """The first number printed in ``text``: '3,073,232', '494.25', '1.42bn', '700m', 'eight'.

    Thousands separators are dropped; 'bn'/'m' scale the value; number words (English, and
    Romanian for the second abstract) are understood. Raises ValueError if there is none.
    """
    match = _NUMBER.search(text)
    if match:
        value = float(match.group(1).replace(",", ""))
        return value * _SCALE.get((match.group(2) or "").lower(), 1)
    for word in re.findall(r"[^\W\d_]+", text.lower()):
        if word in NUMBER_WORDS:
            return float(NUMBER_WORDS[word])
    raise ValueError(f"no number in {text!r}")


def parse_numbers(text: str, separator: str = ",") -> list[float]:
    """Every number of a printed list: '35, 22, 21' or, with separator ';', '30,482,100; 22,596,500'."""
    return [parse_number(part) for part in text.split(separator) if part.strip()]


def printed_step(text: str) -> float:
    """The unit of the last printed digit: '1.42bn' -> 10,000,000; '700m' -> 1,000,000; '18.22' -> 0.01."""
    match = _NUMBER.search(text)
    if not match:
        raise ValueError(f"no number in {text!r}")
    digits = match.group(1).replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return 10.0 ** -decimals * _SCALE.get((match.group(2) or "").lower(), 1)


MONTHS = {name: number for number, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
PRECISIONS = ("decade", "year", "month", "day")


def parse_date(text: str) -> tuple[tuple[int, ...], str]:
    """A printed date as (parts, precision): '16 July 2013' -> ((2013, 7, 16), 'day');
    'November 2016' -> ((2016, 11), 'month'); 'around 2013' -> ((2013,), 'year');
    'The 1990s' -> ((1990,), 'decade'); '2014-06-27', '2016/09/25' and 'May 1, 2019' too."""
    lowered = text.lower()
    iso = re.search(r"(?<!\d)(\d{4})[-/](0[1-9]|1[0-2])(?:[-/](\d{2}))?(?!\d)", lowered)
    if iso:
        parts = tuple(int(p) for p in iso.groups() if p)
        return parts, PRECISIONS[len(parts)]
    decade = re.search(r"\b(\d{3}0)s\b", lowered)
    if decade:
        return (int(decade.group(1)),), "decade"
    years = years_in(lowered)
    if not years:
        raise ValueError(f"no year in {text!r}")
    year = years[0]
    month = next((number for name, number in MONTHS.items()
                  if re.search(rf"\b{name}\b", lowered)), None)
    if month is None:
        return (year,), "year"
    day = re.search(rf"\b(\d{{1,2}})\s+{list(MONTHS)[month - 1]}\b", lowered) or \
        re.search(rf"\b{list(MONTHS)[month - 1]}\s+(\d{{1,2}})\b", lowered)
    if day:
        return (year, month, int(day.group(1))), "day"
    return (year, month), "month"


def years_in(text: str) -> list[int]:
    """Every year (1800-2099) printed in ``text``, also next to CJK characters ('2020年')."""
    return [int(y) for y in re.findall(r"(?<!\d)(1[89]\d{2}|20\d{2})(?!\d)", text)]


def iso_date_parts(value: str, precision: str) -> tuple[tuple[int, ...], str]:
    """A stored ISO date string ('2013-07-16', '2016') with its precision column."""
    parts = tuple(int(p) for p in str(value).split("-"))
    return parts, precision


def date_difference(printed: tuple[tuple[int, ...], str],
                    other: tuple[tuple[int, ...], str]) -> tuple[str, str] | None:
    """None if two dates agree at the precision both give; else (unit, signed size) of the
    first part that differs, e.g. ('year', '+1') when ``other`` is a year later."""
    (a, pa), (b, pb) = printed, other
    if "decade" in (pa, pb):
        return None if a[0] // 10 == b[0] // 10 else ("decade", f"{(b[0] - a[0]) // 10 * 10:+d} years")
    for unit, x, y in zip(("year", "month", "day"), a, b):
        if x != y:
            return unit, f"{y - x:+d}"
    return None


def bib_year(key: str) -> int | None:
    """The year in a bibliography key of the book (author_year_word); None for 'nd' (no date)."""
    match = re.fullmatch(r"[a-z0-9]+?_(\d{4}|nd)_[a-z0-9_]+", key)
    if not match:
        raise ValueError(f"not a bibliography key of the form author_year_word: {key!r}")
    return None if match.group(1) == "nd" else int(match.group(1))


def page_range(text: str) -> tuple[int, int]:
    """'p. 51-52', '22–32', '424' -> (first, last) page."""
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if not numbers or len(numbers) > 2:
        raise ValueError(f"not a page or page range: {text!r}")
    return numbers[0], numbers[-1]


_STOP_WORDS = {"for", "of", "the", "and", "on", "in"}


def acronym_fits(acronym: str, expansion: str) -> bool:
    """Can ``acronym`` be cut into consecutive pieces, each the start of the next significant
    word of ``expansion`` ('MERICS' = MER-I-C-S of 'Mercator Institute for China Studies')?"""
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", expansion) if w.lower() not in _STOP_WORDS]
    letters = acronym.lower()

    def fits(i: int, j: int) -> bool:
        if i == len(letters):
            return j == len(words)
        if j == len(words):
            return False
        return any(words[j].startswith(letters[i:k]) and fits(k, j + 1)
                   for k in range(i + 1, len(letters) + 1))

    return fits(0, 0)


ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def heading_number(label: str) -> tuple[int, str]:
    """A section label's number and style: '1.' -> (1, 'arabic'); 'III' -> (3, 'roman')."""
    token = label.strip().rstrip(".")
    if token.isdigit():
        return int(token), "arabic"
    if token and set(token.upper()) <= set(ROMAN):
        values = [ROMAN[c] for c in token.upper()]
        total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v
                    for i, v in enumerate(values))
        return total, "roman"
    raise ValueError(f"not a section number: {label!r}")


def fitting_transpositions(value: int, fits) -> list[int]:
    """The adjacent-digit transpositions of ``value`` for which ``fits(candidate)`` is true."""
    return [candidate for candidate in adjacent_transpositions(value) if fits(candidate)]

def _status(stated, recomputed) -> str:
    return REPRODUCED if stated == recomputed else DISCREPANCY


def itemized_lists(counts: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """Figures 2 and 3: do the per-region counts add up to the itemized columns of the totals?

    For each list type: the sum of the per-region counts against ``itemized_in_captions``, the
    number of regions against ``regions_itemized``, and ``total_lists`` minus the sum against
    ``remainder_not_itemized``.
    """
    rows = []
    for total in totals.itertuples(index=False):
        mine = counts.loc[counts["list_type"] == total.list_type, "count"]
        itemized = int(mine.sum())
        for quantity, stated, recomputed in (
                ("lists itemized by region", int(total.itemized_in_captions), itemized),
                ("regions itemized", int(total.regions_itemized), int(len(mine))),
                ("lists not itemized (total minus itemized)", int(total.remainder_not_itemized),
                 int(total.total_lists) - itemized)):
            rows.append({"list_type": total.list_type, "quantity": quantity, "stated": stated,
                         "recomputed": recomputed, "status": _status(stated, recomputed)})
    return pd.DataFrame(rows)


def ownership_total(facts: pd.DataFrame, topic: str) -> pd.DataFrame:
    """Shares of one ownership structure: each holder group's share times its size, and the sum."""
    shares = facts.loc[facts["topic"] == topic].copy()
    if shares.empty or not shares["unit"].str.startswith("percent").all():
        raise ValueError(f"no percentage shares for topic {topic!r}")
    shares["holders"] = shares["group_size"].fillna(1).astype("int64")
    shares["share_together"] = shares["value"] * shares["holders"]
    return shares[["fact_id", "quantity", "value", "holders", "share_together"]]


def batch_sizes(areas: pd.DataFrame, batches: pd.DataFrame) -> pd.DataFrame:
    """Areas listed in the data per demonstration batch, against the size each batch announced.

    A batch whose names are not available must have no rows; its status says so.
    """
    listed = areas.groupby("batch").size()
    rows = []
    for batch in batches.itertuples(index=False):
        found = int(listed.get(batch.batch, 0))
        expected = int(batch.announced_size) if batch.names_available else 0
        status = _status(expected, found)
        rows.append({"batch": int(batch.batch), "announced": batch.announced,
                     "announced_size": int(batch.announced_size), "areas_in_data": found,
                     "status": status if batch.names_available or status == DISCREPANCY
                     else "names not available"})
    extra = sorted(set(listed.index) - set(batches["batch"]))
    if extra:
        raise ValueError(f"areas belong to batches with no announcement: {extra}")
    return pd.DataFrame(rows)


def located_rows_inconsistent(areas: pd.DataFrame) -> pd.DataFrame:
    """Rows whose ``located`` flag disagrees with their geonameid and coordinates."""
    has_point = areas[["geonameid", "latitude", "longitude"]].notna()
    wrong = (areas["located"] & ~has_point.all(axis=1)) | (~areas["located"] & has_point.any(axis=1))
    return areas.loc[wrong, ["area_id", "located", "geonameid", "latitude", "longitude"]]
