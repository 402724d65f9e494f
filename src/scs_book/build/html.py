"""The HTML step: Jupyter Book compiles the book; a failure keeps the previous one.

Jupyter Book compiles into a persistent staging directory (Sphinx's own incremental build) that
is copied into ``_build/html`` only when the build succeeded, so a failure never leaves a
half-written book behind (and discards the staging directory: the next build starts clean).
Jupyter Book is started while the notebooks execute and waits, its modules loaded, until they
are done. Its command line is the stock one (``jupyter-book build . -W -n``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from . import BuildError
from .reproducibility import RECORD_ENV, record_path

JUPYTER_BOOK_MODULES = [
    "jupyter_book.cli.main",
    "jupyter_book.sphinx",
    "sphinx.application",
    "sphinx.builders.html",
    "myst_nb.sphinx_ext",
    "myst_parser.sphinx_ext",
]


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
        self.arguments = [
            "build",
            str(root),
            "--path-output",
            str(staging),
            "-W",
            "-n",
            "--keep-going",
        ]
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _JUPYTER_BOOK_RUNNER,
                ",".join(JUPYTER_BOOK_MODULES + extensions),
                *self.arguments,
            ],
            cwd=root,
            env={**os.environ, RECORD_ENV: str(record_path(root))},  # this build's record
            stdin=subprocess.PIPE,
            text=True,
        )

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
    command = [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build",
        str(root),
        "--path-output",
        str(staging),
        "-W",
        "-n",
        "--keep-going",
    ]
    return command + (["--config", str(config)] if config else [])


def build_html(root: Path, book: JupyterBook | None = None, clean: bool = False) -> Path:
    """Compile the HTML book (warnings are errors) and swap it into _build/html."""
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
        raise BuildError(
            "jupyter-book reported errors or warnings (see above); "
            "the previous book in _build/html is untouched"
        )
    _prune_search_index(built / "searchindex.js")
    return swap(built, root / "_build" / "html")


def swap(built: Path, target: Path) -> Path:
    """Replace ``target`` by a copy of ``built``, the old book kept until the copy is done."""
    fresh, previous = target.with_name("html.new"), target.with_name("html.previous")
    for leftover in (fresh, previous):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(built, fresh)
    if target.exists():
        target.rename(previous)
    fresh.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
    print(f"book: {target}/index.html", flush=True)
    return target


def _prune_search_index(path: Path) -> None:
    """Drop the words Sphinx's incremental index keeps with no page left (a clean build has
    none), so that an incremental build writes the same index as a clean one."""
    prefix, suffix = "Search.setIndex(", ")"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if not (text.startswith(prefix) and text.endswith(suffix)):
        return
    index = json.loads(text[len(prefix) : -len(suffix)])
    for key in ("terms", "titleterms"):
        if isinstance(index.get(key), dict):
            index[key] = {word: pages for word, pages in index[key].items() if pages != []}
    pruned = prefix + json.dumps(index, sort_keys=True) + suffix
    if pruned != text:
        path.write_text(pruned, encoding="utf-8")
