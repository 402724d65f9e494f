"""The README's commands for running the notebooks work as written: the Binder address is the
one the chapters' launch buttons use, `make lab` starts JupyterLab asking nothing of other hosts,
and `jupyter execute` runs a chapter from the repository's root."""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import subprocess
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from reader_support import ROOT, reader_environment, stop_server, wait_for_server

README = (ROOT / "README.md").read_text(encoding="utf-8")
REPRODUCE = (ROOT / "book" / "reproduce.md").read_text(encoding="utf-8")
FIRST_CHAPTER = "notebooks/01_general_framework.ipynb"


def section(markdown: str, title: str) -> str:
    return markdown.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def shell_lines(markdown: str) -> list[str]:
    """The commands in a section's ```bash blocks."""
    blocks = re.findall(r"```bash\n(.*?)```", markdown, re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def launch_address(notebook: str) -> str:
    """The Binder address sphinx-book-theme gives a chapter's launch button (_config.yml)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    launch, repository = config["launch_buttons"], config["repository"]
    assert launch["notebook_interface"] == "jupyterlab"
    org_repo = urlparse(repository["url"]).path.strip("/")
    return (
        f"{launch['binderhub_url']}/v2/gh/{org_repo}/{repository['branch']}"
        f"?urlpath=lab/tree/{notebook}"
    )


def test_readme_and_reproduce_page_give_the_launch_buttons_binder_address():
    address = launch_address(FIRST_CHAPTER)
    assert f"<{address}>" in section(README, "How to run the notebooks")
    assert f"<{address}>" in section(REPRODUCE, "How to run the notebooks")


@pytest.mark.slow
def test_every_chapters_launch_button_uses_that_address(built_book):
    chapters = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("notebooks/*.ipynb"))
    for chapter in chapters:
        page = (built_book / chapter).with_suffix(".html").read_text(encoding="utf-8")
        assert f'href="{launch_address(chapter)}"' in page, chapter


def test_readme_and_reproduce_page_give_the_same_two_local_commands():
    commands = shell_lines(section(README, "How to run the notebooks"))
    assert commands == ["make lab", "make setup", f".venv/bin/jupyter execute {FIRST_CHAPTER}"]
    reproduce = section(REPRODUCE, "How to run the notebooks")
    assert all(f"`{command}`" in reproduce for command in commands)


def readme_command(starting: str) -> list[str]:
    command = next(
        c
        for c in shell_lines(section(README, "How to run the notebooks"))
        if c.startswith(starting)
    )
    return shlex.split(command)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_readme_jupyter_execute_runs_the_first_chapter(tmp_path):
    before = digest(ROOT / FIRST_CHAPTER)
    result = subprocess.run(
        readme_command(".venv/bin/jupyter execute"),
        cwd=ROOT,
        env=reader_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Executing notebook" in result.stderr
    assert digest(ROOT / FIRST_CHAPTER) == before


@pytest.mark.slow
def test_readme_make_lab_starts_jupyterlab_with_nothing_fetched_elsewhere(tmp_path):
    env = reader_environment(tmp_path)
    env["BROWSER"] = "true"  # no browser to open here; the server is what is checked
    runtime = Path(env["JUPYTER_RUNTIME_DIR"])
    with (tmp_path / "make-lab.log").open("w") as log:
        make = subprocess.Popen(
            readme_command("make lab"),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    info = None
    try:
        info = wait_for_server(runtime, make)
        page = urllib.request.urlopen(f"{info['url']}?token={info['token']}", timeout=10)
        assert urlparse(page.geturl()).path == f"/lab/tree/{FIRST_CHAPTER}"  # it opens there
        config = json.loads(
            re.search(
                r'<script id="jupyter-config-data" type="application/json">'
                r"(.*?)</script>",
                page.read().decode(),
                re.S,
            ).group(1)
        )
        assert info["root_dir"] == str(ROOT)
        assert config["news"] == {"disabled": True}
        assert config["extensionManager"]["can_install"] is False, config["extensionManager"]
    finally:
        stop_server(make, info, runtime)
    assert make.returncode == 0, (tmp_path / "make-lab.log").read_text()[-3000:]
