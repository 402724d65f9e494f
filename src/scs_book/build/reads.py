"""What a notebook read, recorded by its kernel: the loaders know nothing of the build.

The build starts each notebook's kernel with one startup line (IPython's ``exec_lines``, passed
on the kernel's command line through papermill): :func:`watch`, which installs a Python audit
hook (PEP 578). The interpreter reports every ``open`` to it; the hook writes the path of each
file of the data directory the notebook opens, once, to the file named by
``$SCS_BOOK_READ_LOG``. Whatever opens the file (a loader, frictionless, pandas, the
notebook's own code) is seen; nothing in ``scs_book.datapackage`` takes part. Without the
variable (Jupyter, nbval, tests) the startup line does nothing.

After the execution the build turns the log into the notebook's record (:func:`record`): the
sha256 of every data file it opened, and for the descriptor the hash of what the notebook
depends on in it (:meth:`scs_book.build.manifest.DataState.descriptor_hash`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from ..paths import DESCRIPTOR, data_dir
from .manifest import DataState

READ_LOG_ENV = "SCS_BOOK_READ_LOG"
KERNEL_STARTUP = "import scs_book.build.reads; scs_book.build.reads.watch()"


def kernel_arguments() -> list[str]:
    """The kernel command-line option that runs :func:`watch` before the first cell."""
    return [f"--IPKernelApp.exec_lines={KERNEL_STARTUP}"]


def watch() -> None:
    """In the kernel: log each data file opened to ``$SCS_BOOK_READ_LOG`` (if set)."""
    log = os.environ.get(READ_LOG_ENV)
    if not log:
        return
    directory = data_dir()
    prefixes = {str(directory) + os.sep, os.path.realpath(directory) + os.sep}
    handle = open(log, "a", encoding="utf-8")  # opened once: the hook itself opens nothing
    seen: set[str] = set()

    def hook(event: str, args: tuple) -> None:
        if event != "open" or not args or isinstance(args[0], int) or args[0] is None:
            return
        try:
            path = os.path.normpath(os.path.abspath(os.fsdecode(os.fspath(args[0]))))
        except (TypeError, ValueError):
            return
        prefix = next((p for p in prefixes if path.startswith(p)), None)
        if prefix is not None and path not in seen:
            seen.add(path)
            handle.write(path[len(prefix) :] + "\n")
            handle.flush()

    sys.addaudithook(hook)


def record(log: Path, data: DataState) -> dict[str, Any]:
    """``{"files": {relative path: sha256}}`` for the data files the log names; the descriptor
    by :meth:`DataState.descriptor_hash`."""
    opened = set(log.read_text(encoding="utf-8").splitlines()) if log.is_file() else set()
    files = {name: data.file_hash(name) for name in sorted(opened) if name != DESCRIPTOR}
    if DESCRIPTOR in opened:
        files[DESCRIPTOR] = data.descriptor_hash()
    return {"files": dict(sorted(files.items()))}


def resources_read(reads: dict[str, Any], data: DataState) -> list[str]:
    """The names of the resources whose file a notebook opened (and so its loader validated)."""
    files = reads.get("files", {})
    return [
        name
        for name, resource in data.resources.items()
        if resource.get("path") in files
        and files[resource["path"]] == data.file_hash(resource["path"])
    ]
