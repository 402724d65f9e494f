"""Loaders: one per dataset of the data package, generated from ``data/datapackage.json``.

In the manner of ``vega_datasets``: ``data.table2_china_cctv()`` returns the validated
DataFrame, ``data.table2_china_cctv.title`` / ``.sources`` / ``.licenses`` / ``.footnotes`` /
``.path`` describe it. The descriptor is the only place a dataset is described.
"""

from __future__ import annotations

import os
from pathlib import Path

from .datapackage import DATA_DIR_ENV, DataError, Dataset, dataset, datasets, load

__all__ = ["DataError", "Dataset", "dataset", "datasets", "load", "names", "use_directory"]


def names() -> list[str]:
    """The names of every dataset in the package, in descriptor order."""
    return list(datasets())


def use_directory(directory: str | Path | None) -> None:
    """Read data from ``directory``; None keeps the default ($SCS_BOOK_DATA_DIR, else data/)."""
    if directory is not None:
        os.environ[DATA_DIR_ENV] = str(Path(directory).resolve())


def __getattr__(name: str) -> Dataset:
    if name.startswith("__"):
        raise AttributeError(name)
    try:
        return dataset(name)
    except KeyError as error:
        raise AttributeError(str(error)) from None


def __dir__() -> list[str]:
    return sorted([*__all__, *names()])
