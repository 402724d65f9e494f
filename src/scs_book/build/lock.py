"""One build at a time per build directory: a second one is refused, not interleaved.

The lock is an advisory ``flock`` on ``_build/.build.lock``, held for the whole build and
released by the operating system when the process ends, even if it is killed: a stale lock
cannot block the next build.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from . import BuildError


@contextlib.contextmanager
def exclusive(root: Path) -> Iterator[None]:
    """Hold the build lock of ``root``; raise BuildError at once if another build holds it."""
    path = root / "_build" / ".build.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildError(
                f"another build is running in {root} (process {holder}); wait "
                "for it to finish, then build again"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()
