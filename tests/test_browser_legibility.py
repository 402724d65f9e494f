"""Charts as a phone (390 px, touch) and a desktop (1280 px) reader meet them, light and dark:
no chart text under 11 px, nothing wider than the page, every text and legend inside the part of
its chart a reader sees, values reachable by tap in a tooltip wholly on the screen, Figure 1's
pointer finds the city under it, the timelines readable without a pointer."""

from __future__ import annotations

import re

import pytest

from test_browser import reach_the_charts, scrolled

CHART_PAGES = {
    "notebooks/01_general_framework.html": 3,
    "notebooks/02_history.html": 1,
    "notebooks/03_reality.html": 7,
    "notebooks/05_conclusions.html": 1,
}
MIN_TEXT_PX = 11

pytestmark = pytest.mark.slow

# The smallest rendered size of any chart text (font size times the SVG's scale on screen),
# the widths of each chart's drawing and of its figure.
MEASURE = """() => [...document.querySelectorAll('figure.scs-chart')].map((figure) => {
  const texts = [...figure.querySelectorAll('svg.marks text')].filter((t) => t.textContent.trim());
  const sizes = texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  const svg = figure.querySelector('svg.marks').getBoundingClientRect();
  return {smallest: Math.min(...sizes), text: texts[sizes.indexOf(Math.min(...sizes))].textContent,
          svg: svg.width, figure: figure.getBoundingClientRect().width};
})"""


@pytest.fixture(scope="module")
def base(served):
    """The address of the built book on loopback (``served``, in conftest.py)."""
    return served[0]


def open_page(chromium, url: str, width: int, mode: str = "light"):
    phone = width < 600
    context = chromium.new_context(
        viewport={"width": width, "height": 844 if phone else 900},
        has_touch=phone,
        is_mobile=phone,
        color_scheme=mode,
    )
    context.add_init_script(
        f"localStorage.setItem('mode', '{mode}');localStorage.setItem('theme', '{mode}');"
    )
    page = context.new_page()
    page.goto(url, wait_until="load")
    return page


def drawn(page, count: int) -> None:
    reach_the_charts(page)
    page.wait_for_function(
        "n => document.querySelectorAll('figure.scs-chart svg.marks').length >= n",
        arg=count,
        timeout=20_000,
    )
    page.wait_for_timeout(300)  # the last layout pass of container-width charts


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("relative, count", CHART_PAGES.items())
def test_chart_text_is_at_least_11_px_and_nothing_overflows(
    base, chromium, relative, count, width, mode
):
    page = open_page(chromium, base + relative, width, mode)
    drawn(page, count)
    assert page.evaluate("document.documentElement.dataset.theme") == mode
    charts = page.evaluate(MEASURE)
    assert len(charts) == count
    for chart in charts:
        assert chart["smallest"] >= MIN_TEXT_PX, chart
        assert chart["svg"] <= chart["figure"] + 0.5, chart  # drawn within its figure
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{relative} is {overflow} px wider than a {width} px window"
    page.context.close()


