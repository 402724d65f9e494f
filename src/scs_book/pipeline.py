"""Build the book: validate the data, execute the notebooks that need it, compile the HTML.

    python -m scs_book.pipeline               # what `make book` runs: an incremental build
    python -m scs_book.pipeline --no-execute  # only re-render the stored outputs
    python -m scs_book.pipeline --force       # execute every notebook, whatever changed
    python -m scs_book.pipeline --clean       # also recompile every page from scratch

**What re-executes.** The build keeps a manifest, ``_build/.scs-manifest.json`` (never
committed). Per notebook it records the hash of its code cells (not its outputs), of its stored
outputs, of the ``scs_book`` package (``src/scs_book/*.py``; the build driver ``pipeline.py``
excepted, notebooks never import it; and ``book/references.bib``, which the package reads for
the charts' citations), of the Python environment (interpreter and installed
package versions), and every dataset the notebook read, with the sha256 of the file and of its
description in ``data/datapackage.json``: the data loaders log each read when the build asks
them to (``scs_book.readlog``). A notebook re-executes iff one of those changed, or it has no
entry. So editing one data file re-executes exactly the notebooks that read it.

**A fresh clone** has no manifest and executes every notebook once. The stored outputs are not
trusted on a new machine: that first run is what shows they are reproducible (nbval and the
"git status stays clean" test check the same). A committed manifest would be a second record of
the outputs, and a source of merge conflicts between branches.

**In parallel.** Notebooks are independent; they run in a pool of ``cores + 1`` processes
(``--jobs``), longest first, and each kernel is stopped as soon as its outputs are in. Each
writes only its own file, so the outputs are the same as in a serial run. Jupyter Book is
started in the meantime and waits, its modules loaded, until every notebook is done.

**The HTML.** Jupyter Book compiles into a persistent staging directory (Sphinx's own
incremental build) that is copied into ``_build/html`` only when the build succeeded, so a
failure never leaves a half-written book behind (and discards the staging directory: the next
build starts clean). When no input of the book changed and nothing was executed, the HTML step
is skipped altogether. A clean build (``--clean``, a fresh clone, CI) re-checks every page.

**Reproducibility page.** Before each compilation the build writes
``book/_generated/reproducibility.md`` (not committed): build date, Python and package
versions, each data resource with its sha256, each notebook with its execution time, status and
the data it read. Its build-time fields are the only difference between two builds of the
same inputs (tested); the page is excluded from the search index for that reason.

A notebook that fails keeps its executed copy, traceback included, in ``_build/failed/``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import functools
import hashlib
import json
import multiprocessing
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from . import readlog

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "_build"
MANIFEST_VERSION = 1  # bump when a change of the build changes what an execution produces
DATA_DIR_ENV = "SCS_BOOK_DATA_DIR"  # as in scs_book.datapackage (not imported: it loads pandas)
GENERATED_PAGE = Path("book") / "_generated" / "reproducibility.md"
SPHINX_EXTENSION = "sphinx"  # the package's Sphinx extension (scs_book.sphinx): build code
BUILD_CODE = [Path(__file__), *sorted(
    path for path in Path(__file__).with_name(SPHINX_EXTENSION).rglob("*")
    if path.is_file() and "__pycache__" not in path.parts)]
VENDOR_FILES = [f"node_modules/{name}" for name in (  # the Vega files the extension serves
    "vega/build/vega.min.js", "vega-lite/build/vega-lite.min.js",
    "vega-embed/build/vega-embed.min.js")]
NPM_PACKAGES = ("vega", "vega-lite", "vega-embed")
JUPYTER_BOOK_MODULES = ["jupyter_book.cli.main", "jupyter_book.sphinx", "sphinx.application",
                        "sphinx.builders.html", "myst_nb.sphinx_ext", "myst_parser.sphinx_ext"]


class BuildError(RuntimeError):
    """The build stopped; the message says where and why."""


# --- inputs ------------------------------------------------------------------------------------

def notebooks(root: Path = ROOT) -> list[Path]:
    """The notebooks listed in ``_toc.yml``, in book order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found: list[Path] = []

    def walk(node):
        if isinstance(node, dict):
            file = node.get("file")
            if file and (root / f"{file}.ipynb").is_file():
                found.append(root / f"{file}.ipynb")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return found


