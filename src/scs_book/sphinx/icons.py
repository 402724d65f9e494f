"""The theme's icon fonts cut to the icons the book shows (part of the book's Sphinx extension).

pydata-sphinx-theme draws its icons (menu, search, colour mode, arrows, the header buttons,
admonition marks) with Font Awesome's web fonts: 270 KB that a phone downloads before the
page's first paint, for about fifteen icons. After the build, each font the theme ships is cut
to the icons the book uses, written over the theme's copy in ``_static``, and keeps its name,
so the theme's stylesheet needs no change. The icons used are those named by a ``fa-…`` class
in the pages or the book's scripts, and those the stylesheets draw themselves (the theme's
``--pst-icon-…`` characters and escaped code points). The full fonts are read from the theme's
package each time, so a later build that shows a new icon finds its glyph.

The theme's ``fontawesome.js`` (1.5 MB; it draws custom icons, which the book has none of) is
not loaded: ``book/_templates/static/webpack-macros.html`` is the theme's macro file without it.
"""

from __future__ import annotations

import re
from pathlib import Path

WEBFONTS = Path("vendor") / "fontawesome" / "webfonts"
FACES = ("fa-solid-900.woff2", "fa-regular-400.woff2", "fa-brands-400.woff2")
THEME_STYLESHEET = Path("styles") / "pydata-sphinx-theme.css"
UNUSED_SCRIPT = "fontawesome.js"
# `.fa-bars:before,.fa-navicon:before{content:"\f0c9"}`: an icon's class names and code point.
ICON_RULE = re.compile(r'([^{}]*)\{content:"\\([0-9a-fA-F]{1,6})\s?"\}')
ICON_CLASS = re.compile(r"\.(fa-[a-z0-9-]+):before")
ICON_NAME = re.compile(r"\bfa-[a-z0-9-]+\b")
# What stylesheets draw themselves: private-use characters, literal or escaped.
PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
ESCAPED_PRIVATE_USE = re.compile(r"\\([eEfF][0-9a-fA-F]{3})(?![0-9a-fA-F])")


def icon_code_points(stylesheet: str) -> dict[str, int]:
    """Each icon class the stylesheet defines (``fa-bars``) and the code point it draws."""
    icons = {}
    for selectors, code in ICON_RULE.findall(stylesheet):
        for name in ICON_CLASS.findall(selectors):
            icons[name] = int(code, 16)
    return icons


def drawn_by_stylesheet(stylesheet: str) -> set[int]:
    """Code points a stylesheet draws outside its per-icon class rules."""
    rest = ICON_RULE.sub(lambda rule: "" if ICON_CLASS.search(rule[1]) else rule[0], stylesheet)
    literal = {ord(char) for char in PRIVATE_USE.findall(rest)}
    return literal | {int(code, 16) for code in ESCAPED_PRIVATE_USE.findall(rest)}


def used_code_points(static: Path, texts: list[str]) -> set[int]:
    """The icons the book shows: classes named in ``texts`` (pages, scripts) and what the
    stylesheets in ``static`` draw."""
    icons = icon_code_points((static / THEME_STYLESHEET).read_text(encoding="utf-8"))
    used = {icons[name] for text in texts for name in ICON_NAME.findall(text) if name in icons}
    for stylesheet in static.rglob("*.css"):
        used |= drawn_by_stylesheet(stylesheet.read_text(encoding="utf-8"))
    return used


def cut_font(source: Path, code_points: set[int], target: Path) -> None:
    """``source`` (WOFF2) cut to ``code_points``, written as WOFF2 to ``target``."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.ignore_missing_unicodes = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(code_points))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def theme_static() -> Path:
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"


def _cut_icon_fonts(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    static = outdir / "_static"
    if not (static / THEME_STYLESHEET).is_file():
        return  # another theme
    texts = [page.read_text(encoding="utf-8") for page in outdir.rglob("*.html")]
    texts += [
        script.read_text(encoding="utf-8", errors="replace")
        for script in static.rglob("*.js")
        if script.name != UNUSED_SCRIPT
    ]
    used = used_code_points(static, texts)
    for face in FACES:
        cut_font(theme_static() / WEBFONTS / face, used, static / WEBFONTS / face)


def setup(app):
    app.connect("build-finished", _cut_icon_fonts)
