"""Running the notebooks as a reader does: a reader's environment, and a Jupyter server from
the project's environment started and stopped (with its kernels)."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JUPYTER = Path(sys.executable).with_name("jupyter")  # the project's environment


def make_variable(name: str) -> list[str]:
    """A variable of the Makefile (continuation lines joined), as command-line arguments."""
    makefile = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    return shlex.split(re.search(rf"^{name} :=(.*)$", makefile, re.M).group(1))


def reader_environment(home: Path) -> dict[str, str]:
    """A reader's environment: the venv on PATH, a fresh home, none of the build's variables."""
    env = {
        "PATH": f"{JUPYTER.parent}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    # Autosave would write the fresh outputs over the committed notebooks.
    docmanager = home / "settings" / "@jupyterlab" / "docmanager-extension"
    docmanager.mkdir(parents=True)
    (docmanager / "plugin.jupyterlab-settings").write_text('{"autosave": false}')
    return env


def wait_for_server(runtime: Path, process: subprocess.Popen, timeout: float = 120) -> dict:
    """The info file (URL, token, root) of the one server using ``runtime``, once it answers;
    ``process`` is the server or the command that started it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "JupyterLab exited while starting"
        for info_file in runtime.glob("jpserver-*.json"):
            info = json.loads(info_file.read_text())
            try:
                urllib.request.urlopen(f"{info['url']}api/status?token={info['token']}", timeout=5)
                return info
            except OSError:
                pass
        time.sleep(0.5)
    raise TimeoutError("JupyterLab did not start")


def kernel_processes(runtime: Path) -> list[int]:
    """Process ids of the kernels whose connection files are in this server's runtime dir."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and str(runtime) in (proc / "cmdline").read_text():
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def stop_server(server: subprocess.Popen, info: dict | None, runtime: Path) -> None:
    """Shut the server down through its API (it stops its kernels), by force if need be."""
    if info is not None and server.poll() is None:
        request = urllib.request.Request(
            f"{info['url']}api/shutdown",
            method="POST",
            headers={"Authorization": f"token {info['token']}"},
        )
        try:
            urllib.request.urlopen(request, timeout=10)
        except OSError:
            pass
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    for pid in kernel_processes(runtime):  # left behind: stop them, then report them
        os.kill(pid, signal.SIGKILL)
        pytest.fail(f"kernel process {pid} outlived the JupyterLab server")
