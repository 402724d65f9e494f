"""What a notebook read: the build's record of the data each notebook was handed.

The build (``scs_book.pipeline``) runs each notebook with ``$SCS_BOOK_READ_LOG`` naming a fresh
file; the data loaders (``scs_book.datapackage``) then append one JSON line per read:

* ``{"listing": H}`` when the list of datasets was read (H: hash of the resource names);
* ``{"resource": name, "path": file, "descriptor": H}`` when a dataset's description was read;
* the same plus ``"sha256"`` when the dataset itself was loaded (and so validated).

The build stores the merged record in its manifest and re-executes the notebook when one of
those inputs changes. Without the variable (Jupyter, nbval, tests) nothing is written.
This module imports nothing heavy: the build reads logs without loading pandas.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Iterable

READ_LOG_ENV = "SCS_BOOK_READ_LOG"


def entry_hash(resource: dict[str, Any]) -> str:
    """The sha256 of one resource's description in datapackage.json (key order ignored)."""
    text = json.dumps(resource, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def listing_hash(names: Iterable[str]) -> str:
    """The sha256 of the list of dataset names, in descriptor order."""
    return hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()


def record(**fields: Any) -> None:
    """Append one read to the log named by ``$SCS_BOOK_READ_LOG``; do nothing without it."""
    log = os.environ.get(READ_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(fields, sort_keys=True) + "\n")


def read(path: Path) -> dict[str, Any]:
    """Merge a log into ``{"listing": H or None, "resources": {name: {...}}}``.

    A resource that was loaded keeps its file hash even when its description was read again
    afterwards; a missing log (the notebook read nothing) gives an empty record.
    """
    merged: dict[str, Any] = {"listing": None, "resources": {}}
    if not path.is_file():
        return merged
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        if "listing" in entry:
            merged["listing"] = entry["listing"]
            continue
        known = merged["resources"].setdefault(entry["resource"], {})
        for key in ("path", "descriptor", "sha256"):
            if key in entry:
                known[key] = entry[key]
    merged["resources"] = dict(sorted(merged["resources"].items()))
    return merged
