"""What the ledger's checks read from the data package, and how they print numbers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from .. import bibliography, data
from .model import NOT_VERIFIABLE, Claim, ClaimError, Result


def fmt(value: float) -> str:
    """A number the way the paper prints it: thousands separators, no needless decimals."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"


def row(frame: pd.DataFrame, column: str, value: Any, claim: Claim) -> pd.Series:
    """The one row of ``frame`` whose ``column`` is ``value``; ClaimError otherwise."""
    rows = frame[frame[column] == value]
    if len(rows) != 1:
        raise ClaimError(
            claim.claim_id, f"expected one row with {column} = {value!r}, found {len(rows)}"
        )
    return rows.iloc[0]


def where(frame: pd.DataFrame, conditions: Mapping[str, Any]) -> pd.DataFrame:
    """The rows of ``frame`` matching every column = value of ``conditions``."""
    for column, value in conditions.items():
        frame = frame[frame[column] == value]
    return frame


def footnote_keys(number: int, claim: Claim) -> list[str]:
    """The bibliography keys the paper's note ``number`` cites."""
    notes = data.footnotes()
    return str(row(notes, "footnote", int(number), claim)["bib_keys"]).split(";")


def national_rate() -> float:
    """Table 1's printed rate for 'Cities of China' (per 1,000 people)."""
    table1 = data.table1_surveilled_cities()
    return float(table1.loc[table1["country"] == "China", "per_1000_printed"].iloc[0])


def paper_fact(fact_id: str, claim: Claim) -> pd.Series:
    """A fact the paper itself states (section3_facts), by id."""
    return row(data.section3_facts(), "fact_id", fact_id, claim)


def event(event_id: str, claim: Claim) -> pd.Series:
    """A dated event of the paper (timeline_events), by id."""
    return row(data.timeline_events(), "event_id", event_id, claim)


def not_verifiable(reason: str, computed: str = "Nothing to recompute.") -> Result:
    """A not-verifiable result with its reason."""
    return Result(NOT_VERIFIABLE, computed, explanation=reason)


def normalise(text: str) -> str:
    """Text compared without case or runs of spaces."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def cited(keys: set[str]) -> str:
    """Bibliography keys as readers know the works: 'State Council 2014; Creemers 2014'."""
    return "; ".join(sorted(bibliography.short_citation(key) for key in keys))
