"""Build the book: validate the data, execute every notebook with papermill, compile the HTML.

    python -m scs_book.pipeline            # everything (what `make book` runs)
    python -m scs_book.pipeline --no-execute   # only re-render the stored outputs

Order matters: the data package is validated first and every notebook is executed before any
page is written. The HTML is compiled into a staging directory and swapped into ``_build/html``
only when the build succeeded, so a failure never leaves a half-written book behind.
A notebook that fails keeps its executed copy, traceback included, in ``_build/failed/``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import yaml

from .archive import ARCHIVE, write_archive
from .datapackage import DataError, data_dir, datasets, load

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "_build"
VENDOR_FILES = {  # served from the book's _static folder, in this load order
    "vega.min.js": "node_modules/vega/build/vega.min.js",
    "vega-lite.min.js": "node_modules/vega-lite/build/vega-lite.min.js",
    "vega-embed.min.js": "node_modules/vega-embed/build/vega-embed.min.js",
}


class BuildError(RuntimeError):
    """The build stopped; the message says where and why."""


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


def validate_data() -> None:
    """Load (and so validate) every dataset of the package; stop at the first problem."""
    for name in datasets():
        load(name)
    print(f"data: {len(datasets())} datasets valid ({data_dir()})", flush=True)


def execute(notebook: Path, parameters: dict | None = None) -> bool:
    """Run one notebook with papermill; store its outputs in place. True if they changed."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    relative = notebook.relative_to(ROOT)
    print(f"execute: {relative}", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        executed = Path(scratch) / notebook.name
        try:
            papermill.execute_notebook(
                str(notebook), str(executed), parameters=parameters or {},
                kernel_name="python3", cwd=str(notebook.parent), progress_bar=True,
                log_output=False, request_save_on_cell_execute=False)
        except PapermillExecutionError as error:
            failed = BUILD / "failed" / notebook.name
            failed.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(executed, failed)
            raise BuildError(
                f"{relative}: cell {error.cell_index + 1} (execution count {error.exec_count}) "
                f"raised {error.ename}: {error.evalue}\n"
                f"The executed notebook, with its traceback, is kept in "
                f"{failed.relative_to(ROOT)}") from None
        text = normalised(nbformat.read(executed, as_version=4))
    if notebook.read_text(encoding="utf-8") == text:
        return False
    notebook.write_text(text, encoding="utf-8")
    return True


def normalised(notebook: nbformat.NotebookNode) -> str:
    """The notebook without run-specific metadata (timings, papermill records), as text."""
    notebook.metadata.pop("papermill", None)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return nbformat.writes(notebook) + "\n"


def stage_vendor(root: Path = ROOT) -> Path:
    """Copy the Vega libraries into _build/vendor with a script telling Altair they are loaded."""
    from altair.vegalite.v6.display import VEGA_VERSION, VEGAEMBED_VERSION, VEGALITE_VERSION

    vendor = root / "_build" / "vendor"
    vendor.mkdir(parents=True, exist_ok=True)
    for name, source in VENDOR_FILES.items():
        if not (root / source).is_file():
            raise BuildError(f"{source} is missing: run `npm ci` (make does) first")
        shutil.copyfile(root / source, vendor / name)
    versions = {"vega_version": VEGA_VERSION, "vegalite_version": VEGALITE_VERSION,
                "vegaembed_version": VEGAEMBED_VERSION}
    (vendor / "vega-debug.js").write_text(
        "// Altair's charts load Vega from a CDN unless this names the versions already loaded.\n"
        f"var VEGA_DEBUG = {json.dumps(versions, sort_keys=True)};\n", encoding="utf-8")
    return vendor


def build_html(root: Path = ROOT) -> Path:
    """Compile the HTML book (warnings are errors) and swap it into _build/html."""
    stage_vendor(root)
    staging = root / "_build" / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(root),
               "--path-output", str(staging), "-W", "-n", "--keep-going"]
    print("build: jupyter-book " + " ".join(command[1:]), flush=True)
    built = staging / "_build" / "html"
    if subprocess.run(command, cwd=root).returncode != 0 or not (built / "index.html").is_file():
        raise BuildError("jupyter-book reported errors or warnings (see above); "
                         "the previous book in _build/html is untouched")
    shutil.copytree(data_dir(), built / "data")  # every chart's download link points here
    write_archive(data_dir(), built / "data" / ARCHIVE)
    target = root / "_build" / "html"
    previous = root / "_build" / "html.previous"
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    built.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
    print(f"book: {target.relative_to(root)}/index.html", flush=True)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-execute", action="store_true",
                        help="render the stored notebook outputs without executing them")
    args = parser.parse_args(argv)
    try:
        validate_data()
        if not args.no_execute:
            for notebook in notebooks():
                execute(notebook)
        build_html()
    except (BuildError, DataError) as error:
        print(f"BUILD FAILED: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
