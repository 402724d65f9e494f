"""Checks of consistency: a printed date, name, wording, spelling or section number against the
other places of the paper that must agree with it, or against the book's reference data (the
names of China's provinces). Notes, counts and orderings: :mod:`.crossrefs`."""

from __future__ import annotations

import difflib
import re

from .. import bibliography, data
from . import lookup, parsing
from .model import CONSISTENT, DISCREPANCY, INTERNAL, Claim, ClaimError, Result, check


@check("text_date", INTERNAL)
def text_date(claim: Claim) -> Result:
    """A printed date against the other places of the paper that date the same event (such as
    its Table 3 row) and the year of the document its note cites.

    Arguments: ``events`` (timeline_events ids); ``footnote`` with ``bib_key``; optional
    ``inference``.
    """
    printed = parsing.parse_date(claim.printed)
    compared, differences, notes = [], [], []
    for event_id in claim.arg("events", []):
        event = lookup.event(event_id, claim)
        other = parsing.iso_date_parts(event["date"], event["precision"])
        label = f"{event['location']} ({event['date']})"
        compared.append(label)
        gap = parsing.date_difference(printed, other)
        if gap:
            differences.append(f"{label}: {gap[1]} {gap[0]}(s)")
        if isinstance(event["discrepancy"], str) and event["discrepancy"].strip():
            notes.append(event["discrepancy"].strip())
    if "footnote" in claim.args:
        key = claim.arg("bib_key")
        if key not in lookup.footnote_keys(claim.arg("footnote"), claim):
            raise ClaimError(claim.claim_id, f"note {claim.arg('footnote')} does not cite {key}")
        year = parsing.bib_year(key)
        if year is not None:
            label = f"note {claim.arg('footnote')} ({bibliography.short_citation(key)})"
            compared.append(label)
            gap = parsing.date_difference(printed, ((year,), "year"))
            if gap:
                differences.append(f"{label}: {gap[1]} {gap[0]}(s)")
    if not compared:
        return lookup.not_verifiable(
            "No other place of the paper and no dated source in the package gives this date."
        )
    computed = f"Compared with {'; '.join(compared)}."
    if not differences:
        return Result(CONSISTENT, computed)
    explanation = claim.arg("inference", "")
    if notes:
        explanation = (explanation + " Data note: " + " ".join(dict.fromkeys(notes))).strip()
    return Result(
        DISCREPANCY,
        computed,
        "; ".join(differences),
        explanation or "The dates differ; the data say no more.",
        inference=bool(claim.arg("inference", "")),
    )


@check("timeline_actor", INTERNAL)
def timeline_actor(claim: Claim) -> Result:
    """The body printed as the author of an event against the bodies the other mentions of that
    event name.

    Arguments: ``pair_id`` (timeline_events); ``location``, the claim's own place, left out;
    optional ``inference``.
    """
    events = data.timeline_events()
    pair = events[
        (events["pair_id"] == claim.arg("pair_id")) & (events["location"] != claim.arg("location"))
    ]
    if pair.empty:
        raise ClaimError(
            claim.claim_id, f"no timeline events with pair_id {claim.arg('pair_id')!r}"
        )
    printed = re.sub(r"^the\s+", "", claim.printed.strip(), flags=re.IGNORECASE)
    places: dict[str, list[str]] = {}
    for row in pair.itertuples():
        if isinstance(row.actor, str):
            places.setdefault(row.actor, []).append(str(row.location))
    computed = (
        "Other places of the paper: "
        + "; ".join(
            f"{_joined(where)} {'name' if len(where) > 1 else 'names'} the {actor}"
            for actor, where in places.items()
        )
        + "."
    )
    others = {actor: where for actor, where in places.items() if actor != printed}
    if not others:
        return Result(CONSISTENT, computed)
    return Result(
        DISCREPANCY,
        computed,
        "; ".join(f"the {actor} instead of the {printed}" for actor in others),
        claim.arg("inference", "The paper names different actors for one event."),
        inference="inference" in claim.args,
    )


def _by_text(texts: dict[str, str]) -> dict[str, list[str]]:
    """Places grouped by the text they print."""
    grouped: dict[str, list[str]] = {}
    for place, text in texts.items():
        grouped.setdefault(text, []).append(place)
    return grouped


