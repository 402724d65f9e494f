"""The checks of printed numbers: each with a correct and a deliberately wrong value."""

import pandas as pd
import pytest

from scs_book import checks


def frame(printed):
    return pd.DataFrame({"city": ["A", "B"], "cameras": [900_000, 251_500],
                         "population": [11_337_900, 3_482_830], "printed": printed})


def test_rate_reproduced():
    result = checks.rate_per_1000(frame([79.38, 72.21]), "cameras", "population", "printed", "city")
    assert list(result["status"]) == [checks.REPRODUCED, checks.REPRODUCED]


def test_rate_discrepancy_with_its_size():
    result = checks.rate_per_1000(frame([79.38, 72.31]), "cameras", "population", "printed", "city")
    assert list(result["status"]) == [checks.REPRODUCED, checks.DISCREPANCY]
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
        2671970, 6721970, 6217970, 6279170, 6271790, 6271907]
    assert checks.adjacent_transpositions(1000) == []  # leading zeros and no-op swaps excluded
    assert 6217970 in checks.adjacent_transpositions(6271970)


def test_parse_number_reads_printed_forms():
    assert checks.parse_number("3,073,232") == 3_073_232
    assert checks.parse_number("1.42bn") == 1.42e9 and checks.parse_number("700m") == 7e8
    assert checks.parse_number("eight") == 8 and checks.parse_number("șase ani") == 6
    assert checks.parse_numbers("30,482,100; 22,596,500", ";") == [30_482_100, 22_596_500]
    assert checks.printed_step("1.42bn") == 1e7 and checks.printed_step("18.22") == 0.01
    with pytest.raises(ValueError):
        checks.parse_number("the majority")


def test_parse_date_and_differences():
    assert checks.parse_date("on 16 July 2013") == ((2013, 7, 16), "day")
    assert checks.parse_date("May 1, 2019") == ((2019, 5, 1), "day")
    assert checks.parse_date("in November 2016") == ((2016, 11), "month")
    assert checks.parse_date("The 1990s") == ((1990,), "decade")
    assert checks.parse_date("2016/09/25") == ((2016, 9, 25), "day")
    assert checks.parse_date("（2014-2020年）") == ((2014,), "year")  # a range is not a month
    assert checks.date_difference(checks.parse_date("16 July 2013"), ((2013,), "year")) is None
    assert checks.date_difference(((2017,), "year"), ((2018,), "year")) == ("year", "+1")
    assert checks.years_in("（2014-2020年）") == [2014, 2020]


def test_bibliography_pages_acronyms_and_headings():
    assert checks.bib_year("spc_2017_provisions") == 2017
    assert checks.bib_year("creditchina_nd_websites") is None
    with pytest.raises(ValueError):
        checks.bib_year("Creemers2018")
    assert checks.page_range("p. 51-52") == (51, 52) and checks.page_range("424") == (424, 424)
    assert checks.acronym_fits("MERICS", "Mercator Institute for China Studies")
    assert not checks.acronym_fits("MERICCS", "Mercator Institute for China Studies")
    assert [checks.heading_number(h) for h in ("1.", "II.", "IV", "V.")] == [
        (1, "arabic"), (2, "roman"), (4, "roman"), (5, "roman")]
    assert checks.fitting_transpositions(6271970, lambda v: round(v * 0.49425) == 3073232) == [6217970]


def test_count_at_rate_compares_each_printed_count_with_population_times_the_rate():
    import pandas as pd

    from scs_book import checks

    frame = pd.DataFrame({"city": ["A", "B"], "people": [1000, 2001], "cameras": [500, 999]})
    result = checks.count_at_rate(frame, count="cameras", population="people", rate_per_1000=500,
                                  label="city")
    assert list(result.columns) == ["city", "people", "cameras_printed", "population_x_rate",
                                    "difference", "status"]
    assert result["population_x_rate"].tolist() == [500, 1000]  # 1000.5 rounds to even
    assert result["difference"].tolist() == [0, -1]
    assert result["status"].tolist() == [checks.REPRODUCED, checks.DISCREPANCY]
