"""The build's record of each notebook's inputs, and the decision to execute it again.

The manifest, ``_build/.scs-manifest.json`` (never committed), keeps per notebook the hash of
its code cells (not its outputs), of its stored outputs, of the ``scs_book`` package it can
import (with ``book/references.bib``, which the package reads for the charts' citations), of
the Python environment, and of every data file it opened (:mod:`scs_book.build.reads`). A
notebook re-executes iff one of those changed, or it has no entry.

A fresh clone has no manifest and executes every notebook once: stored outputs are not trusted
on a new machine (that first run is what shows they are reproducible). A committed manifest
would be a second record of the outputs, and a source of merge conflicts between branches.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from ..paths import DESCRIPTOR, ROOT, data_dir, digest, sha256

MANIFEST_VERSION = 2  # bump when a change of the build changes what an execution produces
PACKAGE = Path("src") / "scs_book"
# The build's own code: notebooks never import it; a change of it recompiles every page.
BUILD_CODE = [
    PACKAGE / "build",
    PACKAGE / "sphinx",
]
# Files the package reads by itself, outside the data directory: a change re-executes every
# notebook (scs_book.bibliography reads the bibliography for the charts' short citations).
PACKAGE_INPUTS = [Path("book") / "references.bib"]
NPM_PACKAGES = ("vega", "vega-lite", "vega-embed")  # the chart libraries the book serves
NPM_BUILD_TOOLS = ("purgecss",)  # run by the build on its pages (scs_book.sphinx.stylesheets)


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


def text_of(source: str | list[str]) -> str:
    return "".join(source) if isinstance(source, list) else source


def code_hash(notebook: dict[str, Any]) -> str:
    """What an execution depends on in the notebook itself: kernel, code cells and their tags."""
    kernel = notebook.get("metadata", {}).get("kernelspec", {}).get("name")
    cells = [
        [text_of(cell["source"]), sorted(cell.get("metadata", {}).get("tags", []))]
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
    ]
    return digest([kernel, cells])


def outputs_hash(notebook: dict[str, Any]) -> str:
    """The stored outputs: if they differ from what the build wrote (a checkout, a merge), the
    notebook is executed again."""
    return digest(
        [
            [cell.get("execution_count"), cell.get("outputs", [])]
            for cell in notebook["cells"]
            if cell["cell_type"] == "code"
        ]
    )


CODE_SUFFIXES = (".py", ".js", ".css")  # the package's code: Python, and the charts' scripts


def code_files(root: Path, paths: list[Path]) -> list[Path]:
    """The code files at or under ``paths`` (relative to ``root``), sorted."""
    found = []
    for path in (root / p for p in paths):
        found += [path] if path.is_file() else path.rglob("*")
    return sorted(p for p in found if p.suffix in CODE_SUFFIXES and "__pycache__" not in p.parts)


def src_hash(root: Path = ROOT) -> str:
    """The ``scs_book`` package the notebooks import (the build's own code excepted), with the
    files it reads by itself."""
    build_code = set(code_files(root, BUILD_CODE))
    files = [p for p in code_files(root, [PACKAGE]) if p not in build_code]
    inputs = [root / p for p in PACKAGE_INPUTS if (root / p).is_file()]
    return digest([[str(p.relative_to(root)), sha256(p)] for p in files + inputs])


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
    return digest([sys.version, sys.executable, installed_packages()])


class DataState:
    """The data package as it is now: descriptor entries and file hashes, without pandas."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._hashes: dict[str, str | None] = {}
        try:
            self.descriptor = json.loads((directory / DESCRIPTOR).read_text(encoding="utf-8"))
            self.resources = {r["name"]: r for r in self.descriptor["resources"]}
        except (OSError, ValueError, KeyError, TypeError):
            self.descriptor, self.resources = None, {}

    def file_hash(self, relative: str) -> str | None:
        if relative not in self._hashes:
            path = self.directory / relative
            self._hashes[relative] = sha256(path) if path.is_file() else None
        return self._hashes[relative]

    def descriptor_hash(self) -> str | None:
        """The descriptor without the files' checksums and sizes (what `make data-hashes`
        changes after a data edit): a notebook depends on the files it opened through their
        own hashes, so that a data edit re-executes only that file's readers."""
        if self.descriptor is None:
            return None
        view = json.loads(json.dumps(self.descriptor))
        for resource in view.get("resources", []):
            if isinstance(resource, dict):
                resource.pop("hash", None)
                resource.pop("bytes", None)
        return digest(view)

    def fingerprint(self, root: Path = ROOT) -> str:
        """Changes when any file of the data directory or the validating code changes."""
        files = sorted(p for p in self.directory.iterdir() if p.is_file())
        validator = root / PACKAGE / "datapackage.py"
        return digest(
            [[p.name, self.file_hash(p.name)] for p in files]
            + [sha256(validator) if validator.is_file() else None]
        )


def relative_to_root(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def current_state(notebook: Path, root: Path, src: str, environment: str) -> dict[str, Any]:
    """The hashes a manifest entry is compared with (the data reads are checked separately)."""
    content = json.loads(notebook.read_text(encoding="utf-8"))
    return {
        "code": code_hash(content),
        "outputs": outputs_hash(content),
        "src": src,
        "environment": environment,
        "data_dir": relative_to_root(data_dir(root), root),
    }


REASONS = {
    "code": "its code cells changed",
    "outputs": "its stored outputs differ from the last execution",
    "src": "the scs_book package (src/scs_book) changed",
    "environment": "the Python environment changed",
    "data_dir": "the data directory changed",
}


def reasons_to_execute(
    entry: dict[str, Any] | None, state: dict[str, Any], data: DataState
) -> list[str]:
    """Why the notebook must run again; an empty list means its stored outputs are current."""
    if not entry or entry.get("version") != MANIFEST_VERSION:
        return ["no record of an execution in this build directory"]
    reasons = [label for key, label in REASONS.items() if entry.get(key) != state[key]]
    files = entry.get("reads", {}).get("files", {})
    for relative, recorded in sorted(files.items()):
        if relative == DESCRIPTOR:
            if data.descriptor_hash() != recorded:
                reasons.append(f"data/{DESCRIPTOR} changed (beyond the files' checksums)")
        elif data.file_hash(relative) != recorded:
            reasons.append(f"data/{relative} changed")
    return reasons


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


def book_fingerprint(root: Path, environment: str, mode: str) -> dict[str, str]:
    """Every input of the HTML step, by group (a changed config, toc or build code means a
    clean compilation: the pages Sphinx keeps were made by the previous build's code)."""

    def files(paths) -> list[list[str]]:
        return [
            [relative_to_root(p, root), sha256(p)]
            for p in sorted(paths)
            if p.is_file() and ".ipynb_checkpoints" not in p.parts
        ]

    book = list((root / "book").rglob("*"))
    npm = [
        root / "node_modules" / name / "package.json" for name in (*NPM_PACKAGES, *NPM_BUILD_TOOLS)
    ]
    return {
        "structure": digest(
            files([root / "_config.yml", root / "_toc.yml", *code_files(root, BUILD_CODE)])
        ),
        "content": digest(
            [
                files(book),
                files(notebooks(root)),
                files(data_dir(root).iterdir()),
                files(npm),
                environment,
                mode,
            ]
        ),
    }
