"""The benchmark's page measures: (d) the weight of every page and (e) the time to its charts
in headless Chromium (Debian's, with the flags the project's browser checks use)."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

from scs_book.build.chromium import CHROMIUM, CHROMIUM_ARGS
from scs_book.build.pdf import REACH_THE_CHARTS

PAGE_LIMIT = 200 * 1024
CHART_LIMIT_MS = 1000


def pages(root: Path) -> list[str]:
    """Every page of the book (not the redirect Jupyter Book writes as index.html)."""
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*.html")
        if not p.relative_to(root).parts[0].startswith(("_", "data"))
        and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")[:500]
    )


def pages_showing(html: Path, text: str) -> list[str]:
    return [
        page
        for page in pages(html)
        if "reproducibility" not in page and text in (html / page).read_text(encoding="utf-8")
    ]


def page_weights(html: Path) -> dict[str, int]:
    return {page: (html / page).stat().st_size for page in pages(html)}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


TIMING_SCRIPT = """
window.__chartTimes = [];
new MutationObserver(() => {
  const drawn = document.querySelectorAll('figure.scs-chart .vega-embed svg.marks').length;
  while (window.__chartTimes.length < drawn) window.__chartTimes.push(performance.now());
}).observe(document, {childList: true, subtree: true});
"""


def time_to_charts(html: Path, profile: Path) -> dict[str, dict[str, float]]:
    """Per page: charts, load event and last chart drawn (ms since navigation), each page in a
    fresh browser context (cold cache)."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(html))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for page_name in pages(html):
                context = browser.new_context()
                page = context.new_page()
                page.add_init_script(TIMING_SCRIPT)
                page.goto(base + page_name, wait_until="load")
                charts = page.locator("figure.scs-chart").count()
                if charts:  # a reader scrolls to the first chart: the page then draws them all
                    page.evaluate(REACH_THE_CHARTS)
                    page.wait_for_function(
                        "n => window.__chartTimes.length >= n", arg=charts, timeout=30_000
                    )
                load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
                times = page.evaluate("window.__chartTimes")
                results[page_name] = {
                    "charts": charts,
                    "load_ms": load,
                    "last_chart_ms": max(times[:charts]) if charts else None,
                }
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return results


def kb(size: int) -> str:
    return f"{size / 1024:.0f} KB"


def drawn(result) -> str:
    if not result or not result["charts"]:
        return "no chart"
    after = result["last_chart_ms"] - result["load_ms"]
    return (
        f"{result['charts']} chart(s), all drawn {max(after, 0):.0f} ms after load "
        f"(drawn at {result['last_chart_ms']:.0f} ms, load event at {result['load_ms']:.0f} ms)"
    )


def measure_pages(project: Path, scratch: Path) -> list[tuple]:
    """(d) page weight and (e) time to charts, ours and the Jupyter Book build."""
    ours_html = project / "_build" / "html"
    jb_html = project / "_build" / "jb-force" / "_build" / "html"
    weights, jb_weights = page_weights(ours_html), page_weights(jb_html)
    charts = time_to_charts(ours_html, scratch / "profile")
    jb_charts = time_to_charts(jb_html, scratch / "profile-jb")
    rows = []
    for page in sorted(weights):
        result = charts.get(page)
        late = (
            result
            and result["charts"]
            and (result["last_chart_ms"] - result["load_ms"] > CHART_LIMIT_MS)
        )
        rows.append(
            (
                f"`{page}`",
                kb(weights[page]),
                kb(jb_weights[page]) if page in jb_weights else "–",
                drawn(result),
                drawn(jb_charts.get(page)),
                "over" if weights[page] > PAGE_LIMIT or late else "ok",
            )
        )
    return rows


def shared_files_note(html: Path) -> str:
    shared = html / "data" / "provinces.topo.json"
    vendor = html / "_static" / "scs-vendor"
    bundle = sum(
        (vendor / f).stat().st_size
        for f in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")
        if (vendor / f).is_file()
    )
    return (
        f"Loaded once and shared by the pages with a chart, not counted above: the Vega bundle "
        f"({kb(bundle)}) and, on map pages, the boundaries (`data/provinces.topo.json`, "
        f"{kb(shared.stat().st_size) if shared.is_file() else '–'})."
    )
