"""Checks against sources: the printed value against facts quoted from the documents the paper
cites (``source_facts``, each read in a stored copy, ``source_copies``, of a document of the
register ``sources``), and the claims no source settles, with what was looked for.

A claim is confronted with sources in one of two ways: its check is ``against_source``, or its
check weighs other evidence and its arguments add ``sources`` (the same arguments). The count
of a named list is the number of the list's items in ``source_facts``, never a typed number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pandas as pd

from .. import data
from . import lookup, parsing
from .model import (
    AGAINST_SOURCE,
    CONFIRMED,
    DISCREPANCY,
    NOT_VERIFIABLE,
    Claim,
    ClaimError,
    Result,
    SourceQuote,
    check,
)
from .model import evaluate as evaluate_check

COMPARISONS = ("date", "number", "count", "text", "increase", "within")
_BY_FACT_KIND = {"date": "date", "count": "number", "share": "number", "duration": "number"}
_SHOWN_ITEMS = 6
_MORE_THAN = re.compile(r"\b(more than|over|at least)\b", re.IGNORECASE)


def _table(name: str, claim: Claim) -> pd.DataFrame:
    try:
        return data.load(name)
    except KeyError:
        raise ClaimError(
            claim.claim_id,
            f"it is checked against sources, but the data package has no resource '{name}'",
        ) from None


def _text(row: Mapping[str, Any] | pd.Series, column: str) -> str:
    value = row.get(column)
    return value.strip() if isinstance(value, str) else ""


def _quote(facts: pd.DataFrame, label: str, value: str, claim: Claim) -> SourceQuote:
    """What the ledger shows of a fact or a list: source, words, rendering, place and copy."""
    first = facts.iloc[0]
    register = _table("sources", claim)
    entry = register[register["source_id"] == first["source_id"]]
    copies = _table("source_copies", claim)
    copy = copies[copies["copy_id"] == first["copy_id"]]
    if len(facts) > 1:  # a named list: its items, the first few shown
        more = f" … ({len(facts)} in all)" if len(facts) > _SHOWN_ITEMS else ""
        words = (
            "、".join(
                _text(row, "quote_original") for _, row in facts.head(_SHOWN_ITEMS).iterrows()
            )
            + more
        )
        english = (
            "; ".join(
                _text(row, "quote_en") or _text(row, "value")
                for _, row in facts.head(_SHOWN_ITEMS).iterrows()
            )
            + more
        )
    else:
        words, english = _text(first, "quote_original"), _text(first, "quote_en")
    return SourceQuote(
        source_id=str(first["source_id"]),
        fact_id=label,
        value=value,
        quotation=words,
        quotation_en=english if english != words else "",
        locator=_text(first, "location"),
        copy_url=_text(copy.iloc[0], "url") if not copy.empty else "",
        copy_kind=_text(copy.iloc[0], "copy_kind") if not copy.empty else "",
        title=_text(entry.iloc[0], "title_en") if not entry.empty else "",
        unit=_text(first, "unit"),
        items=len(facts) if len(facts) > 1 else 0,
    )


def _fact(fact_id: str, claim: Claim) -> tuple[SourceQuote, str, str]:
    """A single fact: its quote, its value as compared, and the comparison its kind implies."""
    facts = _table("source_facts", claim)
    rows = facts[facts["fact_id"] == fact_id]
    if rows.empty:
        raise ClaimError(
            claim.claim_id, f"its source fact '{fact_id}' is not in data/source_facts.csv"
        )
    row = rows.iloc[0]
    value = str(row["value"])
    if _text(row, "date_precision") and str(row["fact_kind"]) == "date":
        value = "-".join(
            value.split("-")[
                : {"decade": 1, "year": 1, "month": 2}.get(str(row["date_precision"]), 3)
            ]
        ) + ("s" if row["date_precision"] == "decade" else "")
    return _quote(rows, fact_id, value, claim), value, _BY_FACT_KIND.get(row["fact_kind"], "text")


def _list(name: str, claim: Claim) -> tuple[SourceQuote, str, str]:
    """A named list: its items counted."""
    facts = _table("source_facts", claim)
    items = facts[facts["list_name"] == name].sort_values("list_position")
    if items.empty:
        raise ClaimError(
            claim.claim_id, f"its source list '{name}' has no items in data/source_facts.csv"
        )
    count = str(len(items))
    return _quote(items, f"list {name}", count, claim), count, "count"


def _differs(comparison: str, printed: str, value: str) -> str | None:
    """None if the printed text agrees with the source's value, else how they differ."""
    if comparison == "date":
        gap = parsing.date_difference(parsing.parse_date(printed), parsing.parse_date(value))
        return None if gap is None else f"{gap[1]} {gap[0]}(s)"
    if comparison in ("number", "count"):
        stated, found = parsing.parse_number(printed), parsing.parse_number(value)
        if _MORE_THAN.search(printed):
            return None if found > stated else f"not more than {lookup.fmt(stated)}"
        return None if stated == found else f"{found - stated:+,g}"
    if comparison == "within":
        (first, last), (low, high) = parsing.page_range(printed), parsing.page_range(value)
        return None if low <= first <= last <= high else "outside the source's range"
    if lookup.normalise(value) in lookup.normalise(printed):
        return None
    return "other words"


