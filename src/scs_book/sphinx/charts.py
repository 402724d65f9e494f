"""Chart pages made inside Sphinx.

:class:`ChartMimeRenderer`, a myst-nb MIME renderer plugin (entry point
``myst_nb.mime_renderers``), turns a chart output (``scs_book.chart_output``) into the figure
of the page: the element Vega draws into, the spec and the chart's rows as escaped JSON, the
footer, downloads (PNG, SVG, CSV), a data-table view, a link to the figure and a line to cite it.
``scs-charts.js`` draws it.

Each chart's Vega-Lite spec is compiled to Vega here, by the pinned Vega-Lite run by Node
(``compile_vega_lite.mjs``), so the pages need neither Vega-Lite (80 KB compressed) nor the time
a phone takes to compile. The extension serves the pinned Vega and Vega-Embed from
``node_modules`` (copied into ``_static/scs-vendor`` when the builder starts); ``scs-charts.js``,
added deferred only to pages that draw a chart, loads them when the reader nears the first
chart. It copies the data package beside the pages, with its zip archive (footers link its
files and the maps read ``data/provinces.topo.json``).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ..chart_output import (
    CHART_MIME,
    TITLE_SCRIPT,
    bundle_problems,
    canvas_html,
    dataset_rows,
    inline_datasets,
    script_json,
    table_rows,
)

STATIC = Path(__file__).with_name("static")
VENDOR_DIR = "scs-vendor"
VENDOR_FILES = ("vega/build/vega.min.js", "vega-embed/build/vega-embed.min.js")
VEGA_LITE_MODULE = Path("vega-lite") / "build" / "index.js"
COMPILER = Path(__file__).with_name("compile_vega_lite.mjs")
CHART_NODE_CLASS = "scs-chart-output"
logger = logging.getLogger(__name__)


class ChartMimeRenderer:
    """myst-nb plugin: the book's chart output, preferred to its HTML fallback in HTML builds."""

    mime_priority_overrides = [
        ("html", CHART_MIME, 1),
        ("dirhtml", CHART_MIME, 1),
        ("singlehtml", CHART_MIME, 1),
    ]

    @staticmethod
    def handle_mime(renderer, data, inline) -> list[nodes.Element] | None:
        if data.mime_type != CHART_MIME:
            return None
        bundle = data.content
        if isinstance(bundle, (str, bytes)):
            bundle = json.loads(bundle)
        problems = bundle_problems(bundle)
        if problems:
            renderer.logger.warning(
                f"cell {data.cell_index}: chart output not drawn: {'; '.join(problems)} "
                "(re-execute the notebook with the book's scs_book package)",
                subtype="scs_chart",
                line=data.line,
            )
            return []
        document = renderer.renderer.document
        env = getattr(renderer.renderer, "sphinx_env", None)
        node_modules = Path(getattr(env, "srcdir", None) or ".") / "node_modules"
        spec, notes = vega_spec(bundle["spec"], node_modules)
        for note in notes:
            logger.info(f"cell {data.cell_index}: Vega-Lite: {note}")
        taken = document.__dict__.setdefault("scs_chart_anchors", set())
        anchor = figure_anchor(bundle["title"], taken)
        node = nodes.raw(
            "",
            figure_html(bundle, spec, anchor, citation(env)),
            format="html",
            classes=[CHART_NODE_CLASS],
        )
        return [node]


