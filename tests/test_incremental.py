"""The build's decisions, fast: what each notebook read, when it must run again, the shared
boundary file and the reproducibility page (the end-to-end checks are in test_pipeline.py)."""

from __future__ import annotations

import copy
import datetime
import json
import subprocess
from pathlib import Path

import pytest

from scs_book import pipeline, readlog, topology
from scs_book.datapackage import DATA_DIR_ENV, data_dir, load

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "01_general_framework.ipynb"


# --- the read log ------------------------------------------------------------------------------

def test_loaders_log_nothing_without_the_variable(data_copy, monkeypatch, tmp_path):
    log = tmp_path / "reads.jsonl"
    monkeypatch.setenv(readlog.READ_LOG_ENV, str(log))
    monkeypatch.delenv(readlog.READ_LOG_ENV)
    load("table2_china_cctv")
    assert not log.exists()


def test_loaders_log_each_dataset_with_the_hash_of_the_file_they_validated(
        data_copy, monkeypatch, tmp_path):
    log = tmp_path / "reads.jsonl"
    monkeypatch.setenv(readlog.READ_LOG_ENV, str(log))
    load("table2_china_cctv")
    load("table2_china_cctv")  # a second load (served from the cache) is logged too
    record = readlog.read(log)
    descriptor = json.loads(data_copy.path("datapackage.json").read_text())
    entry = next(r for r in descriptor["resources"] if r["name"] == "table2_china_cctv")
    read = record["resources"]["table2_china_cctv"]
    assert read == {"path": "table2_china_cctv.csv",
                    "sha256": entry["hash"].removeprefix("sha256:"),
                    "descriptor": readlog.entry_hash(entry)}
    assert record["listing"] == readlog.listing_hash(r["name"] for r in descriptor["resources"])
    assert "timeline_events" not in record["resources"]


def test_a_missing_log_is_an_empty_record(tmp_path):
    assert readlog.read(tmp_path / "none.jsonl") == {"listing": None, "resources": {}}


def test_the_build_finds_the_same_data_directory_as_the_loaders(monkeypatch, tmp_path):
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    assert pipeline.data_dir() == data_dir().resolve()
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    assert pipeline.data_dir() == data_dir().resolve() == tmp_path.resolve()
    assert pipeline.DATA_DIR_ENV == DATA_DIR_ENV


# --- what changed ------------------------------------------------------------------------------

@pytest.fixture
def recorded(data_copy):
    """A manifest entry as the build writes it after a notebook read tables 1 and 2."""
    data = pipeline.DataState(data_copy.directory)
    state = {"code": "c", "outputs": "o", "src": "s", "environment": "e", "data_dir": "data"}
    reads = {"listing": data.listing, "resources": {}}
    for name in ("table1_surveilled_cities", "table2_china_cctv"):
        resource = data.resources[name]
        reads["resources"][name] = {"path": resource["path"],
                                    "sha256": data.file_hash(resource["path"]),
                                    "descriptor": readlog.entry_hash(resource)}
    entry = {"version": pipeline.MANIFEST_VERSION, **state, "reads": reads, "seconds": 1.0}
    return entry, state


def reasons(entry, state, data_copy):
    return pipeline.reasons_to_execute(entry, state, pipeline.DataState(data_copy.directory))


def test_nothing_changed_means_no_execution(recorded, data_copy):
    entry, state = recorded
    assert reasons(entry, state, data_copy) == []


def test_a_notebook_without_a_record_executes(recorded, data_copy):
    entry, state = recorded
    assert reasons(None, state, data_copy)
    assert reasons({**entry, "version": -1}, state, data_copy)


@pytest.mark.parametrize("key", ["code", "outputs", "src", "environment", "data_dir"])
def test_a_changed_input_of_the_notebook_executes_it(recorded, data_copy, key):
    entry, state = recorded
    assert len(reasons(entry, {**state, key: "changed"}, data_copy)) == 1


