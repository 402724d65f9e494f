"""The book as readers meet it, in headless Chromium at phone and desktop widths: the sidebar
drawers open and close by tap and keyboard, the sidebar toggle works on desktop, and every page
has a description and share-preview tags of its own."""

from __future__ import annotations

import json
import re

import pytest

from scs_book.build.pdf import FONTS_LOADED
from scs_book.language import CJK_RANGES
from test_browser import pages

pytestmark = pytest.mark.slow

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
NARROW_PHONE = {"viewport": {"width": 360, "height": 780}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def open_with_the_themes_scripts(page, url: str) -> None:
    """Open ``url`` and wait until the network is idle: the theme's scripts, which bind the
    toggles and Ctrl+K, are asked for after the first paint, so possibly after the load event."""
    page.goto(url, wait_until="networkidle")


def probe_every_page(page, served, probe: str, counted: str) -> tuple[int, dict[str, list]]:
    """Open each page of the book in ``page`` and run ``probe`` there: how many elements match
    ``counted`` over all pages (so a test knows it checked something), and each page's
    findings, where it has any."""
    base, root = served
    count, findings = 0, {}
    for name in pages(root):
        page.goto(base + name)
        count += page.locator(counted).count()
        if found := page.evaluate(probe):
            findings[name] = found
    return count, findings


def drawer_open(page, which: str) -> bool:
    return page.evaluate(f"document.getElementById('pst-{which}-sidebar-modal').open")


@pytest.mark.parametrize("name", ["book/intro.html", "notebooks/02_history.html"])
def test_phone_drawers_open_by_tap_and_keyboard_and_close(served, chromium, name):
    base, _ = served
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    open_with_the_themes_scripts(page, base + name)
    for which in ("primary", "secondary"):
        toggle = page.locator(f"button.{which}-toggle:visible")
        assert toggle.count() == 1, f"{which}: one visible toggle"
        toggle.tap()
        page.wait_for_timeout(200)
        assert drawer_open(page, which), f"{name}: a tap on the {which} toggle opens its drawer"
        links = page.locator(f"#pst-{which}-sidebar-modal a:visible")
        assert links.count() > 0, f"{name}: the {which} drawer shows its links"
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)
        assert not drawer_open(page, which), f"{name}: Escape closes the {which} drawer"
        toggle.focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(200)
        assert drawer_open(page, which), f"{name}: Enter on the {which} toggle opens its drawer"
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)
        assert not drawer_open(page, which)
    context.close()


def test_a_tap_made_before_the_themes_script_has_arrived_opens_the_drawer_when_it_has(
    served, chromium
):
    """The theme's script, which binds the toggles, is asked for after the first paint. Held
    back here: two taps meanwhile do nothing at once; when it has run the drawer opens (the
    second tap does not shut it again)."""
    base, _ = served
    context = chromium.new_context(**PHONE)
    held = []
    context.route("**/scripts/pydata-sphinx-theme.js*", lambda route: held.append(route))
    page = context.new_page()
    page.goto(base + "notebooks/02_history.html", wait_until="domcontentloaded")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the theme's script was not asked for"
    toggle = page.locator("button.primary-toggle:visible")
    toggle.tap()
    toggle.tap()
    page.wait_for_timeout(300)
    assert not drawer_open(page, "primary"), "opened before the theme's script ran"
    held[0].continue_()
    page.wait_for_function("() => document.getElementById('pst-primary-sidebar-modal').open")
    page.wait_for_timeout(300)
    assert drawer_open(page, "primary"), "the second tap shut the drawer again"
    context.close()


def test_desktop_sidebar_toggle_collapses_and_restores_the_sidebar(served, chromium):
    base, _ = served
    context = chromium.new_context(**DESKTOP)
    page = context.new_page()
    open_with_the_themes_scripts(page, base + "notebooks/01_general_framework.html")
    sidebar = page.locator("#pst-primary-sidebar")
    toggle = page.locator("button.primary-toggle:visible")
    assert toggle.count() == 1 and sidebar.is_visible()
    toggle.click()
    page.wait_for_timeout(600)  # the theme's transition
    assert not sidebar.is_visible(), "the toggle hides the sidebar"
    assert not drawer_open(page, "primary"), "on desktop the toggle collapses, it opens no dialog"
    toggle.click()
    page.wait_for_timeout(600)
    assert sidebar.is_visible(), "a second click brings the sidebar back"
    context.close()


