"""The headless Chromium the book's PDFs, browser tests and benchmarks all use: Debian's
``chromium`` (Playwright's own browser download cannot work here), started offline."""

from __future__ import annotations

import shutil
import subprocess

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root, without the sandbox; no background connections (the machine has no network but
# the package registries, and the pages must load nothing from other hosts).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_version() -> str:
    """The installed version (Debian's is not pinned: it moves with the distribution)."""
    try:
        result = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    return result.stdout.strip() or "not installed"
