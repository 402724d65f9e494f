"""Checks of the paper's printed numbers against the data.

Each check returns a table (one row per checked value) with the printed value, the value the
data gives, the difference and a status: ``reproduced`` or ``discrepancy``.
"""

from __future__ import annotations

import pandas as pd

REPRODUCED, DISCREPANCY = "reproduced", "discrepancy"


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
