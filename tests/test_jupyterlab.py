"""A reader's path through the notebooks: JupyterLab started from the project's environment,
each notebook opened in Chromium and run with JupyterLab's own "Run All" command. Checked per
notebook: no error output, every chart drawn, nothing requested from another host, and the
outputs nbval compares equal to the stored ones (with nbval's own comparison and sanitizer).

The server runs as a reader's would: its root is the repository, the kernel starts in the
notebook's folder, and none of the build's settings (data directory, read log) are set."""

from __future__ import annotations

import hashlib
import json
import secrets
import subprocess
import time
from types import SimpleNamespace
from urllib.parse import urlparse

import nbformat
import pytest
from nbval import plugin as nbval

from reader_support import (
    JUPYTER,
    ROOT,
    make_variable,
    reader_environment,
    stop_server,
    wait_for_server,
)
from scs_book.build.chromium import CHROMIUM, CHROMIUM_ARGS

NOTEBOOKS = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("notebooks/*.ipynb"))
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
CHART = "figure.scs-chart"
DRAWN = ".vega-embed svg.marks, .vega-embed canvas.marks"
# nbval's defaults (IPyNbFile.skip_compare, without nbdime): what it never compares.
NBVAL_SKIP = (
    "metadata",
    "traceback",
    "prompt_number",
    "output_type",
    "name",
    "execution_count",
    "application/vnd.jupyter.widget-view+json",
    "image/png",
    "image/jpeg",
)
SANITIZE = nbval.get_sanitize_patterns((ROOT / "tests" / "nbval_sanitize.cfg").read_text())

