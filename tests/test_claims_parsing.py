"""Reading the paper's printed forms for the ledger: numbers, dates, pages, keys, acronyms,
section numbers."""

import pytest

from scs_book.claims import parsing


def test_parse_number_reads_printed_forms():
    assert parsing.parse_number("3,073,232") == 3_073_232
    assert parsing.parse_number("1.42bn") == 1.42e9 and parsing.parse_number("700m") == 7e8
    assert parsing.parse_number("eight") == 8 and parsing.parse_number("șase ani") == 6
    assert parsing.parse_numbers("30,482,100; 22,596,500", ";") == [30_482_100, 22_596_500]
    assert parsing.printed_step("1.42bn") == 1e7 and parsing.printed_step("18.22") == 0.01
    with pytest.raises(ValueError):
        parsing.parse_number("the majority")


def test_parse_date_and_differences():
    assert parsing.parse_date("on 16 July 2013") == ((2013, 7, 16), "day")
    assert parsing.parse_date("May 1, 2019") == ((2019, 5, 1), "day")
    assert parsing.parse_date("in November 2016") == ((2016, 11), "month")
    assert parsing.parse_date("The 1990s") == ((1990,), "decade")
    assert parsing.parse_date("2016/09/25") == ((2016, 9, 25), "day")
    assert parsing.parse_date("（2014-2020年）") == ((2014,), "year")  # a range is not a month
    assert parsing.date_difference(parsing.parse_date("16 July 2013"), ((2013,), "year")) is None
    assert parsing.date_difference(((2017,), "year"), ((2018,), "year")) == ("year", "+1")
    assert parsing.years_in("（2014-2020年）") == [2014, 2020]


def test_bibliography_pages_acronyms_and_headings():
    assert parsing.bib_year("spc_2017_provisions") == 2017
    assert parsing.bib_year("creditchina_nd_websites") is None
    with pytest.raises(ValueError):
        parsing.bib_year("Creemers2018")
    assert parsing.page_range("p. 51-52") == (51, 52) and parsing.page_range("424") == (424, 424)
    assert parsing.acronym_fits("MERICS", "Mercator Institute for China Studies")
    assert not parsing.acronym_fits("MERICCS", "Mercator Institute for China Studies")
    assert [parsing.heading_number(h) for h in ("1.", "II.", "IV", "V.")] == [
        (1, "arabic"),
        (2, "roman"),
        (4, "roman"),
        (5, "roman"),
    ]
