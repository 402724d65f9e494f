"""The shared chart helper: footer on every chart, deterministic ids, offline rendering."""

import altair as alt
import pandas as pd
import pytest

from scs_book import charts, data


@pytest.fixture(autouse=True)
def book_renderer():
    charts.setup()
    yield
    alt.renderers.enable("default")


def chart(frame):
    return alt.Chart(frame).mark_bar().encode(x="cameras:Q", y="city:N")


def test_a_chart_without_footer_is_refused():
    with pytest.raises(charts.ChartError, match="footer"):
        chart(data.table2_china_cctv())._repr_mimebundle_()


def test_credit_needs_a_loaded_dataset():
    with pytest.raises(charts.ChartError, match="dataset"):
        charts.credit(chart(pd.DataFrame({"city": ["a"], "cameras": [1]})),
                      pd.DataFrame({"city": ["a"], "cameras": [1]}), description="x")


def test_footer_names_source_licence_and_data_file():
    table2 = data.table2_china_cctv()
    bundle = charts.credit(chart(table2), table2, description="Bars.", note="A note.") \
        ._repr_mimebundle_()
    html = bundle[0]["text/html"] if isinstance(bundle, tuple) else bundle["text/html"]
    assert "Comparitech" in html and "Licence:" in html and "A note." in html
    assert 'href="../data/table2_china_cctv.csv" download' in html
    assert 'href="data:text/csv;charset=utf-8,printed_order,city,population_2025' in html
    assert '"description": "Bars."' in html or '"description":"Bars."' in html


def test_ids_are_deterministic_and_content_derived():
    table2 = data.table2_china_cctv()

    def html_of(frame):
        bundle = charts.credit(chart(frame), frame, description="Bars.")._repr_mimebundle_()
        return bundle[0]["text/html"] if isinstance(bundle, tuple) else bundle["text/html"]

    first, second = html_of(table2), html_of(table2)
    assert first == second
    changed = table2.copy()
    changed.loc[0, "cameras"] += 1
    assert html_of(changed) != first


def test_vega_is_not_fetched_from_a_cdn_when_the_book_serves_it():
    """Altair loads from a CDN only when VEGA_DEBUG lacks the versions it expects."""
    from altair.vegalite.v6.display import VEGA_VERSION, VEGAEMBED_VERSION, VEGALITE_VERSION

    from scs_book.pipeline import stage_vendor

    debug = (stage_vendor() / "vega-debug.js").read_text()
    for key, version in (("vega_version", VEGA_VERSION), ("vegalite_version", VEGALITE_VERSION),
                         ("vegaembed_version", VEGAEMBED_VERSION)):
        assert f'"{key}": "{version}"' in debug


def test_chart_data_csv_holds_exactly_the_drawn_rows_without_geometry():
    boundaries = data.province_boundaries()
    spec = charts.credit(charts.province_base(boundaries), boundaries, description="Map.").to_dict()
    lines = charts.chart_data_csv(spec).strip().split("\n")
    assert lines[0].startswith("iso_code,name_en,kind") and "geometry" not in lines[0]
    assert len(lines) == 1 + len(boundaries)