# Every text (titles, axis and legend labels, values printed on marks) and every legend of each
# drawn chart, with its box beside the part of the chart's container a reader sees: the
# container's box, cut by the SVG and by every ancestor that clips its overflow. Items sticking
# out of it by more than a pixel are returned, and texts Vega cut short to a length ("…").
CLIPPED = """() => [...document.querySelectorAll('figure.scs-chart')].map((figure, index) => {
  const view = figure.querySelector('.scs-chart-view');
  const svg = view.querySelector('svg.marks');
  const r = view.getBoundingClientRect();
  const box = {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  for (let node = svg; node && node !== document.documentElement; node = node.parentElement) {
    const style = getComputedStyle(node), edge = node.getBoundingClientRect();
    if (style.overflowX !== 'visible') {
      box.left = Math.max(box.left, edge.left);
      box.right = Math.min(box.right, edge.right);
    }
    if (style.overflowY !== 'visible') {
      box.top = Math.max(box.top, edge.top);
      box.bottom = Math.min(box.bottom, edge.bottom);
    }
  }
  const items = [...svg.querySelectorAll('text, g.role-legend')]
    .filter((item) => item.textContent.trim());
  const outside = items.map((item) => {
    const edge = item.getBoundingClientRect();
    const name = item.tagName === 'text' ? item.textContent : 'legend: ' + item.textContent;
    return {item: name.slice(0, 60), left: edge.left - box.left, right: box.right - edge.right,
            top: edge.top - box.top, bottom: box.bottom - edge.bottom};
  }).filter((item) => Math.min(item.left, item.right, item.top, item.bottom) < -1);
  const cut = items.map((item) => item.textContent).filter((text) => text.endsWith('…'));
  return {chart: index, texts: items.length, outside, cut};
})"""


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 390, 1280])  # 360: the narrowest common Android phone
@pytest.mark.parametrize("relative, count", CHART_PAGES.items())
def test_every_chart_text_and_legend_lies_inside_the_visible_chart(
    base, chromium, relative, count, width, mode
):
    """Nothing cut off or hidden past the chart's edge: no legend set beside another past the
    right edge of a phone's column, no value printed past the end of the longest bar."""
    page = open_page(chromium, base + relative, width, mode)
    drawn(page, count)
    charts = page.evaluate(CLIPPED)
    assert len(charts) == count
    assert all(chart["texts"] > 0 for chart in charts)  # the check saw every chart's texts
    clipped = [chart for chart in charts if chart["outside"] or chart["cut"]]
    assert not clipped, f"{relative} at {width} px, {mode}: {clipped}"
    page.context.close()


# A chart's data marks (Vega names each for screen readers; legends' symbols left out), from
# left to right.
MARKS_ACROSS = """index => {
  const figure = document.querySelectorAll('figure.scs-chart')[index];
  return [...figure.querySelectorAll('svg.marks [role="graphics-symbol"][aria-label]')]
    .filter((mark) => !mark.closest('.role-legend'))
    .map((mark) => [mark, mark.getBoundingClientRect()]).filter(([, box]) => box.width > 0)
    .sort(([, a], [, b]) => (a.left + a.right) - (b.left + b.right)).map(([mark]) => mark);
}"""
# A shown tooltip's box, the window's size, and how many of the tooltip's corners are covered
# by something else (the sticky header, the "Back to top" button). (A tap goes through the
# tooltip; it is made to catch the pointer while its corners are looked up.)
TOOLTIP_PLACE = """() => {
  const tooltip = document.getElementById('vg-tooltip-element');
  if (!tooltip || !tooltip.classList.contains('visible')) return null;
  tooltip.style.pointerEvents = 'auto';
  const box = tooltip.getBoundingClientRect();
  const corners = [[box.left, box.top], [box.right, box.top], [box.left, box.bottom],
                   [box.right, box.bottom]].map(([x, y]) => [x + (x > box.left ? -2 : 2),
                                                             y + (y > box.top ? -2 : 2)]);
  const covered = corners.filter(([x, y]) => !tooltip.contains(document.elementFromPoint(x, y)));
  tooltip.style.pointerEvents = '';
  return {left: box.left, right: box.right, top: box.top, bottom: box.bottom,
          width: innerWidth, height: innerHeight, covered: covered.length};
}"""


