"""The theme's and extensions' stylesheets cut to the rules the book uses (part of the book's
Sphinx extension).

Every page links pydata-sphinx-theme's stylesheet, which carries the whole of Bootstrap 5:
400 KB (66 KB compressed) that a phone downloads before it paints anything, for the handful of
components the theme draws. After the build, PurgeCSS (npm, pinned in ``package.json``) keeps
each rule whose selectors name only classes, ids, elements and attributes that occur in the
pages or in the scripts served with them (so a class a script adds, such as Bootstrap's
``show``, keeps its rules), and each stylesheet is written over its copy in ``_static`` under the
same name, so no link changes. Custom properties, keyframes and font faces are kept whole:
scripts read some of them (Bootstrap reads ``--bs-position``).

Sphinx copies the full stylesheets into ``_static`` at every build, before this runs, so each
build cuts from the full files: a page that starts using a new class finds its rule. The book's
own stylesheets (``scs-*.css``) are written for the book and left as they are.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from sphinx.errors import ExtensionError

from .icons import UNUSED_SCRIPT

PURGECSS = Path("node_modules") / ".bin" / "purgecss"
OWN_PREFIX = "scs-"


def stylesheets_to_cut(static: Path) -> list[Path]:
    """The stylesheets in ``static`` that come from the theme and the extensions."""
    sheets = sorted(p for p in static.rglob("*.css") if not p.name.startswith(OWN_PREFIX))
    names = [sheet.name for sheet in sheets]
    doubled = sorted({name for name in names if names.count(name) > 1})
    if doubled:  # PurgeCSS writes its output by file name
        raise ExtensionError(f"two stylesheets in {static} share a name: {', '.join(doubled)}")
    return sheets


def cut_stylesheets(outdir: Path, purgecss: Path) -> list[Path]:
    """Cut the theme's and extensions' stylesheets in ``outdir/_static`` to the rules the
    pages and scripts of ``outdir`` use; each file is replaced whole, never half-written."""
    static = outdir / "_static"
    sheets = stylesheets_to_cut(static)
    if not sheets:
        return []
    if not purgecss.is_file():
        raise ExtensionError(
            f"{purgecss} is missing: run `npm ci` (the build cuts the theme's stylesheets "
            "with the PurgeCSS version package-lock.json pins)"
        )
    with tempfile.TemporaryDirectory(dir=static) as cut:
        command = [str(purgecss), "--css", *map(str, sheets)]
        command += ["--content", f"{outdir}/**/*.html", f"{static}/**/*.js"]
        command += ["--skippedContentGlobs", f"**/{UNUSED_SCRIPT}", "--output", cut]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise ExtensionError(f"PurgeCSS failed on {static}: {done.stderr.strip()}")
        for sheet in sheets:
            os.replace(Path(cut) / sheet.name, sheet)
    return sheets


def _cut_after_build(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    cut_stylesheets(Path(app.outdir), Path(app.srcdir) / PURGECSS)


def setup(app):
    # Before the icon fonts are cut (priority 500): a glyph only a removed rule drew is not kept.
    app.connect("build-finished", _cut_after_build, priority=400)
