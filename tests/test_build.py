"""The build command end to end, in a scratch copy of the repository, built once per module:
it executes every notebook of a fresh clone and leaves `git status` clean (the stored outputs
are exactly what a fresh execution gives: the check nbval made, byte for byte), a second build
executes nothing, a data edit plans exactly the notebooks that opened the file, parallel and
serial builds give the same book, and a failure names its cause and leaves the previous book
intact. No notebook is executed in full more than twice here. No timings: performance figures
come from benchmarks/bench_build.py."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from support import (
    build_command,
    can_unshare,
    commit,
    executed,
    git,
    manifest,
    offline,
    project_env,
    readers,
    requote_first_row,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project(session_build) -> Path:
    """The session's scratch copy, built once (conftest.py); the builds here run offline."""
    if not can_unshare():
        pytest.skip("cannot create a network namespace here (unshare -n needs privileges)")
    return session_build


def build(copy: Path, *args: str) -> subprocess.CompletedProcess:
    """The build command, with networking off (only loopback exists)."""
    return subprocess.run(
        offline(build_command(*args)),
        cwd=copy,
        env=project_env(copy),
        capture_output=True,
        text=True,
    )


def snapshot(copy: Path) -> dict[str, bytes]:
    """The executed notebooks and every file of the built book."""
    html = copy / "_build" / "html"
    files = {str(p.relative_to(copy)): p.read_bytes() for p in copy.glob("*/*.ipynb")}
    files.update({str(p.relative_to(copy)): p.read_bytes() for p in html.rglob("*") if p.is_file()})
    return files


def test_a_fresh_build_executes_everything_and_leaves_git_status_clean(project):
    notebooks = sorted(manifest(project)["notebooks"])
    first_output = (project.parent / "first-build.log").read_text()
    assert executed(first_output) == notebooks and len(notebooks) >= 2
    assert git(project, "status", "--porcelain") == ""
    assert (project / "_build" / "html" / "notebooks" / "01_general_framework.html").is_file()


def test_a_second_build_executes_nothing_and_keeps_the_book(project):
    index = project / "_build" / "html" / "index.html"
    before = index.stat().st_mtime_ns
    second = build(project)
    assert second.returncode == 0, second.stderr[-3000:]
    assert executed(second.stdout) == []
    assert "html: up to date" in second.stdout
    assert index.stat().st_mtime_ns == before
    assert git(project, "status", "--porcelain") == ""


def test_every_notebook_records_the_data_files_it_opened(project):
    record = manifest(project)["notebooks"]
    for notebook, entry in record.items():
        assert "datapackage.json" in entry["reads"]["files"], notebook
    found = readers(project)
    assert "notebooks/01_general_framework.ipynb" in found["table2_china_cctv.csv"]
    assert "notebooks/03_reality.ipynb" in found["figure_cards.csv"]  # its figure cards
    assert "notebooks/01_general_framework.ipynb" not in found["figure_cards.csv"]


def test_editing_one_data_file_plans_exactly_the_notebooks_that_opened_it(project):
    found = readers(project)
    name = min((p for p in found if p.endswith(".csv")), key=lambda p: (len(found[p]), p))
    assert 0 < len(found[name]) < len(manifest(project)["notebooks"])
    requote_first_row(project / "data" / name)
    rehash = subprocess.run(
        [
            *build_command()[:1],
            "-c",
            "from scs_book.datapackage import update_hashes; update_hashes()",
        ],
        cwd=project,
        env=project_env(project),
        check=True,
    )
    assert rehash.returncode == 0
    try:
        planned = build(project, "--dry-run")
        assert planned.returncode == 0, planned.stderr[-3000:]
        assert executed(planned.stdout) == sorted(found[name])
        assert f"data/{name} changed" in planned.stdout
    finally:
        git(project, "checkout", "--", "data")
    assert executed(build(project, "--dry-run").stdout) == []


def test_parallel_and_serial_builds_give_the_same_book_apart_from_the_build_record(project):
    parallel = snapshot(project)
    serial = build(project, "--force", "--clean", "--jobs", "1")
    assert serial.returncode == 0, serial.stderr[-3000:]
    assert executed(serial.stdout) == sorted(manifest(project)["notebooks"])
    assert "1 at a time" in serial.stdout
    again = snapshot(project)
    different = sorted(
        name for name in parallel.keys() | again.keys() if parallel.get(name) != again.get(name)
    )
    # The Reproducibility page carries the build-time fields (its source is the committed stub,
    # whose text Sphinx replaces as it reads it).
    assert different == ["_build/html/book/reproducibility.html"]
    assert any(name.endswith(".ipynb") for name in parallel)


def test_a_stock_jupyter_book_build_gives_the_same_book(project, tmp_path):
    """No step before it: `jupyter-book build . -W -n` on the committed outputs writes the same
    pages and files as the build, apart from the Reproducibility page's build record."""
    import sys

    stock = subprocess.run(
        offline(
            [
                str(Path(sys.executable).with_name("jupyter-book")),
                "build",
                ".",
                "-W",
                "-n",
                "--path-output",
                str(tmp_path),
            ]
        ),
        cwd=project,
        env=project_env(project),
        capture_output=True,
        text=True,
    )
    assert stock.returncode == 0, stock.stdout[-3000:] + stock.stderr[-3000:]
    ours, theirs = project / "_build" / "html", tmp_path / "_build" / "html"
    files = {
        name: [
            (root / name).read_bytes() if (root / name).is_file() else None
            for root in (ours, theirs)
        ]
        for root in (ours, theirs)
        for name in (str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    }
    different = sorted(name for name, (a, b) in files.items() if a != b)
    assert different == ["book/reproducibility.html"]
    assert len(files) > 50 and "notebooks/03_reality.html" in files


def test_bad_data_stops_the_build_before_any_page_is_written(project):
    index = project / "_build" / "html" / "index.html"
    before = index.stat().st_mtime_ns
    table = project / "data" / "table2_china_cctv.csv"
    original = table.read_text()
    table.write_text(original.replace(",15065778", ",-15065778"))
    try:
        result = build(project)
    finally:
        table.write_text(original)
    assert result.returncode == 1
    assert "data/table2_china_cctv.csv" in result.stderr
    assert index.stat().st_mtime_ns == before


def test_a_raising_cell_names_notebook_and_cell_and_keeps_the_book(project):
    index = project / "_build" / "html" / "index.html"
    before = index.stat().st_mtime_ns
    notebook = project / "notebooks" / "01_general_framework.ipynb"
    original = notebook.read_text()
    content = json.loads(original)
    content["cells"].insert(
        1,
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "boom",
            "metadata": {},
            "outputs": [],
            "source": "raise ValueError('deliberate failure')",
        },
    )
    notebook.write_text(json.dumps(content))
    try:
        result = build(project)
    finally:
        notebook.write_text(original)
    assert result.returncode == 1
    assert "notebooks/01_general_framework.ipynb: cell 2" in result.stderr
    assert "ValueError: deliberate failure" in result.stderr
    kept = project / "_build" / "failed" / "01_general_framework.ipynb"
    assert "deliberate failure" in kept.read_text()
    assert index.stat().st_mtime_ns == before
    commit(project, "after the failures")
