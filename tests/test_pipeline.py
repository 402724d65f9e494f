"""The build command end to end, in a scratch copy of the repository: it is idempotent and
incremental (a rebuild with nothing changed executes nothing; editing a data file re-executes
exactly the notebooks that read it), parallel and serial builds give the same book, and a
failure (bad data, a raising cell) names its cause and leaves the previous book intact.
No timings here: performance figures come from benchmarks/bench_build.py."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import offline
from scs_book.datapackage import DATA_DIR_ENV, update_hashes

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".git", ".venv", "node_modules", "_build", ".cache", ".pytest_cache"}

pytestmark = pytest.mark.slow


def git(copy: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=copy, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The working tree (not the venv), committed into a fresh git repository."""
    copy = tmp_path_factory.mktemp("project") / "scs-book"
    shutil.copytree(ROOT, copy, ignore=lambda d, names: [n for n in names if n in SKIP]
                    if Path(d) == ROOT else [n for n in names if n == "__pycache__"])
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    git(copy, "init", "-q")
    # Never commit the symlink (.gitignore's "/node_modules/" matches only a directory).
    (copy / ".git" / "info" / "exclude").write_text("/node_modules\n")
    git(copy, "add", "-A")
    git(copy, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "snapshot")
    return copy


def build(copy: Path, *args: str) -> subprocess.CompletedProcess:
    """The build command, with networking off (only loopback exists)."""
    env = {k: v for k, v in os.environ.items() if k != DATA_DIR_ENV}
    env["PYTHONPATH"] = str(copy / "src")  # the copy's own package, not the installed one
    return subprocess.run(offline([sys.executable, "-m", "scs_book.pipeline", *args]), cwd=copy,
                          env=env, capture_output=True, text=True)


def executed(result: subprocess.CompletedProcess) -> list[str]:
    return sorted(re.findall(r"^plan: execute (\S+)", result.stdout, re.M))


def manifest(copy: Path) -> dict:
    return json.loads((copy / "_build" / ".scs-manifest.json").read_text())


def snapshot(copy: Path) -> dict[str, bytes]:
    """The executed notebooks and every file of the built book."""
    html = copy / "_build" / "html"
    files = {str(p.relative_to(copy)): p.read_bytes() for p in copy.glob("*/*.ipynb")}
    files.update({str(p.relative_to(copy)): p.read_bytes() for p in html.rglob("*") if p.is_file()})
    return files


def test_build_twice_leaves_git_status_clean(project):
    first = build(project)
    assert first.returncode == 0, first.stderr[-3000:]
    notebooks = sorted(manifest(project)["notebooks"])
    assert executed(first) == notebooks and len(notebooks) >= 2  # a fresh clone runs them all
    git(project, "add", "-A")
    git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "run 1",
        "--allow-empty")
    index = project / "_build" / "html" / "index.html"
    before = index.stat().st_mtime_ns
    second = build(project)
    assert second.returncode == 0, second.stderr[-3000:]
    assert executed(second) == []
    assert "html: up to date" in second.stdout
    assert index.stat().st_mtime_ns == before
    assert git(project, "status", "--porcelain") == ""
    assert (project / "_build" / "html" / "notebooks" / "01_general_framework.html").is_file()


def test_editing_one_data_file_reexecutes_exactly_the_notebooks_that_read_it(project):
    record = manifest(project)["notebooks"]
    readers: dict[str, list[str]] = {}
    for notebook, entry in record.items():
        for read in entry["reads"]["resources"].values():
            if "sha256" in read:
                readers.setdefault(read["path"], []).append(notebook)
    # The file read by the fewest notebooks: editing it must leave the others alone.
    name = min((p for p in readers if p.endswith(".csv")), key=lambda p: (len(readers[p]), p))
    assert 0 < len(readers[name]) < len(record)
    table = project / "data" / name
    lines = table.read_text().split("\n")
    first, _, rest = lines[1].partition(",")
    lines[1] = f'"{first}",{rest}'  # the same values, other bytes
    table.write_text("\n".join(lines))
    update_hashes(project / "data")
    try:
        edited = build(project)
        assert edited.returncode == 0, edited.stderr[-3000:]
        assert executed(edited) == sorted(readers[name])
        digest = hashlib.sha256(table.read_bytes()).hexdigest()
        assert manifest(project)["notebooks"][readers[name][0]]["reads"]["resources"]
    finally:
        git(project, "checkout", "--", "data")
    restored = build(project)
    assert restored.returncode == 0, restored.stderr[-3000:]
    assert executed(restored) == sorted(readers[name])
    assert digest not in json.dumps(manifest(project))
    assert git(project, "status", "--porcelain") == ""


def test_parallel_and_serial_builds_give_the_same_book_apart_from_the_build_record(project):
    parallel = snapshot(project)
    serial = build(project, "--force", "--clean", "--jobs", "1")
    assert serial.returncode == 0, serial.stderr[-3000:]
    assert executed(serial) == sorted(manifest(project)["notebooks"])
    assert "1 at a time" in serial.stdout
    again = snapshot(project)
    different = sorted(name for name in parallel.keys() | again.keys()
                       if parallel.get(name) != again.get(name))
    # The reproducibility page (HTML and its Markdown source) carries the build-time fields.
    assert different == ["_build/html/_sources/book/_generated/reproducibility.md",
                         "_build/html/book/_generated/reproducibility.html"]
    assert any(name.endswith(".ipynb") for name in parallel)


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
    content["cells"].insert(3, {"cell_type": "code", "execution_count": None, "id": "boom",
                                "metadata": {}, "outputs": [],
                                "source": "raise ValueError('deliberate failure')"})
    notebook.write_text(json.dumps(content))
    try:
        result = build(project)
    finally:
        notebook.write_text(original)
    assert result.returncode == 1
    assert "notebooks/01_general_framework.ipynb: cell 4" in result.stderr
    assert "ValueError: deliberate failure" in result.stderr
    kept = project / "_build" / "failed" / "01_general_framework.ipynb"
    assert "deliberate failure" in kept.read_text()
    assert index.stat().st_mtime_ns == before
