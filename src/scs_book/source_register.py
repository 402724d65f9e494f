"""Facts of the register of sources, each with the stored copy it was read in, for the chapters.

A chapter that sets the public record beside the article's statement shows a fact's value and
cites the copy it comes from: its publisher, linked to its address, and what kind of copy it is
(``data/source_copies.csv``). Lists come item by item, in the order the copy gives them, so their
length is counted, never typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import pandas as pd

from scs_book import data

COPY_COLUMNS = ["copy_id", "url", "copy_kind", "publisher"]


def facts_with_copies(fact_ids: Sequence[str]) -> pd.DataFrame:
    """The facts named, in that order, each joined to the copy it was read in."""
    facts = data.source_facts().set_index("fact_id")
    unknown = [fact_id for fact_id in fact_ids if fact_id not in facts.index]
    if unknown:
        raise KeyError(f"data/source_facts.csv: no fact_id {', '.join(unknown)}")
    return _with_copies(facts.loc[list(fact_ids)].reset_index())


def named_list(list_name: str) -> pd.DataFrame:
    """The items of a named list, in the copy's order, each joined to the copy it was read in."""
    facts = data.source_facts()
    items = facts.loc[facts["list_name"] == list_name].sort_values("list_position")
    if items.empty:
        raise KeyError(f"data/source_facts.csv: no list_name {list_name!r}")
    return _with_copies(items.reset_index(drop=True))


def citation(url: str, publisher: str, copy_kind: str) -> str:
    """HTML citing a copy: its publisher linked to its address, then its kind; all text escaped."""
    return f'<a href="{escape(url, quote=True)}">{escape(publisher)}</a> ({escape(copy_kind)})'


def table_rows(facts: pd.DataFrame, labels: Sequence[str] | None = None) -> pd.DataFrame:
    """Rows for ``tables.table``: the fact (``labels``, else its subject), its value with its unit,
    and the copy it was read in. Every text is escaped, since the table keeps HTML."""
    what = list(labels) if labels is not None else [s[:1].upper() + s[1:] for s in facts["subject"]]
    if len(what) != len(facts):
        raise ValueError(f"{len(what)} labels for {len(facts)} facts")
    values = [
        f"{value} {unit}" if isinstance(unit, str) and unit else str(value)
        for value, unit in zip(facts["value"], facts["unit"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Fact": [escape(label) for label in what],
            "Value": [escape(value) for value in values],
            "Read in": [
                citation(row.url, row.publisher, row.copy_kind) for row in facts.itertuples()
            ],
        }
    )


def list_row(items: pd.DataFrame, label: str) -> pd.DataFrame:
    """A named list from ``named_list`` as one row for ``tables.table``: its items numbered, one a
    line, with their English rendering where there is one, and the copy they were read in."""
    copies = items["copy_id"].unique()
    if len(copies) != 1:
        raise ValueError(f"list items read in {len(copies)} copies; one row cites one copy")
    lines = [
        f"{row.list_position}. {row.value}"
        + (f" ({row.quote_en})" if isinstance(row.quote_en, str) and row.quote_en else "")
        for row in items.itertuples()
    ]
    first = items.iloc[0]
    return pd.DataFrame(
        {
            "Fact": [escape(label)],
            "Value": ["<br>".join(escape(line) for line in lines)],
            "Read in": [citation(first["url"], first["publisher"], first["copy_kind"])],
        }
    )


def _with_copies(facts: pd.DataFrame) -> pd.DataFrame:
    copies = data.source_copies()[COPY_COLUMNS]
    joined = facts.merge(copies, on="copy_id", how="left", validate="many_to_one")
    orphans = joined.loc[joined["url"].isna(), "fact_id"].tolist()
    if orphans:
        raise KeyError(
            f"data/source_facts.csv: copy_id of {', '.join(orphans)} is not in "
            "data/source_copies.csv"
        )
    return joined