THEME_SCRIPTS = r"scripts/(bootstrap|pydata-sphinx-theme)\.js"
THEME_SCRIPT_TIMES = """pattern => {
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    const scripts = performance.getEntriesByType("resource")
        .filter(entry => new RegExp(pattern).test(entry.name));
    return {paint: paint && paint.startTime, starts: scripts.map(entry => entry.startTime)};
}"""


@pytest.mark.parametrize("name", ["book/intro.html", "notebooks/03_reality.html"])
def test_the_themes_scripts_are_asked_for_after_the_first_paint_and_run(served, chromium, name):
    """Bootstrap and the theme's script are not in the page's markup as scripts (they wait in
    a template) and are requested only once the page has painted its content; then both run
    (the drawer tests above need the theme's script)."""
    base, built = served
    markup = (built / name).read_text(encoding="utf-8")
    start = markup.index('<template class="scs-after-first-paint">')
    held = markup[start : markup.index("</template>", start)]
    assert len(re.findall(THEME_SCRIPTS, markup)) == 2 == len(re.findall(THEME_SCRIPTS, held))
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    page.goto(base + name)
    # a resource's timing entry appears once it has finished loading, so wait for both
    page.wait_for_function(
        f"pattern => ({THEME_SCRIPT_TIMES})(pattern).starts.length >= 2", arg=THEME_SCRIPTS
    )
    page.wait_for_function("() => window.bootstrap !== undefined")
    times = page.evaluate(THEME_SCRIPT_TIMES, THEME_SCRIPTS)
    assert times["paint"] is not None, times
    assert min(times["starts"]) >= times["paint"], f"{name}: a theme script before the paint"
    assert page.locator("template.scs-after-first-paint").count() == 0
    context.close()