def data_dir(root: Path = ROOT) -> Path:
    """The data directory the notebooks read: ``$SCS_BOOK_DATA_DIR``, else ``data/``."""
    return Path(os.environ.get(DATA_DIR_ENV) or root / "data").resolve()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _text(source: str | list[str]) -> str:
    return "".join(source) if isinstance(source, list) else source


def code_hash(notebook: dict[str, Any]) -> str:
    """What an execution depends on in the notebook itself: kernel, code cells and their tags."""
    kernel = notebook.get("metadata", {}).get("kernelspec", {}).get("name")
    cells = [[_text(cell["source"]), sorted(cell.get("metadata", {}).get("tags", []))]
             for cell in notebook["cells"] if cell["cell_type"] == "code"]
    return _digest([kernel, cells])


def outputs_hash(notebook: dict[str, Any]) -> str:
    """The stored outputs: if they differ from what the build wrote (a checkout, a merge), the
    notebook is executed again."""
    return _digest([[cell.get("execution_count"), cell.get("outputs", [])]
                    for cell in notebook["cells"] if cell["cell_type"] == "code"])


# Files the package reads by itself, outside the data loaders: a change re-executes every
# notebook (scs_book.bibliography reads the bibliography for the charts' short citations).
PACKAGE_INPUTS = [Path("book") / "references.bib"]


def src_hash(root: Path = ROOT) -> str:
    """The ``scs_book`` package the notebooks import (the build's own code excepted: the
    driver and the Sphinx extensions), with the files it reads by itself."""
    package = root / "src" / "scs_book"
    files = sorted(p for p in package.rglob("*.py")
                   if p != package / "pipeline.py" and "__pycache__" not in p.parts
                   and p.relative_to(package).parts[0] != SPHINX_EXTENSION)
    inputs = [root / p for p in PACKAGE_INPUTS if (root / p).is_file()]
    return _digest([[str(p.relative_to(root)), sha256(p)] for p in files + inputs])


@functools.cache
def installed_packages() -> dict[str, str]:
    """Every installed distribution, normalised name -> version."""
    from importlib import metadata

    found = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found[re.sub(r"[-_.]+", "-", name).lower()] = dist.version
    return dict(sorted(found.items()))


def environment_hash() -> str:
    """The interpreter and the installed package versions."""
    return _digest([sys.version, sys.executable, installed_packages()])