LAB_OPTIONS = make_variable("LAB_OPTIONS")  # what `make lab` passes: nothing fetched elsewhere


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """JupyterLab on loopback with its root at the repository; stopped with its kernels."""
    home = tmp_path_factory.mktemp("reader-home")
    log = home / "jupyterlab.log"
    command = [
        str(JUPYTER),
        "lab",
        *LAB_OPTIONS,
        "--no-browser",
        "--allow-root",
        "--expose-app-in-browser",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port=0",
        f"--IdentityProvider.token={secrets.token_hex(24)}",
        f"--ServerApp.root_dir={ROOT}",
        # JupyterLab checkpoints a notebook it opens: outside the repository, here.
        f"--FileCheckpoints.root_dir={home / 'checkpoints'}",
    ]
    with log.open("w") as output:
        server = subprocess.Popen(
            command,
            cwd=home,
            env=reader_environment(home),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    info = None
    try:
        info = wait_for_server(home / "runtime", server)
        yield SimpleNamespace(url=info["url"], token=info["token"], log=log)
    finally:
        stop_server(server, info, home / "runtime")


@pytest.fixture(scope="module")
def lab(jupyterlab, tmp_path_factory):
    """One Chromium page with JupyterLab loaded; requests to other hosts blocked and recorded."""
    from playwright.sync_api import sync_playwright

    outside, page_errors = [], []

    def guard(route, request):
        if urlparse(request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            context.route("**/*", guard)
            context.on("weberror", lambda error: page_errors.append(str(error.error)))
            page = context.new_page()
            page.on(
                "websocket",
                lambda socket: (
                    None
                    if urlparse(socket.url).hostname in LOCAL_HOSTS
                    else outside.append(socket.url)
                ),
            )
            page.goto(f"{jupyterlab.url}lab?token={jupyterlab.token}")
            page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
            page.evaluate("async () => { await window.jupyterapp.restored; }")
            yield SimpleNamespace(page=page, outside=outside, page_errors=page_errors)
        finally:
            context.close()


# Run All is started, not awaited: its outcome is kept on the page, and the wait for it (the
# kernel idle) has a time limit. A cell that fails stops Run All, as it does for a reader.
RUN_ALL = """async (path) => {
    const app = window.jupyterapp;
    const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
    await panel.context.ready;
    await panel.sessionContext.ready;
    app.shell.activateById(panel.id);
    window.scsRunAll = window.scsRunAll || {};
    app.commands.execute('notebook:run-all-cells').then(
        (succeeded) => { window.scsRunAll[panel.id] = succeeded; },
        (error) => { window.scsRunAll[panel.id] = String(error); });
    return panel.id;
}"""

FINISHED = """(id) => {
    const panel = window.jupyterapp.shell.widgets('main').find((w) => w.id === id);
    return id in window.scsRunAll && panel.sessionContext.session?.kernel?.status === 'idle';
}"""

CLOSE = """async (id) => {
    const panel = window.jupyterapp.shell.widgets('main').find((w) => w.id === id);
    await panel.sessionContext.shutdown();
    panel.context.model.dirty = false;
    panel.dispose();
}"""


COUNT_CHARTS = """([id, chart, drawn]) => {
    const figures = [...document.getElementById(id).querySelectorAll(chart)];
    return [figures.length, figures.filter((figure) => figure.querySelector(drawn)).length];
}"""


def count_charts(page, panel_id: str, timeout: float = 60) -> tuple[int, int]:
    """(charts in the notebook, charts drawn), each chart scrolled into view as a reader would."""
    charts = page.locator(f'[id="{panel_id}"] {CHART}')
    for index in range(charts.count()):
        charts.nth(index).scroll_into_view_if_needed()
    deadline = time.monotonic() + timeout
    while True:
        total, drawn = page.evaluate(COUNT_CHARTS, [panel_id, CHART, DRAWN])
        if total == drawn or time.monotonic() > deadline:
            return total, drawn
        time.sleep(0.5)


class NbvalComparison:
    """nbval's own output comparison (``IPyNbCell.compare_outputs``) outside a pytest item."""

    colors = nbval.nocolors
    compare_outputs = nbval.IPyNbCell.compare_outputs
    sanitize = nbval.IPyNbCell.sanitize

    def __init__(self):
        self.parent = SimpleNamespace(skip_compare=NBVAL_SKIP, sanitize_patterns=dict(SANITIZE))
        self.comparison_traceback: list[str] = []

    def format_output_compare(self, key, stored, fresh):
        """The mismatch around its first differing character (nbval's own version needs a
        pytest item's hooks)."""
        stored, fresh = str(stored), str(fresh)
        at = next(
            (i for i, pair in enumerate(zip(stored, fresh, strict=False)) if len(set(pair)) > 1),
            min(len(stored), len(fresh)),
        )
        around = slice(max(at - 100, 0), at + 100)
        self.comparison_traceback.append(
            f"{key} at character {at}: stored {stored[around]!r}, fresh {fresh[around]!r}"
        )


def nbval_checks(cell) -> bool:
    """Whether nbval compares this stored cell's outputs (no ignore/skip marker, and run)."""
    options = dict(nbval.find_metadata_tags(cell.metadata))
    options.update(nbval.find_comment_markers(cell.source))
    return (
        options.get("check", True) and not options.get("skip") and cell.execution_count is not None
    )


def output_differences(stored, fresh) -> dict[int, str]:
    """Code cells (by index) whose fresh outputs differ from the stored ones where nbval looks."""
    stored_cells = [c for c in stored.cells if c.cell_type == "code"]
    fresh_cells = [c for c in fresh.cells if c.cell_type == "code"]
    differences = {}
    for index, (old, new) in enumerate(zip(stored_cells, fresh_cells, strict=True)):
        comparison = NbvalComparison()
        if nbval_checks(old) and not comparison.compare_outputs(
            nbval.coalesce_streams(new.outputs), nbval.coalesce_streams(old.outputs)
        ):
            differences[index] = "\n".join(comparison.comparison_traceback)[:3000]
    return differences


def error_outputs(notebook) -> list[str]:
    return [
        f"cell {index}: {out.get('ename', 'stderr')}: {out.get('evalue', out.get('text'))}"
        for index, cell in enumerate(c for c in notebook.cells if c.cell_type == "code")
        for out in cell.outputs
        if out.output_type == "error" or out.get("name") == "stderr"
    ]


def digest(relative: str) -> str:
    return hashlib.sha256((ROOT / relative).read_bytes()).hexdigest()


def test_output_comparison_is_nbvals():
    """Differences count where nbval compares (after its sanitizer), nowhere else."""
    stored = nbformat.v4.new_notebook(cells=[code_cell(0, "2"), code_cell(1, "x", ignore=True)])
    same = nbformat.v4.new_notebook(cells=[code_cell(0, "2"), code_cell(1, "y")])
    changed = nbformat.v4.new_notebook(cells=[code_cell(0, "3"), code_cell(1, "x")])
    assert output_differences(stored, same) == {}
    assert output_differences(stored, changed) == {
        0: "text/plain at character 0: stored '2', fresh '3'"
    }
    html = '<div id="altair-viz-{}"></div>'
    charted = [
        nbformat.v4.new_notebook(cells=[code_cell(0, "c", html=html.format(n))])
        for n in ("0123abcd", "ffff0000")
    ]
    assert output_differences(*charted) == {}  # chart ids are masked, as nbval masks them


def code_cell(count: int, value: str, ignore: bool = False, html: str | None = None):
    data = {"text/plain": value, **({"text/html": html} if html else {})}
    output = nbformat.v4.new_output("execute_result", data=data, execution_count=count)
    tags = ["nbval-ignore-output"] if ignore else []
    return nbformat.v4.new_code_cell(
        "x", execution_count=count, outputs=[output], metadata={"tags": tags}
    )


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_run_all_in_jupyterlab(lab, notebook):
    before = digest(notebook)
    lab.outside.clear()
    lab.page_errors.clear()
    panel = lab.page.evaluate(RUN_ALL, notebook)
    try:
        lab.page.wait_for_function(FINISHED, arg=panel, timeout=300_000, polling=500)
        succeeded = lab.page.evaluate("(id) => window.scsRunAll[id]", panel)
        fresh = nbformat.from_dict(
            lab.page.evaluate(
                "(id) => window.jupyterapp.shell.widgets('main').find((w) => w.id === id)"
                ".content.model.toJSON()",
                panel,
            )
        )
        charts, drawn = count_charts(lab.page, panel)
    finally:
        lab.page.evaluate(CLOSE, panel)
    stored = nbformat.read(ROOT / notebook, as_version=4)
    stored_charts = sum(
        "scs-chart" in str(out.get("data", {}).get("text/html", ""))
        for cell in stored.cells
        for out in cell.get("outputs", [])
    )
    measured = {
        "run all succeeded": succeeded,
        "error outputs": error_outputs(fresh),
        "charts drawn": f"{drawn} of {charts} ({stored_charts} in the stored notebook)",
        "third-party requests": sorted(set(lab.outside)),
        "uncaught page errors": list(lab.page_errors),
        "outputs differing from the stored ones": output_differences(stored, fresh),
        "notebook file unchanged": digest(notebook) == before,
    }
    print(notebook, json.dumps(measured, indent=1))
    assert measured == {
        "run all succeeded": True,
        "error outputs": [],
        "charts drawn": f"{stored_charts} of {stored_charts} ({stored_charts} "
        "in the stored notebook)",
        "third-party requests": [],
        "uncaught page errors": [],
        "outputs differing from the stored ones": {},
        "notebook file unchanged": True,
    }
