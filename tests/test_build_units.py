"""The build's decisions, fast: what a notebook read (recorded by its kernel), when it must run
again, the lock, the order of execution and the Reproducibility page (end to end:
test_build.py)."""

from __future__ import annotations

import copy
import datetime
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scs_book.build import BuildError, execute, lock, manifest, reads, reproducibility
from scs_book.build.manifest import DataState
from scs_book.paths import DATA_DIR_ENV, ROOT, data_dir

NOTEBOOK = ROOT / "notebooks" / "01_general_framework.ipynb"


# --- what a notebook read ----------------------------------------------------------------------


def run_watched(code: str, log: Path | None, directory: Path) -> None:
    """``code`` in a fresh interpreter that started like a build's kernel (``log``: where the
    build asks it to record the reads)."""
    env = {"PATH": "/usr/bin:/bin", DATA_DIR_ENV: str(directory)}
    env.update({reads.READ_LOG_ENV: str(log)} if log else {})
    subprocess.run(
        [sys.executable, "-c", f"{reads.KERNEL_STARTUP}\n{code}"],
        env=env,
        check=True,
        cwd=directory.parent,
    )


def test_the_kernel_records_each_data_file_opened_once_whoever_opens_it(data_copy, tmp_path):
    log = tmp_path / "reads.log"
    run_watched(
        "from scs_book import data\n"
        "data.table2_china_cctv(); data.table2_china_cctv()\n"
        "open('data/footnotes.csv').read()\n"  # not through a loader: seen too
        "open('/etc/hostname').close()\n",
        log,
        data_copy.directory,
    )
    opened = log.read_text().splitlines()
    assert len(opened) == len(set(opened))
    assert {"datapackage.json", "table2_china_cctv.csv", "cities.csv", "footnotes.csv"} <= set(
        opened
    )
    assert "timeline_events.csv" not in opened and not any("/" in name for name in opened)
    record = reads.record(log, DataState(data_copy.directory))["files"]
    assert record["table2_china_cctv.csv"] == DataState(data_copy.directory).file_hash(
        "table2_china_cctv.csv"
    )


