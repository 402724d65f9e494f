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
        assert lock.get(normalise(name)) == version, f"{name}: pyproject {version}, lock {lock.get(normalise(name))}"


def test_lock_file_carries_hashes():
    text = (ROOT / "requirements.lock").read_text()
    assert text.count("==") == text.count("\n    --hash=sha256:") or "--hash=sha256:" in text
    assert all("--hash=sha256:" in block for block in text.split("\n\n") if "==" in block)


def test_binder_environment_matches_the_pins():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in environment["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    python = next(d for d in conda if d.startswith("python="))
    assert PYPROJECT["project"]["requires-python"] == f"=={python.split('=')[1]}.*"
    binder_pins = pins(r for r in pip if "==" in r)
    runtime = pins(PYPROJECT["project"]["dependencies"])
    assert binder_pins == runtime, "environment.yml's pip list must equal [project].dependencies"


def test_npm_lock_matches_altair_expected_vega_versions():
    from altair.vegalite.v6.display import VEGA_VERSION, VEGAEMBED_VERSION, VEGALITE_VERSION

    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    package = json.loads((ROOT / "package.json").read_text())["dependencies"]
    for name, expected in (("vega", VEGA_VERSION), ("vega-lite", VEGALITE_VERSION),
                           ("vega-embed", VEGAEMBED_VERSION)):
        installed = lock[f"node_modules/{name}"]["version"]
        assert package[name] == installed, f"{name}: package.json must pin the locked version"
        # Altair names a full version (vega-lite) or a major version (vega, vega-embed).
        assert installed == expected or installed.split(".")[0] == expected, (name, installed, expected)
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