class DataState:
    """The data package as it is now: descriptor entries and file hashes, without pandas."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._hashes: dict[Path, str | None] = {}
        try:
            descriptor = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
            self.resources = {r["name"]: r for r in descriptor["resources"]}
        except (OSError, ValueError, KeyError, TypeError):
            self.resources = {}
        self.listing = readlog.listing_hash(self.resources)

    def file_hash(self, relative: str) -> str | None:
        path = self.directory / relative
        if path not in self._hashes:
            self._hashes[path] = sha256(path) if path.is_file() else None
        return self._hashes[path]

    def fingerprint(self, root: Path = ROOT) -> str:
        """Changes when any file of the data directory or the validating code changes."""
        files = sorted(p for p in self.directory.iterdir() if p.is_file())
        validator = root / "src" / "scs_book" / "datapackage.py"
        return _digest([[p.name, self.file_hash(p.name)] for p in files]
                       + [sha256(validator) if validator.is_file() else None])


def _relative_to_root(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def current_state(notebook: Path, root: Path, src: str, environment: str) -> dict[str, Any]:
    """The hashes a manifest entry is compared with (the data reads are checked separately)."""
    content = json.loads(notebook.read_text(encoding="utf-8"))
    return {"code": code_hash(content), "outputs": outputs_hash(content), "src": src,
            "environment": environment, "data_dir": _relative_to_root(data_dir(root), root)}


def reasons_to_execute(entry: dict[str, Any] | None, state: dict[str, Any],
                       data: DataState) -> list[str]:
    """Why the notebook must run again; an empty list means its stored outputs are current."""
    if not entry or entry.get("version") != MANIFEST_VERSION:
        return ["no record of an execution in this build directory"]
    reasons = []
    labels = {"code": "its code cells changed",
              "outputs": "its stored outputs differ from the last execution",
              "src": "the scs_book package (src/scs_book) changed",
              "environment": "the Python environment changed",
              "data_dir": "the data directory changed"}
    for key, label in labels.items():
        if entry.get(key) != state[key]:
            reasons.append(label)
    reads = entry.get("reads", {})
    if reads.get("listing") and reads["listing"] != data.listing:
        reasons.append("the list of datasets in data/datapackage.json changed")
    for name, read in reads.get("resources", {}).items():
        resource = data.resources.get(name)
        if resource is None:
            reasons.append(f"dataset {name} is no longer in data/datapackage.json")
        elif "sha256" in read and data.file_hash(resource["path"]) != read["sha256"]:
            reasons.append(f"data/{resource['path']} changed")
        elif readlog.entry_hash(resource) != read.get("descriptor"):
            reasons.append(f"the description of {name} in data/datapackage.json changed")
    return reasons


# --- the manifest ------------------------------------------------------------------------------

def manifest_path(root: Path = ROOT) -> Path:
    return root / "_build" / ".scs-manifest.json"


def read_manifest(root: Path = ROOT) -> dict[str, Any]:
    try:
        manifest = json.loads(manifest_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"notebooks": {}}
    if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION:
        return {"notebooks": {}}
    manifest.setdefault("notebooks", {})
    return manifest


def write_manifest(manifest: dict[str, Any], root: Path = ROOT) -> None:
    manifest["version"] = MANIFEST_VERSION
    path = manifest_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")


# --- data validation ---------------------------------------------------------------------------

def validate_data(skip: set[tuple[str, str, str]] = frozenset()) -> None:
    """Load (and so validate) every dataset of the package; stop at the first problem.

    ``skip``: (name, description hash, file hash) of the datasets a notebook of this build has
    already loaded, and so validated, as they are now.
    """
    state = DataState(data_dir())
    todo = [name for name, resource in state.resources.items()
            if (name, readlog.entry_hash(resource), state.file_hash(resource["path"])) not in skip]
    if todo or not state.resources:
        from .datapackage import DataError, datasets, load

        try:
            for name in datasets():
                if name in todo:
                    load(name)
        except DataError as error:  # names the file, the field and the row
            raise BuildError(str(error)) from None
    print(f"data: {len(state.resources)} datasets valid ({len(state.resources) - len(todo)} "
          f"of them loaded, and so validated, by the notebooks; {data_dir()})", flush=True)


# --- execution ---------------------------------------------------------------------------------

def execute(notebook: Path, parameters: dict | None = None, root: Path = ROOT,
            slot: int | None = None) -> bool:
    """Run one notebook with papermill; store its outputs in place. True if they changed."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    relative = notebook.relative_to(root)
    print(f"execute: {relative}", flush=True)
    progress: bool | dict = False
    if sys.stderr.isatty():
        progress = {"desc": notebook.stem, "position": slot or 0, "leave": False}
    with tempfile.TemporaryDirectory() as scratch:
        executed = Path(scratch) / notebook.name
        try:
            papermill.execute_notebook(
                str(notebook), str(executed), parameters=parameters or {},
                kernel_name="python3", cwd=str(notebook.parent), progress_bar=progress,
                log_output=False, request_save_on_cell_execute=False,
                # Its outputs are collected: stop the kernel at once rather than wait up to 5 s
                # for it to exit by itself (as a graceful shutdown may).
                shutdown_kernel="immediate")
        except PapermillExecutionError as error:
            failed = root / "_build" / "failed" / notebook.name
            failed.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(executed, failed)
            if error.ename == "DataError":  # bad data: the loader's message names file and row
                raise BuildError(
                    f"{error.evalue}\n  (met by {relative}, cell {error.cell_index + 1}; the "
                    f"executed notebook is kept in {failed.relative_to(root)})") from None
            raise BuildError(
                f"{relative}: cell {error.cell_index + 1} (execution count {error.exec_count}) "
                f"raised {error.ename}: {error.evalue}\n"
                f"The executed notebook, with its traceback, is kept in "
                f"{failed.relative_to(root)}") from None
        import nbformat

        text = normalised(nbformat.read(executed, as_version=4))
    if notebook.read_text(encoding="utf-8") == text:
        return False
    notebook.write_text(text, encoding="utf-8")
    return True