def test_editing_a_data_file_the_notebook_read_executes_it(recorded, data_copy):
    entry, state = recorded
    data_copy.edit_text("table2_china_cctv.csv", lambda t: t.replace(",15065778", ",15065779"))
    assert reasons(entry, state, data_copy) == ["data/table2_china_cctv.csv changed"]


def test_editing_a_data_file_the_notebook_did_not_read_does_not(recorded, data_copy):
    entry, state = recorded
    data_copy.edit_text("timeline_events.csv", lambda t: t + "\n" if not t.endswith("\n") else t[:-1])
    assert data_copy.path("timeline_events.csv").read_bytes()  # the file did change
    assert reasons(entry, state, data_copy) == []


def test_a_changed_description_of_a_dataset_it_read_executes_it(recorded, data_copy):
    entry, state = recorded
    data_copy.edit_descriptor(lambda d: next(
        r for r in d["resources"] if r["name"] == "table1_surveilled_cities").update(title="New"))
    assert reasons(entry, state, data_copy) == [
        "the description of table1_surveilled_cities in data/datapackage.json changed"]


def test_a_removed_or_added_dataset_executes_it(recorded, data_copy):
    entry, state = recorded
    data_copy.edit_descriptor(lambda d: d["resources"].pop(
        next(i for i, r in enumerate(d["resources"]) if r["name"] == "table1_surveilled_cities")))
    found = reasons(entry, state, data_copy)
    assert "dataset table1_surveilled_cities is no longer in data/datapackage.json" in found
    assert "the list of datasets in data/datapackage.json changed" in found


def test_code_hash_ignores_outputs_and_markdown_but_not_code():
    notebook = json.loads(NOTEBOOK.read_text())
    other = copy.deepcopy(notebook)
    for cell in other["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        else:
            cell["source"] = "rewritten prose"
    assert pipeline.code_hash(other) == pipeline.code_hash(notebook)
    assert pipeline.outputs_hash(other) != pipeline.outputs_hash(notebook)
    code = next(c for c in other["cells"] if c["cell_type"] == "code")
    code["source"] = "data_dir = 'elsewhere'"
    assert pipeline.code_hash(other) != pipeline.code_hash(notebook)


def test_the_build_code_is_every_module_sphinx_loads_and_the_driver():
    """A change of any of them makes the next HTML step a clean one (the pages Sphinx keeps
    were made by the old code); none of them makes a notebook execute again."""
    import yaml

    config = yaml.safe_load((pipeline.ROOT / "_config.yml").read_text(encoding="utf-8"))
    ours = {name.split(".", 1)[1] + ".py" for name in config["sphinx"]["config"]["extensions"]
            if name.startswith("scs_book.")}
    build_code = {path.name for path in pipeline.BUILD_CODE}
    assert ours and ours <= build_code and {"pipeline.py", "topology.py"} <= build_code
    assert all(path.is_file() for path in pipeline.BUILD_CODE)


def test_src_hash_covers_the_package_but_not_the_build_driver(tmp_path):
    package = tmp_path / "src" / "scs_book"
    package.mkdir(parents=True)
    (package / "charts.py").write_text("A = 1\n")
    (package / "pipeline.py").write_text("B = 1\n")
    before = pipeline.src_hash(tmp_path)
    (package / "pipeline.py").write_text("B = 2\n")
    assert pipeline.src_hash(tmp_path) == before
    (package / "charts.py").write_text("A = 2\n")
    changed = pipeline.src_hash(tmp_path)
    assert changed != before
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "references.bib").write_text("@book{a, title={A}}\n")
    assert pipeline.src_hash(tmp_path) != changed  # the package reads the bibliography


def test_manifest_round_trip_and_unknown_versions(tmp_path):
    assert pipeline.read_manifest(tmp_path) == {"notebooks": {}}
    pipeline.write_manifest({"notebooks": {"a.ipynb": {"seconds": 1}}}, tmp_path)
    assert pipeline.read_manifest(tmp_path)["notebooks"] == {"a.ipynb": {"seconds": 1}}
    pipeline.manifest_path(tmp_path).write_text('{"version": -1, "notebooks": {"x": {}}}')
    assert pipeline.read_manifest(tmp_path) == {"notebooks": {}}
    pipeline.manifest_path(tmp_path).write_text("not json")
    assert pipeline.read_manifest(tmp_path) == {"notebooks": {}}


