"""The shared chart helper: footer on every chart, deterministic ids, offline rendering."""

import json
import re

import altair as alt
import pandas as pd
import pytest

from scs_book import data, figures


@pytest.fixture(autouse=True)
def book_renderer():
    figures.setup()
    yield
    alt.renderers.enable("default")


def chart(frame):
    return alt.Chart(frame).mark_bar().encode(x="cameras:Q", y="city:N")


def test_a_chart_without_footer_is_refused():
    with pytest.raises(figures.ChartError, match="footer"):
        chart(data.table2_china_cctv())._repr_mimebundle_()


def test_credit_needs_a_loaded_dataset():
    with pytest.raises(figures.ChartError, match="scs_book.data loaders"):
        figures.credit(chart(pd.DataFrame({"city": ["a"], "cameras": [1]})),
                      pd.DataFrame({"city": ["a"], "cameras": [1]}), description="x")


def html_output(chart_object) -> str:
    bundle = chart_object._repr_mimebundle_()
    return bundle[0]["text/html"] if isinstance(bundle, tuple) else bundle["text/html"]


def test_footer_names_source_licence_and_provenance():
    table2 = data.table2_china_cctv()
    html = html_output(figures.credit(chart(table2), table2, description="Bars.", note="A note."))
    assert "Comparitech" in html and "Licence:" in html and "A note." in html
    assert 'href="../book/about-data.html#data-table2_china_cctv"' in html
    assert 'href="data:text/csv;charset=utf-8,printed_order,city,population_2025' in html
    assert '"description": "Bars."' in html or '"description":"Bars."' in html


def test_ids_are_deterministic_and_content_derived():
    table2 = data.table2_china_cctv()

    def html_of(frame):
        return html_output(figures.credit(chart(frame), frame, description="Bars."))

    first, second = html_of(table2), html_of(table2)
    assert first == second
    changed = table2.copy()
    changed.loc[0, "cameras"] += 1
    assert html_of(changed) != first


def test_the_book_draws_each_chart_with_its_own_vega_from_one_call(tmp_path):
    """In the notebook, Altair's loader (a CDN outside the book); in the built page, one call of
    the book's scsChart with the same spec, minus the footer metadata, which is drawn as HTML."""
    from scs_book import pipeline

    table2 = data.table2_china_cctv()
    credited = figures.credit(chart(table2), table2, description="Bars.")
    page = tmp_path / "html" / "notebooks" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<p>before</p>{html_output(credited)}<p>after</p>", encoding="utf-8")
    done = pipeline.lighten_pages(tmp_path / "html", pipeline.DataState(tmp_path / "no-data"))
    text = page.read_text(encoding="utf-8")
    assert done["specs"] == 1 and done["chart data"] == 1
    assert "cdn" not in text and "vega@" not in text and text.count("<script") == 1
    call = re.search(r'scsChart\("(altair-viz-[0-9a-f]{16})",', text)
    assert call and f'<div id="{call[1]}"></div><script>scsChart(' in text
    decoder = json.JSONDecoder()
    spec, end = decoder.raw_decode(text, call.end())
    options, _ = decoder.raw_decode(text, end + 1)
    expected = credited.to_dict()
    assert expected.pop("usermeta") and "usermeta" not in spec
    (name, rows), = expected["datasets"].items()  # written by columns, restored by a flatten
    assert spec.pop("datasets") == {name: [{key: [row[key] for row in rows] for key in rows[0]}]}
    assert spec.pop("transform") == [{"flatten": list(rows[0])}]
    assert spec == {key: value for key, value in expected.items() if key != "datasets"}
    assert options == {"renderer": "svg", "actions": False, "mode": "vega-lite"}
    assert "Comparitech" in text and "scs-chart-footer" in text  # the footer, as HTML
    assert text.startswith("<p>before</p>") and text.endswith("<p>after</p>")
    assert pipeline.lighten_pages(tmp_path / "html", pipeline.DataState(tmp_path / "no-data")) \
        == {"boundaries": 0, "specs": 0, "columnar datasets": 0, "chart data": 0}  # all done


def test_a_chart_script_the_build_does_not_know_stops_the_build(tmp_path):
    from scs_book import pipeline

    page = tmp_path / "html" / "notebooks" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text('<figure class="scs-chart"><div id="altair-viz-0123456789abcdef"></div>'
                    '<script>draw(1)</script></figure>', encoding="utf-8")
    with pytest.raises(pipeline.BuildError, match=r"notebooks/page\.html: a chart's script"):
        pipeline.lighten_pages(tmp_path / "html", pipeline.DataState(tmp_path / "no-data"))


def test_the_chart_script_json_cannot_end_its_script_element():
    from scs_book import pipeline

    text = pipeline._script_json({"title": "a</script><b>城"})
    assert "<" not in text and "城" in text  # UTF-8 kept, every "<" escaped
    assert json.loads(text) == {"title": "a</script><b>城"}


def test_altairs_own_loader_would_not_fetch_vega_from_a_cdn_in_the_book():
    """Altair loads from a CDN only when VEGA_DEBUG lacks the versions it expects (a page the
    build has not rewritten, e.g. from a plain `jupyter-book build`)."""
    from altair.vegalite.v6.display import VEGA_VERSION, VEGAEMBED_VERSION, VEGALITE_VERSION

    from scs_book.pipeline import stage_vendor

    debug = (stage_vendor() / "vega-debug.js").read_text()
    for key, version in (("vega_version", VEGA_VERSION), ("vegalite_version", VEGALITE_VERSION),
                         ("vegaembed_version", VEGAEMBED_VERSION)):
        assert f'"{key}": "{version}"' in debug


def test_chart_data_csv_holds_exactly_the_drawn_rows_without_geometry():
    boundaries = data.province_boundaries()
    spec = figures.credit(figures.province_base(boundaries), boundaries, description="Map.").to_dict()
    lines = figures.chart_data_csv(spec).strip().split("\n")
    assert lines[0].startswith("iso_code,name_en,kind") and "geometry" not in lines[0]
    assert len(lines) == 1 + len(boundaries)
