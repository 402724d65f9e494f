"""Pins agree everywhere: pyproject, the lock file, Binder's environment.yml, npm and Altair."""

import json
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def pins(requirements):
    return dict(re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", r).groups() for r in requirements)


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def locked():
    text = (ROOT / "requirements.lock").read_text()
    return {normalise(n): v for n, v in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M)}


def test_every_declared_dependency_is_pinned_exactly_and_locked_at_that_version():
    declared = list(PYPROJECT["project"]["dependencies"])
    for extra in PYPROJECT["project"]["optional-dependencies"].values():
        declared += extra
    lock = locked()
    for name, version in pins(declared).items():
        assert lock.get(normalise(name)) == version, (
            f"{name}: pyproject {version}, lock {lock.get(normalise(name))}"
        )


def test_lock_file_carries_hashes():
    text = (ROOT / "requirements.lock").read_text()
    assert text.count("==") == text.count("\n    --hash=sha256:") or "--hash=sha256:" in text
    assert all("--hash=sha256:" in block for block in text.split("\n\n") if "==" in block)


def binder_environment() -> tuple[list[str], list[str]]:
    """environment.yml's conda packages and its pip section."""
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert environment["channels"] == ["conda-forge"]
    conda = [d for d in environment["dependencies"] if isinstance(d, str)]
    pip = [line for d in environment["dependencies"] if isinstance(d, dict) for line in d["pip"]]
    return conda, pip


def shell_commands(script: Path) -> list[str]:
    lines = script.read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_binder_takes_python_and_pip_from_conda_forge_and_everything_else_from_the_lock():
    conda, pip = binder_environment()
    python = next(d.split("=", 1)[1] for d in conda if d.startswith("python="))
    assert PYPROJECT["project"]["requires-python"] == f"=={python}.*"
    assert "pip" in conda
    # Nothing but the lock, installed hash-checked: no loose pin that could float from it.
    assert pip == ["--require-hashes", "-r requirements.lock"]
    header = (ROOT / "requirements.lock").read_text().splitlines()[1]
    assert "--all-extras" in header and f"--python-version {python} " in header, header


def test_binder_node_is_the_node_the_makefile_and_readme_name():
    conda, _ = binder_environment()
    node = next(d.split("=", 1)[1] for d in conda if d.startswith("nodejs="))
    assert f"Node.js {node}" in (ROOT / "README.md").read_text()


def test_post_build_installs_the_package_alone_and_the_locked_npm_libraries():
    postbuild = ROOT / "postBuild"
    assert postbuild.stat().st_mode & 0o111, "postBuild must be executable"
    commands = shell_commands(postbuild)
    assert commands[0] == "set -euo pipefail"
    # The package's dependencies come from the lock only; npm ci installs package-lock.json.
    assert [c for c in commands if c.startswith("pip")] == ["pip install --no-deps -e ."]
    npm = [c.split() for c in commands if c.startswith("npm")]
    assert len(npm) == 1 and npm[0][:2] == ["npm", "ci"] and "--omit=dev" in npm[0]
    assert len(commands) == 3


def test_jupyterlab_is_pinned_as_the_lab_extra_and_locked():
    lab = pins(PYPROJECT["project"]["optional-dependencies"]["lab"])
    assert list(lab) == ["jupyterlab"]
    assert locked()["jupyterlab"] == lab["jupyterlab"]


def test_npm_lock_matches_altair_expected_vega_versions():
    from altair.vegalite.v6.display import VEGA_VERSION, VEGAEMBED_VERSION, VEGALITE_VERSION

    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    package = json.loads((ROOT / "package.json").read_text())["dependencies"]
    for name, expected in (
        ("vega", VEGA_VERSION),
        ("vega-lite", VEGALITE_VERSION),
        ("vega-embed", VEGAEMBED_VERSION),
    ):
        installed = lock[f"node_modules/{name}"]["version"]
        assert package[name] == installed, f"{name}: package.json must pin the locked version"
        # Altair names a full version (vega-lite) or a major version (vega, vega-embed).
        assert installed == expected or installed.split(".")[0] == expected, (
            name,
            installed,
            expected,
        )
        assert installed.startswith(expected + ".") or installed == expected


def test_npm_lock_records_no_download_addresses_outside_the_registry():
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for name, entry in lock.items():
        if name and "resolved" in entry:
            assert entry["resolved"].startswith("https://registry.npmjs.org/"), name


def test_tests_run_offline():
    """The session-wide guard in conftest.py refuses anything beyond this machine."""
    import socket

    import pytest

    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    with pytest.raises(OSError, match="blocked"):
        socket.getaddrinfo("pypi.org", 443)


def test_repository_address_is_written_once():
    """_config.yml holds the repository address; CITATION.cff must agree with it."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["repository-code"] == config["repository"]["url"]
