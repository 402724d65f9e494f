"""What the tests and the benchmark share: the repository, a private copy of the data package,
a scratch copy of the project, the build command, offline runs. Imports nothing heavy."""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from scs_book.paths import DATA_DIR_ENV, ROOT

DATA = ROOT / "data"
SKIP = {".git", ".venv", "node_modules", "_build", ".cache", ".pytest_cache", ".ruff_cache"}


def can_unshare() -> bool:
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


def offline(command: list[str]) -> list[str]:
    """``command`` in a new network namespace with only loopback (needs unshare, e.g. as root);
    the caller skips when :func:`can_unshare` is false."""
    return ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "offline", *command]


def git(directory: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=directory, check=True, capture_output=True, text=True
    ).stdout


def copy_project(target: Path) -> Path:
    """The working tree (not the venv), committed into a fresh git repository at ``target``;
    node_modules is linked, never committed."""
    shutil.copytree(
        ROOT,
        target,
        ignore=lambda d, names: (
            [n for n in names if n in SKIP]
            if Path(d) == ROOT
            else [n for n in names if n == "__pycache__"]
        ),
    )
    (target / "node_modules").symlink_to((ROOT / "node_modules").resolve())
    git(target, "init", "-q")
    # Never commit the symlink (.gitignore's "/node_modules/" matches only a directory): a clone
    # would carry it, and `npm ci` there would empty the shared node_modules it points to.
    with open(target / ".git" / "info" / "exclude", "a", encoding="utf-8") as exclude:
        exclude.write("/node_modules\n")
    commit(target, "snapshot")
    return target


def commit(directory: Path, message: str) -> None:
    git(directory, "add", "-A")
    git(
        directory,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@localhost",
        "commit",
        "-qm",
        message,
        "--allow-empty",
    )


def build_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "scs_book.build", *args]


def project_env(project: Path, **extra: str) -> dict[str, str]:
    """The environment of a build in ``project``: its own package, the real data directory."""
    env = {k: v for k, v in os.environ.items() if k != DATA_DIR_ENV}
    env["PYTHONPATH"] = str(project / "src")
    env.update(extra)
    return env


def executed(output: str) -> list[str]:
    """The notebooks a build's output says it executes."""
    return sorted(re.findall(r"^plan: execute (\S+)", output, re.M))


def manifest(project: Path) -> dict:
    return json.loads((project / "_build" / ".scs-manifest.json").read_text(encoding="utf-8"))


def readers(project: Path) -> dict[str, list[str]]:
    """Data file -> the notebooks that opened it in their last execution."""
    found: dict[str, list[str]] = {}
    for notebook, entry in manifest(project)["notebooks"].items():
        for name in entry["reads"]["files"]:
            found.setdefault(name, []).append(notebook)
    return found


def requote_first_row(table: Path) -> None:
    """The same values, other bytes: the first field of the first data row in quotes."""
    lines = table.read_text(encoding="utf-8").split("\n")
    first, _, rest = lines[1].partition(",")
    lines[1] = f'"{first}",{rest}'
    table.write_text("\n".join(lines), encoding="utf-8")


class DataCopy:
    """A copy of data/ whose files a test may corrupt, re-recording the checksum by default."""

    def __init__(self, directory: Path):
        self.directory = directory

    def path(self, name: str) -> Path:
        return self.directory / name

    def edit_text(self, name: str, change, rehash: bool = True) -> None:
        file = self.path(name)
        file.write_text(change(file.read_text(encoding="utf-8")), encoding="utf-8")
        if rehash:
            self.rehash()

    def write_bytes(self, name: str, content: bytes, rehash: bool = True) -> None:
        self.path(name).write_bytes(content)
        if rehash:
            self.rehash()

    def rehash(self) -> None:
        from scs_book.datapackage import update_hashes

        update_hashes(self.directory)

    def edit_descriptor(self, change) -> None:
        file = self.path("datapackage.json")
        descriptor = json.loads(file.read_text(encoding="utf-8"))
        change(descriptor)
        file.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """The built book's files, served without a log line per request."""

    def log_message(self, *args):
        pass
