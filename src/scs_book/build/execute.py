"""Notebook execution: papermill, ``cores + 1`` notebooks at a time, longest first.

Notebooks are independent; each writes only its own file, so a parallel run gives the same
outputs as a serial one. Each kernel starts with the read recorder (:mod:`scs_book.build.reads`)
and is stopped as soon as its outputs are in. papermill's progress bar is shown on a terminal.
A notebook that fails keeps its executed copy, traceback included, in ``_build/failed/``, and the
error names the notebook and the cell (bad data: the loader's message, naming file, field, row).
"""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..paths import data_dir
from . import BuildError, reads
from .manifest import DataState, text_of


def default_jobs() -> int:
    """Notebooks executed at a time: one more than the cores, since a kernel spends part of its
    life waiting (starting, exchanging messages, stopping); measured on 2 cores, a third
    notebook fills those waits (README, "Performance")."""
    return (os.cpu_count() or 1) + 1


def execute(notebook: Path, root: Path, slot: int = 0) -> bool:
    """Run one notebook with papermill; store its outputs in place. True if they changed."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    relative = notebook.relative_to(root)
    print(f"execute: {relative}", flush=True)
    progress: bool | dict = False
    if sys.stderr.isatty():
        progress = {"desc": notebook.stem, "position": slot, "leave": False}
    with tempfile.TemporaryDirectory() as scratch:
        executed = Path(scratch) / notebook.name
        try:
            papermill.execute_notebook(
                str(notebook),
                str(executed),
                kernel_name="python3",
                cwd=str(notebook.parent),
                progress_bar=progress,
                log_output=False,
                request_save_on_cell_execute=False,
                extra_arguments=reads.kernel_arguments(),
                # Its outputs are collected: stop the kernel at once rather than wait up to 5 s
                # for it to exit by itself (as a graceful shutdown may).
                shutdown_kernel="immediate",
            )
        except PapermillExecutionError as error:
            raise failure(error, relative, executed, root) from None
        text = normalised(nbformat.read(executed, as_version=4))
    if notebook.read_text(encoding="utf-8") == text:
        return False
    notebook.write_text(text, encoding="utf-8")
    return True


def failure(error, relative: Path, executed: Path, root: Path) -> BuildError:
    """The error naming notebook and cell; the executed notebook is kept in _build/failed/."""
    failed = root / "_build" / "failed" / relative.name
    failed.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(executed, failed)
    kept = failed.relative_to(root)
    if error.ename == "DataError":  # bad data: the loader's message names file, field and row
        return BuildError(
            f"{error.evalue}\n  (met by {relative}, cell {error.cell_index + 1}; "
            f"the executed notebook is kept in {kept})"
        )
    return BuildError(
        f"{relative}: cell {error.cell_index + 1} (execution count "
        f"{error.exec_count}) raised {error.ename}: {error.evalue}\n"
        f"The executed notebook, with its traceback, is kept in {kept}"
    )


def normalised(notebook) -> str:
    """The notebook without run-specific metadata (timings, papermill records), as text."""
    import nbformat

    notebook.metadata.pop("papermill", None)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return nbformat.writes(notebook) + "\n"


def execute_recorded(relative: str, root: str, slot: int = 0) -> dict[str, Any]:
    """Execute one notebook, its kernel recording the data files it opens."""
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "reads.log"
        previous = os.environ.get(reads.READ_LOG_ENV)
        os.environ[reads.READ_LOG_ENV] = str(log)
        started = time.perf_counter()
        try:
            changed = execute(Path(root) / relative, Path(root), slot)
        finally:
            if previous is None:
                os.environ.pop(reads.READ_LOG_ENV, None)
            else:
                os.environ[reads.READ_LOG_ENV] = previous
        seconds = time.perf_counter() - started
        print(
            f"executed: {relative} in {seconds:.1f} s{'' if changed else ' (outputs unchanged)'}",
            flush=True,
        )
        record = reads.record(log, DataState(data_dir(Path(root))))
        return {"seconds": round(seconds, 2), "changed": changed, "reads": record}


def _execute_in_worker(relative: str, root: str) -> dict[str, Any]:
    identity = multiprocessing.current_process()._identity
    return execute_recorded(relative, root, (identity[0] - 1) if identity else 0)


def order(plan: list[Path], manifest: dict[str, Any], root: Path) -> list[Path]:
    """Longest first, so that the workers finish together: by the last execution time, and
    where there is none (a fresh clone), first and by the amount of code, its best proxy."""

    def longest_first(notebook: Path) -> tuple[float, int]:
        entry = manifest["notebooks"].get(str(notebook.relative_to(root)), {})
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
        size = sum(len(text_of(cell["source"])) for cell in cells if cell["cell_type"] == "code")
        return -(entry.get("seconds") or float("inf")), -size

    return sorted(plan, key=longest_first)


def run(
    plan: list[Path],
    manifest: dict[str, Any],
    root: Path,
    workers: int,
    started: Callable[[], None] = lambda: None,
) -> dict[Path, dict[str, Any]]:
    """Execute the planned notebooks; raise one BuildError for every failure (the same bad
    data met by several notebooks is reported once). ``started`` is called once the
    executions are under way."""
    import nbformat  # noqa: F401  (loaded once here, not in every worker)
    import papermill  # noqa: F401

    results: dict[Path, dict[str, Any]] = {}
    failures: list[str] = []
    ordered = order(plan, manifest, root)
    if workers == 1:
        started()
        for notebook in ordered:
            try:
                results[notebook] = execute_recorded(str(notebook.relative_to(root)), str(root))
            except BuildError as error:
                failures.append(str(error))
                break
    else:
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = {
                pool.submit(_execute_in_worker, str(n.relative_to(root)), str(root)): n
                for n in ordered
            }
            started()
            for future in concurrent.futures.as_completed(futures):
                if future.cancelled():
                    continue
                try:
                    results[futures[future]] = future.result()
                except BuildError as error:
                    failures.append(str(error))
                    for pending in futures:
                        pending.cancel()
    return results if not failures else _raise(failures, results)


def _raise(failures: list[str], results: dict[Path, dict[str, Any]]):
    unique: dict[str, list[str]] = {}
    for text in failures:
        first, _, rest = text.partition("\n")
        unique.setdefault(first, []).append(rest)
    error = BuildError(
        "\n".join(first + "".join(f"\n{r}" for r in rests if r) for first, rests in unique.items())
    )
    error.results = results  # what did run is still recorded in the manifest
    raise error