# --- the shared boundary file ------------------------------------------------------------------

def boundary_geometries():
    collection = json.loads((ROOT / "data" / "provinces.geojson").read_text())
    return [feature["geometry"] for feature in collection["features"]]


def rotations_equal(a, b):
    a, b = [tuple(p) for p in a[:-1]], [tuple(p) for p in b[:-1]]
    return len(a) == len(b) and any(a == b[i:] + b[:i] for i in range(len(b)))


def test_topojson_round_trip_keeps_every_ring_on_the_grid():
    geometries = boundary_geometries()
    topo = topology.encode(geometries, "provinces")
    (kx, ky), (x0, y0) = topo["transform"]["scale"], topo["transform"]["translate"]
    decoded = topology.decode(topo, "provinces")
    assert len(decoded) == len(geometries)
    for source, back in zip(geometries, decoded):
        assert back["type"] == source["type"]
        source_rings, back_rings = list(topology._rings(source)), list(topology._rings(back))
        assert len(source_rings) == len(back_rings)
        for ring, decoded_ring in zip(source_rings, back_rings):
            snapped = []
            for x, y in ring:  # the source ring snapped to the grid, repeated points dropped
                point = (round((x - x0) / kx), round((y - y0) / ky))
                if not snapped or snapped[-1] != point:
                    snapped.append(point)
            grid = [(round((x - x0) / kx), round((y - y0) / ky)) for x, y in decoded_ring]
            assert rotations_equal(snapped, grid)
            # on the grid, 0.0006 degree at most from the source (which has 3 decimals)
            assert max(kx, ky) < 0.001


def test_neighbours_share_their_border_as_one_arc():
    left = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    right = {"type": "Polygon", "coordinates": [[[1, 0], [1, 1], [2, 1], [2, 0], [1, 0]]]}
    topo = topology.encode([left, right], "cells", quantization=3)
    left_arcs = topo["objects"]["cells"]["geometries"][0]["arcs"][0]
    right_arcs = topo["objects"]["cells"]["geometries"][1]["arcs"][0]
    shared = {a if a >= 0 else ~a for a in left_arcs} & {a if a >= 0 else ~a for a in right_arcs}
    assert len(shared) == 1  # the border x = 1, stored once
    assert len(topo["arcs"]) == 3
    assert [rotations_equal(r, s) for r, s in zip(
        [g["coordinates"][0] for g in topology.decode(topo, "cells")],
        [left["coordinates"][0], right["coordinates"][0]])] == [True, True]


def chart_spec(rows, extra_use=False):
    spec = {"datasets": {"data-geo": rows, "data-points": [{"a": 1}]},
            "layer": [{"data": {"name": "data-geo"}, "mark": "geoshape",
                       "encoding": {"fill": {"field": "kind"}}},
                      {"data": {"name": "data-points"}, "mark": "circle"}]}
    if extra_use:
        spec["layer"][1]["transform"] = [{"lookup": "a", "from": {
            "data": {"name": "data-geo"}, "key": "name_en", "fields": ["geometry"]}}]
    return spec


def feature_rows(geometries, indices):
    return [{"name_en": f"area {i}", "kind": "mainland", "type": "Feature",
             "geometry": geometries[i]} for i in indices]


def test_a_chart_embedding_the_boundaries_draws_them_from_the_shared_file():
    geometries = boundary_geometries()
    by_geometry = {pipeline._digest(g): i for i, g in enumerate(geometries)}
    spec = chart_spec(feature_rows(geometries, range(len(geometries))))
    assert pipeline._share_in_spec(spec, by_geometry, "../_static/geo/p.json", "provinces")
    view = spec["layer"][0]
    assert view["data"] == {"url": "../_static/geo/p.json",
                            "format": {"type": "topojson", "feature": "provinces"}}
    assert view["transform"][0]["lookup"] == "id"
    assert view["transform"][0]["from"]["fields"] == ["kind", "name_en", "scs_feature"]
    assert len(view["transform"]) == 1  # every area is drawn: no filter
    assert "geometry" not in json.dumps(spec["datasets"])
    assert spec["datasets"]["data-geo"][3] == {"name_en": "area 3", "kind": "mainland",
                                               "scs_feature": 3}
    assert spec["layer"][1] == {"data": {"name": "data-points"}, "mark": "circle"}


