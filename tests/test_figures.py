"""The figures package: footer and description required, the book's chart output (bundle and
Jupyter fallback), the chart's own rows, content-derived ids, JSON that cannot end a script."""

import json
import re

import altair as alt
import pandas as pd
import pytest

from scs_book import data, figures
from scs_book.chart_output import BUNDLE_KEYS, CHART_MIME, bundle_problems, script_json

HOSTILE = "</script><script>window.scsPwned = 1</script><!-- \u2028\u2029 & 城"


@pytest.fixture(autouse=True)
def book_renderer():
    figures.setup()
    yield
    alt.renderers.enable("default")


def chart(frame):
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(x=alt.X("cameras:Q", title="CCTV cameras"), y=alt.Y("city:N", title="City"))
    )


def output(chart_object) -> dict:
    bundle = chart_object._repr_mimebundle_()
    return bundle[0] if isinstance(bundle, tuple) else bundle


def test_a_chart_without_footer_is_refused():
    with pytest.raises(figures.ChartError, match="footer"):
        chart(data.table2_china_cctv())._repr_mimebundle_()


def test_a_chart_without_description_is_refused():
    table2 = data.table2_china_cctv()
    with pytest.raises(figures.ChartError, match="description"):
        output(figures.credit(chart(table2), table2, description=""))


def test_credit_needs_a_loaded_dataset():
    with pytest.raises(figures.ChartError, match="dataset"):
        figures.credit(
            chart(pd.DataFrame({"city": ["a"], "cameras": [1]})),
            pd.DataFrame({"city": ["a"], "cameras": [1]}),
            description="x",
        )


def test_the_output_is_the_books_bundle_with_a_jupyter_fallback():
    table2 = data.table2_china_cctv()
    result = output(figures.credit(chart(table2), table2, description="Bars.", note="A note."))
    assert set(result) == {CHART_MIME, "text/html", "text/plain"}
    bundle = result[CHART_MIME]
    assert set(bundle) == set(BUNDLE_KEYS) and not bundle_problems(bundle)
    assert bundle["description"] == "Bars." and "usermeta" not in bundle["spec"]
    assert re.fullmatch(r"scs-chart-[0-9a-f]{16}", bundle["id"])
    footer = bundle["footer_html"]
    assert "Comparitech" in footer and "Licence:" in footer and "A note." in footer
    assert 'href="../book/about-data.html#data-table2_china_cctv"' in footer
    fallback = result["text/html"]
    assert footer in fallback and f'id="{bundle["id"]}"' in fallback
    assert 'href="data:text/csv;charset=utf-8,City,CCTV cameras%0A' in fallback


def test_the_rows_are_what_the_chart_encodes_under_the_names_a_reader_sees():
    table2 = data.table2_china_cctv()
    table = output(figures.credit(chart(table2), table2, description="Bars."))[CHART_MIME]["table"]
    assert table["columns"] == ["City", "CCTV cameras"]
    assert len(table["rows"]) == len(table2)
    assert table["rows"][0] == [table2["city"][0], int(table2["cameras"][0])]


def test_a_map_reads_the_shared_boundaries_and_offers_only_its_values():
    boundaries = data.province_boundaries()
    values = pd.DataFrame({"province_code": ["CN-SX", "CN-BJ"], "count": [0, 24]})
    spec = figures.credit(
        figures.choropleth(boundaries, values, value="count", legend_title="Lists"),
        boundaries,
        description="Map.",
    ).to_dict()
    assert "geometry" not in json.dumps(spec)
    assert '"url": "../data/provinces.topo.json"' in json.dumps(spec)
    header, *rows = figures.chart_data_csv(spec).strip().split("\n")
    assert header.split(",")[:2] == ["Area", "Value"] and len(rows) == len(boundaries)
    assert "geometry" not in header and "iso_code" not in header


def test_ids_are_deterministic_and_content_derived():
    table2 = data.table2_china_cctv()

    def bundle_of(frame):
        return output(figures.credit(chart(frame), frame, description="Bars."))

    first, second = bundle_of(table2), bundle_of(table2)
    assert first == second
    changed = table2.copy()
    changed.loc[0, "cameras"] += 1
    assert bundle_of(changed)[CHART_MIME]["id"] != first[CHART_MIME]["id"]


def test_the_jupyter_fallback_loads_the_books_own_vega_from_the_jupyter_server():
    table2 = data.table2_china_cctv()
    fallback = output(figures.credit(chart(table2), table2, description="Bars."))["text/html"]
    scripts = re.findall(r"<script>(.*?)</script>", fallback, re.S)
    assert len(scripts) == 1
    code = re.sub(r"^\s*//.*$", "", re.sub(r"/\*.*?\*/", "", scripts[0], flags=re.S), flags=re.M)
    assert not re.search(r"https?:|cdn|jsdelivr|unpkg", code, re.I)
    for library in (
        "vega/build/vega.min.js",
        "vega-lite/build/vega-lite.min.js",
        "vega-embed/build/vega-embed.min.js",
    ):
        assert library in code
    assert '"files/"' in code and "jupyter-config-data" in code
    assert "never loads Vega from the internet" in code


def test_a_data_value_cannot_end_the_script_in_the_notebook_output():
    frame = data.table2_china_cctv()
    frame.loc[0, "city"] = HOSTILE
    fallback = output(figures.credit(chart(frame), frame, description="Bars."))["text/html"]
    assert fallback.count("</script>") == 2  # the JSON's and the loader's own end tags
    for script in re.findall(r"<script[^>]*>(.*?)</script>", fallback, re.S):
        assert not re.search("<!--|</|\u2028|\u2029", script)
    payload = re.search(
        r'<script type="application/json" class="scs-chart-bundle">(.*?)'
        r"</script>",
        fallback,
        re.S,
    )[1]
    assert HOSTILE in json.dumps(json.loads(payload), ensure_ascii=False)


def test_script_json_escapes_everything_that_could_end_or_alter_a_script():
    text = script_json({"value": HOSTILE})
    assert not set("<>&\u2028\u2029") & set(text)
    assert "城" in text  # UTF-8 kept
    assert json.loads(text) == {"value": HOSTILE}
