"""The claims ledger: every quantitative statement of the paper, and the check that applies.

The register is the dataset ``claims`` (data/claims.csv): one row per statement, with the value
as printed, the name of a check and the check's arguments (a JSON object). Statuses are never
stored; they are computed here, from the data package, every time the book is built:

- ``reproduced``: the data (or the other places of the paper the claim must agree with) give the
  printed value;
- ``discrepancy``: they do not; the result gives the size of the difference and the most likely
  explanation, flagged as an inference where it goes beyond the data;
- ``not verifiable``: nothing public in the data package can confirm or refute it; the result
  says why.

A check is a function registered with ``@check("name")``; it receives a :class:`Claim` and
returns a :class:`Result`. A claim naming a check that is not registered raises
:class:`ClaimError` naming the claim, which is how a claim without a check fails the build.
"""

from __future__ import annotations

import difflib
import html
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import checks, data, tables
from .checks import DISCREPANCY, NOT_VERIFIABLE, REPRODUCED

STATUSES = (REPRODUCED, DISCREPANCY, NOT_VERIFIABLE)
SECTIONS = {"abstract": "Abstract", "1": "1. General framework and relevance of the subject",
            "II": "II. Short history of the Social Credit System before 2014",
            "III": "III. The reality of China's Social Credit System from 2014 to 2020",
            "V": "V. Conclusions (with Table 3)", "notes": "Notes and bibliography"}


class ClaimError(ValueError):
    """A claim of the register cannot be evaluated (unknown check, malformed arguments)."""

    def __init__(self, claim_id: str, message: str):
        self.claim_id = claim_id
        super().__init__(f"claim {claim_id}: {message}")


@dataclass(frozen=True)
class Claim:
    """One row of the register, with its check arguments decoded."""

    claim_id: str
    printed: str
    check: str
    args: dict[str, Any] = field(default_factory=dict)
    statement: str = ""
    section: str = ""

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Claim:
        claim_id = str(row["claim_id"])
        raw = row.get("check_args")
        try:
            args = json.loads(raw) if isinstance(raw, str) and raw.strip() else {}
        except json.JSONDecodeError as error:
            raise ClaimError(claim_id, f"check_args is not valid JSON ({error})") from None
        if not isinstance(args, dict):
            raise ClaimError(claim_id, "check_args must be a JSON object")
        return cls(claim_id, str(row["printed_value"]), str(row["check"]), args,
                   str(row.get("statement", "")), str(row.get("section", "")))

    def arg(self, name: str, default: Any = ...) -> Any:
        if name in self.args:
            return self.args[name]
        if default is ...:
            raise ClaimError(self.claim_id, f"check '{self.check}' needs the argument '{name}'")
        return default


@dataclass(frozen=True)
class Result:
    """What a check found: status, the value the data give, the difference, and why."""

    status: str
    computed: str
    difference: str = ""
    explanation: str = ""
    inference: bool = False

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.status != REPRODUCED and not self.explanation:
            raise ValueError(f"a '{self.status}' result needs an explanation")

    @property
    def evidence(self) -> str:
        """One readable paragraph: what was computed, the difference, the explanation."""
        parts = [self.computed]
        if self.difference:
            parts.append(f"Difference: {self.difference}.")
        if self.explanation:
            parts.append(("Inference: " if self.inference else "") + self.explanation)
        return " ".join(part.strip() for part in parts if part.strip())


Check = Callable[[Claim], Result]
_REGISTRY: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    """Register a check function under ``name`` (the value of the register's ``check`` column)."""
    def register(function: Check) -> Check:
        if name in _REGISTRY:
            raise ValueError(f"check '{name}' is registered twice")
        _REGISTRY[name] = function
        return function
    return register


def registered() -> dict[str, Check]:
    """Every registered check, by name."""
    return dict(_REGISTRY)


def evaluate(claim: Claim | Mapping[str, Any]) -> Result:
    """Run the claim's check. An unregistered check name raises ClaimError naming the claim."""
    claim = claim if isinstance(claim, Claim) else Claim.from_row(claim)
    if claim.check not in _REGISTRY:
        raise ClaimError(claim.claim_id, f"its check '{claim.check}' is not a registered check "
                         f"(known: {', '.join(sorted(_REGISTRY))})")
    return _REGISTRY[claim.check](claim)


RESULT_COLUMNS = ["status", "computed", "difference", "explanation", "inference", "evidence"]