def test_every_page_has_its_own_description_and_share_preview(served, chromium):
    base, root = served
    seen = {}
    page = chromium.new_page()
    for name in pages(root):
        page.goto(base + name)
        meta = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
            'meta[name=description], meta[property^="og:"]')].map(
            m => [m.getAttribute('name') || m.getAttribute('property'), m.content]))""")
        description = meta.get("description", "")
        assert 40 <= len(description) <= 160, (name, description)
        assert meta.get("og:description") == description, name
        assert meta.get("og:title") and meta.get("og:type") and meta.get("og:site_name"), name
        seen.setdefault(description, []).append(name)
    repeated = {text: names for text, names in seen.items() if len(names) > 1}
    assert not repeated, f"pages share a description: {repeated}"
    page.close()


CHINESE_TEXT = """(ranges) => {
  const cjk = new RegExp('[' + ranges + ']');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!cjk.test(node.data) || parent.closest('script, style')) continue;
    found.push({text: node.data, font: getComputedStyle(parent).fontFamily,
                lang: parent.closest('[lang]').getAttribute('lang')});
  }
  return found;
}"""


# The Chinese font's slices a page asked for, and whether it asked after its load event.
FONT_REQUESTS = """(folder) => {
  const loaded = performance.getEntriesByType('navigation')[0].loadEventStart;
  return performance.getEntriesByType('resource')
    .filter(entry => entry.name.includes('/_static/' + folder + '/'))
    .map(entry => ({name: entry.name, afterLoad: entry.startTime >= loaded}));
}"""


def test_every_chinese_character_has_a_glyph_in_the_font_the_page_loads(served, chromium):
    """Chinese is drawn with the book's own font whatever the reader's system has: each text
    with CJK in it is set in that font first, the page has loaded it, the slices it loaded hold
    every character (read from the served files with fontTools), and, opened first (a cold
    cache: a font cached by an earlier page is reported again), it loaded no slice it does
    not use. The slices are asked for only once the page has loaded, off its first paint's
    path."""
    from fontTools.ttLib import TTFont

    from scs_book.language import is_cjk
    from scs_book.sphinx.cjk import FONT_DIR, FONT_FAMILY

    base, root = served
    slices = {
        path.name: set(TTFont(path).getBestCmap())
        for path in (root / "_static" / FONT_DIR).glob("*.woff2")
    }
    pages_with_chinese = 0
    for name in pages(root):
        context = chromium.new_context()
        page = context.new_page()
        page.goto(base + name)
        page.evaluate(FONTS_LOADED)
        texts = page.evaluate(CHINESE_TEXT, CJK_RANGES)
        requests = page.evaluate(FONT_REQUESTS, FONT_DIR)
        loaded = [request["name"].rsplit("/", 1)[1] for request in requests]
        early = [
            font for font, request in zip(loaded, requests, strict=True) if not request["afterLoad"]
        ]
        assert not early, f"{name}: asks for {early} before the page has loaded"
        if not texts:
            assert not loaded, f"{name}: loads {loaded} without Chinese to draw"
            context.close()
            continue
        pages_with_chinese += 1
        characters = {ord(char) for text in texts for char in text["text"] if is_cjk(char)}
        glyphs = set().union(*(slices[font] for font in loaded))
        missing = sorted(chr(point) for point in characters - glyphs)
        assert not missing, f"{name}: no glyph in the fonts it loaded for {''.join(missing)}"
        unused = [font for font in loaded if not slices[font] & characters]
        assert not unused, f"{name}: loads {unused}, which hold none of its characters"
        other_fonts = {
            text["font"] for text in texts if not text["font"].startswith(f'"{FONT_FAMILY}"')
        }
        assert not other_fonts, f"{name}: Chinese set in {other_fonts}"
        shown = json.dumps("".join(map(chr, characters)))
        assert page.evaluate(f"""document.fonts.check('16px "{FONT_FAMILY}"', {shown})"""), (
            f"{name}: font not loaded"
        )
        context.close()
    assert pages_with_chinese >= 3 and len(slices) > 1


def test_a_reader_without_scripts_gets_the_chinese_font_too(served, chromium):
    """With scripts off nothing turns the font's stylesheet on after load: the page's
    ``<noscript>`` link does, so the Chinese of Chapter III is still drawn in the book's font."""
    from scs_book.sphinx.cjk import FONT_DIR, FONT_FAMILY

    base, _ = served
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "notebooks/03_reality.html")
    page.evaluate(FONTS_LOADED)
    assert page.evaluate(FONT_REQUESTS, FONT_DIR), "no slice of the Chinese font was loaded"
    assert page.evaluate(f"""document.fonts.check('16px "{FONT_FAMILY}"', '信用')""")
    context.close()


def test_chinese_in_prose_and_tables_is_marked_as_such(served, chromium):
    base, root = served
    page = chromium.new_page()
    marked, unmarked = 0, {}
    for name in pages(root):
        page.goto(base + name)
        texts = page.evaluate(CHINESE_TEXT, CJK_RANGES)
        marked += sum(text["lang"].startswith("zh") for text in texts)
        missing = [text["text"][:40] for text in texts if not text["lang"].startswith("zh")]
        if missing:
            unmarked[name] = missing[:5]
    assert marked >= 20 and not unmarked, f"Chinese without lang=zh-Hans: {unmarked}"
    page.close()


# Charts size themselves (issue 15 item 3, the chart renderer's work); their own test checks them.
CHARTS = ".vega-embed, figure.scs-chart"

