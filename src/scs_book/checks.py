"""Checks of the paper's printed tables against the data, for the chapters.

Each check returns a table (one row per checked value) with the printed value, the value the
data give, the difference and a status in the ledger's words (:mod:`scs_book.claims`):
``recomputed`` when the arithmetic gives the printed value, ``discrepancy`` when it does not.
"""

from __future__ import annotations

import pandas as pd

RECOMPUTED, DISCREPANCY = "recomputed", "discrepancy"  # the ledger's words (claims.model)


def rate_per_1000(
    frame: pd.DataFrame, count: str, population: str, printed: str, label: str, decimals: int = 2
) -> pd.DataFrame:
    """Recompute ``count / population * 1000`` and compare it with the printed rate.

    The recomputed rate is rounded to ``decimals`` places, the precision the paper prints; a
    row is recomputed when the rounded value equals the printed one.
    """
    recomputed = (frame[count] / frame[population] * 1000).round(decimals)
    difference = (recomputed - frame[printed]).round(decimals)
    return pd.DataFrame(
        {
            label: frame[label],
            "printed": frame[printed],
            "recomputed": recomputed,
            "difference": difference,
            "status": [RECOMPUTED if d == 0 else DISCREPANCY for d in difference],
        }
    )


def out_of_order(
    frame: pd.DataFrame, column: str, label: str, descending: bool = True
) -> pd.DataFrame:
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
        swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
        if swapped != digits and not swapped.startswith("0") and int(swapped) not in found:
            found.append(int(swapped))
    return found


def count_at_rate(
    frame: pd.DataFrame,
    count: str,
    population: str,
    rate_per_1000: float,
    label: str,
    expected: str = "population_x_rate",
) -> pd.DataFrame:
    """Compare each printed ``count`` with ``population`` times a rate per 1,000, rounded to a
    whole number (``expected``); recomputed when they are equal."""
    at_rate = (frame[population] * (rate_per_1000 / 1000)).round().astype("int64")
    difference = frame[count] - at_rate
    return pd.DataFrame(
        {
            label: frame[label],
            population: frame[population],
            f"{count}_printed": frame[count],
            expected: at_rate,
            "difference": difference,
            "status": [RECOMPUTED if d == 0 else DISCREPANCY for d in difference],
        }
    )


def fitting_transpositions(value: int, fits) -> list[int]:
    """The adjacent-digit transpositions of ``value`` for which ``fits(candidate)`` is true."""
    return [candidate for candidate in adjacent_transpositions(value) if fits(candidate)]


def _status(stated, recomputed) -> str:
    return RECOMPUTED if stated == recomputed else DISCREPANCY


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
            (
                "lists not itemized (total minus itemized)",
                int(total.remainder_not_itemized),
                int(total.total_lists) - itemized,
            ),
        ):
            rows.append(
                {
                    "list_type": total.list_type,
                    "quantity": quantity,
                    "stated": stated,
                    "recomputed": recomputed,
                    "status": _status(stated, recomputed),
                }
            )
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
        rows.append(
            {
                "batch": int(batch.batch),
                "announced": batch.announced,
                "announced_size": int(batch.announced_size),
                "areas_in_data": found,
                "status": status
                if batch.names_available or status == DISCREPANCY
                else "names not available",
            }
        )
    extra = sorted(set(listed.index) - set(batches["batch"]))
    if extra:
        raise ValueError(f"areas belong to batches with no announcement: {extra}")
    return pd.DataFrame(rows)


def located_rows_inconsistent(areas: pd.DataFrame) -> pd.DataFrame:
    """Rows whose ``located`` flag disagrees with their geonameid and coordinates."""
    has_point = areas[["geonameid", "latitude", "longitude"]].notna()
    wrong = (areas["located"] & ~has_point.all(axis=1)) | (
        ~areas["located"] & has_point.any(axis=1)
    )
    return areas.loc[wrong, ["area_id", "located", "geonameid", "latitude", "longitude"]]
