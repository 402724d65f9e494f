"""The Sphinx side of the charts: the myst-nb MIME renderer plugin, the figure it writes, and a
real Sphinx build of a notebook whose chart data holds ``</script>`` (the build succeeds, the page
is inert, Vega is loaded deferred and only on the chart's page)."""

import json
import re
from pathlib import Path
from types import SimpleNamespace

import altair as alt
import nbformat
import pytest
from sphinx.errors import ExtensionError

from scs_book import data, figures
from scs_book.chart_output import CHART_MIME
from scs_book.sphinx import charts

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "</script><script>window.scsPwned = 1</script><!-- \u2028"


def chart_output(city: str = "Shanghai", width: int | str = 400) -> dict:
    figures.setup()
    try:
        frame = data.table2_china_cctv()
        frame.loc[0, "city"] = city
        chart = (
            alt.Chart(frame)
            .mark_bar()
            .encode(x=alt.X("cameras:Q", title="CCTV cameras"), y=alt.Y("city:N", title="City"))
            .properties(width=width)
        )
        credited = figures.credit(
            chart.properties(title="Figure 9: cameras"), frame, description="Bars."
        )
        result = credited._repr_mimebundle_()
        return result[0] if isinstance(result, tuple) else result
    finally:
        alt.renderers.enable("default")


class Logger:
    def __init__(self):
        self.warnings = []

    def warning(self, message, **kwargs):
        self.warnings.append(message)


def fake_renderer():
    document = SimpleNamespace()
    config = SimpleNamespace(author="A. Author", copyright="2026", project="The Book")
    env = SimpleNamespace(config=config, srcdir=str(ROOT))
    return SimpleNamespace(
        logger=Logger(), renderer=SimpleNamespace(document=document, sphinx_env=env)
    )


def mime(content, mime_type=CHART_MIME):
    return SimpleNamespace(mime_type=mime_type, content=content, cell_index=3, line=7)


def test_the_plugin_leaves_other_outputs_to_myst_nb():
    assert (
        charts.ChartMimeRenderer.handle_mime(fake_renderer(), mime("x", "text/html"), False) is None
    )


def test_the_plugin_writes_the_figure_with_its_tools_anchor_and_citation():
    bundle = chart_output()[CHART_MIME]
    renderer = fake_renderer()
    (node,) = charts.ChartMimeRenderer.handle_mime(renderer, mime(bundle), False)
    page = node.astext()
    assert node["format"] == "html" and charts.CHART_NODE_CLASS in node["classes"]
    assert page.startswith('<figure class="scs-chart" id="chart-figure-9">')
    assert f'id="{bundle["id"]}"' in page and bundle["footer_html"] in page
    for kind in ("png", "svg", "csv"):
        assert f'data-scs-export="{kind}"' in page
    assert '<details class="scs-chart-table"><summary>Data table (20 rows)</summary>' in page
    assert 'href="#chart-figure-9">Link to this figure</a>' in page
    assert "Cite this figure: A. Author (2026), “Figure 9: cameras”, in <em>The Book</em>" in page
    payload = json.loads(re.search(r'class="scs-chart-bundle">(.*?)</script>', page, re.S)[1])
    compiled, _ = charts.vega_spec(bundle["spec"], ROOT / "node_modules")
    assert unpacked(payload) == compiled  # the very spec the notebook draws, compiled to Vega
    assert compiled["$schema"].startswith("https://vega.github.io/schema/vega/v")
    assert payload["table"] == {"columns": ["City", "CCTV cameras"], "fields": ["city", "cameras"]}
    (again,) = charts.ChartMimeRenderer.handle_mime(renderer, mime(json.dumps(bundle)), False)
    assert 'id="chart-figure-9-2"' in again.astext()  # the same chart twice on a page


def unpacked(payload: dict) -> dict:
    """What scs-charts.js gives Vega: the packed datasets rebuilt, row for row."""
    spec = json.loads(json.dumps(payload["spec"]))
    for name, packed in payload["packed"].items():
        (entry,) = [entry for entry in spec["data"] if entry["name"] == name]
        entry["values"] = [dict(zip(packed["keys"], row, strict=True)) for row in packed["rows"]]
    return spec