OVERFLOW = """(charts) => {
  const column = document.querySelector('article.bd-article');
  const edge = column.getBoundingClientRect().right + 1;
  const beyond = [];
  for (const element of column.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.right <= edge) continue;
    if (element.closest('.scs-scrolls, ' + charts)) continue;
    beyond.push(`${element.tagName}.${element.className} ends at ${Math.round(box.right)}`);
  }
  const scrollingCode = [...column.querySelectorAll('pre')].filter(
    pre => pre.scrollWidth > pre.clientWidth + 1).map(pre => pre.textContent.slice(0, 40));
  const unmarkedFrames = [...column.querySelectorAll('*')].filter(element =>
    element.scrollWidth > element.clientWidth + 1
    && !element.closest(charts) && !element.querySelector(charts)
    && ['auto', 'scroll'].includes(getComputedStyle(element).overflowX)
    && !element.classList.contains('scs-scrolls')).map(element => element.className);
  return {page: document.scrollingElement.scrollWidth, width: innerWidth,
          beyond: beyond.slice(0, 5), scrollingCode, unmarkedFrames};
}"""


@pytest.mark.parametrize("size", [NARROW_PHONE, PHONE, DESKTOP], ids=["360px", "390px", "1280px"])
def test_nothing_is_wider_than_the_column(served, chromium, size):
    """No horizontal scrolling of the page; code wraps; a table wider than the column scrolls
    inside a frame that shows it does (scs-scrolls: hint, fade, sticky first column). At 360 px
    (many Android phones) too: a heading or line with one long word (a file name, a command)
    wraps."""
    base, root = served
    context = chromium.new_context(**size)
    page = context.new_page()
    problems = {}
    for name in pages(root):
        if name in ("search.html", "genindex.html"):
            continue
        page.goto(base + name)
        found = page.evaluate(OVERFLOW, CHARTS)
        # a phone widens its layout to content wider than the screen (innerWidth grows too):
        # the page is measured against the screen's own width
        if (
            found["page"] > min(found["width"], size["viewport"]["width"])
            or found["beyond"]
            or found["scrollingCode"]
            or found["unmarkedFrames"]
        ):
            problems[name] = found
    assert not problems, json.dumps(problems, indent=1)
    context.close()


def test_chapter_code_is_collapsed_and_outputs_are_shown(served, chromium):
    base, _ = served
    page = chromium.new_page()
    page.goto(base + "notebooks/01_general_framework.html")
    cells = page.evaluate("""() => [...document.querySelectorAll('.cell.tag_parameters, .cell')]
        .filter(cell => cell.querySelector('.cell_input')).map(cell => ({
          open: !!cell.querySelector('.cell_input').closest('details')?.open
                || !cell.querySelector('.cell_input').closest('details'),
          output: !!cell.querySelector('.cell_output')}))""")
    assert cells and not any(cell["open"] for cell in cells), "every code cell starts collapsed"
    assert sum(cell["output"] for cell in cells) >= 5
    page.close()


def test_a_reader_searches_from_a_chapter_and_finds_the_pages(served, chromium):
    """The search field of any page (the sidebar's, or Ctrl+K) opens the search page with the
    results: the search scripts load there, not on every page."""
    base, _ = served
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    open_with_the_themes_scripts(page, base + "notebooks/02_history.html")
    assert not page.evaluate("typeof Search !== 'undefined'")  # not loaded on a chapter
    page.keyboard.press("Control+k")
    field = page.locator("input[name=q]:focus")
    field.fill("blacklist")
    field.press("Enter")
    page.wait_for_url("**/search.html?q=blacklist*")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=20_000)
    found = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any("03_reality" in href for href in found), found
    page.close()


CAPTIONS_OUT_OF_VIEW = """() => {
  // Each table caption inside a frame that scrolls sideways, checked with the frame scrolled to
  // its start and to its end: the caption's text must lie inside the frame's visible part.
  const out = [];
  for (const caption of document.querySelectorAll('.bd-article table caption')) {
    const frame = caption.closest('.scs-scrolls');
    if (!frame || !caption.textContent.trim()) continue;
    for (const scroll of [0, frame.scrollWidth]) {
      frame.scrollLeft = scroll;
      const view = frame.getBoundingClientRect();
      const left = view.left + frame.clientLeft, right = left + frame.clientWidth;
      const range = document.createRange();
      range.selectNodeContents(caption);
      const lines = [...range.getClientRects()];
      if (lines.some(line => line.left < left - 1 || line.right > right + 1))
        out.push(`${caption.textContent.slice(0, 50)} (scrolled to ${frame.scrollLeft})`);
    }
    frame.scrollLeft = 0;
  }
  return out;
}"""


