"""The whole data package as one download: a zip archive, byte-identical across builds."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .datapackage import DESCRIPTOR, read_descriptor

ARCHIVE = "scs-book-data.zip"
_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps keep the archive reproducible


def write_archive(directory: Path, target: Path) -> Path:
    """Zip the descriptor and every resource it lists (nothing else) from ``directory``."""
    names = [DESCRIPTOR, *sorted(r["path"] for r in read_descriptor(directory)["resources"])]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(f"scs-book-data/{name}", date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (directory / name).read_bytes())
    return target
