"""Reading the paper's printed forms for the ledger's checks: numbers ('1.42bn', 'eight'),
dates of any precision, page ranges, bibliography keys, acronyms and section numbers."""

from __future__ import annotations

import re

NUMBER_WORDS = {  # English, and the Romanian of the paper's second abstract
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "unu": 1,
    "doi": 2,
    "trei": 3,
    "patru": 4,
    "cinci": 5,
    "șase": 6,
    "șapte": 7,
    "opt": 8,
    "nouă": 9,
    "zece": 10,
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
    """Every number of a printed list: '35, 22, 21' or, with separator ';',
    '30,482,100; 22,596,500'."""
    return [parse_number(part) for part in text.split(separator) if part.strip()]


def printed_step(text: str) -> float:
    """The unit of the last printed digit: '1.42bn' -> 10,000,000; '700m' -> 1,000,000;
    '18.22' -> 0.01."""
    match = _NUMBER.search(text)
    if not match:
        raise ValueError(f"no number in {text!r}")
    digits = match.group(1).replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return 10.0**-decimals * _SCALE.get((match.group(2) or "").lower(), 1)


MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
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
    month = next(
        (number for name, number in MONTHS.items() if re.search(rf"\b{name}\b", lowered)), None
    )
    if month is None:
        return (year,), "year"
    day = re.search(rf"\b(\d{{1,2}})\s+{list(MONTHS)[month - 1]}\b", lowered) or re.search(
        rf"\b{list(MONTHS)[month - 1]}\s+(\d{{1,2}})\b", lowered
    )
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


def date_difference(
    printed: tuple[tuple[int, ...], str], other: tuple[tuple[int, ...], str]
) -> tuple[str, str] | None:
    """None if two dates agree at the precision both give; else (unit, signed size) of the
    first part that differs, e.g. ('year', '+1') when ``other`` is a year later."""
    (a, pa), (b, pb) = printed, other
    if "decade" in (pa, pb):
        return (
            None if a[0] // 10 == b[0] // 10 else ("decade", f"{(b[0] - a[0]) // 10 * 10:+d} years")
        )
    for unit, x, y in zip(("year", "month", "day"), a, b, strict=False):
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
        return any(
            words[j].startswith(letters[i:k]) and fits(k, j + 1)
            for k in range(i + 1, len(letters) + 1)
        )

    return fits(0, 0)


ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def heading_number(label: str) -> tuple[int, str]:
    """A section label's number and style: '1.' -> (1, 'arabic'); 'III' -> (3, 'roman')."""
    token = label.strip().rstrip(".")
    if token.isdigit():
        return int(token), "arabic"
    if token and set(token.upper()) <= set(ROMAN):
        values = [ROMAN[c] for c in token.upper()]
        total = sum(
            -v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)
        )
        return total, "roman"
    raise ValueError(f"not a section number: {label!r}")