def normalised(notebook) -> str:
    """The notebook without run-specific metadata (timings, papermill records), as text."""
    import nbformat

    notebook.metadata.pop("papermill", None)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return nbformat.writes(notebook) + "\n"


def _execute_recorded(relative: str, root: str, slot: int) -> dict[str, Any]:
    """Execute one notebook with the data loaders logging what it reads (runs in a worker)."""
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "reads.jsonl"
        previous = os.environ.get(readlog.READ_LOG_ENV)
        os.environ[readlog.READ_LOG_ENV] = str(log)
        started = time.perf_counter()
        try:
            changed = execute(Path(root) / relative, root=Path(root), slot=slot)
        finally:
            if previous is None:
                os.environ.pop(readlog.READ_LOG_ENV, None)
            else:
                os.environ[readlog.READ_LOG_ENV] = previous
        seconds = time.perf_counter() - started
        print(f"executed: {relative} in {seconds:.1f} s"
              f"{'' if changed else ' (outputs unchanged)'}", flush=True)
        return {"seconds": round(seconds, 2), "changed": changed, "reads": readlog.read(log)}


def _slot() -> int:
    identity = multiprocessing.current_process()._identity
    return (identity[0] - 1) if identity else 0


def _execute_in_worker(relative: str, root: str) -> dict[str, Any]:
    return _execute_recorded(relative, root, _slot())


# --- Jupyter Book ------------------------------------------------------------------------------

_JUPYTER_BOOK_RUNNER = """
import importlib, os, sys
# Load at the lowest priority, so as not to slow the notebooks down; build at the usual one
# (only where that can be restored: lowering the niceness back needs the privilege).
renice = hasattr(os, "geteuid") and os.geteuid() == 0
if renice:
    usual = os.getpriority(os.PRIO_PROCESS, 0)
    os.setpriority(os.PRIO_PROCESS, 0, 19)
for module in sys.argv[1].split(","):
    try:
        importlib.import_module(module)
    except Exception:
        pass
if sys.stdin.readline().strip() != "build":
    sys.exit(0)
if renice:
    os.setpriority(os.PRIO_PROCESS, 0, usual)
from jupyter_book.cli.main import main
sys.argv = ["jupyter-book", *sys.argv[2:]]
try:
    main()
    code = 0
except SystemExit as stop:
    code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)  # the book is written; skip tearing down Sphinx's objects
"""


class JupyterBook:
    """``jupyter-book build`` in its own process, started early: it loads its modules while the
    notebooks execute, then builds when told to (the command line is Jupyter Book's own)."""

    def __init__(self, root: Path, staging: Path):
        extensions = []
        try:
            config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
            extensions = list(config["sphinx"]["config"]["extensions"])
        except (OSError, KeyError, TypeError):
            pass
        self.arguments = ["build", str(root), "--path-output", str(staging), "-W", "-n",
                          "--keep-going"]
        self.process = subprocess.Popen(
            [sys.executable, "-c", _JUPYTER_BOOK_RUNNER,
             ",".join(JUPYTER_BOOK_MODULES + extensions), *self.arguments],
            cwd=root, stdin=subprocess.PIPE, text=True)

    def build(self) -> int:
        print("build: jupyter-book " + " ".join(self.arguments), flush=True)
        self.process.stdin.write("build\n")
        self.process.stdin.close()
        return self.process.wait()

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait()


