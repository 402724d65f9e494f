"""The book as readers meet it, in headless Chromium at phone and desktop widths: the sidebar
drawers open and close by tap and keyboard, the sidebar toggle works on desktop, and every page
has a description and share-preview tags of its own."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from test_browser import ARGS, CHROMIUM, QuietHandler, pages

pytestmark = pytest.mark.slow

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def served(built_book):
    handler = functools.partial(QuietHandler, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", built_book
    server.shutdown()


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


def drawer_open(page, which: str) -> bool:
    return page.evaluate(f"document.getElementById('pst-{which}-sidebar-modal').open")


@pytest.mark.parametrize("name", ["book/intro.html", "notebooks/02_history.html"])
def test_phone_drawers_open_by_tap_and_keyboard_and_close(served, chromium, name):
    base, _ = served
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    page.goto(base + name)
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


def test_desktop_sidebar_toggle_collapses_and_restores_the_sidebar(served, chromium):
    base, _ = served
    context = chromium.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(base + "notebooks/01_general_framework.html")
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
