"""Checks that recompute: the printed value against arithmetic on inputs the paper prints
(Tables 1 and 2, the shares of Baihang Credit, spans of years, the lists of Figures 2 and 3)."""

from __future__ import annotations

import pandas as pd

from .. import checks, data
from . import lookup, parsing
from .model import (
    ARITHMETIC,
    DISCREPANCY,
    NOT_VERIFIABLE,
    RECOMPUTED,
    Claim,
    ClaimError,
    Result,
    check,
)


@check("rate_per_1000", ARITHMETIC)
def rate_per_1000(claim: Claim) -> Result:
    """Table 1: the printed rate of a row against its cameras divided by its population, times
    1,000.

    Arguments: ``row``, the city of the Table 1 row.
    """
    table1 = data.table1_surveilled_cities()
    row = table1[table1["city"] == claim.arg("row")].copy()
    if len(row) != 1:
        raise ClaimError(claim.claim_id, f"no Table 1 row {claim.arg('row')!r}")
    row["claimed"] = parsing.parse_number(claim.printed)
    verdict = checks.rate_per_1000(row, "cameras", "population", "claimed", "city").iloc[0]
    entry = row.iloc[0]
    computed = (
        f"{lookup.fmt(entry['cameras'])} cameras / {lookup.fmt(entry['population'])} people "
        f"x 1,000 = {verdict['recomputed']:.2f}."
    )
    if verdict["status"] == RECOMPUTED:
        return Result(RECOMPUTED, computed)
    implied = entry["cameras"] / verdict["printed"] * 1000
    step = parsing.printed_step(entry["population_printed"])
    rounds_to_printed = round(implied / step) * step == round(entry["population"] / step) * step
    explanation = f"The printed rate implies a population of {lookup.fmt(round(implied))}" + (
        f", which rounds to the printed {entry['population_printed']}: the rate was "
        "most likely computed from an unrounded population, and the table prints "
        "the rounded one."
        if rounds_to_printed
        else f", which does not round to the printed {entry['population_printed']}; "
        "no rounding of the population explains the difference."
    )
    return Result(
        DISCREPANCY,
        computed,
        f"{verdict['difference']:+.2f} per 1,000",
        explanation,
        inference=rounds_to_printed,
    )


@check("national_rate_row", ARITHMETIC)
def national_rate_row(claim: Claim) -> Result:
    """Table 2: the printed camera count of a city against its population times Table 1's
    national rate (note 5).

    Arguments: ``row``, the city of the Table 2 row.
    """
    table2 = data.table2_china_cctv()
    entry = lookup.row(table2, "city", claim.arg("row"), claim)
    rate = lookup.national_rate()
    printed = int(parsing.parse_number(claim.printed))
    expected = round(int(entry["population_2025"]) * rate / 1000)
    computed = (
        f"{lookup.fmt(entry['population_2025'])} people x {rate:.2f} per 1,000 = "
        f"{lookup.fmt(expected)} cameras; the printed count implies "
        f"{printed / entry['population_2025'] * 1000:.2f} per 1,000."
    )
    if printed == expected:
        return Result(RECOMPUTED, computed)
    fitting = checks.fitting_transpositions(
        int(entry["population_2025"]), lambda value: round(value * rate / 1000) == printed
    )
    if fitting:
        explanation = (
            f"Swapping two adjacent digits of the printed population gives "
            f"{', '.join(lookup.fmt(v) for v in fitting)}, which reproduces the printed "
            f"camera count at the national rate: the printed population most likely "
            f"carries a typing error (two digits swapped)."
        )
    else:
        explanation = (
            "No swap of two adjacent digits of the population reproduces the printed "
            "count at the national rate; the cause is unknown."
        )
    return Result(
        DISCREPANCY,
        computed,
        f"{printed - expected:+,} cameras",
        explanation,
        inference=bool(fitting),
    )


@check("national_rate_all_rows", ARITHMETIC)
def national_rate_all_rows(claim: Claim) -> Result:
    """Note 5: every camera count of Table 2 against population times the national rate.

    Arguments: ``rate`` (optional) replaces Table 1's national rate.
    """
    table2 = data.table2_china_cctv()
    rate = float(claim.arg("rate", lookup.national_rate()))
    exact, repaired, unexplained = [], [], []
    for entry in table2.itertuples():
        expected = round(entry.population_2025 * rate / 1000)
        if expected == entry.cameras:
            exact.append(entry.city)
        elif checks.fitting_transpositions(
            entry.population_2025, lambda value, c=entry.cameras: round(value * rate / 1000) == c
        ):
            repaired.append(entry.city)
        else:
            unexplained.append(entry.city)
    computed = (
        f"At {rate:.2f} per 1,000, population x rate gives the printed camera count "
        f"exactly for {len(exact)} of {len(table2)} cities"
    )
    computed += (
        f"; {', '.join(repaired)} matches once two adjacent digits of its printed "
        f"population are swapped."
        if repaired
        else "."
    )
    if unexplained:
        return Result(
            DISCREPANCY,
            computed,
            f"{len(unexplained)} of {len(table2)} cities off "
            f"({', '.join(unexplained[:5])}{', ...' if len(unexplained) > 5 else ''})",
            "The counts do not follow one national rate.",
        )
    return Result(
        RECOMPUTED,
        computed,
        explanation=(
            "The exception is read as a typing error in its printed population." if repaired else ""
        ),
        inference=bool(repaired),
    )


