"""Checks of consistency across the paper's notes, bibliography, counts and orderings: a note's
page against the bibliography, an 'Ibid.' against the note before it, a count or a period against
the same count or period elsewhere, a printed order against the values it orders."""

from __future__ import annotations

import pandas as pd

from .. import checks, data
from . import lookup, parsing
from .model import CONSISTENT, DISCREPANCY, INTERNAL, Claim, ClaimError, Result, check


@check("printed_order", INTERNAL)
def printed_order(claim: Claim) -> Result:
    """A printed sequence is in the order the paper says (ascending or descending), and is the
    sequence the data hold.

    Arguments: ``direction``, ``dataset``, ``column``, optional ``where``, ``order_by``,
    ``separator``, ``years``.
    """
    direction = claim.arg("direction")
    if direction not in ("ascending", "descending"):
        raise ClaimError(claim.claim_id, "direction must be 'ascending' or 'descending'")
    separator = claim.arg("separator", ",")
    if claim.arg("years", False):
        printed = [parsing.parse_date(part)[0][0] for part in claim.printed.split(separator)]
    else:
        printed = parsing.parse_numbers(claim.printed, separator)
    frame = lookup.where(data.load(claim.arg("dataset")), claim.arg("where", {}))
    if claim.arg("order_by", None):
        frame = frame.sort_values(claim.arg("order_by"), kind="stable")
    stored = list(frame[claim.arg("column")])
    if claim.arg("years", False):
        stored = list(dict.fromkeys(int(str(value)[:4]) for value in stored))
    sequence = pd.DataFrame({"position": range(1, len(printed) + 1), "value": printed})
    broken = checks.out_of_order(
        sequence, "value", "position", descending=direction == "descending"
    )
    computed = (
        f"{len(printed)} values as printed; {checks.order_verdict(broken)} in {direction} order."
    )
    if [float(v) for v in stored] != [float(v) for v in printed]:
        return Result(
            DISCREPANCY,
            computed,
            "the printed sequence is not the one in the data",
            f"data/{claim.arg('dataset')}.csv holds "
            f"{', '.join(lookup.fmt(v) for v in stored)}; the register or the data "
            "mis-transcribes the paper.",
        )
    if not broken.empty:
        where = "; ".join(
            f"position {int(p)} ({lookup.fmt(v)}) after {lookup.fmt(prev)}"
            for p, v, prev in broken.itertuples(index=False)
        )
        return Result(DISCREPANCY, computed, where, f"The sequence is not in {direction} order.")
    return Result(CONSISTENT, computed)


@check("ibid_source", INTERNAL)
def ibid_source(claim: Claim) -> Result:
    """An 'Ibid.' note against the work the figure it documents comes from: the previous note
    must cite that work.

    Arguments: ``footnote``; ``expected_footnote``, the note citing the figure's source;
    optional ``inference``.
    """
    number = int(claim.arg("footnote"))
    if lookup.normalise(claim.printed).rstrip(".") != "ibid":
        return lookup.not_verifiable("The note is not an 'Ibid.'; nothing to resolve.")
    previous = set(lookup.footnote_keys(number - 1, claim))
    expected = set(lookup.footnote_keys(int(claim.arg("expected_footnote")), claim))
    computed = (
        f"'Ibid.' in note {number} refers to note {number - 1} "
        f"({lookup.cited(previous)}); the figure's source is the work of note "
        f"{claim.arg('expected_footnote')} ({lookup.cited(expected)})."
    )
    if previous & expected:
        return Result(CONSISTENT, computed)
    return Result(
        DISCREPANCY,
        computed,
        "different works",
        claim.arg("inference", "The 'Ibid.' points to the wrong work."),
        inference="inference" in claim.args,
    )


@check("page_in_range", INTERNAL)
def page_in_range(claim: Claim) -> Result:
    """The page a note cites against the page range the bibliography gives for the same work.

    Arguments: ``footnote``, ``bib_key``, ``bibliography_pages``.
    """
    key = claim.arg("bib_key")
    if key not in lookup.footnote_keys(claim.arg("footnote"), claim):
        raise ClaimError(claim.claim_id, f"note {claim.arg('footnote')} does not cite {key}")
    first, last = parsing.page_range(claim.printed)
    low, high = parsing.page_range(claim.arg("bibliography_pages"))
    computed = (
        f"Note {claim.arg('footnote')} cites p. {first}"
        + (f"-{last}" if last != first else "")
        + f"; the bibliography gives pp. {low}-{high}."
    )
    if low <= first <= last <= high:
        return Result(CONSISTENT, computed)
    outside = first - low if first < low else last - high
    return Result(
        DISCREPANCY,
        computed,
        f"{outside:+d} page(s) outside the range",
        "The cited page is not in the article as the bibliography describes it.",
    )


