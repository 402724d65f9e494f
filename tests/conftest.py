"""Shared fixtures: a private copy of the data package to corrupt, and the built book."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scs_book.datapackage import DATA_DIR_ENV, update_hashes

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


class DataCopy:
    """A copy of data/ whose files a test may corrupt, re-recording the checksum by default."""

    def __init__(self, directory: Path):
        self.directory = directory

    def path(self, name: str) -> Path:
        return self.directory / name

    def edit_text(self, name: str, change, rehash: bool = True) -> None:
        file = self.path(name)
        file.write_text(change(file.read_text(encoding="utf-8")), encoding="utf-8")
        if rehash:
            update_hashes(self.directory)

    def write_bytes(self, name: str, content: bytes, rehash: bool = True) -> None:
        self.path(name).write_bytes(content)
        if rehash:
            update_hashes(self.directory)

    def edit_descriptor(self, change) -> None:
        file = self.path("datapackage.json")
        descriptor = json.loads(file.read_text(encoding="utf-8"))
        change(descriptor)
        file.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> DataCopy:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    monkeypatch.setenv(DATA_DIR_ENV, str(copy))
    return DataCopy(copy)


@pytest.fixture(scope="session")
def built_book() -> Path:
    """The HTML book, rendered from the notebooks' stored outputs (no execution)."""
    result = subprocess.run([sys.executable, "-m", "scs_book.pipeline", "--no-execute"],
                            cwd=ROOT, capture_output=True, text=True,
                            env={k: v for k, v in os.environ.items() if k != DATA_DIR_ENV})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return ROOT / "_build" / "html"


def pytest_collection_modifyitems(items):
    """Notebook cells checked by nbval are slow end-to-end checks."""
    for item in items:
        if item.fspath.ext == ".ipynb":
            item.add_marker(pytest.mark.slow)
