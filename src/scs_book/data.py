"""Loaders: one per dataset of the data package, generated from ``data/datapackage.json``.

In the manner of ``vega_datasets``: ``data.table2_china_cctv()`` returns the validated
DataFrame, ``data.table2_china_cctv.title`` / ``.sources`` / ``.licenses`` / ``.footnotes`` /
``.path`` describe it. The descriptor is the only place a dataset is described. The data
directory is ``data/``, or ``$SCS_BOOK_DATA_DIR`` where a test points it at a copy.
"""

from __future__ import annotations

from .datapackage import DataError, Dataset, dataset, datasets, load

__all__ = ["DataError", "Dataset", "dataset", "datasets", "load", "names"]


def names() -> list[str]:
    """The names of every dataset in the package, in descriptor order."""
    return list(datasets())


def __getattr__(name: str) -> Dataset:
    if name.startswith("__"):
        raise AttributeError(name)
    try:
        return dataset(name)
    except KeyError as error:
        raise AttributeError(str(error)) from None


def __dir__() -> list[str]:
    return sorted([*__all__, *names()])