def test_a_subset_of_the_areas_is_filtered_and_other_uses_are_left_alone():
    geometries = boundary_geometries()
    by_geometry = {pipeline._digest(g): i for i, g in enumerate(geometries)}
    subset = chart_spec(feature_rows(geometries, [0, 5]))
    assert pipeline._share_in_spec(subset, by_geometry, "u", "provinces")
    assert subset["layer"][0]["transform"][1] == {"filter": "isValid(datum.scs_feature)"}
    for spec in (chart_spec(feature_rows(geometries, [0, 0])),  # an area twice
                 chart_spec(feature_rows(geometries, [0]), extra_use=True),  # used in a lookup
                 chart_spec([{**feature_rows(geometries, [0])[0],  # another geometry
                              "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0],
                                                                               [0, 1], [0, 0]]]}}])):
        before = copy.deepcopy(spec)
        assert not pipeline._share_in_spec(spec, by_geometry, "u", "provinces")
        assert spec == before


def test_a_dataset_is_written_by_columns_only_when_rows_come_back_the_same():
    rows = [{"name": "A", "value": 1}, {"name": "B", "value": None}]
    spec = {"datasets": {"d": rows}, "layer": [{"data": {"name": "d"}, "mark": "bar"},
                                              {"data": {"name": "d"}, "transform": [{"x": 1}]}]}
    assert pipeline._columns_in_spec(spec) == 1
    assert spec["datasets"]["d"] == [{"name": ["A", "B"], "value": [1, None]}]
    assert spec["layer"][0]["transform"] == [{"flatten": ["name", "value"]}]
    assert spec["layer"][1]["transform"] == [{"flatten": ["name", "value"]}, {"x": 1}]
    assert pipeline._columns_in_spec(spec) == 0  # already by columns
    for unchanged in (
        [{"name": "A"}, {"name": "B", "value": 2}],            # ragged rows
        [{"name": "A", "tags": [1]}, {"name": "B", "tags": []}],  # nested values
    ):
        spec = {"datasets": {"d": unchanged}, "data": {"name": "d"}, "mark": "bar"}
        assert pipeline._columns_in_spec(spec) == 0 and spec["datasets"]["d"] == unchanged
    looked_up = {"datasets": {"d": rows}, "data": {"name": "e"}, "transform": [
        {"lookup": "name", "from": {"data": {"name": "d"}, "key": "name", "fields": ["value"]}}]}
    assert pipeline._columns_in_spec(looked_up) == 0  # a lookup cannot flatten its source


DRAW_WITH_VEGA = """
import * as vega from "vega";
import * as vl from "vega-lite";
let text = "";
for await (const chunk of process.stdin) text += chunk;
const view = new vega.View(vega.parse(vl.compile(JSON.parse(text)).spec), {renderer: "none"});
process.stdout.write(await view.toSVG());
"""


def drawn(spec: dict) -> str:
    """The SVG the book's own Vega-Lite and Vega (node_modules) draw for a spec."""
    result = subprocess.run(["node", "--input-type=module", "-e", DRAW_WITH_VEGA],
                            input=json.dumps(spec), cwd=pipeline.ROOT, capture_output=True,
                            text=True, check=True)
    return result.stdout


