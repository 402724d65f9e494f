"""Chart footers: one short Source line from the sources of the columns a chart encodes, a
licence that is a licence, one link to the dataset's full provenance (figures.footer and
scs_book.provenance)."""

from __future__ import annotations

import html as html_module
import re

import altair as alt
import pandas as pd
import pytest

from scs_book import data, figures, provenance
from scs_book.figures import footer as footers

LICENCE_TEXTS = (
    "https://creativecommons.org/licenses/",
    "https://creativecommons.org/publicdomain/",
    "https://www.naturalearthdata.com/about/terms-of-use/",
    "https://opendatacommons.org/licenses/",
)


def footer_of(chart) -> dict:
    return chart.to_dict()["usermeta"]["scs_book"]["footer"]


def source_names(chart) -> list[str]:
    return [source["name"] for source in footer_of(chart)["sources"]]


def test_encoded_fields_are_channels_and_tooltips_not_data():
    frame = pd.DataFrame({"a": [1], "b": [2], "c": [3], "d": [4]})
    chart = (
        alt.Chart(frame)
        .mark_point()
        .encode(x="a:Q", y="b:Q", tooltip=[alt.Tooltip("c:Q")])
        .transform_calculate(e="datum.d")
    )
    assert footers.encoded_fields(chart.to_dict()) == {"a", "b", "c"}


def test_only_the_sources_of_the_encoded_columns_are_named():
    cities = data.cities()
    located = alt.Chart(cities).mark_circle().encode(longitude="longitude:Q", latitude="latitude:Q")
    names = source_names(figures.credit(located, cities, description="Dots."))
    assert names == ["GeoNames"]  # not the article's Table 2, not the NDRC notice
    listed = alt.Chart(cities).mark_bar().encode(x="name:N", y="in_demonstration_batch1:N")
    names = source_names(figures.credit(listed, cities, description="Bars."))
    assert names == ["the article's Table 2", "NDRC and PBC notice of 2017"]


def test_a_source_without_fields_covers_its_whole_dataset_and_is_named_once():
    table1, table2 = data.table1_surveilled_cities(), data.table2_china_cctv()
    chart = alt.Chart(table2).mark_bar().encode(x="cameras:Q", y="city:N")
    names = source_names(
        figures.credit(chart, table2, (table1, ["per_1000_printed"]), description="Bars.")
    )
    assert names == [
        "the article's Table 2",
        "Comparitech (Bischoff 2025)",
        "the article's Table 1",
    ]  # Comparitech once, for both tables


def test_columns_computed_from_a_dataset_are_named_by_the_chart():
    facts = data.section3_facts()
    derived = pd.DataFrame({"label": ["x"], "number": [1]})
    chart = alt.Chart(derived).mark_bar().encode(x="number:Q", y="label:N")
    with pytest.raises(figures.ChartError, match="encodes no column of section3_facts"):
        figures.credit(chart, facts, description="Bars.")
    with pytest.raises(figures.ChartError, match="section3_facts has no column nothing"):
        figures.credit(chart, (facts, ["nothing"]), description="Bars.")
    credited = figures.credit(chart, (facts, ["value"]), description="Bars.")
    assert source_names(credited) == ["the article's Sections II and III"]


def test_the_licence_is_a_licence_and_the_chart_is_cc_by():
    table2, cities, boundaries = data.table2_china_cctv(), data.cities(), data.province_boundaries()
    chart = alt.Chart(table2).mark_bar().encode(x="cameras:Q", y="city:N")
    html = footers.footer_html(footer_of(figures.credit(chart, table2, description="Bars.")))
    licences = re.findall(r'<a href="([^"]+)" rel="license">', html)
    assert licences == ["https://creativecommons.org/licenses/by/4.0/"]
    assert "comparitech.com" not in html  # the source of the facts is not their licence
    located = alt.Chart(cities).mark_circle().encode(longitude="longitude:Q", latitude="latitude:Q")
    base = figures.province_base(boundaries)
    html = footers.footer_html(
        footer_of(figures.credit(located + base, cities, boundaries, description="Map."))
    )
    licences = re.findall(r'<a href="([^"]+)" rel="license">', html)
    assert len(licences) == 2 and all(url.startswith(LICENCE_TEXTS) for url in licences)
    assert "(chart and data)" in html and "public domain" in html
    assert "MIT" not in html  # a package's software licence is left to the full provenance