def confront(claim: Claim, spec: Mapping[str, Any]) -> tuple[list[SourceQuote], list[str], str]:
    """Compare the printed value (or the printed words ``part``) with every fact and list of
    ``spec``: the quotes, the differences found, and a sentence saying what was compared."""
    printed = str(spec.get("part", claim.printed))
    if printed not in claim.printed:
        raise ClaimError(claim.claim_id, f"part {printed!r} is not in the printed value")
    wanted = spec.get("compare")
    if wanted is not None and wanted not in COMPARISONS:
        raise ClaimError(claim.claim_id, f"compare must be one of {', '.join(COMPARISONS)}")
    found = [_fact(f, claim) for f in spec.get("facts", [])] + [
        _list(name, claim) for name in spec.get("lists", [])
    ]
    if not found:
        raise ClaimError(claim.claim_id, "a source check needs 'facts' or 'lists'")
    quotes = [quote for quote, _, _ in found]
    if spec.get("context"):
        return quotes, [], f"{spec['context'].rstrip('.')}. {_sources_sentence(quotes)}"
    if wanted == "increase":
        values = [parsing.parse_number(value) for _, value, _ in found]
        rising = all(b > a for a, b in zip(values, values[1:], strict=False))
        differing = [] if rising else ["the sources' counts do not rise in that order"]
    else:
        gaps: dict[str, list[str]] = {}
        for quote, value, implied in found:
            if wanted == "within" and quote.unit == "pages":  # a length: pages 1 to N
                value = f"1-{value}"
            gap = _differs(wanted or implied, printed, value)
            if gap and value not in gaps.setdefault(gap, []):
                gaps[gap].append(value)
        differing = [
            f"the sources give {' and '.join(values)} where the paper prints "
            f"'{printed}'" + (f" ({gap})" if gap != "other words" else "")
            for gap, values in gaps.items()
            if values
        ]
    return quotes, differing, _sources_sentence(quotes)


def _sources_sentence(quotes: list[SourceQuote]) -> str:
    """'Sources: <title>: 2014-06-14 (translation); 2014-06-14 (secondary analysis).'"""
    titles: dict[str, list[SourceQuote]] = {}
    for quote in quotes:
        titles.setdefault(quote.title or "an untitled source", []).append(quote)
    return (
        "Source"
        + ("s" if len(titles) > 1 else "")
        + ": "
        + "; ".join(
            f"{title}: " + ", ".join(f"{q.shown} ({q.copy_kind or 'copy'})" for q in group)
            for title, group in titles.items()
        )
        + "."
    )