def test_a_dataset_written_by_columns_draws_the_same_chart():
    rows = [{"name": "A", "value": 1.5, "flag": True, "note": None},
            {"name": "B", "value": None, "flag": False, "note": "x"},
            {"name": "C", "value": 3, "flag": True, "note": ""}]
    spec = {"datasets": {"d": rows}, "data": {"name": "d"}, "mark": "bar",
            "transform": [{"filter": "datum.value !== null"}],
            "encoding": {"x": {"field": "name", "type": "nominal"},
                         "y": {"field": "value", "type": "quantitative"},
                         "color": {"field": "flag", "type": "nominal"},
                         "tooltip": [{"field": "note"}, {"field": "value"}]}}
    by_columns = copy.deepcopy(spec)
    assert pipeline._columns_in_spec(by_columns) == 1
    before = drawn(spec)
    assert "A" in before and drawn(by_columns) == before


@pytest.mark.parametrize("change", [
    {"encoding": {"x": {"field": "when", "type": "temporal"}}},
    {"encoding": {"x": {"field": "when", "timeUnit": "year", "type": "ordinal"}}},
    {"params": [{"name": "pick", "select": "point"}]},
    {"params": [{"name": "pick", "select": {"type": "point", "on": "click"}}]},
], ids=["temporal field", "time unit", "point selection", "point selection without fields"])
def test_a_spec_a_flatten_would_change_keeps_its_rows(change):
    rows = [{"when": "2020-01-02", "n": 1}, {"when": "2021-03-04", "n": 2}]
    spec = {"datasets": {"d": rows}, "data": {"name": "d"}, "mark": "point", **change}
    assert pipeline._columns_in_spec(spec) == 0 and spec["datasets"]["d"] == rows
    spec = {**spec, "params": [{"name": "pick", "select": {"type": "point", "fields": ["n"]}}]}
    if "encoding" not in change:  # a point selection by field tells rows apart by their values
        assert pipeline._columns_in_spec(spec) == 1


@pytest.mark.parametrize("rows", [
    [{"a.b": 1}, {"a.b": 2}], [{"a[0]": 1}, {"a[0]": 2}], [{}, {}],
], ids=["dotted name", "bracketed name", "no columns"])
def test_columns_vega_would_read_as_paths_are_left_alone(rows):
    spec = {"datasets": {"d": rows}, "data": {"name": "d"}, "mark": "point"}
    assert pipeline._columns_in_spec(spec) == 0 and spec["datasets"]["d"] == rows


def test_a_figure_whose_chart_the_build_cannot_read_stops_it_and_leaves_the_page(tmp_path):
    page = tmp_path / "html" / "notebooks" / "page.html"
    page.parent.mkdir(parents=True)
    good = ('<figure class="scs-chart"><div id="altair-viz-00aa"></div><script>'
            'scsChart("altair-viz-00aa",{"mark":"bar"},{"renderer":"svg"})</script></figure>')
    text = ('<figure class="scs-chart"><div id="altair-viz-11bb" class="odd"></div>'
            '<script>draw()</script></figure>' + good)
    page.write_text(text)
    with pytest.raises(pipeline.BuildError, match=r"notebooks/page\.html: a chart's script"):
        pipeline.lighten_pages(tmp_path / "html", pipeline.DataState(tmp_path / "no-data"))
    assert page.read_text() == text


def test_a_kept_page_whose_chart_data_file_is_lost_asks_for_a_clean_build(tmp_path):
    page = tmp_path / "html" / "notebooks" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text('<figure class="scs-chart"><div id="altair-viz-00aa"></div><script>'
                    'scsChart("altair-viz-00aa",{"mark":"bar"},{"renderer":"svg"})</script>'
                    '<figcaption><a class="scs-chart-data" href="../_static/chart-data/'
                    'altair-viz-00aa.csv" download="x.csv">chart data (CSV)</a></figcaption>'
                    '</figure>')
    with pytest.raises(pipeline.BuildError, match="altair-viz-00aa.csv, which is missing"):
        pipeline.lighten_pages(tmp_path / "html", pipeline.DataState(tmp_path / "no-data"))


