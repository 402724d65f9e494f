"""Shared fixtures: a private copy of the data package to corrupt, the built book, and the
built book served on loopback with a headless Chromium to read it."""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from scs_book.paths import DATA_DIR_ENV
from support import (
    DATA,
    DataCopy,
    QuietHandler,
    build_command,
    can_unshare,
    copy_project,
    offline,
    project_env,
)

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
def session_build(tmp_path_factory) -> Path:
    """A scratch copy of the repository, built once per session as on a fresh clone (every
    notebook executed; networking off where the machine allows it): the slow tests check this
    one artifact. The build's output is kept beside it, in ``first-build.log``."""
    copy = copy_project(tmp_path_factory.mktemp("project") / "scs-book")
    command = offline(build_command()) if can_unshare() else build_command()
    result = subprocess.run(
        command, cwd=copy, env=project_env(copy), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (copy.parent / "first-build.log").write_text(result.stdout, encoding="utf-8")
    return copy


@pytest.fixture(scope="session")
def built_book(session_build) -> Path:
    """The HTML book of the session's build."""
    return session_build / "_build" / "html"


@pytest.fixture(scope="module")
def served(built_book):
    """The built book on a loopback server: its address and its folder."""
    handler = functools.partial(QuietHandler, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", built_book
    server.shutdown()


@pytest.fixture(scope="module")
def chromium():
    """Debian's headless Chromium, as the build's PDF printer launches it."""
    from playwright.sync_api import sync_playwright

    from scs_book.build.chromium import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def pytest_report_header() -> str:
    """Name the browser the checks run with: Debian's chromium is not pinned, so a failure
    in the browser tests should say at once whether the browser changed."""
    from scs_book.build.chromium import chromium_version

    return f"browser checks: {chromium_version()}"
