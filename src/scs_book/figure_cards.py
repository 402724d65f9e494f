"""Figure cards: for each figure of the article, what it shows and why the book does (not)
reproduce it, written from ``data/figure_cards.csv`` as a MyST admonition."""

from __future__ import annotations

from typing import Any

import pandas as pd

IN_THIS_BOOK = {"yes": "reproduced", "partly": "partly reproduced", "no": "not reproduced"}


def admonition(figure: int, row: Any) -> str:
    """The card of ``figure`` (``row``: its row of the figure_cards dataset), as MyST Markdown."""
    pages = f"pp. {row.source_page}" if "–" in row.source_page else f"p. {row.source_page}"
    related = (
        "none"
        if pd.isna(row.related_data)
        else ", ".join(f"`{name}`" for name in row.related_data.split(";"))
    )
    why = "Why only in part" if row.reproduced == "partly" else "Why it is not reproduced here"
    needed = row.needed_to_reproduce[0].upper() + row.needed_to_reproduce[1:]
    lines = [
        f"```{{admonition}} Figure {figure} of the article: {IN_THIS_BOOK[row.reproduced]} here",
        ":class: note",
        "",
        f"**Caption in the article.** “{row.caption_as_printed}”",
        "",
        f"**What the original shows.** {row.what_original_shows}",
        "",
        f"**Source.** {row.source_citation}, {pages} (the article's note {row.footnote}).",
        "",
        f"**{why}.** {row.reason}",
        "",
        f"**What a reader would need to reproduce it.** {needed}.",
        "",
        f"**Data in this book.** {related}.",
    ]
    if pd.notna(row.note):
        lines += ["", f"**Remarks.** {row.note}"]
    return "\n".join([*lines, "```"])