def jupyter_book_command(root: Path, staging: Path, config: Path | None = None) -> list[str]:
    """The plain command line (the benchmark's baselines use it)."""
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(root),
               "--path-output", str(staging), "-W", "-n", "--keep-going"]
    return command + (["--config", str(config)] if config else [])


def _write_if_changed(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def book_fingerprint(root: Path, environment: str, mode: str) -> dict[str, str]:
    """Every input of the HTML step, by group (a changed config or toc means a clean build)."""
    def files(paths) -> list[list[str]]:
        return [[_relative_to_root(p, root), sha256(p)] for p in sorted(paths)
                if p.is_file() and ".ipynb_checkpoints" not in p.parts]

    generated = root / GENERATED_PAGE.parent
    book = [p for p in (root / "book").rglob("*") if generated not in p.parents]
    directory = data_dir(root)
    # The pages Sphinx keeps from a previous build were made by that build's code (this
    # module, and the Sphinx extensions of the package): a change of it means a clean
    # compilation, like a change of config.
    return {
        "structure": _digest(files([root / "_config.yml", root / "_toc.yml", *BUILD_CODE])),
        "content": _digest([files(book), files(notebooks(root)),
                            files(p for p in directory.iterdir()),
                            files(root / source for source in VENDOR_FILES),
                            environment, mode]),
    }


# --- the reproducibility page ------------------------------------------------------------------

def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def _pins(requirements: list[str]) -> dict[str, str]:
    found = {}
    for requirement in requirements:
        match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*==\s*(\S+)\s*", requirement)
        if match:
            found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return found


def reproducibility_page(root: Path, records: dict[str, dict[str, Any]],
                         built: datetime.datetime) -> str:
    """The page's Markdown. ``records``: per notebook, its status, time and reads."""
    import tomllib

    installed = installed_packages()
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    declared = list(pyproject["project"].get("dependencies", []))
    for extra in pyproject["project"].get("optional-dependencies", {}).values():
        declared += extra
    pinned = _pins(declared)
    lock_file = root / "requirements.lock"
    locked = _pins(re.findall(r"^([A-Za-z0-9_.\-]+==\S+)", lock_file.read_text(encoding="utf-8"),
                              re.M)) if lock_file.is_file() else {}
    directory = data_dir(root)
    resources = DataState(directory).resources
    npm_lock = {}
    if (root / "package-lock.json").is_file():
        npm_lock = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))["packages"]

    def npm_installed(name: str) -> str:
        package = root / "node_modules" / name / "package.json"
        return json.loads(package.read_text(encoding="utf-8"))["version"] if package.is_file() else "missing"

    notebook_rows = []
    for relative, record in records.items():
        reads = record.get("reads", {}).get("resources", {})
        files = ", ".join(f"`{read['path']}`" for read in reads.values() if "sha256" in read)
        seconds = record.get("seconds")
        notebook_rows.append([
            f"{{doc}}`/{Path(relative).with_suffix('').as_posix()}`", record["status"],
            f"{seconds:.1f} s" if seconds is not None else "–", files or "–"])
    parts = [
        "---\nnosearch: true\n---\n",
        "# Reproducibility\n",
        "This page is written by the build (`python -m scs_book.pipeline`, what `make book` "
        "runs) each time it compiles the book, from the files it used. Its **build-time fields** "
        "are the build date, each notebook's execution time and status (executed in that "
        "build, or reused from an earlier one): they are the only difference between two builds "
        "of the same inputs. Every other page, and every executed notebook, is identical from "
        "one build to the next (the build's tests check this). "
        "[How to reproduce the book](../reproduce.md) explains the commands.\n",
        "## Build\n",
        _table(["Field", "Value"], [
            ["Build date (UTC)", built.strftime("%Y-%m-%d %H:%M:%S")],
            ["Python", f"{platform.python_version()} ({platform.python_implementation()})"],
            ["Platform", f"{platform.system()} {platform.machine()}"],
        ]) + "\n",
        "## Notebooks\n",
        "Each notebook is executed with papermill when its code, the `scs_book` package, the "
        "Python environment or a data file it reads has changed since its last execution; "
        "otherwise its stored outputs are reused. The time is that of the execution that "
        "produced the outputs shown.\n",
        _table(["Notebook", "Status", "Execution time", "Data files read"], notebook_rows) + "\n",
        "## Data\n",
        "Every resource of `data/datapackage.json`, validated against its checksum and schema "
        "by the build: when a notebook loads it, or on its own.\n",
        _table(["Dataset", "File", "Bytes", "sha256"], [
            [name, f"`{r['path']}`", r.get("bytes", "–"),
             f"`{str(r.get('hash', '')).removeprefix('sha256:')}`"]
            for name, r in resources.items()]) + "\n",
        "## Python packages\n",
        "The packages `pyproject.toml` pins, with the version installed in the environment that "
        "built the book.\n",
        _table(["Package", "Pinned", "Installed"], [
            [name, version, installed.get(name, "missing")] for name, version in sorted(pinned.items())])
        + "\n",
        f":::{{dropdown}} All {len(locked)} packages of requirements.lock\n"
        + _table(["Package", "Locked", "Installed"], [
            [name, version, installed.get(name, "missing")] for name, version in sorted(locked.items())])
        + "\n:::\n",
        "## JavaScript libraries\n",
        "The chart libraries the book serves itself (`package-lock.json`).\n",
        _table(["Package", "Locked", "Installed"], [
            [name, npm_lock.get(f"node_modules/{name}", {}).get("version", "–"), npm_installed(name)]
            for name in NPM_PACKAGES]) + "\n",
    ]
    return "\n".join(parts)


