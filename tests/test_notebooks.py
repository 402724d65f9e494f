"""nbval guards the notebooks' stored outputs (the notebooks themselves are collected by nbval,
see conftest.py); this module proves that the guard bites when a data value changes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scs_book.datapackage import DATA_DIR_ENV

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "01_general_framework.ipynb"


def nbval(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", str(NOTEBOOK), "-p", "no:cacheprovider",
         "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"), "-q", "-x"],
        cwd=ROOT, capture_output=True, text=True, env=env)


@pytest.mark.slow
def test_nbval_fails_when_a_data_value_changes(data_copy):
    # One camera more for Shanghai, with the checksum re-recorded: valid data, different result.
    data_copy.edit_text("table2_china_cctv.csv", lambda t: t.replace(",15065778", ",15065779"))
    changed = nbval({**os.environ, DATA_DIR_ENV: str(data_copy.directory)})
    assert changed.returncode != 0, changed.stdout[-2000:]
    assert "15,065,779" in changed.stdout or "15065779" in changed.stdout



def test_stored_outputs_carry_no_memory_address():
    """A Styler's text/plain fallback names a memory address that changes on every run; the
    pipeline stores a fixed one so that re-running an unchanged notebook rewrites nothing."""
    import nbformat

    from scs_book.pipeline import normalised

    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("table.style")
    cell.outputs = [nbformat.v4.new_output(
        "execute_result", data={"text/plain": "<pandas.io.formats.style.Styler at 0x7f8c2edeed50>",
                                "text/html": "<table></table>"}, execution_count=1)]
    notebook.cells = [cell]
    text = normalised(notebook)
    assert "0x7f8c2edeed50" not in text and "Styler at 0x0>" in text
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "book").glob("*.ipynb")):
        stored = path.read_text(encoding="utf-8")
        assert not re.search(r" at 0x(?!0>)[0-9a-f]+>", stored), path.name