@pytest.mark.parametrize("size", [NARROW_PHONE, PHONE], ids=["360px", "390px"])
def test_a_scrolling_tables_caption_is_fully_in_view(served, chromium, size):
    """A wide table scrolls inside its frame; its caption is read whole, wherever the frame is
    scrolled, not cut off at the frame's edge. (At 1280 px no captioned table scrolls.)"""
    context = chromium.new_context(**size)
    frames, hidden = probe_every_page(
        context.new_page(), served, CAPTIONS_OUT_OF_VIEW, ".scs-scrolls table caption"
    )
    context.close()
    assert frames, "no captioned table in a scrolling frame to check"
    assert not hidden, json.dumps(hidden, indent=1)


# Tables wider than their frame, measured once the fonts are in (not from scs-reader.js's mark).
SCROLLING_TABLES = """async () => {
  await document.fonts.ready;
  return [...document.querySelectorAll('.bd-article table')]
    .filter((table) => table.getBoundingClientRect().width > table.parentElement.clientWidth + 1)
    .map((table) => (table.querySelector('caption, th') || table).textContent.trim().slice(0, 60));
}"""


def test_no_table_scrolls_sideways_on_a_desktop(served, chromium):
    """At 1280 px every table fits the column, read whole: the ledger's overview and the data
    catalogue, 1,657 and 1,478 px wide, had their key columns out of sight."""
    context = chromium.new_context(**DESKTOP)
    tables, scrolling = probe_every_page(
        context.new_page(), served, SCROLLING_TABLES, ".bd-article table"
    )
    context.close()
    assert tables > 20, "the book's tables were not found"
    assert not scrolling, json.dumps(scrolling, indent=1, ensure_ascii=False)


SQUEEZED_CELLS = """() => {
  // Each cell of a table that scrolls sideways, against the width its content takes unwrapped
  // (an absolute probe inside it adds nothing to the table's layout) or the cells' cap.
  const out = [];
  for (const table of document.querySelectorAll('.scs-scrolls table')) {
    for (const cell of table.querySelectorAll('td, th')) {
      const style = getComputedStyle(cell);
      const cap = parseFloat(style.maxWidth) || Infinity;  // "none": no cap
      const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
      const probe = document.createElement('div');
      probe.style.cssText = 'position: absolute; visibility: hidden; width: max-content';
      probe.innerHTML = cell.innerHTML;
      cell.appendChild(probe);
      const natural = probe.getBoundingClientRect().width + padding;
      probe.remove();
      const width = cell.getBoundingClientRect().width;
      if (width + 2 < Math.min(natural, cap))
        out.push(`${cell.textContent.trim().slice(0, 40)}: ${Math.round(width)} px of ` +
                 `${Math.round(Math.min(natural, cap))}`);
    }
  }
  return out;
}"""


def test_a_scrolling_table_gives_each_column_its_width_up_to_a_cap(served, chromium):
    """A table that scrolls on a phone anyway does not squeeze its columns to their narrowest
    (long notes five lines deep in a 100 px column): each cell is as wide as its text unwrapped,
    or as the cap at which long text wraps."""
    context = chromium.new_context(**PHONE)
    tables, squeezed = probe_every_page(
        context.new_page(), served, SQUEEZED_CELLS, ".scs-scrolls table"
    )
    context.close()
    squeezed = {name: found[:5] for name, found in squeezed.items()}
    assert tables, "no table scrolls at 390 px to check"
    assert not squeezed, json.dumps(squeezed, indent=1, ensure_ascii=False)


