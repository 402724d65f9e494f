"""Figure cards and dates in prose (moved out of the Section III notebook)."""

from __future__ import annotations

import pytest

from scs_book import data, figure_cards, partial_dates


def test_every_figure_card_is_one_admonition_with_its_source_and_reason():
    cards = data.figure_cards().set_index("figure")
    for figure, row in cards.iterrows():
        text = figure_cards.admonition(figure, row)
        assert text.startswith(f"```{{admonition}} Figure {figure} of the article: ")
        assert text.endswith("\n```") and text.count("```") == 2
        assert row.caption_as_printed in text and row.reason in text
        assert f"note {row.footnote}" in text
        assert figure_cards.IN_THIS_BOOK[row.reproduced] in text.splitlines()[0]


def test_a_card_without_related_data_or_remarks_says_so():
    row = data.figure_cards().set_index("figure").iloc[0].copy()
    row["related_data"], row["note"], row["source_page"] = None, None, "12–14"
    text = figure_cards.admonition(1, row)
    assert "**Data in this book.** none." in text and "Remarks" not in text
    assert "pp. 12–14" in text


@pytest.mark.parametrize(
    "value, precision, expected",
    [
        ("2015", "year", "2015"),
        ("2015-06", "month", "Jun 2015"),
        ("2015-06-03", "day", "3 June 2015"),
        ("1990", "decade", "1990s"),
        ("2014-12", None, "Dec 2014"),
    ],
)
def test_a_partial_date_in_prose_keeps_its_precision(value, precision, expected):
    assert partial_dates.label(value, precision) == expected


def test_a_date_that_does_not_exist_is_refused_in_prose_too():
    with pytest.raises(partial_dates.PartialDateError):
        partial_dates.label("2013-02-30", "day")
