"""Checks against sources: the printed value against facts quoted from the documents the paper
cites (``source_facts``, each tied to its entry in the register ``sources``), and the claims no
source settles, with what was looked for.

A fact's count of a named list is the number of the list's items, never a typed number.
"""

from __future__ import annotations

import re

import pandas as pd

from .. import data
from . import lookup, parsing
from .model import (
    AGAINST_SOURCE, CONFIRMED, DISCREPANCY, Claim, ClaimError, Result, SourceQuote, check)

COMPARISONS = ("date", "number", "count", "text")
LIST_SEPARATOR = ";"


def source_facts(claim: Claim) -> pd.DataFrame:
    """The facts quoted from sources; ClaimError naming the claim if the resource is missing."""
    try:
        return data.source_facts()
    except AttributeError:
        raise ClaimError(claim.claim_id, "it is checked against a source, but the data package "
                         "has no resource 'source_facts'") from None


def source_fact(fact_id: str, claim: Claim) -> pd.Series:
    """One fact by id; a fact that is not in the package fails naming the claim and the fact."""
    facts = source_facts(claim)
    rows = facts[facts["fact_id"] == fact_id]
    if rows.empty:
        raise ClaimError(claim.claim_id, f"its source fact '{fact_id}' is not in "
                         "data/source_facts.csv")
    return rows.iloc[0]


def list_items(fact: pd.Series) -> list[str]:
    """The items of a fact that is a named list (empty if the fact is not a list)."""
    items = fact.get("items")
    if not isinstance(items, str) or not items.strip():
        return []
    return [item.strip() for item in items.split(LIST_SEPARATOR) if item.strip()]


def fact_value(fact: pd.Series) -> str:
    """The fact's value as text; for a named list, the number of its items."""
    items = list_items(fact)
    return str(len(items)) if items else str(fact["value"])


def _text(fact: pd.Series, column: str) -> str:
    value = fact.get(column)
    return value.strip() if isinstance(value, str) else ""


def _register_title(source_id: str) -> str:
    try:
        register = data.sources()
    except AttributeError:
        return ""
    entry = register[register["source_id"] == source_id]
    if entry.empty:
        return ""
    return next((_text(entry.iloc[0], c) for c in ("title_en", "title", "title_original")
                 if _text(entry.iloc[0], c)), "")


def quote(fact: pd.Series) -> SourceQuote:
    """What the ledger shows of a fact: its source, words, English rendering and place."""
    return SourceQuote(
        source_id=str(fact["source_id"]), fact_id=str(fact["fact_id"]), value=fact_value(fact),
        quotation=_text(fact, "quotation"), quotation_en=_text(fact, "quotation_en"),
        locator=_text(fact, "locator") or _text(fact, "location"),
        copy_url=_text(fact, "copy_url"), title=_register_title(str(fact["source_id"])))


def _difference(comparison: str, printed: str, value: str) -> str | None:
    """None if the printed text and the source's value agree under ``comparison``, else how
    they differ."""
    if comparison == "date":
        gap = parsing.date_difference(parsing.parse_date(printed), parsing.parse_date(value))
        return None if gap is None else f"{gap[1]} {gap[0]}(s)"
    if comparison in ("number", "count"):
        printed_number, source_number = parsing.parse_number(printed), parsing.parse_number(value)
        return (None if printed_number == source_number
                else f"{lookup.fmt(printed_number - source_number):s} against the source")
    printed_text, source_text = lookup.normalise(printed), lookup.normalise(value)
    return None if printed_text in source_text or source_text in printed_text else "other words"


@check("against_source", AGAINST_SOURCE)
def against_source(claim: Claim) -> Result:
    """The printed value against a fact quoted from a cited or primary source: a date, a number,
    the count of a named list (counted from its items) or words.

    Arguments: ``facts`` (source_facts ids); ``compare``: ``date``, ``number``, ``count`` or
    ``text``; optional ``part`` (the printed words compared) and ``inference``.
    """
    comparison = claim.arg("compare")
    if comparison not in COMPARISONS:
        raise ClaimError(claim.claim_id, f"compare must be one of {', '.join(COMPARISONS)}")
    printed = str(claim.arg("part", claim.printed))
    if printed not in claim.printed:
        raise ClaimError(claim.claim_id, f"part {printed!r} is not in the printed value")
    fact_ids = claim.arg("facts")
    if not isinstance(fact_ids, list) or not fact_ids:
        raise ClaimError(claim.claim_id, "facts must be a non-empty list of source fact ids")
    quotes, differing = [], []
    for fact_id in fact_ids:
        fact = source_fact(fact_id, claim)
        if comparison == "count" and not list_items(fact):
            raise ClaimError(claim.claim_id, f"source fact '{fact_id}' is not a named list")
        quotes.append(quote(fact))
        gap = _difference(comparison, printed, quotes[-1].value)
        if gap:
            differing.append(f"the paper prints '{printed}', {fact_id} gives "
                             f"{quotes[-1].value} ({gap})")
    what = "items listed" if comparison == "count" else "value"
    computed = "; ".join(f"{q.title or q.source_id}{f', {q.locator}' if q.locator else ''}: "
                         f"{what} {q.value}" for q in quotes) + "."
    if not differing:
        return Result(CONFIRMED, computed, sources=tuple(quotes))
    return Result(DISCREPANCY, computed, "; ".join(differing),
                  claim.arg("inference", "The cited source gives another value than the paper."),
                  inference="inference" in claim.args, sources=tuple(quotes))


@check("not_verifiable", AGAINST_SOURCE)
def not_verifiable(claim: Claim) -> Result:
    """No source consulted confirms or refutes the claim; the ledger says why, and what was
    looked for and not found.

    Arguments: ``reason``; ``searched``, what was looked for and where.
    """
    reason = str(claim.arg("reason")).strip()
    if not reason:
        raise ClaimError(claim.claim_id, "a not-verifiable claim must say why")
    searched = str(claim.arg("searched", "")).strip()
    if searched:
        reason += f" Looked for, not found: {searched.rstrip('.')}."
    return lookup.not_verifiable(reason, "No source consulted gives the value.")


@check("demonstration_batch", AGAINST_SOURCE)
def demonstration_batch(claim: Claim) -> Result:
    """A printed number of model cities, with the cities it names, against the official list of
    the batch (transcribed from the notice the paper cites).

    Arguments: ``batch``.
    """
    areas = data.demonstration_areas()
    batch = areas[areas["batch"] == int(claim.arg("batch"))]
    count = int(parsing.parse_number(claim.printed))
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
        return Result(CONFIRMED, computed)
    differences = []
    if count != len(batch):
        differences.append(f"{count - len(batch):+d} cities")
    if missing:
        differences.append("not in the batch: " + ", ".join(missing))
    return Result(DISCREPANCY, computed, "; ".join(differences),
                  "The printed count or names do not match the official list.")
