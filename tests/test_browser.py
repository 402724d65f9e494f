"""Every built page in headless Chromium: every chart draws, no console error, no request
leaves the machine, and every chart's data link is served."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from scs_book.build.chromium import CHROMIUM
from scs_book.build.chromium import CHROMIUM_ARGS as ARGS
from scs_book.build.pdf import REACH_THE_CHARTS

LOCAL_HOSTS = {"127.0.0.1", "localhost"}

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(served):
    """The built book on loopback (``served``, in conftest.py): its address and folder."""
    return served


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        profile = tmp_path_factory.mktemp("chromium-profile")
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=ARGS
        )
        yield context
        context.close()


def pages(root: Path) -> list[str]:
    """Every page of the book (not the redirect Jupyter Book writes as index.html)."""
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*.html")
        if not p.relative_to(root).parts[0].startswith(("_", "data"))
        and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")[:500]
    )


def visit(browser, url):
    """Open url and wait until the network is idle (the theme's scripts, which set the page's
    colour mode among other things, are asked for after the first paint, possibly after the
    load event); return (console errors, non-local requests, the page)."""
    errors, outside = [], []
    page = browser.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def guard(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(url, wait_until="networkidle")
    return errors, outside, page


def reach_the_charts(page) -> None:
    """Scroll to the page's first chart, as a reader does: the page then loads Vega and draws
    that chart, and the others after it."""
    page.evaluate(REACH_THE_CHARTS)


def scrolled(page) -> None:
    """Wait until the page has sent the scroll events of a scroll just made (at the next
    frame): the charts' script puts a shown tooltip away on scrolling."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def set_theme(page, mode: str) -> None:
    """Switch the page to ``mode`` with its colours settled at once: the theme's buttons fade
    their colours (Bootstrap's 0.15 s transition), and a contrast check made during the fade
    measures colours that no reader sees once it ends. The fades are run to their end."""
    page.evaluate(
        """mode => {
        document.documentElement.dataset.theme = mode;
        getComputedStyle(document.body).color;  // apply the new colours, starting the fades
        for (const fade of document.getAnimations()) {
            if (fade instanceof CSSTransition) fade.finish();
        }
    }""",
        mode,
    )


def test_there_are_pages_to_check(site):
    base, root = site
    assert "notebooks/01_general_framework.html" in pages(root)


def test_every_page_weighs_at_most_200_kb(site):
    """The HTML of each page with its inline chart specs (the Vega bundle and the boundaries are
    shared files loaded once; a chart's CSV is fetched only when a reader downloads it)."""
    _, root = site
    sizes = {relative: (root / relative).stat().st_size for relative in pages(root)}
    assert sizes and not {page: size for page, size in sizes.items() if size > 200 * 1024}


def test_every_page_draws_its_charts_offline_without_errors(site, browser):
    base, root = site
    problems = {}
    for relative in pages(root):
        errors, outside, page = visit(browser, base + relative)
        expected = page.locator("figure.scs-chart").count()
        if expected:
            reach_the_charts(page)
            page.wait_for_function(
                "n => document.querySelectorAll('figure.scs-chart .vega-embed svg.marks')"
                ".length >= n",
                arg=expected,
                timeout=15_000,
            )
        drawn = page.locator("figure.scs-chart .vega-embed svg.marks").count()
        if errors or outside or drawn != expected:
            problems[relative] = {
                "console errors": errors,
                "non-local requests": outside,
                "charts": f"{drawn} drawn of {expected}",
            }
        page.close()
    assert not problems, problems


def test_section_1_has_its_three_charts(site, browser):
    base, _ = site
    _, _, page = visit(browser, base + "notebooks/01_general_framework.html")
    assert page.locator("figure.scs-chart").count() == 3
    page.close()


def test_section_3_has_its_charts_cards_and_figure_anchors(site, browser):
    base, _ = site
    _, _, page = visit(browser, base + "notebooks/03_reality.html")
    charts = page.locator("figure.scs-chart").count()
    assert charts == 7  # the stated counts of agencies, licences and cities are tables
    reach_the_charts(page)
    page.wait_for_function(
        "n => document.querySelectorAll('figure.scs-chart .vega-embed svg.marks').length >= n",
        arg=charts,
        timeout=15_000,
    )
    # the maps of Figures 2 and 3 draw the "not reported" legend entry
    assert (
        page.locator("figure.scs-chart svg text", has_text="Not reported in the sources").count()
        >= 1
    )
    assert page.locator("div.admonition").count() == 11  # one card per figure, 2 to 12
    for figure in range(2, 13):
        assert page.locator(f"#s3-fig{figure}").count() == 1, figure
        assert page.locator(f'a[href="#s3-fig{figure}"]').count() >= 1, figure
    page.close()


def test_every_page_links_an_icon_the_book_serves(site):
    """Without a linked icon, browsers ask the server for /favicon.ico (a 404 on every page)."""
    base, root = site
    for relative in pages(root):
        html = (root / relative).read_text(encoding="utf-8")
        match = re.search(r'<link rel="icon" href="([^"]+)"', html[: html.index("</head>")])
        assert match, f"{relative}: no <link rel=icon>"
        assert (root / relative).parent.joinpath(match.group(1)).resolve().is_file(), relative