@check("against_source", AGAINST_SOURCE)
def against_source(claim: Claim) -> Result:
    """The printed value against facts quoted from a cited or primary source: a date, a
    number, the count of a named list (counted from its items), a page range, a rise, or words.

    Arguments: ``facts`` (source_facts ids) and/or ``lists`` (list names); optional ``compare``
    (date, number, count, text, increase, within; by default from the fact's kind), ``part``
    (the printed words compared) and ``inference``.
    """
    quotes, differing, computed = confront(claim, claim.args)
    if not differing:
        if claim.args.get("compare") == "within":
            computed += " The printed pages lie within the source's."
        return Result(CONFIRMED, computed, sources=tuple(quotes))
    return Result(
        DISCREPANCY,
        computed,
        "; ".join(differing),
        claim.arg("inference", "The cited source gives another value than the paper."),
        inference="inference" in claim.args,
        sources=tuple(quotes),
    )


def evaluate(claim: Claim | Mapping[str, Any]) -> Result:
    """Run the claim's check, then confront it with the sources its ``sources`` argument names.

    A source that disagrees makes a discrepancy against the source; one that agrees confirms
    the claim, unless the paper's own evidence already shows a discrepancy, which stands. With
    ``context`` (a sentence saying what they show) the sources are only quoted beside the
    check's own verdict.
    """
    claim = claim if isinstance(claim, Claim) else Claim.from_row(claim)
    result = evaluate_check(claim)
    if result.status == NOT_VERIFIABLE and claim.check != "not_verifiable":
        result = replace(result, explanation=_searched(result.explanation, claim))
    spec = claim.args.get("sources")
    if spec is None:
        return result
    if not isinstance(spec, dict):
        raise ClaimError(claim.claim_id, "the argument 'sources' must be a JSON object")
    quotes, differing, computed = confront(claim, spec)
    computed = f"{result.computed} {computed}"
    if spec.get("context"):  # sources that explain the verdict without settling the value
        return replace(result, computed=computed, sources=tuple(quotes))
    if differing:
        explanation = spec.get("inference", "The cited source gives another value than the paper.")
        return Result(
            DISCREPANCY,
            computed,
            "; ".join(differing),
            explanation,
            inference="inference" in spec,
            kind=AGAINST_SOURCE,
            sources=tuple(quotes),
        )
    if result.status == DISCREPANCY:
        return replace(result, computed=computed, sources=tuple(quotes))
    return Result(
        CONFIRMED,
        computed,
        explanation=result.explanation if result.status != NOT_VERIFIABLE else "",
        inference=result.inference,
        kind=AGAINST_SOURCE,
        sources=tuple(quotes),
    )


@check("not_verifiable", AGAINST_SOURCE)
def not_verifiable(claim: Claim) -> Result:
    """No source consulted confirms or refutes the claim; the ledger says why, and what was
    looked for and not found.

    Arguments: ``reason``; ``searched``, what was looked for and where.
    """
    reason = str(claim.arg("reason")).strip()
    if not reason:
        raise ClaimError(claim.claim_id, "a not-verifiable claim must say why")
    return lookup.not_verifiable(_searched(reason, claim), "No source consulted gives the value.")


def _searched(reason: str, claim: Claim) -> str:
    """The reason, followed by what was looked for and not found (the argument ``searched``)."""
    searched = str(claim.arg("searched", "")).strip()
    return f"{reason} Looked for, not found: {searched.rstrip('.')}." if searched else reason


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
    computed = f"Batch {claim.arg('batch')} of the official list has {len(batch)} cities" + (
        f"; {len(examples) - len(missing)} of the {len(examples)} named examples are among them."
        if examples
        else "."
    )
    if count == len(batch) and not missing:
        return Result(CONFIRMED, computed)
    differences = []
    if count != len(batch):
        differences.append(f"{count - len(batch):+d} cities")
    if missing:
        differences.append("not in the batch: " + ", ".join(missing))
    return Result(
        DISCREPANCY,
        computed,
        "; ".join(differences),
        "The printed count or names do not match the official list.",
    )
