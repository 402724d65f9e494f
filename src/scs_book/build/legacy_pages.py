"""HTML post-processing kept from the former ``pipeline.py``, unchanged, in one place.

These functions rewrite the pages Sphinx has written (``lighten_pages``) and stage the Vega
libraries beside them (``stage_vendor``). Chart pages made inside Sphinx replace them (issue 13,
item 2); :func:`scs_book.build.html.build_html` is their only caller, so deleting this module
and its two calls removes them cleanly.

**Light pages.** A chart that embeds the book's province boundaries is rewritten in the built
page to draw them from one shared, quantized TopoJSON file (``scs_book.topology``),
``_static/geo/provinces.topo.json``; every chart's script becomes one call of the book's
``scsChart`` (``book/_static/scs-charts.js``) with its spec written compactly, and the rows a
chart's footer offers as CSV become a file, ``_static/chart-data/<chart id>.csv``, fetched only on
download. The notebooks keep their self-contained outputs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..paths import ROOT
from ..paths import digest as _digest
from . import BuildError
from .manifest import DataState
from .reproducibility import write_if_changed as _write_if_changed

BOUNDARIES = {
    "resource": "province_boundaries",
    "object": "provinces",
    "file": Path("_static") / "geo" / "provinces.topo.json",
}
CHART_DATA_DIR = Path("_static") / "chart-data"  # each chart's rows as CSV, fetched on download
VENDOR_FILES = {  # served from the book's _static folder, in this load order
    "vega.min.js": "node_modules/vega/build/vega.min.js",
    "vega-lite.min.js": "node_modules/vega-lite/build/vega-lite.min.js",
    "vega-embed.min.js": "node_modules/vega-embed/build/vega-embed.min.js",
}


def vega_versions(manifest: dict[str, Any]) -> dict[str, str]:
    """The Vega versions Altair expects (cached per Altair version: importing Altair is slow)."""
    from importlib import metadata

    altair = metadata.version("altair")
    cached = manifest.get("vega_versions", {})
    if cached.get("altair") == altair:
        return cached["versions"]
    from altair.vegalite.v6.display import VEGA_VERSION, VEGAEMBED_VERSION, VEGALITE_VERSION

    versions = {
        "vega_version": VEGA_VERSION,
        "vegalite_version": VEGALITE_VERSION,
        "vegaembed_version": VEGAEMBED_VERSION,
    }
    manifest["vega_versions"] = {"altair": altair, "versions": versions}
    return versions


def stage_vendor(root: Path = ROOT, manifest: dict[str, Any] | None = None) -> Path:
    """Copy the Vega libraries into _build/vendor (the book serves them itself), with a script
    telling Altair's own chart loader that they are loaded: a page the build has not rewritten
    into ``scsChart`` calls (a plain ``jupyter-book build``, the benchmark's baseline) then
    draws its charts offline too, instead of fetching Vega from a CDN."""
    vendor = root / "_build" / "vendor"
    vendor.mkdir(parents=True, exist_ok=True)
    for name, source in VENDOR_FILES.items():
        if not (root / source).is_file():
            raise BuildError(f"{source} is missing: run `npm ci` (make does) first")
        _copy_if_changed(root / source, vendor / name)
    versions = vega_versions(manifest if manifest is not None else {})
    _write_if_changed(
        vendor / "vega-debug.js",
        "// Altair's charts load Vega from a CDN unless this names the versions "
        "already loaded.\n"
        f"var VEGA_DEBUG = {json.dumps(versions, sort_keys=True)};\n",
    )
    return vendor


def _copy_if_changed(source: Path, target: Path) -> None:
    if not target.is_file() or target.read_bytes() != source.read_bytes():
        shutil.copyfile(source, target)


# The chart's element, then its script: Altair's template (in the notebooks), or the book's
# one-line call (a page lightened before, by an incremental build).
CHART_ELEMENT = re.compile(
    r'<div id="(?P<id>altair-viz-[0-9a-f]+)"></div>\s*'
    r'<script(?: type="text/javascript")?>(?P<script>.*?)</script>',
    re.S,
)
_ALTAIR_CALL = "})("
_CHART_DATA_LINK = re.compile(r'<a class="scs-chart-data" href="(?P<href>[^"]*)"')
_CSV_URI = "data:text/csv;charset=utf-8,"
_BOOK_CALL = 'scsChart("{id}",'


def chart_arguments(script: str, chart_id: str) -> tuple[Any, Any] | None:
    """The spec and embed options a chart's script passes to Vega-Embed; None if unknown."""
    book_call = _BOOK_CALL.format(id=chart_id)
    if script.startswith(book_call):
        start = len(book_call)
    elif _ALTAIR_CALL in script:
        start = script.index(_ALTAIR_CALL) + len(_ALTAIR_CALL)
    else:
        return None
    decoder = json.JSONDecoder()
    try:
        spec, end = decoder.raw_decode(script, start)
        separator = re.compile(r"\s*,\s*").match(script, end)
        if separator is None:
            return None
        options, _ = decoder.raw_decode(script, separator.end())
    except ValueError:
        return None
    return spec, options


def _script_json(value: Any) -> str:
    """JSON for an inline script: compact, UTF-8, and with no "<" that could end the script."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c")


def lighten_pages(html: Path, data: DataState) -> dict[str, int]:
    """Make the built pages lighter without changing what they show.

    * The province boundaries are served once, as TopoJSON: a chart's inline dataset whose rows
      are exactly (a subset of) the boundary features, each at most once, is replaced by the
      shared file plus a lookup that joins the rows' other columns back, by feature. Any other
      use of the geometry is left as it is.
    * Every chart's script becomes one call of the book's ``scsChart`` (its spec compact and in
      UTF-8): the Vega libraries are in every page already, Altair's loader is not needed.
    * A table-like inline dataset is written by columns, its keys once (``_columns_in_spec``).
    * The chart's own rows, a CSV inside the notebook's output, become a file of their own
      (``_static/chart-data/<chart id>.csv``), fetched only when a reader downloads it.

    The notebooks keep their self-contained outputs. Returns what was done, by kind.
    """
    from .. import topology

    by_geometry: dict[str, int] = {}
    target = html / BOUNDARIES["file"]
    resource = data.resources.get(BOUNDARIES["resource"])
    if resource is not None and (data.directory / resource["path"]).is_file():
        features = json.loads((data.directory / resource["path"]).read_text(encoding="utf-8"))
        geometries = [feature["geometry"] for feature in features["features"]]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps(topology.encode(geometries, BOUNDARIES["object"]), separators=(",", ":")),
            encoding="utf-8",
        )
        by_geometry = {_digest(geometry): number for number, geometry in enumerate(geometries)}
    done = {"boundaries": 0, "specs": 0, "columnar datasets": 0, "chart data": 0}
    chart_data = html / CHART_DATA_DIR
    chart_data.mkdir(parents=True, exist_ok=True)
    referenced: set[str] = set()
    for page in sorted(html.rglob("*.html")):
        if page.is_relative_to(html / "_static"):
            continue
        text = original = page.read_text(encoding="utf-8")
        if 'class="scs-chart"' not in text:
            continue
        url = os.path.relpath(target, page.parent).replace(os.sep, "/")
        pieces, position = [], 0
        for figure in re.finditer(r'<figure class="scs-chart">', text):
            figure_end = text.find("</figure>", figure.end())
            figure_end = figure_end if figure_end >= 0 else len(text)
            chart = CHART_ELEMENT.search(text, figure.end(), figure_end)
            arguments = chart and chart_arguments(chart["script"], chart["id"])
            if not arguments:
                raise BuildError(
                    f"{page.relative_to(html)}: a chart's script is not in a form "
                    "the build knows (Altair's template or scsChart)"
                )
            spec, options = arguments
            if by_geometry and _share_in_spec(spec, by_geometry, url, BOUNDARIES["object"]):
                done["boundaries"] += 1
            done["columnar datasets"] += _columns_in_spec(spec)
            call = (
                f'<div id="{chart["id"]}"></div><script>'
                f"{_BOOK_CALL.format(id=chart['id'])}{_script_json(spec)},"
                f"{_script_json(options)})</script>"
            )
            if call != chart[0]:
                pieces += [text[position : chart.start()], call]
                position = chart.end()
                done["specs"] += 1
            link = _CHART_DATA_LINK.search(text, chart.end(), figure_end)
            if link:
                csv_file = chart_data / f"{chart['id']}.csv"
                referenced.add(csv_file.name)
                if link["href"].startswith(_CSV_URI):
                    _write_if_changed(csv_file, unquote(link["href"][len(_CSV_URI) :]))
                    href = os.path.relpath(csv_file, page.parent).replace(os.sep, "/")
                    pieces += [text[position : link.start("href")], href]
                    position = link.end("href")
                    done["chart data"] += 1
                elif not csv_file.is_file():  # the page was kept, its CSV file was not
                    raise BuildError(
                        f"{page.relative_to(html)} links {csv_file.name}, which is "
                        "missing: build again with --clean"
                    )
        text = "".join(pieces) + text[position:]
        if text != original:
            page.write_text(text, encoding="utf-8")
    for stale in chart_data.glob("*.csv"):  # left by an earlier build of a changed chart
        if stale.name not in referenced:
            stale.unlink()
    return done


def _share_in_spec(
    spec: dict[str, Any], by_geometry: dict[str, int], url: str, object_name: str
) -> bool:
    datasets = spec.get("datasets", {})
    changed = False
    for name, rows in list(datasets.items()):
        if not rows or not all(
            isinstance(row, dict)
            and row.get("type") == "Feature"
            and isinstance(row.get("geometry"), dict)
            for row in rows
        ):
            continue
        numbers = [by_geometry.get(_digest(row["geometry"])) for row in rows]
        if None in numbers or len(set(numbers)) != len(numbers):
            continue
        views = _views_using(spec, name)
        if views is None:
            continue
        columns = sorted({key for row in rows for key in row} - {"type", "geometry"})
        datasets[name] = [
            {
                **{k: v for k, v in row.items() if k not in ("type", "geometry")},
                "scs_feature": number,
            }
            for row, number in zip(rows, numbers)
        ]
        steps = [
            {
                "lookup": "id",
                "from": {
                    "data": {"name": name},
                    "key": "scs_feature",
                    "fields": [*columns, "scs_feature"],
                },
            }
        ]
        if len(numbers) < len(by_geometry):  # only some areas: draw only those
            steps.append({"filter": "isValid(datum.scs_feature)"})
        for view in views:
            view["data"] = {"url": url, "format": {"type": "topojson", "feature": object_name}}
            view["transform"] = steps + view.get("transform", [])
        changed = True
    return changed


def _columns_in_spec(spec: dict[str, Any]) -> int:
    """Write each table-like inline dataset once per column instead of once per row (its keys
    are then written once); a ``flatten`` transform, first in every view that draws it, gives
    back the same rows, with the same values and types. Returns the number of datasets.

    Left as they are: specs where a flattened row would not behave as the original one
    (``_flatten_unsafe``), and columns whose names Vega would read as paths."""
    if _flatten_unsafe(spec):
        return 0
    changed = 0
    for name, rows in spec.get("datasets", {}).items():
        if len(rows) < 2 or not all(isinstance(row, dict) and row for row in rows):
            continue
        columns = list(rows[0])
        if any(row.keys() != rows[0].keys() for row in rows) or any(
            isinstance(value, (dict, list)) for row in rows for value in row.values()
        ):
            continue  # ragged, nested, or already one row of columns
        if any(re.search(r"[.\[\]\\]", column) for column in columns):
            continue  # "a.b" would be flattened as the path a -> b
        views = _views_using(spec, name)
        if views is None:
            continue
        spec["datasets"][name] = [{column: [row[column] for row in rows] for column in columns}]
        for view in views:
            view["transform"] = [{"flatten": columns}, *view.get("transform", [])]
        changed += 1
    return changed


def _flatten_unsafe(spec: Any) -> bool:
    """True if the spec has a temporal field (Vega-Lite does not parse the dates of a field a
    ``flatten`` derives, and would drop every row) or a point selection that tells rows apart
    by their row id (every row a flatten makes shares its source's id)."""
    if isinstance(spec, dict):
        if spec.get("type") == "temporal" or "timeUnit" in spec:
            return True
        select = spec.get("select")
        if select == "point" or (
            isinstance(select, dict)
            and select.get("type") == "point"
            and not (select.get("fields") or select.get("encodings"))
        ):
            return True
        return any(_flatten_unsafe(value) for key, value in spec.items() if key != "datasets")
    if isinstance(spec, list):
        return any(_flatten_unsafe(item) for item in spec)
    return False


def _views_using(spec: Any, name: str) -> list[dict[str, Any]] | None:
    """The views whose data is the named dataset; None if it is used any other way."""
    views: list[dict[str, Any]] = []
    reference = {"name": name}
    uses = json.dumps(spec).count(json.dumps(name))

    def walk(node):
        if isinstance(node, dict):
            if node.get("data") == reference and not {"key", "fields", "lookup"} & set(node):
                views.append(node)
            for key, value in node.items():
                if key != "datasets":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    # The name occurs once as the key of "datasets" and once per view; otherwise it is also
    # used elsewhere (a lookup, a facet), where a URL cannot stand in for it.
    return views if views and uses == len(views) + 1 else None


def report(done: dict[str, int]) -> None:
    """Say what :func:`lighten_pages` did."""
    print(
        f"pages: {done['boundaries']} map(s) draw the boundaries from {BOUNDARIES['file']}; "
        f"{done['specs']} chart script(s) made one scsChart call; {done['columnar datasets']} "
        f"dataset(s) written by columns; {done['chart data']} chart "
        f"data file(s) written to {CHART_DATA_DIR}",
        flush=True,
    )