@check("same_count", INTERNAL)
def same_count(claim: Claim) -> Result:
    """A printed count against every count of the same group the paper states elsewhere.

    Arguments: ``facts`` (their value) and ``group_facts`` (their number of holders),
    section3_facts ids.
    """
    printed = parsing.parse_number(claim.printed)
    values = {}
    for fact_id in claim.arg("facts", []):
        fact = lookup.paper_fact(fact_id, claim)
        values[f"{fact['quantity']} ({fact['statement_location']})"] = float(fact["value"])
    for fact_id in claim.arg("group_facts", []):
        fact = lookup.paper_fact(fact_id, claim)
        values[f"{fact['quantity']}, counted by holders ({fact['statement_location']})"] = float(
            fact["group_size"]
        )
    differing = {name: value for name, value in values.items() if value != printed}
    computed = (
        "Related counts: " + "; ".join(f"{n}: {lookup.fmt(v)}" for n, v in values.items()) + "."
    )
    if not differing:
        return Result(CONSISTENT, computed)
    return Result(
        DISCREPANCY,
        computed,
        "; ".join(f"{n}: {lookup.fmt(v)}" for n, v in differing.items()),
        "The same group is counted differently in different places.",
    )


@check("period_matches", INTERNAL)
def period_matches(claim: Claim) -> Result:
    """A printed period, first and last year, against the periods the paper gives the same
    corpus elsewhere.

    Arguments: ``periods``, pairs of section3_facts ids (start, end).
    """
    years = parsing.years_in(claim.printed)
    if len(years) != 2:
        raise ClaimError(claim.claim_id, f"expected two years in {claim.printed!r}")
    differing, compared = [], []
    for start_fact, end_fact in claim.arg("periods"):
        start = int(lookup.paper_fact(start_fact, claim)["value"])
        end = int(lookup.paper_fact(end_fact, claim)["value"])
        where = lookup.paper_fact(start_fact, claim)["statement_location"]
        compared.append(f"{where}: {start}-{end}")
        if (start, end) != tuple(years):
            differing.append(f"{where}: {start}-{end}")
    computed = "Compared with " + "; ".join(compared) + "."
    if not differing:
        return Result(CONSISTENT, computed)
    return Result(
        DISCREPANCY, computed, "; ".join(differing), "The same corpus is given different periods."
    )


@check("count_increase", INTERNAL)
def count_increase(claim: Claim) -> Result:
    """A stated growth against the counts the paper gives, in date order; agreement only shows
    consistency, so it is reported as not verifiable.

    Arguments: ``facts`` (section3_facts ids); ``reason``, why agreement settles nothing.
    """
    facts = sorted(
        (lookup.paper_fact(f, claim) for f in claim.arg("facts")), key=lambda f: str(f["date"])
    )
    values = [float(f["value"]) for f in facts]
    computed = (
        "Counts stated: "
        + "; ".join(f"{lookup.fmt(f['value'])} {f['unit']} ({f['date']})" for f in facts)
        + "."
    )
    rising = all(b > a for a, b in zip(values, values[1:], strict=False))
    claimed_rising = "increas" in claim.printed.lower()
    if rising != claimed_rising:
        return Result(
            DISCREPANCY,
            computed,
            "the counts move the other way",
            "The counts the paper gives contradict the stated direction.",
        )
    return lookup.not_verifiable(claim.arg("reason"), computed)


@check("demonstration_date", INTERNAL)
def demonstration_date(claim: Claim) -> Result:
    """The printed date of the selection of model cities against the year of the notice the
    paper cites and the date the list was published.

    Arguments: ``batch``, ``footnote``, ``bib_key``.
    """
    printed = parsing.parse_date(claim.printed)
    areas = data.demonstration_areas()
    published = str(areas.loc[areas["batch"] == int(claim.arg("batch")), "batch_date"].iloc[0])
    key = claim.arg("bib_key")
    if key not in lookup.footnote_keys(claim.arg("footnote"), claim):
        raise ClaimError(claim.claim_id, f"note {claim.arg('footnote')} does not cite {key}")
    notice_year = parsing.bib_year(key)
    computed = (
        f"Note {claim.arg('footnote')} cites the notice as a {notice_year} document; the "
        f"list was published on {published}."
    )
    published_parts = parsing.iso_date_parts(published, "day")[0]
    if printed[0][0] != notice_year or printed[0] > published_parts[: len(printed[0])]:
        return Result(
            DISCREPANCY,
            computed,
            f"printed {claim.printed}",
            "The printed date contradicts the notice's year or falls after publication.",
        )
    return lookup.not_verifiable(
        f"The printed date agrees with the notice's year and precedes its publication, but no "
        f"source in the package gives the {printed[1]} of the selection itself.",
        computed,
    )
