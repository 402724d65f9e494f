"""The build graph, on one screen.

    notebook code ─┐
    scs_book code ─┼─> execute (papermill, parallel) ─> stored outputs ─┐
    environment   ─┤                                                    ├─> jupyter-book ─> html
    data it read  ─┘              data no notebook read ─> validate ────┘

1. **Plan** (:func:`plan`): each notebook of ``_toc.yml`` is compared with its manifest entry
   (:mod:`.manifest`); it executes iff its code, the package, the environment or a data file it
   opened changed since its last execution (or ``--force``).
2. **Execute** (:mod:`.execute`): papermill, ``cores + 1`` at a time, longest first; each
   kernel records the data files it opens (:mod:`.reads`). Jupyter Book loads meanwhile.
3. **Validate** the datasets no notebook loaded in this build (loading validates).
4. **HTML** (:mod:`.html`): ``jupyter-book build -W -n``, swapped into ``_build/html`` only
   if it succeeded; skipped when no input of the book changed and nothing was executed. The
   Reproducibility page (:mod:`.reproducibility`) is written as Sphinx reads it.

The whole build holds a lock (:mod:`.lock`): a second build started meanwhile is refused.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from ..paths import ROOT, data_dir
from . import BuildError, execute, lock, reads
from .html import JupyterBook, build_html
from .manifest import (
    MANIFEST_VERSION,
    DataState,
    book_fingerprint,
    current_state,
    environment_hash,
    notebooks,
    read_manifest,
    reasons_to_execute,
    src_hash,
    write_manifest,
)
from .reproducibility import record_path

REUSED = (
    "reused: code, scs_book package, environment and the data it reads are unchanged "
    "since its last execution"
)


def plan(
    root: Path,
    manifest: dict[str, Any],
    data: DataState,
    state: dict[str, str],
    execute_notebooks: bool,
    force: bool,
) -> tuple[dict[str, dict[str, Any]], list[Path]]:
    """Per notebook, its record for the Reproducibility page; and the notebooks to execute."""
    records: dict[str, dict[str, Any]] = {}
    todo: list[Path] = []
    for notebook in notebooks(root):
        relative = str(notebook.relative_to(root))
        entry = manifest["notebooks"].get(relative) or {}
        reasons = reasons_to_execute(entry, current_state(notebook, root, **state), data)
        kept = {"seconds": entry.get("seconds"), "reads": entry.get("reads", {})}
        if not execute_notebooks:
            records[relative] = {
                "status": "stored outputs rendered without execution "
                "(`--no-execute`)" + ("" if reasons else "; they match its last execution"),
                **(kept if not reasons else {"seconds": None, "reads": {}}),
            }
        elif force or reasons:
            why = "--force" if force and not reasons else "; ".join(reasons)
            print(f"plan: execute {relative} ({why})", flush=True)
            todo.append(notebook)
            records[relative] = {"status": f"executed in this build ({why})"}
        else:
            print(f"plan: reuse {relative} (unchanged since its last execution)", flush=True)
            records[relative] = {"status": REUSED, **kept}
    return records, todo


def run(
    todo: list[Path],
    root: Path,
    manifest: dict[str, Any],
    records: dict[str, Any],
    state: dict[str, str],
    jobs: int | None,
    started,
) -> dict[Path, dict[str, Any]]:
    """Execute the planned notebooks and record each success in the manifest."""
    if not todo:
        return {}
    workers = max(1, min(jobs or execute.default_jobs(), len(todo)))
    print(f"execute: {len(todo)} notebook(s), {workers} at a time", flush=True)
    results: dict[Path, dict[str, Any]] = {}
    try:
        results = execute.run(todo, manifest, root, workers, started)
    except BuildError as error:
        results = getattr(error, "results", {})
        raise
    finally:
        for notebook in todo:
            relative = str(notebook.relative_to(root))
            if notebook not in results:
                manifest["notebooks"].pop(relative, None)
                continue
            done = {"reads": results[notebook]["reads"], "seconds": results[notebook]["seconds"]}
            manifest["notebooks"][relative] = {
                "version": MANIFEST_VERSION,
                **current_state(notebook, root, **state),
                **done,
            }
            records[relative].update(done)
    return results


def validate_data(data: DataState, results: dict[Path, dict[str, Any]]) -> None:
    """Load (and so validate) every dataset no notebook loaded in this build."""
    loaded = {
        name for result in results.values() for name in reads.resources_read(result["reads"], data)
    }
    todo = [name for name in data.resources if name not in loaded]
    if todo or not data.resources:
        from ..datapackage import DataError, datasets, load

        try:
            for name in datasets(data.directory):
                if name in todo:
                    load(name, data.directory)
        except DataError as error:  # names the file, the field and the row
            raise BuildError(str(error)) from None
    print(
        f"data: {len(data.resources)} datasets valid ({len(loaded)} of them loaded, and so "
        f"validated, by the notebooks; {data.directory})",
        flush=True,
    )


def build(
    root: Path = ROOT,
    execute_notebooks: bool = True,
    force: bool = False,
    jobs: int | None = None,
    clean: bool = False,
    dry_run: bool = False,
) -> dict[str, Any]:
    """The whole build, one at a time; returns what ran, what was reused, whether HTML was
    built. ``dry_run``: only say which notebooks would execute, and why."""
    with lock.exclusive(root):
        if dry_run:
            manifest, data = read_manifest(root), DataState(data_dir(root))
            state = {"src": src_hash(root), "environment": environment_hash()}
            records, todo = plan(root, manifest, data, state, execute_notebooks, force)
            return {"executed": [str(n.relative_to(root)) for n in todo], "html": False}
        return _build(root, execute_notebooks, force, jobs, clean)


def _build(
    root: Path, execute_notebooks: bool, force: bool, jobs: int | None, clean: bool
) -> dict[str, Any]:
    started = time.perf_counter()
    manifest, data = read_manifest(root), DataState(data_dir(root))
    state = {"src": src_hash(root), "environment": environment_hash()}
    records, todo = plan(root, manifest, data, state, execute_notebooks, force)
    mode = "execute" if execute_notebooks else "no-execute"
    fingerprints = book_fingerprint(root, state["environment"], mode)
    html_current = (
        not todo
        and not clean
        and manifest.get("html") == fingerprints
        and (root / "_build" / "html" / "index.html").is_file()
    )
    staging = root / "_build" / "staging"
    if manifest.get("html", {}).get("structure") != fingerprints["structure"] or clean:
        shutil.rmtree(staging, ignore_errors=True)
    book: list[JupyterBook] = []
    try:
        results = run(
            todo,
            root,
            manifest,
            records,
            state,
            jobs,
            lambda: book.append(JupyterBook(root, staging)),
        )
        if manifest.get("data") != data.fingerprint(root):
            validate_data(data, results)
            manifest["data"] = data.fingerprint(root)
        if html_current:
            print(
                "html: up to date (no input of the book changed, nothing was executed)", flush=True
            )
        else:
            record_path(root).write_text(json.dumps(records, indent=1), encoding="utf-8")
            build_html(root, book.pop() if book else None)
            manifest["html"] = book_fingerprint(root, state["environment"], mode)
    finally:
        for unused in book:
            unused.cancel()
        write_manifest(manifest, root)
    executed = [str(n.relative_to(root)) for n in todo]
    summary = {
        "executed": executed,
        "reused": [r for r in records if r not in executed],
        "html": not html_current,
        "seconds": round(time.perf_counter() - started, 2),
    }
    print(
        f"done: {len(executed)} notebook(s) executed, {len(summary['reused'])} reused, "
        f"html {'rebuilt' if summary['html'] else 'up to date'}, {summary['seconds']:.1f} s",
        flush=True,
    )
    return summary