@pytest.mark.parametrize("width", [360, 390])
@pytest.mark.parametrize("relative, count", CHART_PAGES.items())
def test_a_tapped_marks_tooltip_lies_wholly_on_the_screen(base, chromium, relative, count, width):
    """Taps, one after another, on marks at the chart's left, middle and right each show the
    mark's values in a tooltip wholly inside the window and on top of the page. (A tooltip wider
    than the room beside the finger went past the screen's left edge, under the sticky header;
    and only a page's first tap showed one: the mouse events a tap stands for hid it again.) A
    scroll puts the last one away: fixed to the window, it would float away from its mark."""
    page = open_page(chromium, base + relative, width)
    drawn(page, count)
    page.wait_for_load_state("networkidle")
    misplaced = []
    for index in range(count):
        marks = page.evaluate_handle(MARKS_ACROSS, index)
        total = marks.evaluate("marks => marks.length")
        # from the left edge, the middle and the right edge inwards, the first mark with a tooltip
        for start, step in ((0, 1), (total // 2, 1), (total - 1, -1)):
            for at in list(range(total))[start::step][:20]:
                mark = marks.evaluate_handle("(marks, at) => marks[at]", at).as_element()
                mark.evaluate("mark => mark.scrollIntoView({block: 'center'})")
                scrolled(page)
                page.touchscreen.tap(*centre(mark.bounding_box()))
                page.wait_for_timeout(100)
                place = page.evaluate(TOOLTIP_PLACE)
                if place is not None:
                    break
            assert place is not None, f"{relative}: no tooltip on chart {index} from mark {start}"
            inside = place["left"] >= 0 and place["right"] <= place["width"]
            inside = inside and place["top"] >= 0 and place["bottom"] <= place["height"]
            if not inside or place["covered"]:
                misplaced.append((index, at, place))
    assert not misplaced, f"{relative} at {width} px: tooltips not wholly shown: {misplaced}"
    page.evaluate("window.scrollBy(0, 200)")
    scrolled(page)
    assert page.evaluate(TOOLTIP_PLACE) is None, "a tooltip stays on the screen as the page scrolls"
    page.context.close()


def city_centre(page, city: str) -> tuple[float, float]:
    """Screen position of a city's centre dot on Figure 1 (its marks are named for screen
    readers, e.g. 'City: Shanghai; ...')."""
    figure = page.locator("figure.scs-chart").nth(2)
    figure.scroll_into_view_if_needed()
    scrolled(page)
    marks = figure.locator("g.mark-symbol.role-mark path")
    boxes = [
        marks.nth(i).bounding_box()
        for i in range(marks.count())
        if f"City: {city};" in (marks.nth(i).get_attribute("aria-label") or "")
    ]
    box = min(boxes, key=lambda b: b["width"])  # the centre dot, not the circle
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def tooltip(page) -> str:
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
    return page.locator("#vg-tooltip-element").inner_text()


# Cities whose circles overlap a larger neighbour's (Suzhou and Shanghai, Shenzhen and
# Dongguan): the dot at each centre is the one under the pointer. (Guangzhou and Foshan, 15 km
# apart, are 2 px apart at this scale: no pointer tells them apart; the data table lists both.)
@pytest.mark.parametrize("city", ["Shanghai", "Suzhou", "Shenzhen", "Dongguan", "Beijing"])
def test_figure_1_pointer_finds_the_city_under_it(base, chromium, city):
    page = open_page(chromium, base + "notebooks/01_general_framework.html", 1280)
    drawn(page, 3)
    page.mouse.move(*city_centre(page, city))
    assert re.search(r"City\s+(.+)", tooltip(page))[1].strip() == city
    page.context.close()


def test_figure_1_names_its_largest_cities(base, chromium):
    page = open_page(chromium, base + "notebooks/01_general_framework.html", 390)
    drawn(page, 3)
    labels = page.locator("figure.scs-chart").nth(2).locator("g.mark-text text").all_text_contents()
    for city in ("Shanghai", "Beijing", "Chongqing", "Guangzhou"):
        assert city in labels
    page.context.close()


def test_a_tap_shows_a_charts_values_on_a_phone(base, chromium):
    page = open_page(chromium, base + "notebooks/01_general_framework.html", 390)
    drawn(page, 3)
    page.touchscreen.tap(*city_centre(page, "Beijing"))
    text = tooltip(page)
    assert "Beijing" in text and "CCTV cameras" in text
    page.context.close()


@pytest.mark.parametrize("relative", ["notebooks/02_history.html", "notebooks/05_conclusions.html"])
def test_a_timeline_is_readable_without_a_pointer(base, chromium, relative):
    """Every row named in full, and every event listed in a table under the chart."""
    page = open_page(chromium, base + relative, 390)
    drawn(page, 1)
    figure = page.locator("figure.scs-chart").first
    marks = figure.locator("g.mark-symbol.role-mark path").count()
    names = " ".join(figure.locator("g.role-axis-label text").all_text_contents())
    assert "…" not in names
    listed = page.locator("table[id$='_events'] tbody tr").count()
    assert listed == marks > 10
    first = figure.locator("g.mark-symbol.role-mark path").first
    first.scroll_into_view_if_needed()
    scrolled(page)
    page.touchscreen.tap(*centre(first.bounding_box()))
    assert "Date as printed" in tooltip(page)
    page.context.close()


def centre(box: dict) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