def test_only_table_like_datasets_are_packed_and_in_their_order():
    spec = {
        "data": [
            {"name": "a", "values": [{"x": 1, "y": None}, {"x": 2, "y": "<"}]},
            {"name": "b", "values": [{"x": 1}, {"y": 2}]},  # ragged: left as it is
            {"name": "c", "values": [{"x": 1, "g": {"type": "Point"}}, {"x": 2, "g": None}]},
            {"name": "d", "url": "data/provinces.topo.json"},
        ],
        "marks": [],
    }
    page_spec, packed = charts.packed_datasets(spec)
    assert [entry["name"] for entry in page_spec["data"]] == ["a", "b", "c", "d"]
    assert page_spec["data"][1] == spec["data"][1] and page_spec["data"][3] == spec["data"][3]
    assert set(packed) == {"a", "c"} and packed["a"] == {
        "keys": ["x", "y"],
        "rows": [[1, None], [2, "<"]],
    }
    assert unpacked({"spec": page_spec, "packed": packed}) == spec


def test_the_page_carries_the_rows_in_full_when_the_datasets_do_not_give_them():
    bundle = {"table": {"columns": ["X"], "fields": ["x"], "rows": [[2]]}}
    spec = {"data": [{"name": "a", "values": [{"x": 1}]}, {"name": "b", "source": "a"}]}
    assert charts.page_table(bundle, spec) == {"columns": ["X"], "rows": [[2]]}
    bundle["table"]["rows"] = [[1]]
    assert charts.page_table(bundle, spec) == {"columns": ["X"], "fields": ["x"]}


def test_an_authors_own_rows_are_carried_as_fields_when_a_dataset_holds_them_column_for_column():
    spec = {"data": [{"name": "a", "values": [{"x": 1, "n": "A", "g": None}, {"x": 2, "n": "B"}]}]}
    own = {"columns": ["Name", "X", "Group"], "rows": [["A", 1, ""], ["B", 2, ""]]}
    assert charts.page_table({"table": own}, spec) == {
        "columns": ["Name", "X", "Group"],
        "fields": ["n", "x", "g"],
    }
    own["rows"][1][1] = 3  # a value the dataset does not hold: the rows go in full
    assert charts.page_table({"table": own}, spec) == own


def test_a_chart_vega_lite_cannot_compile_stops_the_build_with_its_title_and_the_reason():
    spec = {"title": "Figure 9", "mark": "bar", "encoding": {"x": {"field": "a", "type": "nope"}}}
    with pytest.raises(ExtensionError, match=r"could not compile the chart 'Figure 9': Error: "):
        charts.vega_spec(spec, ROOT / "node_modules")


def test_without_the_pinned_vega_lite_the_build_says_to_run_npm_ci(tmp_path):
    with pytest.raises(ExtensionError, match=r"run `npm ci`"):
        charts.vega_spec({"mark": "bar"}, tmp_path / "node_modules")


def test_a_malformed_chart_output_is_reported_with_its_cell():
    renderer = fake_renderer()
    assert charts.ChartMimeRenderer.handle_mime(renderer, mime({"version": 1}), False) == []
    assert renderer.logger.warnings and "cell 3" in renderer.logger.warnings[0]
    assert "lacks 'spec'" in renderer.logger.warnings[0]


def test_a_data_value_cannot_end_the_script_in_the_books_figure():
    bundle = chart_output(HOSTILE)[CHART_MIME]
    (node,) = charts.ChartMimeRenderer.handle_mime(fake_renderer(), mime(bundle), False)
    page = node.astext()
    assert page.count("<script") == page.count("</script>") == 1
    script = re.search(r"<script[^>]*>(.*?)</script>", page, re.S)[1]
    assert not re.search("<!--|</|\u2028|\u2029", script)
    assert (
        unpacked(json.loads(script)) == charts.vega_spec(bundle["spec"], ROOT / "node_modules")[0]
    )
    assert HOSTILE in json.dumps(unpacked(json.loads(script)), ensure_ascii=False)