def test_built_pages_are_lightened_without_changing_what_they_show(tmp_path, data_copy):
    geometries = boundary_geometries()
    spec = chart_spec(feature_rows(geometries, range(len(geometries))))
    csv = "name,value\nA,1\n"
    from urllib.parse import quote
    page = tmp_path / "html" / "notebooks" / "map.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<p>before</p><figure class="scs-chart"><div id="altair-viz-1"></div><script>(function(spec, '
        'embedOpt){ render(spec) })(' + json.dumps(spec) + ', {"renderer": "svg"});</script>'
        '<figcaption class="scs-chart-footer"><a class="scs-chart-data" '
        f'href="data:text/csv;charset=utf-8,{quote(csv)}" download="map.csv">chart data (CSV)'
        '</a></figcaption></figure><p>after</p>')
    done = pipeline.lighten_pages(tmp_path / "html", pipeline.DataState(data_copy.directory))
    assert done == {"boundaries": 1, "specs": 1, "columnar datasets": 0, "chart data": 1}
    text = page.read_text()
    assert '"geometry"' not in text
    assert text.startswith('<p>before</p>') and text.endswith('<p>after</p>')
    # the chart's rows: a file of their own, byte for byte the CSV the notebook carried
    assert 'href="../_static/chart-data/altair-viz-1.csv" download="map.csv"' in text
    assert "data:text/csv" not in text
    assert (tmp_path / "html" / "_static" / "chart-data" / "altair-viz-1.csv").read_bytes() == \
        csv.encode()
    start = text.index('scsChart("altair-viz-1",') + len('scsChart("altair-viz-1",')
    shared, _ = json.JSONDecoder().raw_decode(text, start)
    assert shared["layer"][0]["data"]["url"] == "../_static/geo/provinces.topo.json"
    topo = json.loads((tmp_path / "html" / "_static" / "geo" / "provinces.topo.json").read_text())
    assert len(topo["objects"]["provinces"]["geometries"]) == len(geometries)
    stale = tmp_path / "html" / "_static" / "chart-data" / "altair-viz-2.csv"
    stale.write_text("a chart no page shows any more\n")
    assert pipeline.lighten_pages(tmp_path / "html", pipeline.DataState(data_copy.directory)) == {
        "boundaries": 0, "specs": 0, "columnar datasets": 0, "chart data": 0}  # all done before
    assert page.read_text() == text
    assert (tmp_path / "html" / "_static" / "chart-data" / "altair-viz-1.csv").is_file()
    assert not stale.exists()


# --- the reproducibility page ------------------------------------------------------------------

def test_the_reproducibility_page_lists_versions_data_and_notebooks():
    records = {"notebooks/01_general_framework.ipynb": {
        "status": "executed in this build (its code cells changed)", "seconds": 4.25,
        "reads": {"resources": {"cities": {"path": "cities.csv", "sha256": "x"}}}}}
    built = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    page = pipeline.reproducibility_page(ROOT, records, built)
    assert page.startswith("---\nnosearch: true\n---")
    assert "2026-01-02 03:04:05" in page
    assert "{doc}`/notebooks/01_general_framework`" in page and "4.2 s" in page
    assert "`cities.csv`" in page
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        assert resource["hash"].removeprefix("sha256:") in page
    for package in ("altair", "jupyter-book", "papermill", "vega-lite"):
        assert f"| {package} |" in page
    other = pipeline.reproducibility_page(ROOT, records, built + datetime.timedelta(days=1))
    assert [line for line in page.splitlines() if line not in other.splitlines()] == [
        "| Build date (UTC) | 2026-01-02 03:04:05 |"]


def test_notebooks_run_longest_first_and_unrecorded_ones_by_their_code(tmp_path):
    def notebook(name: str, code: str) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": "x" * 999},
                                              {"cell_type": "code", "source": code}]}))
        return path

    short, long_, new_small, new_big = (notebook("short.ipynb", "a"), notebook("long.ipynb", "a"),
                                        notebook("new_small.ipynb", "a = 1"),
                                        notebook("new_big.ipynb", "a = 1\n" * 50))
    manifest = {"notebooks": {"short.ipynb": {"seconds": 2.0}, "long.ipynb": {"seconds": 9.0}}}
    assert pipeline._order([short, new_small, long_, new_big], manifest, tmp_path) == [
        new_big, new_small, long_, short]
