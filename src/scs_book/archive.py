"""The whole data package as one download: a zip archive, byte-identical across builds.

The book's Sphinx extension writes it beside the pages (``scs_book.sphinx.charts``), without
loading pandas: this module reads the descriptor as plain JSON and takes its resource paths as
written (the loaders and the build have validated the package; ``scs_book.datapackage`` is not
imported here).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from .paths import DESCRIPTOR

ARCHIVE = "scs-book-data.zip"
_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps keep the archive reproducible


def write_archive(directory: Path, target: Path) -> Path:
    """Zip the descriptor and every resource it lists (nothing else) from ``directory``."""
    descriptor = json.loads((directory / DESCRIPTOR).read_text(encoding="utf-8"))
    names = [DESCRIPTOR, *sorted(resource["path"] for resource in descriptor["resources"])]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(f"scs-book-data/{name}", date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (directory / name).read_bytes())
    return target
