"""The shared table helper: stable, light HTML with its styles scoped to the table."""

import re

import pandas as pd

from scs_book.tables import table

FRAME = pd.DataFrame(
    {"city": ["Chongqing", "Shenzhen"], "rate": [168.03, 159.09]},
    index=pd.Index(["a", "b"], name="key"),
)


def html_of(**options) -> str:
    return table(FRAME, "demo", "Cameras per 1,000 people", **options).data


def test_table_is_stable_captioned_and_carries_one_id():
    html = html_of()
    assert html == html_of()
    assert html.startswith('<table id="T_demo">\n<caption>Cameras per 1,000 people</caption>')
    assert re.findall(r'\bid="', html) == ['id="']  # no id on every cell
    assert "class=" not in html and "<td>Chongqing</td>" in html


def test_formats_apply_and_the_index_is_shown_only_when_asked():
    html = html_of(formats={"rate": "{:.1f}"})
    assert "<td>168.0</td>" in html and "168.03" not in html
    assert ">a<" not in html
    assert "<th>A</th>" in html_of(index=True)


def test_styles_are_scoped_to_the_table():
    html = html_of(
        styles=[
            {"selector": "", "props": "width: 100%;"},
            {"selector": "td, th", "props": "vertical-align: top;"},
        ]
    )
    style = re.fullmatch(r"<style>(.*?)</style>.*", html, re.S)[1]
    assert style == "#T_demo {width: 100%;} #T_demo td, #T_demo th {vertical-align: top;}"


def test_chinese_runs_are_marked_and_tags_are_left_alone():
    from scs_book.language import mark_chinese

    html = '<a title="见">notice 发改办财金〔2017〕2158号, in 2017</a>'
    assert mark_chinese(html) == (
        '<a title="见">notice <span lang="zh-Hans">发改办财金〔2017〕2158号</span>, in 2017</a>'
    )
    assert mark_chinese("no Chinese 2017") == "no Chinese 2017"


def test_code_names_become_words_and_numbers_are_formatted_for_reading():
    frame = pd.DataFrame(
        {
            "population_2025": [30482100, 512],
            "year": [2014, 2020],
            "per_1000": [494.254, 12.0],
            "share": [1.0, None],
            "Done": [True, False],
        }
    )
    html = table(frame, "demo", "Numbers").data
    assert "<th>Population 2025</th>" in html and "<th>Per 1000</th>" in html
    assert "<th>Done</th>" in html and "<td>True</td>" in html
    assert "<td>30,482,100</td>" in html and "<td>512</td>" in html
    assert "<td>2014</td>" in html  # a year keeps its digits together
    assert "<td>494.25</td>" in html and "<td>12.00</td>" in html
    assert "<td>1</td>" in html and "<td>–</td>" in html  # whole floats, a missing value


def test_every_header_is_in_sentence_case():
    """Labels written in words keep theirs but start with a capital, as code names do: a
    ledger's verdicts as columns read "Recomputed | Confirmed by source", not a mix."""
    frame = pd.DataFrame({"recomputed": [1], "confirmed by source": [2], "ISO 3166-2": ["CN-BJ"]})
    frame.index = pd.Index(["all claims"], name="part of the article")
    frame.columns.name = "verdict"
    html = table(frame, "demo", "Claims", index=True).data
    headers = re.findall(r"<th>(.*?)</th>", html)
    assert headers == [
        "Verdict", "Recomputed", "Confirmed by source", "ISO 3166-2",
        "Part of the article", "&nbsp;", "&nbsp;", "&nbsp;", "All claims",
    ]  # fmt: skip


def test_an_empty_table_says_none_under_its_caption():
    html = table(FRAME.iloc[0:0], "gone", "Rows out of order").data
    assert html == (
        '<p id="T_gone" class="scs-empty-table"><span class="caption-text">'
        "Rows out of order</span>: none.</p>"
    )