def test_the_footer_links_once_to_the_first_datasets_provenance():
    table2 = data.table2_china_cctv()
    chart = alt.Chart(table2).mark_bar().encode(x="cameras:Q", y="city:N")
    html = footers.footer_html(footer_of(figures.credit(chart, table2, description="Bars.")))
    links = re.findall(r'href="([^"]+)"', html)
    assert links.count("../book/about-data.html#data-table2_china_cctv") == 1
    assert "sha256" not in html and ".csv" not in html  # no checksums, no file listings


def test_footers_are_short():
    table2 = data.table2_china_cctv()
    chart = alt.Chart(table2).mark_bar().encode(x="cameras:Q", y="city:N")
    with pytest.raises(figures.ChartError, match="note is at most 160"):
        figures.credit(chart, table2, description="Bars.", note="x" * 161)
    credited = figures.credit(chart, table2, description="Bars.", note="y" * 160)
    assert len(footers.footer_text(footer_of(credited))) <= footers.MAX_TEXT
    areas = (data.demonstration_areas(), ["adcode", "latitude", "batch", "province_code"])
    with pytest.raises(figures.ChartError, match="at most 300 characters"):
        figures.credit(chart, table2, areas, description="Bars.", note="z" * 160)


def test_footer_text_is_escaped():
    table2 = data.table2_china_cctv()
    chart = alt.Chart(table2).mark_bar().encode(x="cameras:Q", y="city:N")
    html = footers.footer_html(
        footer_of(
            figures.credit(
                chart, table2, description="Bars.", note="</figcaption><script>x</script>"
            )
        )
    )
    assert "<script>" not in html and "&lt;/figcaption&gt;" in html


def test_every_dataset_has_a_provenance_entry_with_its_anchor():
    for name, entry in data.datasets().items():
        html = provenance.entry_html(entry.descriptor)
        assert html.startswith(f'<section class="scs-provenance" id="data-{name}">')
        text = html_module.unescape(re.sub(r"<[^>]+>", "", html))  # Chinese is marked up
        for source in entry.sources:
            assert source["title"] in text
        assert entry.descriptor["hash"].removeprefix("sha256:") in text  # the whole checksum


def test_provenance_entries_escape_markup():
    descriptor = {
        "name": "x",
        "path": "x.csv",
        "title": "<b>t</b>",
        "licenses": [],
        "sources": [{"title": "</section><script>", "path": "javascript:alert(1)"}],
    }
    html = provenance.entry_html(descriptor)
    assert "<script>" not in html and "javascript:" not in html and "&lt;b&gt;" in html


def test_a_charts_rows_travel_under_reader_names_into_its_bundle():
    table2 = data.table2_china_cctv()
    chart = alt.Chart(table2).mark_bar().encode(x="cameras:Q", y="city:N")
    rows = table2[["city", "cameras"]].rename(columns={"city": "City", "cameras": "CCTV cameras"})
    rows.loc[0, "City"] = None  # a missing value is an empty cell
    credited = figures.credit(chart, table2, description="Bars.", rows=rows)
    table = figures.chart_bundle(credited.to_dict())["table"]
    assert table["columns"] == ["City", "CCTV cameras"] and len(table["rows"]) == len(table2)
    assert table["rows"][0] == ["", 15065778] and table["rows"][1][0] == "Beijing"
    with pytest.raises(figures.ChartError, match="at least one column and one row"):
        figures.credit(chart, table2, description="Bars.", rows=rows.iloc[0:0])
