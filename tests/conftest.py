"""Shared fixtures: a private copy of the data package to corrupt, and the built book."""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from scs_book.paths import DATA_DIR_ENV, ROOT
from support import DATA, DataCopy, build_command, project_env

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@pytest.fixture(autouse=True, scope="session")
def no_network():
    """Tests run offline: any connection or name lookup beyond this machine is an error."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def outside(sock, address) -> bool:
        return sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in LOOPBACK

    def connect(sock, address):
        if outside(sock, address):
            raise OSError(f"network access blocked in tests: {address}")
        return real_connect(sock, address)

    def connect_ex(sock, address):
        if outside(sock, address):
            raise OSError(f"network access blocked in tests: {address}")
        return real_connect_ex(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if host not in LOOPBACK and host is not None:
            raise OSError(f"name lookup blocked in tests: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
    socket.getaddrinfo = getaddrinfo
    yield
    socket.socket.connect, socket.socket.connect_ex = real_connect, real_connect_ex
    socket.getaddrinfo = real_getaddrinfo


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> DataCopy:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    monkeypatch.setenv(DATA_DIR_ENV, str(copy))
    return DataCopy(copy)


@pytest.fixture(scope="session")
def built_book() -> Path:
    """The HTML book, rendered from the notebooks' stored outputs (no execution)."""
    result = subprocess.run(
        build_command("--no-execute"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=project_env(ROOT),
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return ROOT / "_build" / "html"


def pytest_collection_modifyitems(items):
    """Notebook cells checked by nbval are slow end-to-end checks."""
    for item in items:
        if item.fspath.ext == ".ipynb":
            item.add_marker(pytest.mark.slow)


def pytest_report_header() -> str:
    """Name the browser the checks run with: Debian's chromium is not pinned, so a failure
    in the browser tests should say at once whether the browser changed."""
    from scs_book.build.reproducibility import chromium_version

    return f"browser checks: {chromium_version()}"
