"""The theme's and extensions' stylesheets cut to the rules the book uses
(scs_book.sphinx.stylesheets): what is kept, what is refused, and, on the built book, that
every page looks exactly as it does with the full stylesheets."""

from __future__ import annotations

import gzip
import sysconfig
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

from scs_book.sphinx import stylesheets
from test_browser import pages

ROOT = Path(__file__).resolve().parents[1]
PURGECSS = ROOT / stylesheets.PURGECSS
THEME = """.used{color:red}.unused{color:blue}html[data-theme=dark] .used{color:pink}
.added-by-script{display:none}.named-only-by-fontawesome{color:green}
:root{--bs-position:start;--never-read:1}@keyframes never-run{to{opacity:0}}"""
OWN = ".unused-but-ours{color:red}"


def output_dir(root: Path) -> Path:
    """A small built book: a page, a theme stylesheet, a script, the book's own stylesheet."""
    (root / "_static" / "styles").mkdir(parents=True)
    (root / "_static" / "scripts").mkdir()
    (root / "index.html").write_text(
        '<html data-theme="light"><body><p class="used">Text</p></body></html>'
    )
    (root / "_static" / "styles" / "theme.css").write_text(THEME)
    (root / "_static" / "scs-own.css").write_text(OWN)
    (root / "_static" / "app.js").write_text('p.classList.add("added-by-script"); mode = "dark"')
    (root / "_static" / "scripts" / "fontawesome.js").write_text('"named-only-by-fontawesome"')
    return root


def test_rules_the_pages_or_scripts_use_are_kept_and_the_rest_removed(tmp_path):
    book = output_dir(tmp_path)
    assert stylesheets.cut_stylesheets(book, PURGECSS) == [book / "_static/styles/theme.css"]
    cut = (book / "_static" / "styles" / "theme.css").read_text()
    assert ".used{color:red}" in cut.replace(" ", "").replace("\n", "")
    assert "html[data-theme=dark] .used" in cut  # the dark mode a script switches to
    assert ".added-by-script" in cut
    assert "--bs-position" in cut and "--never-read" in cut and "never-run" in cut
    assert ".unused" not in cut
    assert ".named-only-by-fontawesome" not in cut  # the book does not load fontawesome.js
    assert (book / "_static" / "scs-own.css").read_text() == OWN
    assert sorted(p.name for p in (book / "_static").iterdir()) == [
        "app.js",
        "scripts",
        "scs-own.css",
        "styles",
    ]  # no scratch directory left behind


def test_without_purgecss_the_build_says_how_to_install_it(tmp_path):
    book = output_dir(tmp_path)
    with pytest.raises(ExtensionError, match=r"purgecss is missing: run `npm ci`"):
        stylesheets.cut_stylesheets(book, tmp_path / "node_modules" / ".bin" / "purgecss")
    assert (book / "_static" / "styles" / "theme.css").read_text() == THEME


def test_two_stylesheets_of_one_name_are_refused_before_anything_is_written(tmp_path):
    book = output_dir(tmp_path)
    (book / "_static" / "theme.css").write_text(".x{}")
    with pytest.raises(ExtensionError, match=r"share a name: theme\.css"):
        stylesheets.cut_stylesheets(book, PURGECSS)
    assert (book / "_static" / "styles" / "theme.css").read_text() == THEME


