"""The charts in Chromium (slow): drawn from the notebook's own output (its Jupyter fallback,
served as a Jupyter server would) and from the book's page, the pictures compared; every chart's
PNG, SVG and CSV downloads, data table, anchor and citation; the chart libraries loaded deferred
and only on pages with a chart."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from scs_book.chart_output import CHART_MIME
from support import QuietHandler
from test_browser import ARGS, CHROMIUM, pages, reach_the_charts, visit

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("book/*.ipynb")])
DRAWN = "figure.scs-chart .vega-embed svg.marks"


class JupyterLikeHandler(QuietHandler):
    """What a chart's Jupyter fallback needs of a Jupyter server: the page of a notebook
    (``/lab/tree/<path>``, with the server's config data) and the files of its root
    (``/files/<path>``)."""

    def do_GET(self):  # noqa: N802 (the standard library's name)
        path = unquote(urlparse(self.path).path)
        if path.startswith("/lab/tree/"):
            notebook = ROOT / path.removeprefix("/lab/tree/")
            body = notebook_page(notebook).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif path.startswith("/files/"):
            self.path = path.removeprefix("/files")
            super().do_GET()
        else:
            self.send_error(404)


def chart_outputs(notebook: Path) -> list[dict]:
    outputs = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            if CHART_MIME in output.get("data", {}):
                outputs.append(output["data"])
    return outputs


def notebook_page(notebook: Path) -> str:
    fallbacks = "".join("".join(data["text/html"]) for data in chart_outputs(notebook))
    config = '<script id="jupyter-config-data" type="application/json">{"baseUrl": "/"}</script>'
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{config}</head><body>{fallbacks}"


def serve(handler) -> tuple[str, http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="module")
def site(served):
    """The built book on loopback (``served``, in conftest.py): its address and folder."""
    return served


@pytest.fixture(scope="module")
def jupyter():
    base, server = serve(functools.partial(JupyterLikeHandler, directory=str(ROOT)))
    yield base
    server.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        profile = tmp_path_factory.mktemp("chromium-profile")
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            accept_downloads=True,
            viewport={"width": 1280, "height": 900},
        )
        context.add_init_script(SAME_WIDTH)
        yield context
        context.close()


# Charts are as wide as their container: in these tests every chart is drawn, from the start,
# into a container of one width, so that a notebook's chart and the page's are the same picture.
SAME_WIDTH = """
const sheet = new CSSStyleSheet();
sheet.replaceSync('.scs-chart-view { width: 600px !important; }');
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
"""


def drawn_svgs(page) -> dict[str, str]:
    """Each chart's drawing by its id, the ids Vega counts up across a page made alike."""
    count = page.locator("figure.scs-chart").count()
    reach_the_charts(page)
    page.wait_for_function(
        "([s, n]) => document.querySelectorAll(s).length >= n", arg=[DRAWN, count], timeout=20_000
    )
    page.wait_for_timeout(300)  # maps: the boundaries arrive after the first drawing
    svgs = page.eval_on_selector_all(
        ".scs-chart-view", "views => views.map(v => [v.id, v.querySelector('svg').outerHTML])"
    )
    return {  # gradients are referred to by the page's own address
        chart_id: re.sub(r"url\([^)#]*#", "url(#", re.sub(r"(clip|gradient_)\d+", r"\1N", svg))
        for chart_id, svg in svgs
    }


def test_every_chart_draws_the_same_from_the_notebook_in_jupyter_and_from_the_page(
    site, jupyter, browser
):
    """The notebook's own output (its Jupyter fallback, which loads the book's Vega from the
    server's /files/ endpoint) and the book's page draw the same picture."""
    base, root = site
    from_pages = {}
    for relative in pages(root):
        errors, outside, page = visit(browser, base + relative)
        if page.locator("figure.scs-chart").count():
            from_pages.update(drawn_svgs(page))
        assert not errors and not outside, (relative, errors, outside)
        page.close()
    compared, different = 0, []
    for notebook in NOTEBOOKS:
        if not chart_outputs(notebook):
            continue
        errors, outside, page = visit(
            browser, f"{jupyter}lab/tree/{notebook.relative_to(ROOT).as_posix()}"
        )
        for chart_id, svg in drawn_svgs(page).items():
            compared += 1
            if from_pages.get(chart_id) != svg:
                different.append((notebook.name, chart_id))
        assert not errors and not outside, (notebook.name, errors, outside)
        requested = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        assert any("/files/node_modules/vega/build/vega.min.js" in url for url in requested)
        page.close()
    assert compared == len(from_pages) > 0 and not different, different


def test_without_the_books_vega_the_notebook_chart_says_so_and_fetches_nothing_else(browser):
    """A Jupyter server without node_modules/: a clear message, never a CDN."""

    class Bare(JupyterLikeHandler):
        def do_GET(self):  # noqa: N802
            if "/files/node_modules/" in self.path:
                self.send_error(404)
            else:
                super().do_GET()

    base, server = serve(functools.partial(Bare, directory=str(ROOT)))
    try:
        errors, outside, page = visit(browser, f"{base}lab/tree/notebooks/02_history.ipynb")
        view = page.locator(".scs-chart-view").first
        page.wait_for_function("v => v.textContent.length > 0", arg=view.element_handle())
        assert (
            "npm ci" in view.inner_text()
            and "never loads Vega from the internet" in view.inner_text()
        )
        assert not outside
        page.close()
    finally:
        server.shutdown()


def chart_anchors(browser, url) -> list[str]:
    """The figure anchors of a page, in page order."""
    _, _, page = visit(browser, url)
    anchors = page.eval_on_selector_all("figure.scs-chart", "figures => figures.map(f => f.id)")
    page.close()
    return anchors


def test_every_chart_offers_png_svg_csv_a_data_table_an_anchor_and_a_citation(site, browser):
    """Each figure as a reader reaches it from a link to it: a fresh page at its anchor, its
    three downloads, its table. (Chromium refuses a page's eleventh download in a burst of a
    few seconds, so one page clicking every chart's three buttons in a row is no reader.)"""
    base, root = site
    checked = 0
    for relative in pages(root):
        for anchor in chart_anchors(browser, base + relative):
            assert anchor
            _, _, page = visit(browser, f"{base}{relative}#{anchor}")
            drawn_svgs(page)
            assert page.locator(f'[id="{anchor}"]').count() == 1
            figure = page.locator(f'figure.scs-chart[id="{anchor}"]')
            check_chart_tools(page, figure, f"{base}{relative}#{anchor}")
            checked += 1
            page.close()
    assert checked >= 12


def check_chart_tools(page, figure, address: str) -> None:
    """The figure's link, citation, PNG/SVG/CSV downloads and data table."""
    bundle = json.loads(figure.locator("script.scs-chart-bundle").text_content())
    assert figure.locator("a.scs-chart-link").get_attribute("href") == "#" + address.split("#")[1]
    cite = figure.locator("a.scs-chart-cite-url")
    # served from this machine: the figure's place in the book, not a loopback address
    assert cite.inner_text() == address.split("/", 3)[3]
    assert cite.get_attribute("href") == "#" + address.split("#")[1]
    assert "Fragmented reality, reproduced" in figure.locator(".scs-chart-cite").inner_text()
    files = {}
    for kind in ("png", "svg", "csv"):
        with page.expect_download() as download:
            figure.locator(f'button[data-scs-export="{kind}"]').click()
        assert download.value.suggested_filename == f"{bundle['filename']}.{kind}"
        files[kind] = Path(download.value.path()).read_bytes()
    assert files["png"].startswith(b"\x89PNG") and b"<svg" in files["svg"][:200]
    # each picture carries the footer's source and licence, and the citation, under the chart
    svg = files["svg"].decode("utf-8")
    assert "Source:" in svg and "Licence:" in svg and "Cite this figure" in svg
    drawn = figure.locator("svg.marks").bounding_box()
    png_height = int.from_bytes(files["png"][20:24], "big")  # the PNG header's IHDR height
    assert png_height > 2 * drawn["height"] + 2 * 2 * 16  # scale 2, at least two more lines
    header, *rows = list(csv.reader(io.StringIO(files["csv"].decode("utf-8"))))
    assert header == bundle["table"]["columns"] and rows
    figure.locator("details.scs-chart-table summary").click()
    table = figure.locator("details.scs-chart-table table")
    table.locator("th").first.wait_for()  # filled on the details' toggle event
    assert table.locator("th").all_inner_texts() == header
    assert table.locator("tbody tr").count() == len(rows)


VEGA_REQUESTED = (
    "performance.getEntriesByType('resource').map(e => e.name)"
    ".filter(u => u.includes('scs-vendor/'))"
)
DATA_REQUESTED = (
    "performance.getEntriesByType('resource').map(e => e.name).filter(u => u.includes('/data/'))"
)


def test_chart_libraries_load_only_when_a_reader_nears_a_chart_and_only_on_chart_pages(
    site, browser
):
    """Chart pages carry one deferred script, which loads Vega once the reader is within a
    screen of a chart: a page opened at its top, far from its first chart, loads no
    Vega; scrolled to the chart, it loads the two libraries once and draws every chart.
    A data file several charts read (the maps' TopoJSON) is fetched once."""
    base, root = site
    with_charts, far, shared = 0, 0, 0
    for relative in pages(root):
        html = (root / relative).read_text(encoding="utf-8")
        scripts = re.findall(
            r"<script[^>]*src=\"[^\"]*(?:scs-vendor|scs-charts)[^\"]*\"[^>]*>", html
        )
        _, _, page = visit(browser, base + relative)
        if 'class="scs-chart"' not in html:
            assert not scripts and not page.evaluate(VEGA_REQUESTED), relative
            page.close()
            continue
        with_charts += 1
        assert len(scripts) == 1 and 'defer="defer"' in scripts[0], relative
        page.wait_for_timeout(500)
        top = page.evaluate(
            "document.querySelector('figure.scs-chart').getBoundingClientRect().top"
            " / window.innerHeight"
        )
        if top > 2.5:
            far += 1
            assert not page.evaluate(VEGA_REQUESTED), relative
        drawn_svgs(page)
        assert len(page.evaluate(VEGA_REQUESTED)) == 2, relative  # Vega, Vega-Embed
        data = page.evaluate(DATA_REQUESTED)
        readers = len(re.findall(r"data/[\w.-]+\.topo\.json", html))
        assert len(data) == len(set(data)) and (readers == 0) == (not data), (relative, data)
        shared += readers > len(data)
        page.close()
    assert with_charts == 4 and far >= 1 and shared >= 1