# --- the build ---------------------------------------------------------------------------------

def build_html(root: Path = ROOT, manifest: dict[str, Any] | None = None,
               book: JupyterBook | None = None, clean: bool = False) -> Path:
    """Compile the HTML book (warnings are errors) and copy it into _build/html."""
    manifest = manifest if manifest is not None else {}
    staging = root / "_build" / "staging"
    if clean:
        shutil.rmtree(staging, ignore_errors=True)
    book = book or JupyterBook(root, staging)
    built = staging / "_build" / "html"
    # An incremental build must give the same pages as a clean one. myst-nb copies its CSS
    # only once the pages are written, so on a clean build the pages link it without Sphinx's
    # "?v=" checksum; left from a previous build, it would get one.
    for stale in (built / "_static").glob("mystnb.*.css"):
        stale.unlink()
    if book.build() != 0 or not (built / "index.html").is_file():
        shutil.rmtree(staging, ignore_errors=True)  # the next build starts clean
        raise BuildError("jupyter-book reported errors or warnings (see above); "
                         "the previous book in _build/html is untouched")
    _prune_search_index(built / "searchindex.js")
    _stage_data(root, built / "data", manifest)
    target = root / "_build" / "html"
    fresh = root / "_build" / "html.new"
    previous = root / "_build" / "html.previous"
    for leftover in (fresh, previous):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(built, fresh)
    if target.exists():
        target.rename(previous)
    fresh.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
    print(f"book: {target.relative_to(root)}/index.html", flush=True)
    return target


def _stage_data(root: Path, target: Path, manifest: dict[str, Any]) -> None:
    """The data package beside the pages (every chart's download link points here), and as one
    zip archive; redone only when a file of the data directory, the validating code or the
    archive code changed."""
    directory = data_dir(root)
    fingerprint = _digest([DataState(directory).fingerprint(root),
                           sha256(Path(__file__).with_name("archive.py"))])
    if manifest.get("staged_data") == fingerprint and target.is_dir():
        return
    from .archive import ARCHIVE, write_archive

    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(directory, target)
    write_archive(directory, target / ARCHIVE)
    manifest["staged_data"] = fingerprint