THEME_AND_BACKGROUND = """() => [document.documentElement.dataset.theme, getComputedStyle(
  document.documentElement).getPropertyValue('--pst-color-background').trim()]"""


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_a_page_opens_in_the_readers_system_colour_mode(served, chromium, mode):
    """A reader who has not picked a mode with the theme's switch gets the one their system is
    set to (the book had forced light), from the first paint: the theme's script, which turns
    its "auto" into light or dark, comes after that paint. Held back, the page is already in the
    mode and colours it has once that script has run."""
    base, _ = served
    context = chromium.new_context(color_scheme=mode, **PHONE)
    held = context.new_page()
    held.route(re.compile(r"pydata-sphinx-theme\.js"), lambda route: route.abort())
    held.goto(base + "notebooks/02_history.html", wait_until="domcontentloaded")
    before = held.evaluate(THEME_AND_BACKGROUND)
    page = context.new_page()
    page.goto(base + "notebooks/02_history.html", wait_until="networkidle")
    after = page.evaluate(THEME_AND_BACKGROUND)
    assert before == after and after[0] == mode and after[1], (before, after)
    context.close()


# The headers of a table that lie in its frame's visible part, and whether the frame scrolls.
HEADERS_IN_VIEW = """table => {
  const frame = table.closest('.output').getBoundingClientRect();
  return {scrolls: table.closest('.scs-scrolls') !== null,
          seen: [...table.querySelectorAll('th')].filter((th) => {
            const box = th.getBoundingClientRect();
            return box.left >= frame.left - 1 && box.right <= frame.right + 1;
          }).map((th) => th.textContent.trim())};
}"""


def test_the_ledgers_overview_is_read_whole_on_a_desktop_and_totals_first_on_a_phone(
    served, chromium
):
    """The ledger's first table (claims by verdict and part of the article) fits the column at
    1280 px: as parts by verdicts it was 1,657 px wide, its discrepancy columns out of sight. On
    a phone, where it scrolls, the totals stand beside the verdicts."""
    base, _ = served
    seen = {}
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        context = chromium.new_context(**size)
        page = context.new_page()
        page.goto(base + "book/claims-ledger.html", wait_until="networkidle")
        seen[label] = page.locator("#T_ledger-overview").evaluate(HEADERS_IN_VIEW)
        context.close()
    assert not seen["desktop"]["scrolls"] and len(seen["desktop"]["seen"]) == 8, seen
    assert seen["phone"]["seen"][:2] == ["Verdict", "All parts"], seen


OPEN_EVERY_DETAILS = "document.querySelectorAll('details').forEach(d => { d.open = true; })"
LOWER_CASE_HEADERS = """() => [...document.querySelectorAll('.bd-article th')]
  .map(th => th.textContent.trim()).filter(text => /^\\p{Ll}/u.test(text))"""


def test_every_table_header_is_in_sentence_case(served, chromium):
    """Headers read alike on every page, the charts' data tables too: "Recomputed | Confirmed by
    source", not "Recomputed | confirmed by source"."""
    base, root = served
    page = chromium.new_page()
    found = {}
    for name in pages(root):
        page.goto(base + name)
        page.wait_for_load_state("networkidle")
        page.evaluate(OPEN_EVERY_DETAILS)  # a chart's data table is drawn when opened
        page.wait_for_timeout(200)
        if lower := page.evaluate(LOWER_CASE_HEADERS):
            found[name] = lower
    page.close()
    assert not found, json.dumps(found, indent=1)


THIN_FOOTER_TEXT = """() => [...document.querySelectorAll('.scs-chart-footer, .scs-chart-footer *')]
  .filter(e => e.textContent.trim() && +getComputedStyle(e).fontWeight < 400)
  .map(e => e.textContent.trim().slice(0, 40))"""


def test_chart_footers_are_set_at_the_bodys_weight_not_a_light_one(served, chromium):
    """The footer (source, note, licence) is read, on a phone too: no part of it is set in a
    light weight (the theme sets captions at 300, which some systems draw hair-thin)."""
    page = chromium.new_page()
    footers, thin = probe_every_page(page, served, THIN_FOOTER_TEXT, ".scs-chart-footer")
    page.close()
    assert footers and not thin, json.dumps(thin, indent=1)