@check("majority_chinese", ARITHMETIC)
def majority_chinese(claim: Claim) -> Result:
    """The share of Chinese cities among the most surveilled of Tables 1 and 2 combined; a
    majority that rests on rates estimated from the national one is not verifiable.

    Arguments: ``top``, how many of the ranked cities count.
    """
    top = int(claim.arg("top"))
    table1 = data.table1_surveilled_cities()
    table2 = data.table2_china_cctv()
    cities = (
        pd.concat(
            [
                pd.DataFrame(
                    {
                        "city": table1.loc[table1["country"] != "China", "city"],
                        "chinese": False,
                        "rate": table1.loc[table1["country"] != "China", "per_1000_printed"],
                    }
                ),
                pd.DataFrame(
                    {
                        "city": table2["city"],
                        "chinese": True,
                        "rate": table2["cameras"] / table2["population_2025"] * 1000,
                    }
                ),
            ]
        )
        .sort_values("rate", ascending=False, kind="stable")
        .head(top)
    )
    share = cities["chinese"].mean()
    china_rows = int((table1["country"] == "China").sum())
    chinese_rates = table2["cameras"] / table2["population_2025"] * 1000
    computed = (
        f"Ranking the nine non-Chinese cities of Table 1 and the {len(table2)} cities "
        f"of Table 2 by cameras per 1,000 people, {int(cities['chinese'].sum())} of the "
        f"top {top} are Chinese ({share:.0%}); the Chinese rates range from "
        f"{chinese_rates.min():.2f} to {chinese_rates.max():.2f}. Table 1 alone has "
        f"{china_rows} Chinese row of {len(table1)} (an aggregate, not a city)."
    )
    word = claim.printed.lower()
    claimed_majority = "majority" in word and "minority" not in word
    if claimed_majority != (share > 0.5):
        return Result(
            DISCREPANCY,
            computed,
            f"{share:.0%} Chinese in the top {top}",
            f"The printed tables give {'a majority' if share > 0.5 else 'no majority'}.",
        )
    national = lookup.national_rate()
    at_national = int((chinese_rates.round(2) == national).sum())
    if at_national * 2 <= len(table2):
        return Result(RECOMPUTED, computed)
    return Result(
        NOT_VERIFIABLE,
        computed,
        explanation=(
            f"{at_national} of the {len(table2)} Chinese cities have exactly the national rate of "
            f"{national:.2f} per 1,000: note 5 says their counts were estimated from China as a "
            "whole, so their place in the ranking follows from how the estimates were made, not "
            "from counts of cameras in those cities. Looked for, not found: city-level camera "
            "counts for China (Comparitech's article and its dataset)."
        ),
    )


@check("subtotal_within_total", ARITHMETIC)
def subtotal_within_total(claim: Claim) -> Result:
    """The counts a figure caption itemises against the total number of lists the source gives:
    they cannot exceed it.

    Arguments: ``list_type``, the row of list_totals.
    """
    counts = parsing.parse_numbers(claim.printed)
    totals = lookup.row(data.list_totals(), "list_type", claim.arg("list_type"), claim)
    subtotal = int(sum(counts))
    computed = (
        f"The caption itemises {len(counts)} regions with {subtotal} lists; the source "
        f"counts {int(totals['total_lists'])} {claim.arg('list_type')}s in "
        f"{int(totals['divisions_covered'])} divisions, leaving "
        f"{int(totals['total_lists']) - subtotal} not itemised."
    )
    if subtotal <= totals["total_lists"] and len(counts) <= totals["divisions_covered"]:
        return Result(RECOMPUTED, computed)
    return Result(
        DISCREPANCY,
        computed,
        f"{subtotal - int(totals['total_lists']):+d} lists",
        "The caption's counts exceed the source's total.",
    )


@check("share_split", ARITHMETIC)
def share_split(claim: Claim) -> Result:
    """An equal share of the remainder: 100 % minus one holder's share, divided among the other
    holders the paper names.

    Arguments: ``fact``, the single holder's share; ``holders_fact``, the group whose size
    divides the remainder (section3_facts).
    """
    single = lookup.paper_fact(claim.arg("fact"), claim)
    holders = lookup.paper_fact(claim.arg("holders_fact"), claim)
    printed = parsing.parse_number(claim.printed)
    group = int(holders["group_size"])
    each = (100 - float(single["value"])) / group
    computed = (
        f"(100 % - {lookup.fmt(single['value'])} %) / {group} holders = {lookup.fmt(each)} % each; "
        f"{lookup.fmt(single['value'])} % + {group} x {lookup.fmt(printed)} % = "
        f"{lookup.fmt(single['value'] + group * printed)} %."
    )
    if abs(each - printed) < 1e-9:
        return Result(RECOMPUTED, computed)
    return Result(
        DISCREPANCY,
        computed,
        f"{printed - each:+.2f} percentage points each",
        "The shares do not add up to 100 %.",
    )


@check("interval_years", ARITHMETIC)
def interval_years(claim: Claim) -> Result:
    """A printed number of years against the years of the two dated events it spans.

    Arguments: ``start_event``, ``end_event`` (timeline_events).
    """
    start = int(str(lookup.event(claim.arg("start_event"), claim)["date"])[:4])
    end = int(str(lookup.event(claim.arg("end_event"), claim)["date"])[:4])
    printed = int(parsing.parse_number(claim.printed))
    computed = f"{end} - {start} = {end - start} years."
    if printed == end - start:
        return Result(RECOMPUTED, computed)
    return Result(
        DISCREPANCY,
        computed,
        f"{printed - (end - start):+d} years",
        "The printed duration does not match the dates the paper gives.",
    )