def test_without_the_variable_the_kernel_records_nothing(data_copy, tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    run_watched(
        f"import os; os.chdir({str(scratch)!r})\n"
        "from scs_book import data; data.table2_china_cctv()",
        None,
        data_copy.directory,
    )
    assert list(scratch.iterdir()) == []


def test_the_loaders_know_nothing_of_the_build():
    for module in ("datapackage", "data"):
        text = (ROOT / "src" / "scs_book" / f"{module}.py").read_text()
        assert "build" not in text.split('"""', 2)[2] and "READ_LOG" not in text


BUILD_IMPORT = re.compile(r"^\s*(from|import)\s+(scs_book\.build|\.build|\.\.build)\b", re.M)


def test_no_runtime_module_imports_the_build():
    """The direction of flow: runtime code (what notebooks import) never imports build code."""
    package = ROOT / "src" / "scs_book"
    for path in package.rglob("*.py"):
        if {"build", "sphinx"} & set(
            path.relative_to(package).parts[:-1]
        ):  # Sphinx code: may use the build's page
            continue
        assert not BUILD_IMPORT.search(path.read_text()), path
    for notebook in [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("book/*.ipynb")]:
        for cell in json.loads(notebook.read_text())["cells"]:
            assert not BUILD_IMPORT.search("".join(cell["source"])), notebook
    assert BUILD_IMPORT.search("x = 1\nfrom scs_book.build import graph")  # the check bites


# --- what changed ------------------------------------------------------------------------------


@pytest.fixture
def recorded(data_copy):
    """A manifest entry as the build writes it after a notebook opened tables 1 and 2."""
    data = DataState(data_copy.directory)
    state = {"code": "c", "outputs": "o", "src": "s", "environment": "e", "data_dir": "data"}
    opened = ["datapackage.json", "table1_surveilled_cities.csv", "table2_china_cctv.csv"]
    log = data_copy.directory.parent / "reads.log"
    log.write_text("\n".join(opened) + "\n")
    entry = {"version": manifest.MANIFEST_VERSION, **state, "reads": reads.record(log, data)}
    return entry, state


def reasons(entry, state, data_copy):
    return manifest.reasons_to_execute(entry, state, DataState(data_copy.directory))


def test_nothing_changed_means_no_execution(recorded, data_copy):
    assert reasons(*recorded, data_copy) == []


def test_a_notebook_without_a_record_executes(recorded, data_copy):
    entry, state = recorded
    assert reasons(None, state, data_copy)
    assert reasons({**entry, "version": -1}, state, data_copy)


@pytest.mark.parametrize("key", ["code", "outputs", "src", "environment", "data_dir"])
def test_a_changed_input_of_the_notebook_executes_it(recorded, data_copy, key):
    entry, state = recorded
    assert len(reasons(entry, {**state, key: "changed"}, data_copy)) == 1


def test_editing_a_data_file_the_notebook_read_executes_it(recorded, data_copy):
    data_copy.edit_text("table2_china_cctv.csv", lambda t: t.replace(",15065778", ",15065779"))
    assert reasons(*recorded, data_copy) == ["data/table2_china_cctv.csv changed"]


def test_editing_a_data_file_the_notebook_did_not_read_does_not(recorded, data_copy):
    data_copy.edit_text("timeline_events.csv", lambda t: t[:-1] if t.endswith("\n") else t + "\n")
    assert reasons(*recorded, data_copy) == []  # its new checksum is no input of the notebook


def test_any_other_change_of_the_descriptor_executes_it(recorded, data_copy):
    data_copy.edit_descriptor(lambda d: d["resources"][-1].update(title="New"))
    assert reasons(*recorded, data_copy) == [
        "data/datapackage.json changed (beyond the files' checksums)"
    ]


def test_code_hash_ignores_outputs_and_markdown_but_not_code():
    notebook = json.loads(NOTEBOOK.read_text())
    other = copy.deepcopy(notebook)
    for cell in other["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
        else:
            cell["source"] = "rewritten prose"
    assert manifest.code_hash(other) == manifest.code_hash(notebook)
    assert manifest.outputs_hash(other) != manifest.outputs_hash(notebook)
    next(c for c in other["cells"] if c["cell_type"] == "code")["source"] = "x = 'elsewhere'"
    assert manifest.code_hash(other) != manifest.code_hash(notebook)


def test_the_build_code_covers_every_sphinx_extension_of_the_package():
    """A change of any of them makes the next HTML step a clean one; none of them makes a
    notebook execute again."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    build_code = manifest.code_files(ROOT, manifest.BUILD_CODE)
    for name in config["sphinx"]["config"]["extensions"]:
        if name.startswith("scs_book."):
            module = ROOT / "src" / Path(*name.split("."))
            assert (
                module.with_suffix(".py") in build_code or (module / "__init__.py") in build_code
            ), name
    assert ROOT / "src" / "scs_book" / "build" / "graph.py" in build_code


def test_src_hash_covers_the_package_but_not_the_build(tmp_path):
    package = tmp_path / "src" / "scs_book"
    (package / "build").mkdir(parents=True)
    (package / "charts.py").write_text("A = 1\n")
    (package / "build" / "graph.py").write_text("B = 1\n")
    before = manifest.src_hash(tmp_path)
    (package / "build" / "graph.py").write_text("B = 2\n")
    assert manifest.src_hash(tmp_path) == before
    (package / "charts.py").write_text("A = 2\n")
    changed = manifest.src_hash(tmp_path)
    assert changed != before
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "references.bib").write_text("@book{a, title={A}}\n")
    assert manifest.src_hash(tmp_path) != changed  # the package reads the bibliography


def test_manifest_round_trip_and_unknown_versions(tmp_path):
    assert manifest.read_manifest(tmp_path) == {"notebooks": {}}
    manifest.write_manifest({"notebooks": {"a.ipynb": {"seconds": 1}}}, tmp_path)
    assert manifest.read_manifest(tmp_path)["notebooks"] == {"a.ipynb": {"seconds": 1}}
    manifest.manifest_path(tmp_path).write_text('{"version": -1, "notebooks": {"x": {}}}')
    assert manifest.read_manifest(tmp_path) == {"notebooks": {}}
    manifest.manifest_path(tmp_path).write_text("not json")
    assert manifest.read_manifest(tmp_path) == {"notebooks": {}}


def test_the_build_and_the_loaders_share_one_data_directory(monkeypatch, tmp_path):
    from scs_book import datapackage

    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    assert datapackage.data_dir() == data_dir() == tmp_path.resolve()


# --- one build at a time, in order -------------------------------------------------------------


def test_a_second_build_is_refused_while_one_runs(tmp_path):
    with lock.exclusive(tmp_path):
        with pytest.raises(BuildError, match="another build is running"):
            with lock.exclusive(tmp_path):
                pass
    with lock.exclusive(tmp_path):  # released when the first build ended
        pass


def test_the_command_line_refuses_a_concurrent_build(tmp_path):
    """A real second process, started while this one holds the repository's lock."""
    code = (
        "import sys; from scs_book.build import graph; from pathlib import Path; "
        "graph.build(Path(sys.argv[1]), dry_run=True)"
    )
    with lock.exclusive(tmp_path):
        result = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60
        )
    assert result.returncode != 0 and "another build is running" in result.stderr


def test_notebooks_run_longest_first_and_unrecorded_ones_by_their_code(tmp_path):
    def notebook(name: str, code: str) -> Path:
        path = tmp_path / name
        path.write_text(
            json.dumps(
                {
                    "cells": [
                        {"cell_type": "markdown", "source": "x" * 999},
                        {"cell_type": "code", "source": code},
                    ]
                }
            )
        )
        return path

    short, long_, new_small, new_big = (
        notebook("short.ipynb", "a"),
        notebook("long.ipynb", "a"),
        notebook("new_small.ipynb", "a = 1"),
        notebook("new_big.ipynb", "a = 1\n" * 50),
    )
    record = {"notebooks": {"short.ipynb": {"seconds": 2.0}, "long.ipynb": {"seconds": 9.0}}}
    assert execute.order([short, new_small, long_, new_big], record, tmp_path) == [
        new_big,
        new_small,
        long_,
        short,
    ]


# --- the reproducibility page ------------------------------------------------------------------


def test_the_reproducibility_page_lists_versions_data_and_notebooks():
    records = {
        "notebooks/01_general_framework.ipynb": {
            "status": "executed in this build (its code cells changed)",
            "seconds": 4.25,
            "reads": {"files": {"cities.csv": "x", "datapackage.json": "y"}},
        }
    }
    built = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    page = reproducibility.reproducibility_page(ROOT, records, built)
    assert page.startswith("---\nnosearch: true\n---")
    assert "2026-01-02 03:04:05" in page
    assert "{doc}`/notebooks/01_general_framework`" in page and "4.2 s" in page
    assert "| `cities.csv` |" in page
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        assert resource["hash"].removeprefix("sha256:") in page
    for package in ("altair", "jupyter-book", "papermill", "vega-lite"):
        assert f"| {package} |" in page
    other = reproducibility.reproducibility_page(ROOT, records, built + datetime.timedelta(days=1))
    assert [line for line in page.splitlines() if line not in other.splitlines()] == [
        "| Build date (UTC) | 2026-01-02 03:04:05 |"
    ]


def test_the_page_is_written_as_sphinx_reads_it_even_by_a_plain_jupyter_book(monkeypatch):
    """Without the build's record (a stock `jupyter-book build`), the page still lists every
    notebook, as rendered from its stored outputs; other pages are left alone."""
    monkeypatch.delenv(reproducibility.RECORD_ENV, raising=False)
    app = type("App", (), {"srcdir": str(ROOT)})()
    source = ["# Reproducibility\n\nstub"]
    reproducibility.fill_page(app, reproducibility.PAGE, source)
    assert source[0].startswith("---\nnosearch: true\n---") and "stub" not in source[0]
    for notebook in manifest.notebooks(ROOT):
        assert f"{{doc}}`/{notebook.relative_to(ROOT).with_suffix('').as_posix()}`" in source[0]
    assert reproducibility.STOCK in source[0]
    other = ["# Intro"]
    reproducibility.fill_page(app, "book/intro", other)
    assert other == ["# Intro"]
    assert (ROOT / f"{reproducibility.PAGE}.md").is_file()  # the stub the toc lists