# What a page looks like: for every element, these computed properties and its box, and what
# its ::before and ::after draw (the theme's icons).
LOOK = """() => {
  const props = ['display', 'visibility', 'position', 'color', 'background-color',
    'font-family', 'font-size', 'font-weight', 'font-style', 'line-height', 'text-align',
    'text-decoration-line', 'margin-top', 'margin-left', 'padding-top', 'padding-left',
    'border-top-width', 'border-top-color', 'border-left-width', 'border-radius', 'opacity',
    'overflow-x', 'z-index', 'box-shadow', 'white-space', 'cursor'];
  return [...document.querySelectorAll('html, body *')].map((el, i) => {
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    const pseudo = ['::before', '::after'].map(p => getComputedStyle(el, p).content).join(' ');
    return [i, el.tagName, el.className.baseVal ?? el.className,
      Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height), pseudo,
      ...props.map(p => s.getPropertyValue(p))].join('|');
  });
}"""
# Then with the header's menus and drawers opened and a tooltip shown.
OPEN_THINGS = """async () => {
  document.querySelector('.dropdown-download-buttons .dropdown-toggle')?.click();
  const tip = document.querySelector('[data-bs-toggle="tooltip"]');
  tip?.dispatchEvent(new Event('mouseenter')); tip?.focus();
  const drawer = document.getElementById('pst-primary-sidebar-modal');
  if (innerWidth < 960 && drawer && !drawer.open) drawer.showModal();
  await new Promise(r => setTimeout(r, 400));
}"""
PACKAGES = ("pydata_sphinx_theme", "sphinx_book_theme", "sphinx_design", "myst_nb")
PACKAGES += ("sphinx_copybutton", "sphinx_togglebutton")


def full_stylesheets(static: Path) -> dict[str, bytes]:
    """The full copy, from its package, of each stylesheet the build cut (by the name the
    pages link it under). Sphinx's own basic.css and pygments.css are made by Sphinx at build
    time and have no such copy: they are compared cut in both."""
    site = Path(sysconfig.get_paths()["purelib"])
    originals = {p.name: p for package in PACKAGES for p in (site / package).rglob("*.css")}
    full = {}
    for sheet in stylesheets.stylesheets_to_cut(static):
        name = "mystnb.css" if sheet.name.startswith("mystnb.") else sheet.name
        if name in originals:
            full[sheet.name] = originals[name].read_bytes()
    return full


@pytest.mark.slow
def test_the_themes_stylesheet_is_cut_to_under_a_third(built_book):
    cut = built_book / "_static" / "styles" / "pydata-sphinx-theme.css"
    full = full_stylesheets(built_book / "_static")["pydata-sphinx-theme.css"]
    assert len(gzip.compress(cut.read_bytes())) * 3 < len(gzip.compress(full))


@pytest.mark.slow
@pytest.mark.parametrize("width,mode", [(1280, "light"), (390, "dark")])
def test_every_page_looks_the_same_with_the_full_stylesheets(served, chromium, width, mode):
    base, root = served
    full = full_stylesheets(root / "_static")
    assert "pydata-sphinx-theme.css" in full and len(full) >= 5, sorted(full)

    def serve_full(route):
        name = route.request.url.split("?")[0].rsplit("/", 1)[-1]
        route.fulfill(body=full[name], content_type="text/css")

    looks = {}
    for stylesheet_set in ("cut", "full"):
        context = chromium.new_context(
            viewport={"width": width, "height": 900}, color_scheme=mode, reduced_motion="reduce"
        )
        context.add_init_script(
            f"localStorage.setItem('mode', '{mode}');localStorage.setItem('theme', '{mode}');"
        )
        # Charts are drawn when a reader nears them, at moments that vary: neither set runs the
        # chart script (its figures keep their place, their tools and footers are compared).
        context.route("**/scs-charts.js*", lambda route: route.abort())
        if stylesheet_set == "full":
            context.route(lambda url: url.split("?")[0].rsplit("/", 1)[-1] in full, serve_full)
        page = context.new_page()
        for path in pages(root):
            page.goto(base + path)
            # The theme's scripts, asked for after the first paint, change the page too (its
            # banner's placeholder is hidden): both sets are compared once they have run.
            page.wait_for_load_state("networkidle")
            first = page.evaluate(LOOK)
            page.evaluate(OPEN_THINGS)
            looks[stylesheet_set, path] = (first, page.evaluate(LOOK))
        context.close()
    for path in pages(root):
        for state, cut, whole in zip(
            ("as loaded", "opened"), looks["cut", path], looks["full", path], strict=True
        ):
            differ = [(a, b) for a, b in zip(cut, whole, strict=False) if a != b]
            assert len(cut) == len(whole) and not differ, (path, state, differ[:3])