def _prune_search_index(path: Path) -> None:
    """Drop the words Sphinx's incremental index keeps with no page left (a clean build has
    none), so that an incremental build writes the same index as a clean one."""
    prefix, suffix = "Search.setIndex(", ")"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if not (text.startswith(prefix) and text.endswith(suffix)):
        return
    index = json.loads(text[len(prefix):-len(suffix)])
    for key in ("terms", "titleterms"):
        if isinstance(index.get(key), dict):
            index[key] = {word: pages for word, pages in index[key].items() if pages != []}
    pruned = prefix + json.dumps(index, sort_keys=True) + suffix
    if pruned != text:
        path.write_text(pruned, encoding="utf-8")


def default_jobs() -> int:
    """Notebooks executed at a time: one more than the cores, since a kernel spends part of its
    life waiting (starting, exchanging messages, stopping); measured on 2 cores, a third
    notebook fills those waits (README, "Performance")."""
    return (os.cpu_count() or 1) + 1


def _order(plan: list[Path], manifest: dict[str, Any], root: Path) -> list[Path]:
    """Longest first, so that the workers finish together: by the last execution time, and
    where there is none (a fresh clone), first and by the amount of code, its best proxy."""
    def longest_first(notebook: Path) -> tuple[float, int]:
        entry = manifest["notebooks"].get(str(notebook.relative_to(root)), {})
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
        size = sum(len(_text(cell["source"])) for cell in cells if cell["cell_type"] == "code")
        return -(entry.get("seconds") or float("inf")), -size

    return sorted(plan, key=longest_first)