def evaluate_all(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The register with every claim's result: the columns of ``claims`` plus RESULT_COLUMNS."""
    frame = data.claims() if frame is None else frame.copy()
    results = [evaluate(row) for row in frame.to_dict("records")]
    for column in RESULT_COLUMNS:
        frame[column] = [getattr(result, column) for result in results]
    return frame


def section_claims(section: str, editorial: bool | None = None,
                   ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """The evaluated claims of one section (optionally only the editorial or numeric ones)."""
    if section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}; known: {', '.join(SECTIONS)}")
    ledger = evaluate_all() if ledger is None else ledger
    chosen = ledger[ledger["section"] == section]
    if editorial is not None:
        chosen = chosen[chosen["editorial"] == editorial]
    return chosen.reset_index(drop=True)


def display_frame(claims: pd.DataFrame) -> pd.DataFrame:
    """The columns a reader needs, with readable headers."""
    return pd.DataFrame({
        "Claim": [f"{claim_id} ({kind}): {location}" for claim_id, kind, location
                  in zip(claims["claim_id"], claims["claim_kind"], claims["location"])],
        "Statement (paraphrased)": claims["statement"],
        "As printed": claims["printed_value"],
        "Status": claims["status"],
        "Evidence": claims["evidence"],
    })


# Long texts: fixed column widths, top-aligned, smaller type (scoped to each table by its id).
LEDGER_STYLES = [
    {"selector": "", "props": "table-layout: fixed; width: 100%; font-size: 0.8rem;"},
    {"selector": "td, th", "props": "vertical-align: top; overflow-wrap: break-word; "
                                    "padding: 0.3rem 0.35rem; text-align: left;"},
    *({"selector": f"th:nth-child({column})", "props": f"width: {width}%;"}
      for column, width in enumerate((17, 22, 14, 14, 33), start=1)),
]


def ledger_table(claims: pd.DataFrame, name: str, caption: str):
    """Evaluated claims as a stable, readable HTML table (cell text HTML-escaped)."""
    frame = display_frame(claims).map(lambda value: html.escape(str(value), quote=False))
    return tables.table(frame, name, html.escape(caption, quote=False), styles=LEDGER_STYLES)


def section_table(section: str, editorial: bool | None = None,
                  ledger: pd.DataFrame | None = None):
    """The claims of one section as a stable HTML table, for the section notebooks."""
    chosen = section_claims(section, editorial, ledger)
    counts = chosen["status"].value_counts()
    summary = ", ".join(f"{int(counts.get(status, 0))} {status}" for status in STATUSES)
    kind = {None: "", True: " (editorial)", False: " (numeric)"}[editorial]
    caption = f"Claims{kind}, {SECTIONS[section]}: {len(chosen)} ({summary})"
    name = "claims-" + re.sub(r"[^a-z0-9]+", "-", f"{section}-{editorial}".lower())
    return ledger_table(chosen, name, caption)


# --- shared helpers -----------------------------------------------------------------------

def _fmt(value: float) -> str:
    """A number the way the paper prints it: thousands separators, no needless decimals."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"


def _row(frame: pd.DataFrame, column: str, value: Any, claim: Claim) -> pd.Series:
    rows = frame[frame[column] == value]
    if len(rows) != 1:
        raise ClaimError(claim.claim_id, f"expected one row with {column} = {value!r}, "
                         f"found {len(rows)}")
    return rows.iloc[0]


def _where(frame: pd.DataFrame, where: Mapping[str, Any]) -> pd.DataFrame:
    for column, value in where.items():
        frame = frame[frame[column] == value]
    return frame


def _footnote_keys(number: int, claim: Claim) -> list[str]:
    notes = data.footnotes()
    return str(_row(notes, "footnote", int(number), claim)["bib_keys"]).split(";")


def _national_rate() -> float:
    """Table 1's printed rate for 'Cities of China' (per 1,000 people)."""
    table1 = data.table1_surveilled_cities()
    return float(table1.loc[table1["country"] == "China", "per_1000_printed"].iloc[0])


def _fact(fact_id: str, claim: Claim) -> pd.Series:
    return _row(data.section3_facts(), "fact_id", fact_id, claim)


def _event(event_id: str, claim: Claim) -> pd.Series:
    return _row(data.timeline_events(), "event_id", event_id, claim)


def _not_verifiable(reason: str, computed: str = "Nothing to recompute.") -> Result:
    return Result(NOT_VERIFIABLE, computed, explanation=reason)


# --- the checks ---------------------------------------------------------------------------

@check("not_verifiable")
def not_verifiable(claim: Claim) -> Result:
    """No public data in the package can confirm or refute the claim; ``reason`` says why."""
    reason = str(claim.arg("reason")).strip()
    if not reason:
        raise ClaimError(claim.claim_id, "a not-verifiable claim must say why")
    return _not_verifiable(reason, "No data in the package to recompute it from.")


@check("rate_per_1000")
def rate_per_1000(claim: Claim) -> Result:
    """Table 1: the printed rate against cameras / population x 1,000 (row ``row``)."""
    table1 = data.table1_surveilled_cities()
    row = table1[table1["city"] == claim.arg("row")].copy()
    if len(row) != 1:
        raise ClaimError(claim.claim_id, f"no Table 1 row {claim.arg('row')!r}")
    row["claimed"] = checks.parse_number(claim.printed)
    verdict = checks.rate_per_1000(row, "cameras", "population", "claimed", "city").iloc[0]
    entry = row.iloc[0]
    computed = (f"{_fmt(entry['cameras'])} cameras / {_fmt(entry['population'])} people x 1,000 "
                f"= {verdict['recomputed']:.2f}.")
    if verdict["status"] == REPRODUCED:
        return Result(REPRODUCED, computed)
    implied = entry["cameras"] / verdict["printed"] * 1000
    step = checks.printed_step(entry["population_printed"])
    rounds_to_printed = round(implied / step) * step == round(entry["population"] / step) * step
    explanation = (f"The printed rate implies a population of {_fmt(round(implied))}"
                   + (f", which rounds to the printed {entry['population_printed']}: the rate was "
                      "most likely computed from an unrounded population, and the table prints "
                      "the rounded one." if rounds_to_printed else
                      f", which does not round to the printed {entry['population_printed']}; "
                      "no rounding of the population explains the difference."))
    return Result(DISCREPANCY, computed, f"{verdict['difference']:+.2f} per 1,000",
                  explanation, inference=rounds_to_printed)


@check("national_rate_row")
def national_rate_row(claim: Claim) -> Result:
    """Table 2: printed cameras against population x Table 1's national rate (note 5)."""
    table2 = data.table2_china_cctv()
    entry = _row(table2, "city", claim.arg("row"), claim)
    rate = _national_rate()
    printed = int(checks.parse_number(claim.printed))
    expected = round(int(entry["population_2025"]) * rate / 1000)
    computed = (f"{_fmt(entry['population_2025'])} people x {rate:.2f} per 1,000 = "
                f"{_fmt(expected)} cameras; the printed count implies "
                f"{printed / entry['population_2025'] * 1000:.2f} per 1,000.")
    if printed == expected:
        return Result(REPRODUCED, computed)
    fitting = checks.fitting_transpositions(int(entry["population_2025"]),
                                            lambda value: round(value * rate / 1000) == printed)
    if fitting:
        explanation = (f"Swapping two adjacent digits of the printed population gives "
                       f"{', '.join(_fmt(v) for v in fitting)}, which reproduces the printed "
                       f"camera count at the national rate: the printed population most likely "
                       f"carries a typing error (two digits swapped).")
    else:
        explanation = ("No swap of two adjacent digits of the population reproduces the printed "
                       "count at the national rate; the cause is unknown.")
    return Result(DISCREPANCY, computed, f"{printed - expected:+,} cameras", explanation,
                  inference=bool(fitting))


@check("national_rate_all_rows")
def national_rate_all_rows(claim: Claim) -> Result:
    """Note 5: every Table 2 count is population x the national rate (``rate`` overrides Table 1's)."""
    table2 = data.table2_china_cctv()
    rate = float(claim.arg("rate", _national_rate()))
    exact, repaired, unexplained = [], [], []
    for entry in table2.itertuples():
        expected = round(entry.population_2025 * rate / 1000)
        if expected == entry.cameras:
            exact.append(entry.city)
        elif checks.fitting_transpositions(
                entry.population_2025, lambda value, c=entry.cameras: round(value * rate / 1000) == c):
            repaired.append(entry.city)
        else:
            unexplained.append(entry.city)
    computed = (f"At {rate:.2f} per 1,000, population x rate gives the printed camera count "
                f"exactly for {len(exact)} of {len(table2)} cities")
    computed += (f"; {', '.join(repaired)} matches once two adjacent digits of its printed "
                 f"population are swapped." if repaired else ".")
    if unexplained:
        return Result(DISCREPANCY, computed, f"{len(unexplained)} of {len(table2)} cities off "
                      f"({', '.join(unexplained[:5])}{', ...' if len(unexplained) > 5 else ''})",
                      "The counts do not follow one national rate.")
    return Result(REPRODUCED, computed,
                  explanation=("The exception is read as a typing error in its printed "
                               "population." if repaired else ""), inference=bool(repaired))


@check("printed_order")
def printed_order(claim: Claim) -> Result:
    """A printed sequence is sorted in ``direction``, and is the sequence the data hold."""
    direction = claim.arg("direction")
    if direction not in ("ascending", "descending"):
        raise ClaimError(claim.claim_id, "direction must be 'ascending' or 'descending'")
    separator = claim.arg("separator", ",")
    if claim.arg("years", False):
        printed = [checks.parse_date(part)[0][0] for part in claim.printed.split(separator)]
    else:
        printed = checks.parse_numbers(claim.printed, separator)
    frame = _where(data.load(claim.arg("dataset")), claim.arg("where", {}))
    if claim.arg("order_by", None):
        frame = frame.sort_values(claim.arg("order_by"), kind="stable")
    stored = list(frame[claim.arg("column")])
    if claim.arg("years", False):
        stored = list(dict.fromkeys(int(str(value)[:4]) for value in stored))
    sequence = pd.DataFrame({"position": range(1, len(printed) + 1), "value": printed})
    broken = checks.out_of_order(sequence, "value", "position",
                                 descending=direction == "descending")
    computed = (f"{len(printed)} values as printed; {checks.order_verdict(broken)} "
                f"in {direction} order.")
    if [float(v) for v in stored] != [float(v) for v in printed]:
        return Result(DISCREPANCY, computed, "the printed sequence is not the one in the data",
                      f"data/{claim.arg('dataset')}.csv holds "
                      f"{', '.join(_fmt(v) for v in stored)}; the register or the data "
                      "mis-transcribes the paper.")
    if not broken.empty:
        where = "; ".join(f"position {int(p)} ({_fmt(v)}) after {_fmt(prev)}"
                          for p, v, prev in broken.itertuples(index=False))
        return Result(DISCREPANCY, computed, where,
                      f"The sequence is not in {direction} order.")
    return Result(REPRODUCED, computed)


@check("majority_chinese")
def majority_chinese(claim: Claim) -> Result:
    """Share of Chinese cities among the ``top`` most surveilled of Tables 1 and 2 combined."""
    top = int(claim.arg("top"))
    table1 = data.table1_surveilled_cities()
    table2 = data.table2_china_cctv()
    cities = pd.concat([
        pd.DataFrame({"city": table1.loc[table1["country"] != "China", "city"],
                      "chinese": False,
                      "rate": table1.loc[table1["country"] != "China", "per_1000_printed"]}),
        pd.DataFrame({"city": table2["city"], "chinese": True,
                      "rate": table2["cameras"] / table2["population_2025"] * 1000}),
    ]).sort_values("rate", ascending=False, kind="stable").head(top)
    share = cities["chinese"].mean()
    china_rows = int((table1["country"] == "China").sum())
    chinese_rates = table2["cameras"] / table2["population_2025"] * 1000
    computed = (f"Ranking the nine non-Chinese cities of Table 1 and the {len(table2)} cities "
                f"of Table 2 by cameras per 1,000 people, {int(cities['chinese'].sum())} of the "
                f"top {top} are Chinese ({share:.0%}); the Chinese rates range from "
                f"{chinese_rates.min():.2f} to {chinese_rates.max():.2f}. Table 1 alone has "
                f"{china_rows} Chinese row of {len(table1)} (an aggregate, not a city).")
    word = claim.printed.lower()
    claimed_majority = "majority" in word and "minority" not in word
    if claimed_majority == (share > 0.5):
        return Result(REPRODUCED, computed,
                      explanation="Every Chinese city is given the national rate (note 5), so "
                                  "the ranking follows from how the estimates were made rather "
                                  "than from city-level counts.")
    return Result(DISCREPANCY, computed, f"{share:.0%} Chinese in the top {top}",
                  f"The data give {'a majority' if share > 0.5 else 'no majority'}.")


@check("text_date")
def text_date(claim: Claim) -> Result:
    """A printed date against other places of the paper: the timeline rows ``events`` (e.g. its
    Table 3 counterpart) and the year of the document cited in note ``footnote`` (``bib_key``)."""
    printed = checks.parse_date(claim.printed)
    compared, differences, notes = [], [], []
    for event_id in claim.arg("events", []):
        event = _event(event_id, claim)
        other = checks.iso_date_parts(event["date"], event["precision"])
        label = f"{event['location']} ({event['date']})"
        compared.append(label)
        gap = checks.date_difference(printed, other)
        if gap:
            differences.append(f"{label}: {gap[1]} {gap[0]}(s)")
        if isinstance(event["discrepancy"], str) and event["discrepancy"].strip():
            notes.append(event["discrepancy"].strip())
    if "footnote" in claim.args:
        key = claim.arg("bib_key")
        if key not in _footnote_keys(claim.arg("footnote"), claim):
            raise ClaimError(claim.claim_id, f"note {claim.arg('footnote')} does not cite {key}")
        year = checks.bib_year(key)
        if year is not None:
            label = f"note {claim.arg('footnote')} ({key}, dated {year})"
            compared.append(label)
            gap = checks.date_difference(printed, ((year,), "year"))
            if gap:
                differences.append(f"{label}: {gap[1]} {gap[0]}(s)")
    if not compared:
        return _not_verifiable("No other place of the paper and no dated source in the "
                               "package gives this date.")
    computed = f"Compared with {'; '.join(compared)}."
    if not differences:
        return Result(REPRODUCED, computed)
    explanation = claim.arg("inference", "")
    if notes:
        explanation = (explanation + " Data note: " + " ".join(dict.fromkeys(notes))).strip()
    return Result(DISCREPANCY, computed, "; ".join(differences),
                  explanation or "The dates differ; the data say no more.",
                  inference=bool(claim.arg("inference", "")))


@check("timeline_actor")
def timeline_actor(claim: Claim) -> Result:
    """The actor printed for an event against the actors of its other mentions (``pair_id``;
    the claim's own place, ``location``, is left out)."""
    events = data.timeline_events()
    pair = events[(events["pair_id"] == claim.arg("pair_id"))
                  & (events["location"] != claim.arg("location"))]
    if pair.empty:
        raise ClaimError(claim.claim_id, f"no timeline events with pair_id {claim.arg('pair_id')!r}")
    printed = re.sub(r"^the\s+", "", claim.printed.strip(), flags=re.IGNORECASE)
    actors = {f"{row.location}": row.actor for row in pair.itertuples() if isinstance(row.actor, str)}
    others = {place: actor for place, actor in actors.items() if actor != printed}
    computed = "Actors recorded: " + "; ".join(f"{place}: {actor}" for place, actor in actors.items()) + "."
    if not others:
        return Result(REPRODUCED, computed)
    return Result(DISCREPANCY, computed,
                  "; ".join(f"{place} names {actor}" for place, actor in others.items()),
                  claim.arg("inference", "The paper names different actors for one event."),
                  inference="inference" in claim.args)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


@check("consistent_wording")
def consistent_wording(claim: Claim) -> Result:
    """The printed wording (``compare: exact``) or year (``compare: years``, the last year in
    each text) against its other occurrences in the paper (``others``: place -> text)."""
    others: dict[str, str] = claim.arg("others")
    mode = claim.arg("compare", "exact")

    def key(text: str):
        if mode == "years":
            years = checks.years_in(text)
            if not years:
                raise ClaimError(claim.claim_id, f"no year in {text!r}")
            return years[-1]
        return _normalise(text)

    printed = key(claim.printed)
    differing = {place: text for place, text in others.items() if key(text) != printed}
    computed = (f"{len(others) - len(differing)} of {len(others)} other occurrence(s) agree"
                + (" (compared by year)." if mode == "years" else "."))
    if not differing:
        return Result(REPRODUCED, computed)
    return Result(DISCREPANCY, computed,
                  "; ".join(f"{place} prints '{text}'" for place, text in differing.items()),
                  claim.arg("inference", "The paper is not consistent here."),
                  inference="inference" in claim.args)


@check("acronym")
def acronym(claim: Claim) -> Result:
    """A printed acronym against its expansion and against its other spellings in the paper."""
    expansion = claim.arg("expansion")
    printed = claim.printed.strip()
    fits = checks.acronym_fits(printed, expansion)
    others: dict[str, str] = claim.arg("others", {})
    variants = {place: text for place, text in others.items() if text != printed}
    computed = (f"'{printed}' {'can' if fits else 'cannot'} be formed from the starts of the "
                f"words of '{expansion}'"
                + (f"; elsewhere the paper prints " + ", ".join(
                    f"'{t}' ({p})" for p, t in variants.items()) if variants else "") + ".")
    if fits and not variants:
        return Result(REPRODUCED, computed)
    fitting = sorted({t for t in others.values() if checks.acronym_fits(t, expansion)})
    explanation = (f"Only {', '.join(repr(f) for f in fitting)} fits the expansion; '{printed}' is "
                   "most likely a misspelling." if fitting and not fits else
                   "The paper spells the name in more than one way.")
    return Result(DISCREPANCY, computed,
                  f"{len(variants)} other spelling(s)" if variants else "does not fit the expansion",
                  explanation, inference=bool(fitting and not fits))


@check("place_names")
def place_names(claim: Claim) -> Result:
    """Printed region names against the provincial-level divisions (provinces.name_en)."""
    names = [name.strip() for name in claim.printed.split(",") if name.strip()]
    known = list(data.provinces()["name_en"])
    unknown = [name for name in names if name not in known]
    computed = f"{len(names) - len(unknown)} of {len(names)} names are provincial-level divisions."
    if not unknown:
        return Result(REPRODUCED, computed)
    table2_cities = set(data.table2_china_cctv()["city"])
    notes = []
    for name in unknown:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
        if close:
            also = " (Table 2 of the same paper prints it so)" if close[0] in table2_cities else ""
            notes.append(f"'{name}' is most likely '{close[0]}'{also}")
        else:
            notes.append(f"'{name}' matches no division")
    return Result(DISCREPANCY, computed, ", ".join(f"'{n}' unknown" for n in unknown),
                  "; ".join(notes) + ".", inference=True)


@check("ibid_source")
def ibid_source(claim: Claim) -> Result:
    """An 'Ibid.' note: does the previous note's work match the work the figure comes from
    (the one cited by note ``expected_footnote``)?"""
    number = int(claim.arg("footnote"))
    if _normalise(claim.printed).rstrip(".") != "ibid":
        return _not_verifiable("The note is not an 'Ibid.'; nothing to resolve.")
    previous = set(_footnote_keys(number - 1, claim))
    expected = set(_footnote_keys(int(claim.arg("expected_footnote")), claim))
    computed = (f"'Ibid.' in note {number} refers to note {number - 1} "
                f"({', '.join(sorted(previous))}); the figure's source is the work of note "
                f"{claim.arg('expected_footnote')} ({', '.join(sorted(expected))}).")
    if previous & expected:
        return Result(REPRODUCED, computed)
    return Result(DISCREPANCY, computed, "different works",
                  claim.arg("inference", "The 'Ibid.' points to the wrong work."),
                  inference="inference" in claim.args)


@check("page_in_range")
def page_in_range(claim: Claim) -> Result:
    """The page(s) a note cites lie within the page range the bibliography gives."""
    key = claim.arg("bib_key")
    if key not in _footnote_keys(claim.arg("footnote"), claim):
        raise ClaimError(claim.claim_id, f"note {claim.arg('footnote')} does not cite {key}")
    first, last = checks.page_range(claim.printed)
    low, high = checks.page_range(claim.arg("bibliography_pages"))
    computed = (f"Note {claim.arg('footnote')} cites p. {first}" + (f"-{last}" if last != first else "")
                + f"; the bibliography gives pp. {low}-{high}.")
    if low <= first <= last <= high:
        return Result(REPRODUCED, computed)
    outside = first - low if first < low else last - high
    return Result(DISCREPANCY, computed, f"{outside:+d} page(s) outside the range",
                  "The cited page is not in the article as the bibliography describes it.")


@check("subtotal_within_total")
def subtotal_within_total(claim: Claim) -> Result:
    """The counts a caption itemises cannot exceed the source's total (list_totals)."""
    counts = checks.parse_numbers(claim.printed)
    totals = _row(data.list_totals(), "list_type", claim.arg("list_type"), claim)
    subtotal = int(sum(counts))
    computed = (f"The caption itemises {len(counts)} regions with {subtotal} lists; the source "
                f"counts {int(totals['total_lists'])} {claim.arg('list_type')}s in "
                f"{int(totals['divisions_covered'])} divisions, leaving "
                f"{int(totals['total_lists']) - subtotal} not itemised.")
    if subtotal <= totals["total_lists"] and len(counts) <= totals["divisions_covered"]:
        return Result(REPRODUCED, computed)
    return Result(DISCREPANCY, computed, f"{subtotal - int(totals['total_lists']):+d} lists",
                  "The caption's counts exceed the source's total.")


@check("share_split")
def share_split(claim: Claim) -> Result:
    """Equal split of the remainder: (100 % - ``fact``) / number of holders of ``holders_fact``."""
    single = _fact(claim.arg("fact"), claim)
    holders = _fact(claim.arg("holders_fact"), claim)
    printed = checks.parse_number(claim.printed)
    group = int(holders["group_size"])
    each = (100 - float(single["value"])) / group
    computed = (f"(100 % - {_fmt(single['value'])} %) / {group} holders = {_fmt(each)} % each; "
                f"{_fmt(single['value'])} % + {group} x {_fmt(printed)} % = "
                f"{_fmt(single['value'] + group * printed)} %.")
    if abs(each - printed) < 1e-9:
        return Result(REPRODUCED, computed)
    return Result(DISCREPANCY, computed, f"{printed - each:+.2f} percentage points each",
                  "The shares do not add up to 100 %.")


@check("same_count")
def same_count(claim: Claim) -> Result:
    """The printed count equals every related count stated elsewhere (``facts``: their value;
    ``group_facts``: their number of holders)."""
    printed = checks.parse_number(claim.printed)
    values = {fact: float(_fact(fact, claim)["value"]) for fact in claim.arg("facts", [])}
    values.update({f"{fact} (holders)": float(_fact(fact, claim)["group_size"])
                   for fact in claim.arg("group_facts", [])})
    differing = {name: value for name, value in values.items() if value != printed}
    computed = "Related counts: " + "; ".join(f"{n} = {_fmt(v)}" for n, v in values.items()) + "."
    if not differing:
        return Result(REPRODUCED, computed)
    return Result(DISCREPANCY, computed,
                  "; ".join(f"{n}: {_fmt(v)}" for n, v in differing.items()),
                  "The same group is counted differently in different places.")


@check("interval_years")
def interval_years(claim: Claim) -> Result:
    """A printed number of years against the years of two timeline events."""
    start = int(str(_event(claim.arg("start_event"), claim)["date"])[:4])
    end = int(str(_event(claim.arg("end_event"), claim)["date"])[:4])
    printed = int(checks.parse_number(claim.printed))
    computed = f"{end} - {start} = {end - start} years."
    if printed == end - start:
        return Result(REPRODUCED, computed)
    return Result(DISCREPANCY, computed, f"{printed - (end - start):+d} years",
                  "The printed duration does not match the dates the paper gives.")


@check("period_matches")
def period_matches(claim: Claim) -> Result:
    """A printed period (first and last year) against periods stated elsewhere (section3_facts)."""
    years = checks.years_in(claim.printed)
    if len(years) != 2:
        raise ClaimError(claim.claim_id, f"expected two years in {claim.printed!r}")
    differing, compared = [], []
    for start_fact, end_fact in claim.arg("periods"):
        start = int(_fact(start_fact, claim)["value"])
        end = int(_fact(end_fact, claim)["value"])
        where = _fact(start_fact, claim)["statement_location"]
        compared.append(f"{where}: {start}-{end}")
        if (start, end) != tuple(years):
            differing.append(f"{where}: {start}-{end}")
    computed = "Compared with " + "; ".join(compared) + "."
    if not differing:
        return Result(REPRODUCED, computed)
    return Result(DISCREPANCY, computed, "; ".join(differing),
                  "The same corpus is given different periods.")


@check("count_increase")
def count_increase(claim: Claim) -> Result:
    """A stated growth ('increasing') against the counts the paper gives (``facts``, in date
    order). Agreement only shows consistency, so it is reported as not verifiable."""
    facts = sorted((_fact(f, claim) for f in claim.arg("facts")), key=lambda f: str(f["date"]))
    values = [float(f["value"]) for f in facts]
    computed = "Counts stated: " + "; ".join(
        f"{_fmt(f['value'])} {f['unit']} ({f['date']})" for f in facts) + "."
    rising = all(b > a for a, b in zip(values, values[1:]))
    claimed_rising = "increas" in claim.printed.lower()
    if rising != claimed_rising:
        return Result(DISCREPANCY, computed, "the counts move the other way",
                      "The counts the paper gives contradict the stated direction.")
    return _not_verifiable(claim.arg("reason"), computed)


@check("demonstration_batch")
def demonstration_batch(claim: Claim) -> Result:
    """A printed number of model cities (with named examples) against the official batch list."""
    areas = data.demonstration_areas()
    batch = areas[areas["batch"] == int(claim.arg("batch"))]
    count = int(checks.parse_number(claim.printed))
    examples = []
    if "e.g." in claim.printed:
        listed = claim.printed.split("e.g.", 1)[1]
        examples = [n.strip(" .,()") for n in re.split(r",|\bor\b", listed) if n.strip(" .,()")]
    names = set(batch["name_en"])
    missing = [name for name in examples if name not in names]
    computed = (f"Batch {claim.arg('batch')} of the official list has {len(batch)} cities"
                + (f"; {len(examples) - len(missing)} of the {len(examples)} named examples are "
                   "among them." if examples else "."))
    if count == len(batch) and not missing:
        return Result(REPRODUCED, computed)
    differences = []
    if count != len(batch):
        differences.append(f"{count - len(batch):+d} cities")
    if missing:
        differences.append("not in the batch: " + ", ".join(missing))
    return Result(DISCREPANCY, computed, "; ".join(differences),
                  "The printed count or names do not match the official list.")


@check("demonstration_date")
def demonstration_date(claim: Claim) -> Result:
    """The printed date of a selection against the cited notice's year and the list's
    publication date (demonstration_areas.batch_date)."""
    printed = checks.parse_date(claim.printed)
    areas = data.demonstration_areas()
    published = str(areas.loc[areas["batch"] == int(claim.arg("batch")), "batch_date"].iloc[0])
    key = claim.arg("bib_key")
    if key not in _footnote_keys(claim.arg("footnote"), claim):
        raise ClaimError(claim.claim_id, f"note {claim.arg('footnote')} does not cite {key}")
    notice_year = checks.bib_year(key)
    computed = (f"Note {claim.arg('footnote')} cites the notice as a {notice_year} document; the "
                f"list was published on {published}.")
    published_parts = checks.iso_date_parts(published, "day")[0]
    if printed[0][0] != notice_year or printed[0] > published_parts[:len(printed[0])]:
        return Result(DISCREPANCY, computed, f"printed {claim.printed}",
                      "The printed date contradicts the notice's year or falls after publication.")
    return _not_verifiable(
        f"The printed date agrees with the notice's year and precedes its publication, but no "
        f"source in the package gives the {printed[1]} of the selection itself.", computed)


@check("section_numbering")
def section_numbering(claim: Claim) -> Result:
    """Section headings are numbered 1, 2, 3, ... in one style."""
    labels = [label for label in re.split(r"[,;]\s*", claim.printed) if label.strip()]
    parsed = [checks.heading_number(label) for label in labels]
    numbers = [number for number, _ in parsed]
    styles = sorted({style for _, style in parsed})
    missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
    computed = (f"{len(labels)} headings numbered {', '.join(map(str, numbers))}, in "
                f"{' and '.join(styles)} numerals.")
    problems = []
    if missing:
        problems.append("missing " + ", ".join(map(str, missing)))
    if len(styles) > 1:
        problems.append("mixed arabic and roman numerals")
    if numbers != sorted(numbers) or len(set(numbers)) != len(numbers):
        problems.append("out of order")
    if not problems:
        return Result(REPRODUCED, computed)
    return Result(DISCREPANCY, computed, "; ".join(problems),
                  claim.arg("inference", "The numbering has gaps or mixed styles."),
                  inference="inference" in claim.args)


@check("same_date")
def same_date(claim: Claim) -> Result:
    """A printed date against other dates printed for the same document (``others``); with
    ``mode: any`` one agreeing date is enough."""
    printed = checks.parse_date(claim.printed)
    others: dict[str, str] = claim.arg("others")
    gaps = {place: checks.date_difference(printed, checks.parse_date(text))
            for place, text in others.items()}
    agreeing = [place for place, gap in gaps.items() if gap is None]
    computed = ("Dates printed elsewhere for the same document: "
                + "; ".join(f"{p} ({t})" for p, t in others.items())
                + f". Agrees with: {', '.join(agreeing) if agreeing else 'none'}.")
    differing = {p: g for p, g in gaps.items() if g is not None}
    mode = claim.arg("mode", "all")
    ok = bool(agreeing) if mode == "any" else not differing
    difference = "; ".join(f"{p}: {g[1]} {g[0]}(s)" for p, g in differing.items())
    if ok:
        return Result(REPRODUCED, computed + (f" Differs from {difference}." if difference else ""),
                      explanation=claim.arg("inference", "") if differing else "",
                      inference=bool(differing) and "inference" in claim.args)
    return Result(DISCREPANCY, computed, difference,
                  claim.arg("inference", "The paper prints different dates for one document."),
                  inference="inference" in claim.args)