def _joined(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@check("consistent_wording", INTERNAL)
def consistent_wording(claim: Claim) -> Result:
    """The printed wording, or its year, against the other places of the paper that give the
    same name, title or date.

    Arguments: ``others`` (place -> text); ``compare``: ``exact`` or ``years`` (the last year in
    each text); optional ``inference``.
    """
    others: dict[str, str] = claim.arg("others")
    mode = claim.arg("compare", "exact")

    def key(text: str):
        if mode == "years":
            years = parsing.years_in(text)
            if not years:
                raise ClaimError(claim.claim_id, f"no year in {text!r}")
            return years[-1]
        return lookup.normalise(text)

    printed = key(claim.printed)
    differing = {place: text for place, text in others.items() if key(text) != printed}
    computed = f"{len(others) - len(differing)} of {len(others)} other occurrence(s) agree" + (
        " (compared by year)." if mode == "years" else "."
    )
    if not differing:
        return Result(CONSISTENT, computed)
    return Result(
        DISCREPANCY,
        computed,
        "; ".join(
            f"{_joined(places)} {'print' if len(places) > 1 else 'prints'} '{text}'"
            for text, places in _by_text(differing).items()
        ),
        claim.arg("inference", "The paper is not consistent here."),
        inference="inference" in claim.args,
    )


@check("acronym", INTERNAL)
def acronym(claim: Claim) -> Result:
    """A printed acronym against the name it abbreviates and against its other spellings in the
    paper.

    Arguments: ``expansion``; ``others`` (place -> spelling).
    """
    expansion = claim.arg("expansion")
    printed = claim.printed.strip()
    fits = parsing.acronym_fits(printed, expansion)
    others: dict[str, str] = claim.arg("others", {})
    variants = {place: text for place, text in others.items() if text != printed}
    computed = (
        f"'{printed}' {'can' if fits else 'cannot'} be formed from the starts of the "
        f"words of '{expansion}'"
        + (
            "; elsewhere the paper prints " + ", ".join(f"'{t}' ({p})" for p, t in variants.items())
            if variants
            else ""
        )
        + "."
    )
    if fits and not variants:
        return Result(CONSISTENT, computed)
    fitting = sorted({t for t in others.values() if parsing.acronym_fits(t, expansion)})
    explanation = (
        f"Only {', '.join(repr(f) for f in fitting)} fits the expansion; '{printed}' is "
        "most likely a misspelling."
        if fitting and not fits
        else "The paper spells the name in more than one way."
    )
    return Result(
        DISCREPANCY,
        computed,
        f"{len(variants)} other spelling(s)" if variants else "does not fit the expansion",
        explanation,
        inference=bool(fitting and not fits),
    )


@check("place_names", INTERNAL)
def place_names(claim: Claim) -> Result:
    """Printed region names against the names of China's provincial-level divisions.

    Arguments: none; the names are compared with provinces.name_en.
    """
    names = [name.strip() for name in claim.printed.split(",") if name.strip()]
    known = list(data.provinces()["name_en"])
    unknown = [name for name in names if name not in known]
    computed = f"{len(names) - len(unknown)} of {len(names)} names are provincial-level divisions."
    if not unknown:
        return Result(CONSISTENT, computed)
    table2_cities = set(data.table2_china_cctv()["city"])
    notes = []
    for name in unknown:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
        if close:
            also = " (Table 2 of the same paper prints it so)" if close[0] in table2_cities else ""
            notes.append(f"'{name}' is most likely '{close[0]}'{also}")
        else:
            notes.append(f"'{name}' matches no division")
    return Result(
        DISCREPANCY,
        computed,
        ", ".join(f"'{n}' unknown" for n in unknown),
        "; ".join(notes) + ".",
        inference=True,
    )


@check("section_numbering", INTERNAL)
def section_numbering(claim: Claim) -> Result:
    """The paper's section headings against one numbering, 1, 2, 3 and so on, in one style of
    numerals.

    Arguments: optional ``inference``.
    """
    labels = [label for label in re.split(r"[,;]\s*", claim.printed) if label.strip()]
    parsed = [parsing.heading_number(label) for label in labels]
    numbers = [number for number, _ in parsed]
    styles = sorted({style for _, style in parsed})
    missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
    computed = (
        f"{len(labels)} headings numbered {', '.join(map(str, numbers))}, in "
        f"{' and '.join(styles)} numerals."
    )
    problems = []
    if missing:
        problems.append("missing " + ", ".join(map(str, missing)))
    if len(styles) > 1:
        problems.append("mixed arabic and roman numerals")
    if numbers != sorted(numbers) or len(set(numbers)) != len(numbers):
        problems.append("out of order")
    if not problems:
        return Result(CONSISTENT, computed)
    return Result(
        DISCREPANCY,
        computed,
        "; ".join(problems),
        claim.arg("inference", "The numbering has gaps or mixed styles."),
        inference="inference" in claim.args,
    )


@check("same_date", INTERNAL)
def same_date(claim: Claim) -> Result:
    """A printed date against the other dates the paper prints for the same document; for some
    claims one agreeing date is enough.

    Arguments: ``others`` (place -> printed date); ``mode``: ``all`` or ``any``; optional
    ``inference``.
    """
    printed = parsing.parse_date(claim.printed)
    others: dict[str, str] = claim.arg("others")
    gaps = {
        place: parsing.date_difference(printed, parsing.parse_date(text))
        for place, text in others.items()
    }
    agreeing = [place for place, gap in gaps.items() if gap is None]
    computed = (
        "Dates printed elsewhere for the same document: "
        + "; ".join(f"{p} ({t})" for p, t in others.items())
        + f". Agrees with: {', '.join(agreeing) if agreeing else 'none'}."
    )
    differing = {p: g for p, g in gaps.items() if g is not None}
    mode = claim.arg("mode", "all")
    ok = bool(agreeing) if mode == "any" else not differing
    difference = "; ".join(f"{p}: {g[1]} {g[0]}(s)" for p, g in differing.items())
    if ok:
        return Result(
            CONSISTENT,
            computed + (f" Differs from {difference}." if difference else ""),
            explanation=claim.arg("inference", "") if differing else "",
            inference=bool(differing) and "inference" in claim.args,
        )
    return Result(
        DISCREPANCY,
        computed,
        difference,
        claim.arg("inference", "The paper prints different dates for one document."),
        inference="inference" in claim.args,
    )
