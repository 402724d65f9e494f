"""The theme's icon fonts cut to the icons the book shows, its fontawesome.js left out, and the
pages' scripts kept off the first paint's path (scs_book.sphinx.icons and .reader)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scs_book.sphinx import icons

ROOT = Path(__file__).resolve().parents[1]
MACROS = ROOT / "book" / "_templates" / "static" / "webpack-macros.html"
TEMPLATE = '<template class="scs-after-first-paint">'
STYLESHEET = """.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}.fa-sun:before{content:"\\f185"}
:root{--pst-icon-lightbulb:"\uf0eb";--pst-icon-x:"\\f00d"}a.gh:before{content:"\\e4bd"}"""


def test_icon_classes_and_their_code_points_are_read_from_the_stylesheet():
    assert icons.icon_code_points(STYLESHEET) == {
        "fa-bars": 0xF0C9,
        "fa-navicon": 0xF0C9,
        "fa-sun": 0xF185,
    }


def test_what_a_stylesheet_draws_itself_is_kept_and_the_icon_rules_are_not():
    assert icons.drawn_by_stylesheet(STYLESHEET) == {0xF0EB, 0xF00D, 0xE4BD}


def test_the_icons_used_are_those_named_in_pages_and_scripts(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / icons.THEME_STYLESHEET).write_text(STYLESHEET, encoding="utf-8")
    used = icons.used_code_points(tmp_path, ['<i class="fa-solid fa-bars"></i>'])
    assert used == {0xF0C9, 0xF0EB, 0xF00D, 0xE4BD}  # fa-sun is not shown


def test_the_macro_override_is_the_themes_file_without_fontawesome_js_and_the_preloads():
    """...and with the theme's two scripts at the end of the page held in a template, which
    scs-reader.js loads after the first paint."""
    theme = (icons.theme_static() / "webpack-macros.html").read_text(encoding="utf-8")
    ours = MACROS.read_text(encoding="utf-8")
    ours = ours[ours.index("#}\n") + 3 :]  # after the note that says why
    removed = [line for line in theme.splitlines() if line not in ours.splitlines()]
    held = ours[ours.index(TEMPLATE) + len(TEMPLATE) : ours.index("</template>")]
    assert "bootstrap.js" in held and "pydata-sphinx-theme.js" in held
    without_template = ours.replace(TEMPLATE + "\n", "").replace("</template>\n", "")
    assert without_template.splitlines() == [
        line for line in theme.splitlines() if line not in removed
    ]
    scripts = [line for line in removed if "<script" in line or "<link" in line]
    assert len(removed) == 5 and len(scripts) == 3, removed
    assert "fontawesome.js" in scripts[0]
    assert all('rel="preload" as="script"' in line for line in scripts[1:])


@pytest.mark.slow
def test_every_icon_a_page_names_has_its_glyph_in_the_cut_fonts(built_book):
    from fontTools.ttLib import TTFont

    static = built_book / "_static"
    glyphs = set()
    for face in icons.FACES:
        path = static / icons.WEBFONTS / face
        assert path.stat().st_size < 8 * 1024, face  # cut: the theme's are 25 to 156 KB
        glyphs |= set(TTFont(path).getBestCmap())
    names = icons.icon_code_points((static / icons.THEME_STYLESHEET).read_text(encoding="utf-8"))
    pages = sorted(built_book.rglob("*.html"))
    missing = {
        f"{page.relative_to(built_book)}: {name}"
        for page in pages
        for name in icons.ICON_NAME.findall(page.read_text(encoding="utf-8"))
        if name in names and names[name] not in glyphs
    }
    assert pages and not missing, sorted(missing)[:10]


@pytest.mark.slow
def test_no_page_loads_fontawesome_js_or_a_script_that_holds_up_the_first_paint(built_book):
    """In <head>, only documentation_options.js runs before the page is drawn (the page's own
    inline lines set its options); every other script is deferred or async, and no font is
    preloaded (Chromium waits for preloaded fonts before it paints). (The search page keeps
    Sphinx's order: its own scripts call doctools at once.)"""
    for page in sorted(built_book.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "<head>" not in text or page.parts[-2] == "_static" or page.name == "search.html":
            continue
        head = text[text.index("<head>") : text.index("</head>")]
        blocking = [
            tag
            for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", head)
            if not re.search(r"\b(defer|async)\b", tag) and "documentation_options.js" not in tag
        ]
        assert not blocking, (page.name, blocking)
        assert not re.search(r'<link[^>]*rel="preload"[^>]*as="font"', head), page.name
        assert "fontawesome.js" not in text, page.name