@pytest.fixture(scope="module")
def built_project(tmp_path_factory):
    """A two-page project built by Sphinx with myst-nb and the book's extension: a notebook
    with a hostile chart output, and a page without a chart."""
    from sphinx.application import Sphinx

    source = tmp_path_factory.mktemp("project")
    (source / "node_modules").symlink_to(ROOT / "node_modules")
    notebook = nbformat.v4.new_notebook(metadata={"language_info": {"name": "python"}})
    cell = nbformat.v4.new_code_cell("chart")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data=chart_output(HOSTILE)),
        nbformat.v4.new_output("display_data", data=chart_output(width="container")),
    ]
    notebook.cells = [nbformat.v4.new_markdown_cell("# Charts"), cell]
    nbformat.write(notebook, source / "charts.ipynb")
    (source / "index.md").write_text("# Home\n\n```{toctree}\ncharts\n```\n", encoding="utf-8")
    (source / "conf.py").write_text(
        'extensions = ["myst_nb", "scs_book.sphinx"]\nnb_execution_mode = "off"\n'
        'project = "The Book"\nauthor = "A. Author"\ncopyright = "2026"\n'
        'exclude_patterns = ["node_modules"]\n',
        encoding="utf-8",
    )
    out = source / "_build"
    app = Sphinx(
        str(source),
        str(source),
        str(out),
        str(out / ".doctrees"),
        "html",
        warningiserror=True,
        status=None,
        freshenv=True,
    )
    app.build()
    return out


def test_a_stock_sphinx_build_draws_the_hostile_chart_inert(built_project):
    page = (built_project / "charts.html").read_text(encoding="utf-8")
    assert page.count('<figure class="scs-chart"') == 2
    assert "window.scsPwned" not in page.replace("window.scsPwned = 1\\u003c", "")
    assert "scsPwned = 1</script>" not in page
    assert 'http-equiv="Content-Security-Policy"' in page


def test_vega_is_served_by_the_book_and_its_chart_script_deferred_only_on_chart_pages(
    built_project,
):
    chart_page = (built_project / "charts.html").read_text(encoding="utf-8")
    other_page = (built_project / "index.html").read_text(encoding="utf-8")
    script = (built_project / "_static" / "scs-charts.js").read_text(encoding="utf-8")
    loaded = re.search(r"const VENDOR = \[([^\]]*)\]", script).group(1)
    assert re.findall(r'"([^"]+)"', loaded) == [Path(name).name for name in charts.VENDOR_FILES]
    assert not (built_project / "_static" / "scs-vendor" / "vega-lite.min.js").exists()
    for name in ("vega.min.js", "vega-embed.min.js"):
        assert (built_project / "_static" / "scs-vendor" / name).is_file()
        assert name not in chart_page and name not in other_page  # scs-charts.js loads them
    assert re.search(r'<script defer="defer" src="_static/scs-charts.js\?v=', chart_page)
    assert "scs-charts" not in other_page
    assert (built_project / "data" / "provinces.topo.json").is_file()


@pytest.mark.slow
def test_in_the_browser_the_hostile_chart_draws_inert_and_a_container_chart_fills_its_column(
    built_project,
):
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    from test_browser import ARGS, CHROMIUM

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=built_project)
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            errors = []
            for width in (390, 1280):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.on("pageerror", lambda error: errors.append(str(error)))
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/charts.html")
                page.wait_for_function(
                    "document.querySelectorAll('.scs-chart-view svg.marks').length == 2"
                )
                assert page.evaluate("window.scsPwned") is None and not errors
                hostile, container = page.locator("figure.scs-chart").all()
                hostile.locator("details.scs-chart-table summary").click()
                hostile.locator("td").first.wait_for()
                shown = hostile.locator("td").all_inner_texts()  # the value, as text
                assert any("</script><script>window.scsPwned = 1</script>" in t for t in shown)
                view = container.locator(".scs-chart-view").bounding_box()["width"]
                drawn = container.locator("svg.marks").bounding_box()["width"]
                assert abs(view - drawn) < 2, (width, view, drawn)  # fills the column
                page.close()
            browser.close()
    finally:
        server.shutdown()
