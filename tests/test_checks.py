"""The chapters' checks of printed tables: each with a correct and a deliberately wrong value."""

import pandas as pd

from scs_book import checks


def frame(printed):
    return pd.DataFrame(
        {
            "city": ["A", "B"],
            "cameras": [900_000, 251_500],
            "population": [11_337_900, 3_482_830],
            "printed": printed,
        }
    )


def test_rate_recomputed():
    result = checks.rate_per_1000(frame([79.38, 72.21]), "cameras", "population", "printed", "city")
    assert list(result["status"]) == [checks.RECOMPUTED, checks.RECOMPUTED]


def test_rate_discrepancy_with_its_size():
    result = checks.rate_per_1000(frame([79.38, 72.31]), "cameras", "population", "printed", "city")
    assert list(result["status"]) == [checks.RECOMPUTED, checks.DISCREPANCY]
    assert result.loc[1, "difference"] == -0.10


def test_order_correct_and_broken():
    ordered = pd.DataFrame({"city": list("abc"), "v": [3, 2, 1]})
    assert checks.out_of_order(ordered, "v", "city").empty
    assert checks.order_verdict(checks.out_of_order(ordered, "v", "city")) == "yes"
    broken = pd.DataFrame({"city": list("abc"), "v": [3, 1, 2]})
    result = checks.out_of_order(broken, "v", "city")
    assert list(result["city"]) == ["c"] and checks.order_verdict(result).startswith("no: 1")


def test_adjacent_transpositions():
    assert checks.adjacent_transpositions(6271970) == [
        2671970,
        6721970,
        6217970,
        6279170,
        6271790,
        6271907,
    ]
    assert checks.adjacent_transpositions(1000) == []  # leading zeros and no-op swaps excluded
    assert 6217970 in checks.adjacent_transpositions(6271970)


def test_count_at_rate_compares_each_printed_count_with_population_times_the_rate():
    import pandas as pd

    from scs_book import checks

    frame = pd.DataFrame({"city": ["A", "B"], "people": [1000, 2001], "cameras": [500, 999]})
    result = checks.count_at_rate(
        frame, count="cameras", population="people", rate_per_1000=500, label="city"
    )
    assert list(result.columns) == [
        "city",
        "people",
        "cameras_printed",
        "population_x_rate",
        "difference",
        "status",
    ]
    assert result["population_x_rate"].tolist() == [500, 1000]  # 1000.5 rounds to even
    assert result["difference"].tolist() == [0, -1]
    assert result["status"].tolist() == [checks.RECOMPUTED, checks.DISCREPANCY]


def test_fitting_transpositions():
    assert checks.fitting_transpositions(6271970, lambda v: round(v * 0.49425) == 3073232) == [
        6217970
    ]
