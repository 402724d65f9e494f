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
    ours = [name for name in config["sphinx"]["config"]["extensions"]
            if name.startswith("scs_book.")]
    assert ours == ["scs_book.sphinx"]
    package = pipeline.ROOT / "src" / "scs_book"
    build_code = {path.relative_to(package).as_posix() for path in pipeline.BUILD_CODE}
    assert {"pipeline.py", "sphinx/__init__.py", "sphinx/charts.py",
            "sphinx/static/scs-charts.js"} <= build_code
    assert all(path.is_file() for path in pipeline.BUILD_CODE)


def test_src_hash_covers_the_package_but_not_the_build_driver(tmp_path):
    package = tmp_path / "src" / "scs_book"
    package.mkdir(parents=True)
    (package / "charts.py").write_text("A = 1\n")
    (package / "pipeline.py").write_text("B = 1\n")
    before = pipeline.src_hash(tmp_path)
    (package / "pipeline.py").write_text("B = 2\n")
    (package / "sphinx").mkdir()
    (package / "sphinx" / "charts.py").write_text("C = 1\n")  # the Sphinx extension: build code
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
