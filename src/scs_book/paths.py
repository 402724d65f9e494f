"""Where things are, and how the book hashes them: one module, importable without pandas.

Used by the loaders (``scs_book.datapackage``), the data archive and the build
(``scs_book.build``), so that the repository root, the data directory, the descriptor's name
and the digests exist once.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR_ENV = "SCS_BOOK_DATA_DIR"  # another copy of the data package (the tests use it)
DESCRIPTOR = "datapackage.json"


def data_dir(root: Path = ROOT) -> Path:
    """The data directory: ``$SCS_BOOK_DATA_DIR`` if set, else the repository's ``data/``."""
    return Path(os.environ.get(DATA_DIR_ENV) or root / "data").resolve()


def sha256(path: Path) -> str:
    """The hex sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def digest(value: Any) -> str:
    """The hex sha256 of a JSON value, independent of key order."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