def vega_spec(spec: dict[str, Any], node_modules: Path) -> tuple[dict[str, Any], list[str]]:
    """The Vega spec the book's pinned Vega-Lite compiles ``spec`` to, and its warnings."""
    module = node_modules / VEGA_LITE_MODULE
    node = shutil.which("node")
    if not module.is_file() or node is None:
        raise ExtensionError(
            f"{module} (run `npm ci`) and Node are needed: the build compiles each chart's "
            "Vega-Lite spec with the version package-lock.json pins"
        )
    done = subprocess.run(
        [node, str(COMPILER), str(module)],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    if done.returncode != 0:
        errors = [line for line in lines if line.startswith("Error")] or lines[-1:]
        raise ExtensionError(
            f"Vega-Lite could not compile the chart {spec.get('title')!r}: {'; '.join(errors)}"
        )
    return json.loads(done.stdout), lines


def figure_anchor(title: str, taken: set[str]) -> str:
    """An id for the figure, unique on its page: from its number ("Figure 2: ..." gives
    ``chart-figure-2``), else from the first words of its title."""
    numbered = re.match(r"\s*((?:figure|table|chart)\s+[\w.]+)\s*:", title, re.I)
    words = numbered[1] if numbered else " ".join(title.split()[:5])
    base = "chart-" + (re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-") or "figure")
    anchor, number = base, 2
    while anchor in taken:
        anchor, number = f"{base}-{number}", number + 1
    taken.add(anchor)
    return anchor


SPHINX_DEFAULT_PROJECT = "Project name not set"


def citation(env) -> dict[str, str]:
    """The book's author, year and title, for the "cite this figure" line (Jupyter Book sets
    the title as ``html_title``; a plain Sphinx project names it ``project``)."""
    config = env.config if env is not None else None
    project = getattr(config, "project", "") or ""
    book = getattr(config, "html_title", "") if project in ("", SPHINX_DEFAULT_PROJECT) else project
    return {
        "author": getattr(config, "author", "") or "",
        "year": str(getattr(config, "copyright", "") or "").split(",")[0].strip(),
        "book": book or "",
    }


def figure_html(
    bundle: dict[str, Any], spec: dict[str, Any], anchor: str, cite: dict[str, str]
) -> str:
    """The chart's figure on the book's page (drawn by ``scs-charts.js`` from ``spec``, the
    bundle's spec compiled to Vega)."""
    data = {key: bundle[key] for key in ("filename", "title")}
    data["spec"], data["packed"] = packed_datasets(spec)
    data["table"] = page_table(bundle, spec)
    rows = len(bundle["table"]["rows"])
    title, link = html.escape(bundle["title"]), f"#{anchor}"
    who = html.escape(f"{cite['author']} ({cite['year']})" if cite["year"] else cite["author"])
    buttons = "".join(
        f'<button type="button" data-scs-export="{kind}" disabled>{label}</button>'
        for kind, label in (("png", "PNG"), ("svg", "SVG"), ("csv", "CSV"))
    )
    return (
        f'<figure class="scs-chart" id="{anchor}">{canvas_html(bundle)}'
        f'<script type="application/json" class="scs-chart-bundle">{script_json(data)}</script>'
        f"{bundle['footer_html']}"
        f'<div class="scs-chart-tools"><span>Download:</span> {buttons}'
        f'<a class="scs-chart-link" href="{link}">Link to this figure</a></div>'
        f'<details class="scs-chart-table"><summary>Data table ({rows} rows)</summary>'
        f'<div class="scs-chart-table-frame" tabindex="0" role="region" '
        f'aria-label="Data of: {title}"></div></details>'
        f'<p class="scs-chart-cite">Cite this figure: {who}, “{title}”, in '
        f'<em>{html.escape(cite["book"])}</em>, <a class="scs-chart-cite-url" href="{link}">'
        f"{link}</a>.</p></figure>"
    )


def packed_datasets(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The Vega spec without the values of its table-like inline datasets, and those values
    written with their keys once: ``{name: {"keys": [...], "rows": [[...], ...]}}``.
    ``scs-charts.js`` rebuilds the very same values before Vega sees the spec."""
    data, packed = [], {}
    for entry in spec.get("data", []):
        rows = entry.get("values")
        if isinstance(rows, list) and len(rows) > 1 and all(isinstance(row, dict) for row in rows):
            keys = list(rows[0])
            if all(list(row) == keys for row in rows):
                packed[entry["name"]] = {"keys": keys, "rows": [list(r.values()) for r in rows]}
                entry = {**entry, "values": []}  # filled in by scs-charts.js
        data.append(entry)
    if not packed:
        return spec, {}
    return {**spec, "data": data}, packed


def page_table(bundle: dict[str, Any], spec: dict[str, Any]) -> dict[str, list]:
    """The chart's table as the page carries it: its columns and fields only when the rows are
    exactly those the page derives from the Vega spec's datasets (``scs-charts.js``), else in
    full. An author's own rows (``credit(rows=...)``) name no fields: those are looked for
    among the datasets' columns."""
    table = bundle["table"]
    datasets = inline_datasets(spec)
    fields = table.get("fields")
    if not isinstance(fields, list):
        fields = matching_fields(datasets, table["rows"])
    if fields and table_rows(datasets, fields) == table["rows"]:
        return {"columns": table["columns"], "fields": fields}
    return {"columns": table["columns"], "rows": table["rows"]}


def matching_fields(datasets: list[list[Any]], rows: list[list[Any]]) -> list[str] | None:
    """For each column of ``rows``, the first field of an inline dataset holding exactly that
    column's values, row for row; None when some column has no such field."""
    for values in datasets:
        records = dataset_rows(values)
        if not rows or len(records) != len(rows):
            continue
        keys = list(dict.fromkeys(key for record in records for key in record))
        columns = [[row[index] for row in rows] for index in range(len(rows[0]))]
        fields = [
            next((key for key in keys if [cell(r.get(key)) for r in records] == column), None)
            for column in columns
        ]
        if None not in fields:
            return fields
    return None


def cell(value: Any) -> Any:
    """A dataset value as a table row carries it (a missing value is "")."""
    return "" if value is None else value


def _has_chart(doctree) -> bool:
    return doctree is not None and any(
        CHART_NODE_CLASS in node.get("classes", []) for node in doctree.findall(nodes.raw)
    )


def _chart_assets(app, pagename, templatename, context, doctree) -> None:
    """The chart script, deferred (first paint never waits), on chart pages only; it loads
    Vega from ``_static/scs-vendor`` itself, when a chart is near."""
    if not _has_chart(doctree):
        return
    app.add_js_file(TITLE_SCRIPT.name, defer="defer")
    app.add_js_file("scs-charts.js", defer="defer")
    app.add_css_file("scs-charts.css")


def _copy_if_changed(source: Path, target: Path) -> None:
    if not target.is_file() or target.read_bytes() != source.read_bytes():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def _stage_vendor(app) -> None:
    """The pinned Vega libraries into the output's _static before any page is written (so the
    pages' checksummed links are the same in a clean and an incremental build)."""
    if app.builder.format != "html":
        return
    modules = Path(app.srcdir) / "node_modules"
    target = Path(app.outdir) / "_static"
    for name in VENDOR_FILES:
        source = modules / name
        if not source.is_file():
            raise ExtensionError(
                f"{source} is missing: run `npm ci` in {app.srcdir} (the "
                "book serves the Vega versions package-lock.json pins)"
            )
        _copy_if_changed(source, target / VENDOR_DIR / source.name)
    for source in (*STATIC.iterdir(), TITLE_SCRIPT):
        _copy_if_changed(source, target / source.name)


def _stage_data(app, exception) -> None:
    """The data package beside the pages, and as one zip archive: footers link its files, maps
    read its TopoJSON, the About-the-data page links the archive. Files no longer in the data
    directory are removed; unchanged ones are left as they are."""
    if exception is not None or app.builder.format != "html":
        return
    from ..archive import ARCHIVE, write_archive
    from ..paths import data_dir

    source, target = data_dir(), Path(app.outdir) / "data"
    names = {path.name for path in source.iterdir() if path.is_file()}
    if target.is_dir():
        for stale in target.iterdir():
            if stale.is_file() and stale.name not in names | {ARCHIVE}:
                stale.unlink()
    for name in sorted(names):
        _copy_if_changed(source / name, target / name)
    fresh = write_archive(source, target / f"{ARCHIVE}.new")
    _copy_if_changed(fresh, target / ARCHIVE)
    fresh.unlink()


def setup(app) -> None:
    app.connect("builder-inited", _stage_vendor)
    app.connect("html-page-context", _chart_assets)
    app.connect("build-finished", _stage_data)
