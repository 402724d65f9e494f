"""The build command end to end, in a scratch copy of the repository: it is idempotent, and a
failure (bad data, a raising cell) names its cause and leaves the previous book intact."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import offline
from scs_book.datapackage import DATA_DIR_ENV

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
    git(copy, "add", "-A")
    git(copy, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "snapshot")
    return copy


def build(copy: Path) -> subprocess.CompletedProcess:
    """The build command, with networking off (only loopback exists)."""
    env = {k: v for k, v in os.environ.items() if k != DATA_DIR_ENV}
    env["PYTHONPATH"] = str(copy / "src")  # the copy's own package, not the installed one
    return subprocess.run(offline([sys.executable, "-m", "scs_book.pipeline"]), cwd=copy,
                          env=env, capture_output=True, text=True)


def test_build_twice_leaves_git_status_clean(project):
    first = build(project)
    assert first.returncode == 0, first.stderr[-3000:]
    git(project, "add", "-A")
    git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "run 1",
        "--allow-empty")
    second = build(project)
    assert second.returncode == 0, second.stderr[-3000:]
    assert git(project, "status", "--porcelain") == ""
    assert (project / "_build" / "html" / "notebooks" / "01_general_framework.html").is_file()


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