def build(root: Path = ROOT, execute_notebooks: bool = True, force: bool = False,
          jobs: int | None = None, clean: bool = False) -> dict[str, Any]:
    """The whole build; returns a summary (what ran, what was reused, whether HTML was built)."""
    started = time.perf_counter()
    manifest = read_manifest(root)
    directory = data_dir(root)
    data = DataState(directory)
    src, environment = src_hash(root), environment_hash()
    fingerprint = data.fingerprint(root)
    must_validate = manifest.get("data") != fingerprint

    records: dict[str, dict[str, Any]] = {}
    plan: list[Path] = []
    for notebook in notebooks(root):
        relative = str(notebook.relative_to(root))
        entry = manifest["notebooks"].get(relative)
        state = current_state(notebook, root, src, environment)
        reasons = reasons_to_execute(entry, state, data)
        if not execute_notebooks:
            current = not reasons
            records[relative] = {
                "status": "stored outputs rendered without execution (--no-execute)"
                + ("; they match its last execution" if current else ""),
                "seconds": entry.get("seconds") if current else None,
                "reads": entry.get("reads", {}) if current else {}}
        elif force or reasons:
            why = "--force" if force and not reasons else "; ".join(reasons)
            print(f"plan: execute {relative} ({why})", flush=True)
            plan.append(notebook)
            records[relative] = {"status": f"executed in this build ({why})"}
        else:
            print(f"plan: reuse {relative} (unchanged since its last execution)", flush=True)
            records[relative] = {
                "status": "reused: code, scs_book package, environment and the data it reads "
                          "are unchanged since its last execution",
                "seconds": entry.get("seconds"), "reads": entry.get("reads", {})}

    mode = "execute" if execute_notebooks else "no-execute"
    fingerprints = book_fingerprint(root, environment, mode)
    html_current = (not plan and not clean and manifest.get("html") == fingerprints
                    and (root / "_build" / "html" / "index.html").is_file())
    staging = root / "_build" / "staging"
    if manifest.get("html", {}).get("structure") != fingerprints["structure"] or clean:
        shutil.rmtree(staging, ignore_errors=True)
    book: JupyterBook | None = None
    failures: list[str] = []

    def start_book() -> None:  # Jupyter Book loads its modules while the notebooks run
        nonlocal book
        book = JupyterBook(root, staging)

    try:
        results: dict[Path, dict[str, Any]] = {}
        if plan:
            workers = max(1, min(jobs or default_jobs(), len(plan)))
            print(f"execute: {len(plan)} notebook(s), {workers} at a time", flush=True)
            results = _run(plan, manifest, root, workers, failures, start_book)
            for notebook, result in results.items():
                relative = str(notebook.relative_to(root))
                content = json.loads(notebook.read_text(encoding="utf-8"))
                manifest["notebooks"][relative] = {
                    "version": MANIFEST_VERSION, **current_state(notebook, root, src, environment),
                    "outputs": outputs_hash(content), "reads": result["reads"],
                    "seconds": result["seconds"]}
                records[relative].update(seconds=result["seconds"], reads=result["reads"])
            for notebook in plan:
                if notebook not in results:
                    manifest["notebooks"].pop(str(notebook.relative_to(root)), None)
        if failures:  # the same bad data met by several notebooks is one error
            unique: dict[str, list[str]] = {}
            for failure in failures:
                first, _, rest = failure.partition("\n")
                unique.setdefault(first, []).append(rest)
            raise BuildError("\n".join(first + "".join(f"\n{r}" for r in rests if r)
                                        for first, rests in unique.items()))
        if must_validate:  # what the notebooks loaded, they validated
            validate_data({(name, read["descriptor"], read["sha256"])
                           for result in results.values()
                           for name, read in result["reads"]["resources"].items()
                           if "sha256" in read} if plan else set())
        manifest["data"] = fingerprint
        if html_current:
            print("html: up to date (no input of the book changed, nothing was executed)",
                  flush=True)
        else:
            _write_if_changed(root / GENERATED_PAGE, reproducibility_page(
                root, records, datetime.datetime.now(datetime.timezone.utc)))
            build_html(root, manifest, book, clean=False)
            book = None
            manifest["html"] = book_fingerprint(root, environment, mode)
    finally:
        if book is not None:
            book.cancel()
        write_manifest(manifest, root)
    executed = [str(n.relative_to(root)) for n in plan]
    summary = {"executed": executed, "reused": [r for r in records if r not in executed],
               "html": not html_current, "seconds": round(time.perf_counter() - started, 2)}
    print(f"done: {len(executed)} notebook(s) executed, {len(summary['reused'])} reused, "
          f"html {'rebuilt' if summary['html'] else 'up to date'}, {summary['seconds']:.1f} s",
          flush=True)
    return summary


def _run(plan: list[Path], manifest: dict[str, Any], root: Path, workers: int,
         failures: list[str], started=lambda: None) -> dict[Path, dict[str, Any]]:
    """Execute the planned notebooks; collect the failures. ``started`` is called once the
    executions are under way."""
    import nbformat  # noqa: F401  (loaded once here, not in every worker)
    import papermill  # noqa: F401

    results: dict[Path, dict[str, Any]] = {}
    ordered = _order(plan, manifest, root)
    if workers == 1:
        started()
        for notebook in ordered:
            try:
                results[notebook] = _execute_recorded(str(notebook.relative_to(root)),
                                                      str(root), 0)
            except BuildError as error:
                failures.append(str(error))
                break
        return results
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = {pool.submit(_execute_in_worker, str(n.relative_to(root)), str(root)): n
                   for n in ordered}
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
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-execute", action="store_true",
                        help="render the stored notebook outputs without executing them")
    parser.add_argument("--force", action="store_true",
                        help="execute every notebook, even those whose inputs did not change")
    parser.add_argument("--clean", action="store_true",
                        help="compile every page from scratch (no incremental HTML build)")
    parser.add_argument("--jobs", "-j", type=int, default=None,
                        help="notebooks executed at a time (default: cores + 1)")
    args = parser.parse_args(argv)
    try:
        build(execute_notebooks=not args.no_execute, force=args.force, jobs=args.jobs,
              clean=args.clean)
    except BuildError as error:
        print(f"BUILD FAILED: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
