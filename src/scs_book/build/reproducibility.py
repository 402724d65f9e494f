"""The Reproducibility page, ``book/reproducibility.md``, written while Sphinx reads it.

The committed file is a stub; the book's Sphinx extension replaces its text as Sphinx reads it
(:func:`fill_page`, on ``source-read``; the page is read again on every compilation), so a stock
``jupyter-book build`` makes it too, with no step before it. It lists the build date, Python and
package versions, each data resource with its sha256, each notebook with its execution time,
status and the data files it read: from the record the build writes before compiling
(``_build/.scs-record.json``, named by ``$SCS_BOOK_BUILD_RECORD``), or without it from the
manifest of the last build. Its build-time fields are the only difference between two builds of
the same inputs (tested); the page is excluded from the search index for that reason.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
from pathlib import Path
from typing import Any

from ..paths import DESCRIPTOR, data_dir
from .chromium import chromium_version
from .manifest import NPM_BUILD_TOOLS, NPM_PACKAGES, DataState, installed_packages

PAGE = "book/reproducibility"  # its Sphinx document name
RECORD_ENV = "SCS_BOOK_BUILD_RECORD"
STOCK = "stored outputs rendered by a plain `jupyter-book build` (not executed by it)"


def write_if_changed(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


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


INTRODUCTION = (
    "This page is written by the build (`python -m scs_book.build`, what `make book` runs) "
    "each time it compiles the book, from the files it used. Its **build-time fields** are the "
    "build date, each notebook's execution time and status (executed in that build, or reused "
    "from an earlier one): they are the only difference between two builds of the same inputs. "
    "Every other page, and every executed notebook, is identical from one build to the next "
    "(the build's tests check this). [How to reproduce the book](reproduce.md) explains the "
    "commands.\n"
)
NOTEBOOKS = (
    "Each notebook is executed with papermill when its code, the `scs_book` package, the "
    "Python environment or a data file it reads has changed since its last execution; "
    "otherwise its stored outputs are reused. The time is that of the execution that produced "
    "the outputs shown.\n"
)


def _notebook_rows(records: dict[str, dict[str, Any]]) -> list[list[str]]:
    rows = []
    for relative, record in records.items():
        read = record.get("reads", {}).get("files", {})
        files = ", ".join(f"`{name}`" for name in read if name != DESCRIPTOR)
        seconds = record.get("seconds")
        rows.append(
            [
                f"{{doc}}`/{Path(relative).with_suffix('').as_posix()}`",
                record["status"],
                f"{seconds:.1f} s" if seconds is not None else "–",
                files or "–",
            ]
        )
    return rows


def _python_sections(root: Path) -> list[str]:
    import tomllib

    installed = installed_packages()
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        declared += extra
    lock_file = root / "requirements.lock"
    locked = (
        _pins(re.findall(r"^([A-Za-z0-9_.\-]+==\S+)", lock_file.read_text(encoding="utf-8"), re.M))
        if lock_file.is_file()
        else {}
    )

    def versions(pins: dict[str, str]) -> list[list[str]]:
        return [[name, pin, installed.get(name, "missing")] for name, pin in sorted(pins.items())]

    return [
        "## Python packages\n",
        "The packages `pyproject.toml` pins, with the version installed in the environment "
        "that built the book.\n",
        _table(["Package", "Pinned", "Installed"], versions(_pins(declared))) + "\n",
        f"All {len(locked)} packages of `requirements.lock`, with the version installed:\n",
        f":::{{dropdown}} Show all {len(locked)} packages\n"
        + _table(["Package", "Locked", "Installed"], versions(locked))
        + "\n:::\n",
    ]


def _javascript_section(root: Path) -> list[str]:
    lock_file = root / "package-lock.json"
    npm_lock = (
        json.loads(lock_file.read_text(encoding="utf-8"))["packages"] if lock_file.is_file() else {}
    )

    def installed(name: str) -> str:
        package = root / "node_modules" / name / "package.json"
        if not package.is_file():
            return "missing"
        return json.loads(package.read_text(encoding="utf-8"))["version"]

    return [
        "## JavaScript libraries\n",
        "The chart libraries the book serves itself, and the tool the build cuts the theme's "
        "stylesheets with (`package-lock.json`).\n",
        _table(
            ["Package", "Locked", "Installed"],
            [
                [
                    name,
                    npm_lock.get(f"node_modules/{name}", {}).get("version", "–"),
                    installed(name),
                ]
                for name in (*NPM_PACKAGES, *NPM_BUILD_TOOLS)
            ],
        )
        + "\n",
    ]


def reproducibility_page(
    root: Path, records: dict[str, dict[str, Any]], built: datetime.datetime
) -> str:
    """The page's Markdown. ``records``: per notebook, its status, time and reads."""
    resources = DataState(data_dir(root)).resources
    parts = [
        "---\nnosearch: true\n---\n",
        "# Reproducibility\n",
        INTRODUCTION,
        "## Build\n",
        _table(
            ["Field", "Value"],
            [
                ["Build date (UTC)", built.strftime("%Y-%m-%d %H:%M:%S")],
                ["Python", f"{platform.python_version()} ({platform.python_implementation()})"],
                ["Platform", f"{platform.system()} {platform.machine()}"],
                ["Browser for the checks (`make test`)", chromium_version()],
            ],
        )
        + "\n",
        "## Notebooks\n",
        NOTEBOOKS,
        _table(["Notebook", "Status", "Execution time", "Data files read"], _notebook_rows(records))
        + "\n",
        "## Data\n",
        "Every resource of `data/datapackage.json`, validated against its checksum and schema "
        "by the build: when a notebook loads it, or on its own.\n",
        _table(
            ["Dataset", "File", "Bytes", "SHA-256"],
            [
                [
                    name,
                    f"`{r['path']}`",
                    r.get("bytes", "–"),
                    f"`{str(r.get('hash', '')).removeprefix('sha256:')}`",
                ]
                for name, r in resources.items()
            ],
        )
        + "\n",
        *_python_sections(root),
        *_javascript_section(root),
    ]
    return "\n".join(parts)


def record_path(root: Path) -> Path:
    return root / "_build" / ".scs-record.json"


def page_records(root: Path) -> dict[str, dict[str, Any]]:
    """Per notebook: its status, time and reads. The build's record of this compilation if the
    build runs it; else what the manifest of the last build says."""
    from .manifest import notebooks, read_manifest

    if os.environ.get(RECORD_ENV):
        return json.loads(Path(os.environ[RECORD_ENV]).read_text(encoding="utf-8"))
    entries = read_manifest(root)["notebooks"]
    records = {}
    for notebook in notebooks(root):
        entry = entries.get(str(notebook.relative_to(root)), {})
        records[str(notebook.relative_to(root))] = {
            "status": STOCK,
            "seconds": entry.get("seconds"),
            "reads": entry.get("reads", {}),
        }
    return records


def fill_page(app, docname: str, source: list[str]) -> None:
    """Sphinx ``source-read``: the page's text, in place of the committed stub."""
    if docname == PAGE:
        root = Path(app.srcdir)
        source[0] = reproducibility_page(
            root, page_records(root), datetime.datetime.now(datetime.UTC)
        )


def always_read(app, env, added, changed, removed) -> list[str]:
    """Sphinx ``env-get-outdated``: the page is read (and so written) on every compilation."""
    return [PAGE] if PAGE in env.found_docs else []


def setup_sphinx(app) -> None:
    """Connect the page to Sphinx (called by the book's Sphinx extension)."""
    app.connect("source-read", fill_page)
    app.connect("env-get-outdated", always_read)