def test_every_page_sends_a_content_security_policy(site, browser):
    base, root = site
    for relative in pages(root):
        html = (root / relative).read_text(encoding="utf-8")
        head = html[: html.index("<script")]
        assert 'http-equiv="Content-Security-Policy"' in head, relative
        assert (
            "script-src 'self'" in head and "https:" not in head.split("Content-Security")[1][:400]
        )


def test_no_serious_or_critical_accessibility_violations(site, browser):
    """axe-core, injected into every page, in light and in dark mode."""
    base, root = site
    found = {}
    for relative in pages(root):
        for mode in ("light", "dark"):
            _, _, page = visit(browser, base + relative)
            set_theme(page, mode)
            if page.locator("figure.scs-chart").count():
                reach_the_charts(page)
                page.wait_for_function(
                    "() => [...document.querySelectorAll('figure.scs-chart')]"
                    ".every(f => f.querySelector('.vega-embed svg.marks'))"
                )
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            violations = page.evaluate("""async () => (await axe.run(document, {
                resultTypes: ["violations"]})).violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => `${v.id} (${v.impact}): ${v.nodes.length} node(s), `
                          + `e.g. ${v.nodes[0].target}`)""")
            if violations:
                found[f"{relative} [{mode}]"] = violations
            page.close()
    assert not found, found


def test_charts_have_text_descriptions_for_screen_readers(site, browser):
    base, root = site
    _, _, page = visit(browser, base + "notebooks/01_general_framework.html")
    reach_the_charts(page)
    page.wait_for_selector("figure.scs-chart .vega-embed svg.marks")
    labels = page.eval_on_selector_all(
        "figure.scs-chart [role=img]", "els => els.map(e => e.getAttribute('aria-label') || '')"
    )
    assert labels and all(len(label) > 20 for label in labels), labels
    page.close()


def test_the_whole_data_package_downloads_as_one_archive(site, browser):
    base, root = site
    _, _, page = visit(browser, base + "book/about-data.html")
    href = page.get_attribute("a[href$='scs-book-data.zip']", "href")
    response = page.request.get(urljoin(base + "book/about-data.html", href))
    assert response.status == 200 and response.body()[:2] == b"PK"
    page.close()


# --- the timeline chapters (Sections II and V) and the References page ------------------------

CHAPTER_CHARTS = {"notebooks/02_history.html": 1, "notebooks/05_conclusions.html": 1}


@pytest.mark.parametrize("relative, count", CHAPTER_CHARTS.items())
def test_timeline_chapters_draw_their_charts(site, browser, relative, count):
    base, _ = site
    errors, outside, page = visit(browser, base + relative)
    reach_the_charts(page)
    page.wait_for_function(
        "n => document.querySelectorAll('figure.scs-chart .vega-embed svg.marks').length >= n",
        arg=count,
        timeout=15_000,
    )
    assert page.locator("figure.scs-chart").count() == count
    assert not errors and not outside, (errors, outside)
    page.close()


def test_timeline_tooltip_names_date_note_and_citation(site, browser):
    base, _ = site
    _, _, page = visit(browser, base + "notebooks/02_history.html")
    chart = page.locator("figure.scs-chart").first
    chart.scroll_into_view_if_needed()
    chart.locator("svg.marks").wait_for()
    scrolled(page)
    point = chart.locator("g.mark-symbol.role-mark path").first
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
    tooltip = page.locator("#vg-tooltip-element").inner_text()
    for label in ("Event", "Date as printed", "Actor", "Paper's note", "Cites", "Text vs Table 3"):
        assert label in tooltip, tooltip
    page.close()


def test_every_internal_link_to_an_anchor_resolves(site):
    """Numbered references (Table 3, Figure II.1 (book), ...) link to ids that exist."""
    _, root = site
    import re

    missing = []
    for relative in pages(root):
        text = (root / relative).read_text(encoding="utf-8")
        for href in re.findall(r'<a class="reference internal" href="([^"]*#[^"]+)"', text):
            target, anchor = href.split("#", 1)
            page = (root / relative).parent / target if target else root / relative
            if f'id="{anchor}"' not in page.resolve().read_text(encoding="utf-8"):
                missing.append((relative, href))
    assert not missing, missing


def test_references_page_lists_the_whole_bibliography(site):
    from scs_book import bibliography

    _, root = site
    text = (root / "book" / "references.html").read_text(encoding="utf-8")
    assert text.count('<div class="citation"') == len(bibliography.keys())
    chapter = (root / "notebooks" / "02_history.html").read_text(encoding="utf-8")
    assert 'href="../book/references.html#cite-' in chapter  # citations link to their entries


def test_chart_footer_sources_link_to_bibliography_entries(site, browser):
    """A footer's source with a bibliography key links to that entry's anchor on References."""
    base, root = site
    references = (root / "book" / "references.html").read_text(encoding="utf-8")
    checked = 0
    for relative in pages(root):
        html = (root / relative).read_text(encoding="utf-8")
        for anchor in set(re.findall(r"references\.html#(cite-[a-z0-9-]+)", html)):
            assert f'id="{anchor}"' in references, (relative, anchor)
            checked += 1
    assert checked >= 3
