"""Chinese text renders on every machine, and says it is Chinese (part of the Sphinx extension).

Without a CJK font on the reader's system, every Chinese string would be drawn as empty boxes.
The book ships its own: Noto Sans CJK SC (SIL Open Font License 1.1, Debian's
``fonts-noto-cjk``), cut at build time to exactly the characters the book's pages use and
written as WOFF2 to ``_static/fonts/``, in slices: the characters used by the same pages share
a slice. ``_static/scs-cjk-fonts.css`` declares each slice with ``@font-face`` and a
``unicode-range`` of its characters, under one family name; ``_static/scs-cjk.css`` sets the
family, before the theme's, on the text marked Chinese (below), on chart tooltips and on search
results: a browser downloads only the slices of the characters the page shows (none on a page
without Chinese).

The slices are not on the first paint's path: the ``@font-face`` stylesheet is linked for print
only, and ``scs-reader.js`` turns it on for the screen once the page has loaded (a
``<noscript>`` copy serves readers without scripts). Until then Chinese is drawn with the
reader's own CJK font, if any. Loaded at once, Chapter III's slices (57 KB) competed with its
first paint on a slow network (Lighthouse, issue 15). The family is kept to the Chinese runs,
not put in the theme's font stacks, so that turning the slices on lays out those runs again,
not the whole page (a long task on a phone, which Lighthouse counts as blocking time).

Runs of Chinese in the prose are marked ``lang="zh-Hans"`` (Simplified Chinese) in the
document tree, so screen readers and line breaking treat them as Chinese; HTML that notebooks
write (tables, chart footers) marks its own runs (``scs_book.language``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError

from scs_book.language import CJK_RUN, is_cjk

FONT_FAMILY = "SCS Noto Sans SC"
FONT_DIR = "fonts"
FONT_FILE = FONT_DIR + "/scs-noto-sans-sc-{number}.woff2"
# Each page's CJK characters, kept beside Sphinx's doctrees for the pages a rebuild skips.
CHARACTERS_RECORD = "scs-cjk-characters.json"
STYLESHEET = "scs-cjk.css"
FONTS_STYLESHEET = "scs-cjk-fonts.css"
# Marks a stylesheet that scs-reader.js gives this media once the page has loaded.
MEDIA_AFTER_LOAD = "data-scs-media-after-load"
# The font's names kept in each slice: copyright, names, version, trademark, and the licence and
# its address (the Open Font License asks every copy to carry the notice and the licence).
NAME_IDS = [0, 1, 2, 3, 4, 5, 6, 7, 13, 14]
# Debian's fonts-noto-cjk; in its collection the Simplified Chinese face is number 2.
DEFAULT_FONT = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2)
# What the family is set on: text marked Chinese, Vega's tooltips and Sphinx's search results.
FONT_TARGETS = (":lang(zh)", "#vg-tooltip-element", "#search-results")


class chinese(nodes.inline):
    """A run of Chinese text, written as ``<span lang="zh-Hans">``."""


def _visit_chinese(self, node):
    self.body.append('<span lang="zh-Hans">')


def _depart_chinese(self, node):
    self.body.append("</span>")


def mark_chinese_runs(doctree: nodes.Node) -> None:
    """Wrap each run of CJK characters in prose text in a ``chinese`` node."""
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if isinstance(parent, (nodes.raw, nodes.literal_block, nodes.literal, chinese)):
            continue
        pieces = CJK_RUN.split(str(text))
        if len(pieces) == 1:
            continue
        replacement = [
            chinese("", nodes.Text(piece)) if index % 2 else nodes.Text(piece)
            for index, piece in enumerate(pieces)
            if piece
        ]
        parent.replace(text, replacement)


def characters_in(doctree: nodes.Node) -> set[str]:
    """Every CJK character a page shows: its text and the HTML of its notebook outputs."""
    return {char for char in doctree.astext() if is_cjk(char)}


def unicode_range(characters: set[str]) -> str:
    """A CSS ``unicode-range`` covering exactly ``characters``, consecutive ones as ranges."""
    points = sorted(ord(char) for char in characters)
    ranges, start = [], None
    for index, point in enumerate(points):
        start = point if start is None else start
        if index + 1 == len(points) or points[index + 1] != point + 1:
            ranges.append(f"U+{start:X}" if start == point else f"U+{start:X}-{point:X}")
            start = None
    return ", ".join(ranges)


def slices(characters_by_page: dict[str, str]) -> list[str]:
    """The book's characters grouped by the pages that show them, each group sorted: a page
    needs exactly the groups of its own characters."""
    pages_of: dict[str, set[str]] = {}
    for page, characters in characters_by_page.items():
        for char in characters:
            pages_of.setdefault(char, set()).add(page)
    groups: dict[tuple[str, ...], list[str]] = {}
    for char, pages in pages_of.items():
        groups.setdefault(tuple(sorted(pages)), []).append(char)
    return ["".join(sorted(groups[key])) for key in sorted(groups)]


def stylesheet() -> str:
    """The book's Chinese family first on the text that may show Chinese."""
    return (
        f"/* The book's Chinese font ({FONTS_STYLESHEET}) on the text that may show Chinese. */\n"
        f'{", ".join(FONT_TARGETS)} {{ font-family: "{FONT_FAMILY}", '
        f"var(--pst-font-family-base); }}\n"
    )


def font_faces(font_slices: list[str]) -> str:
    """One ``@font-face`` rule per slice, its ``unicode-range`` exactly the slice's characters."""
    faces = "".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-style: normal; font-weight: 400;'
        f' font-display: swap; src: url("{FONT_FILE.format(number=number)}") format("woff2");'
        f" unicode-range: {unicode_range(set(characters))}; }}\n"
        for number, characters in enumerate(font_slices, start=1)
    )
    licence = "/* Noto Sans CJK SC, subset to the book's characters. SIL Open Font License 1.1. */"
    return f"{licence}\n{faces}"


def subset_font(source: Path, index: int, characters: set[str], target: Path) -> None:
    """Noto Sans CJK SC cut to ``characters``, as WOFF2, with its copyright and licence."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.font_number = index
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = ["*"]
    options.name_IDs = NAME_IDS
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(char) for char in characters])
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(target), options)


def _collect(app, doctree, docname) -> None:
    """After Sphinx has resolved the page (bibliography included): mark and count its Chinese."""
    mark_chinese_runs(doctree)
    app.scs_cjk_characters[docname] = "".join(sorted(characters_in(doctree)))


def _characters_of_the_book(app) -> dict[str, str]:
    """Each page's characters: this build's pages, and those an incremental build left."""
    record = Path(app.doctreedir) / CHARACTERS_RECORD
    known = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}
    known.update(app.scs_cjk_characters)
    known = {docname: chars for docname, chars in known.items() if docname in app.env.found_docs}
    record.write_text(json.dumps(known, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    return known


def _font_source(app) -> tuple[Path, int]:
    path, index = app.config.scs_cjk_font or DEFAULT_FONT
    if not Path(path).is_file():
        raise ExtensionError(
            f"the book's Chinese font is missing: {path} (Noto Sans CJK). Install Debian's "
            "fonts-noto-cjk (`apt-get install fonts-noto-cjk`, done by `make setup`) or set "
            "scs_cjk_font: [path, face number] in _config.yml's sphinx config."
        )
    return Path(path), int(index)


def _write_font(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    font_slices = slices(_characters_of_the_book(app))
    static = Path(app.outdir) / "_static"
    source, index = _font_source(app)
    shutil.rmtree(static / FONT_DIR, ignore_errors=True)
    for number, characters in enumerate(font_slices, start=1):
        subset_font(source, index, set(characters), static / FONT_FILE.format(number=number))
    (static / STYLESHEET).write_text(stylesheet(), encoding="utf-8")
    (static / FONTS_STYLESHEET).write_text(font_faces(font_slices), encoding="utf-8")


def _fonts_for_readers_without_scripts(app, pagename, templatename, context, doctree) -> None:
    """The name ``layout.html`` links in ``<noscript>``, where no script turns the fonts on."""
    context["scs_cjk_fonts_stylesheet"] = f"_static/{FONTS_STYLESHEET}"


def setup(app):
    app.add_config_value("scs_cjk_font", None, "html")
    app.add_node(chinese, html=(_visit_chinese, _depart_chinese))
    app.add_css_file(STYLESHEET)
    app.add_css_file(FONTS_STYLESHEET, media="print", **{MEDIA_AFTER_LOAD: "all"})
    app.scs_cjk_characters = {}
    app.connect("doctree-resolved", _collect)
    app.connect("build-finished", _write_font)
    app.connect("html-page-context", _fonts_for_readers_without_scripts)
