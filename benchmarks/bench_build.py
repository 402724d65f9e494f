"""Benchmark of the book's build, each figure beside its baseline, measured in the same run.

    .venv/bin/python benchmarks/bench_build.py            # about 8 minutes on 2 cores
    .venv/bin/python benchmarks/bench_build.py --clone    # also: fresh clone to built book
    make bench                                            # both

Everything runs in a scratch copy of the working tree (committed into a fresh git repository),
never in the repository itself. Measured, with the baselines:

(a) clean full build: our pipeline (notebooks in parallel) vs Jupyter Book executing the same
    notebooks with ``execute_notebooks: force`` (a temporary ``_config`` variant);
(b) rebuild with nothing changed: ours vs Jupyter Book's ``cache`` mode;
(c) one data file edited (a value re-quoted, so the bytes and the checksum change): which
    notebooks re-execute with ours vs Jupyter Book's cache mode, and which pages then show the
    file's new checksum (the cache mode misses the edit: its page stays stale);
(d) weight of every page (HTML with its inline chart specs; the shared Vega bundle and the
    shared boundary file, each loaded once, and the charts' CSV files, fetched only on
    download, excepted), ours vs the Jupyter Book build;
(e) time to charts in headless Chromium: for every page, when its last chart was drawn,
    relative to the load event, ours vs the Jupyter Book build;
(f) with --clone: a fresh ``git clone`` of the scratch copy to a built book with ``make book``
    (venv from the lock file with uv, npm ci, build), with empty uv and npm caches.

Times are wall-clock seconds, best of ``--repeat`` runs where stated. Python bytecode is
cached in a private directory (``PYTHONPYCACHEPREFIX``) and warmed by one untimed build first,
as it is on any machine after its first run: the timings are not those of compiling the
installed packages (that is part of (f)). The machine's load average is printed with the table:
the machine may be shared, and the figures move with it.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from support import build_command, copy_project, git, readers, requote_first_row  # noqa: E402
from support import executed as planned  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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
PAGE_LIMIT = 200 * 1024
CHART_LIMIT_MS = 1000


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


class Project:
    """The scratch copy, and the commands run in it."""

    def __init__(self, directory: Path, pycache: Path):
        self.dir = directory
        self.logs = directory.parent / "logs"
        self.logs.mkdir(exist_ok=True)
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("SCS_BOOK_DATA_DIR", "PYTHONDONTWRITEBYTECODE")
        }
        self.env.update(PYTHONPATH=str(directory / "src"), PYTHONPYCACHEPREFIX=str(pycache))
        self.python = sys.executable
        self.cpu: dict[str, float] = {}  # CPU seconds (user + system) of each command's processes
        self.jupyter_book = str(Path(sys.executable).with_name("jupyter-book"))

    def run(self, name: str, command: list[str], check: bool = True) -> tuple[float, str]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(command, cwd=self.dir, env=self.env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu[name] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        output = result.stdout + result.stderr
        (self.logs / f"{name}.log").write_text(output, encoding="utf-8")
        if check and result.returncode != 0:
            raise SystemExit(
                f"{name} failed (exit {result.returncode}); see "
                f"{self.logs / (name + '.log')}\n{output[-3000:]}"
            )
        log(f"{name}: {seconds:.1f} s")
        return seconds, output

    def pipeline(self, name: str, *args: str) -> tuple[float, str]:
        return self.run(name, build_command(*args))

    def config(self, mode: str) -> Path:
        """A copy of _config.yml with execute_notebooks set to ``mode``."""
        text = (self.dir / "_config.yml").read_text(encoding="utf-8")
        variant, count = re.subn(
            r'execute_notebooks:\s*"?off"?', f'execute_notebooks: "{mode}"', text
        )
        assert count == 1, "_config.yml: execute_notebooks not found"
        path = self.dir / f"_config.{mode}.yml"
        path.write_text(variant, encoding="utf-8")
        return path

    def jupyter_book_build(self, name: str, mode: str, output: str) -> tuple[float, str]:
        return self.run(
            name,
            [
                self.jupyter_book,
                "build",
                str(self.dir),
                "--config",
                str(self.config(mode)),
                "--path-output",
                str(self.dir / output),
                "-W",
                "-n",
                "--keep-going",
            ],
        )

    def manifest(self) -> dict:
        return json.loads((self.dir / "_build" / ".scs-manifest.json").read_text(encoding="utf-8"))


def executed_by_jupyter_book(output: str) -> list[str]:
    return sorted({Path(p).name for p in re.findall(r"(\S+\.ipynb): Executing notebook", output)})


def pages(root: Path) -> list[str]:
    """Every page of the book (not the redirect Jupyter Book writes as index.html)."""
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*.html")
        if not p.relative_to(root).parts[0].startswith(("_", "data"))
        and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")[:500]
    )


def edit_one_data_file(project: Project) -> tuple[str, str, list[str]]:
    """Re-quote the first field of the first data row of the CSV read by the fewest notebooks
    (the same values, other bytes), re-record its checksum; return file, new hash, readers."""
    found = {
        name: notebooks for name, notebooks in readers(project.dir).items() if name.endswith(".csv")
    }
    data = project.dir / "data"
    name = min(found, key=lambda p: (len(found[p]), (data / p).stat().st_size, p))
    assert not (data / name).read_text(encoding="utf-8").split("\n")[1].startswith('"')
    requote_first_row(data / name)
    project.run(
        "rehash",
        [project.python, "-c", "from scs_book.datapackage import update_hashes; update_hashes()"],
    )
    import hashlib

    return name, hashlib.sha256((data / name).read_bytes()).hexdigest(), sorted(found[name])


def pages_showing(html: Path, text: str) -> list[str]:
    return [
        page
        for page in pages(html)
        if "reproducibility" not in page and text in (html / page).read_text(encoding="utf-8")
    ]


def page_weights(html: Path) -> dict[str, int]:
    return {page: (html / page).stat().st_size for page in pages(html)}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


TIMING_SCRIPT = """
window.__chartTimes = [];
new MutationObserver(() => {
  const drawn = document.querySelectorAll('figure.scs-chart .vega-embed svg.marks').length;
  while (window.__chartTimes.length < drawn) window.__chartTimes.push(performance.now());
}).observe(document, {childList: true, subtree: true});
"""


def time_to_charts(html: Path, profile: Path) -> dict[str, dict[str, float]]:
    """Per page: charts, load event and last chart drawn (ms since navigation), each page in a
    fresh browser context (cold cache)."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(html))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for page_name in pages(html):
                context = browser.new_context()
                page = context.new_page()
                page.add_init_script(TIMING_SCRIPT)
                page.goto(base + page_name, wait_until="load")
                charts = page.locator("figure.scs-chart").count()
                if charts:
                    page.wait_for_function(
                        "n => window.__chartTimes.length >= n", arg=charts, timeout=30_000
                    )
                load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
                times = page.evaluate("window.__chartTimes")
                results[page_name] = {
                    "charts": charts,
                    "load_ms": load,
                    "last_chart_ms": max(times[:charts]) if charts else None,
                }
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return results


def fresh_clone(project: Project, scratch: Path) -> dict[str, float]:
    """git clone, then `make setup` and `make book` with empty package caches."""
    clone = scratch / "clone"
    subprocess.run(["git", "clone", "-q", str(project.dir), str(clone)], check=True)
    if os.path.lexists(clone / "node_modules"):  # `npm ci` must install into the clone itself
        raise SystemExit("the fresh clone already has a node_modules: refusing to run npm ci")
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "PYTHONPATH",
            "PYTHONPYCACHEPREFIX",
            "PYTHONDONTWRITEBYTECODE",
            "SCS_BOOK_DATA_DIR",
            "VIRTUAL_ENV",
        )
    }
    env.update(
        UV_CACHE_DIR=str(scratch / "uv-cache"),
        npm_config_cache=str(scratch / "npm-cache"),
        PIP_NO_CACHE_DIR="1",
    )
    times = {}
    for target in ("setup", "book"):
        started = time.perf_counter()
        result = subprocess.run(
            ["make", target], cwd=clone, env=env, capture_output=True, text=True
        )
        times[target] = time.perf_counter() - started
        (project.logs / f"clone-{target}.log").write_text(result.stdout + result.stderr)
        if result.returncode != 0:
            raise SystemExit(
                f"make {target} in the fresh clone failed; see the log\n"
                f"{(result.stdout + result.stderr)[-3000:]}"
            )
        log(f"fresh clone, make {target}: {times[target]:.1f} s")
    times["total"] = times["setup"] + times["book"]
    times["pages"] = len(pages(clone / "_build" / "html"))
    return times


def kb(size: int) -> str:
    return f"{size / 1024:.0f} KB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="runs of the clean build, ours and the baseline (best is shown)",
    )
    parser.add_argument(
        "--clone",
        action="store_true",
        help="also measure a fresh clone to a built book (downloads packages)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="scs-bench-"))
    log(f"scratch directory: {scratch}")
    load_before = os.getloadavg()
    try:
        project = Project(copy_project(scratch / "scs-book"), scratch / "pycache")
        rows: list[tuple[str, str, str, str]] = []

        log("warm-up: one untimed build (fills the bytecode cache)")
        project.pipeline("warm-up")
        shutil.rmtree(project.dir / "_build")

        # (a) clean full build, best of N
        ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
        for run in range(args.repeat):
            shutil.rmtree(project.dir / "_build", ignore_errors=True)
            seconds, output = project.pipeline(f"a-ours-clean-{run}")
            ours.append(seconds)
            ours_cpu.append(project.cpu[f"a-ours-clean-{run}"])
            executed = planned(output)
            shutil.rmtree(project.dir / "_build" / "jb-force", ignore_errors=True)
            seconds, jb_output = project.jupyter_book_build(
                f"a-jb-force-{run}", "force", "_build/jb-force"
            )
            theirs.append(seconds)
            theirs_cpu.append(project.cpu[f"a-jb-force-{run}"])
        jb_executed = executed_by_jupyter_book(jb_output)
        rows.append(
            (
                "(a) clean full build, notebooks executed",
                f"{min(ours):.1f} s ({len(executed)} executed, parallel; "
                f"{min(ours_cpu):.1f} CPU s)",
                f"{min(theirs):.1f} s ({len(jb_executed)} executed, `force`; "
                f"{min(theirs_cpu):.1f} CPU s)",
                f"{min(theirs) / min(ours):.2f}× faster (target ≥ 1.5×)",
            )
        )

        # (b) rebuild with nothing changed
        project.jupyter_book_build("b-jb-cache-prime", "cache", "_build/jb-cache")
        seconds, output = project.pipeline("b-ours-nochange")
        executed = planned(output)
        jb_seconds, jb_output = project.jupyter_book_build(
            "b-jb-cache-nochange", "cache", "_build/jb-cache"
        )
        rows.append(
            (
                "(b) rebuild, nothing changed",
                f"{seconds:.2f} s ({len(executed)} executed"
                f"{', HTML step skipped' if 'html: up to date' in output else ''})",
                f"{jb_seconds:.2f} s ({len(executed_by_jupyter_book(jb_output))} executed, "
                f"`cache`)",
                "target ≤ 2 s, 0 executed",
            )
        )

        # (c) one data file edited
        name, digest, readers = edit_one_data_file(project)
        seconds, output = project.pipeline("c-ours-edit")
        executed = planned(output)
        jb_seconds, jb_output = project.jupyter_book_build(
            "c-jb-cache-edit", "cache", "_build/jb-cache"
        )
        jb_executed = executed_by_jupyter_book(jb_output)
        ours_show = pages_showing(project.dir / "_build" / "html", digest[:12])
        theirs_show = pages_showing(
            project.dir / "_build" / "jb-cache" / "_build" / "html", digest[:12]
        )
        rows.append(
            (
                f"(c) `data/{name}` edited (read by {', '.join(readers)})",
                f"{seconds:.1f} s; executed: {', '.join(executed) or 'none'}",
                f"{jb_seconds:.1f} s; executed: {', '.join(jb_executed) or 'none'}",
                "exactly its readers" if sorted(executed) == readers else "MISMATCH",
            )
        )
        rows.append(
            (
                "(c) pages showing the file's new sha256",
                ", ".join(ours_show) or "none",
                (", ".join(theirs_show) or "none") + (" (stale)" if not theirs_show else ""),
                "",
            )
        )
        git(project.dir, "checkout", "--", "data")

        # (d) page weight, (e) time to charts
        ours_html = project.dir / "_build" / "html"
        jb_html = project.dir / "_build" / "jb-force" / "_build" / "html"
        weights, jb_weights = page_weights(ours_html), page_weights(jb_html)
        charts = time_to_charts(ours_html, scratch / "profile")
        jb_charts = time_to_charts(jb_html, scratch / "profile-jb")
        shared = ours_html / "_static" / "geo" / "provinces.topo.json"
        bundle = sum(
            (ours_html / "_static" / f).stat().st_size
            for f in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")
        )

        def drawn(result):
            if not result or not result["charts"]:
                return "no chart"
            after = result["last_chart_ms"] - result["load_ms"]
            return (
                f"{result['charts']} chart(s), all drawn {max(after, 0):.0f} ms after load "
                f"(drawn at {result['last_chart_ms']:.0f} ms, load event at "
                f"{result['load_ms']:.0f} ms)"
            )

        page_rows = []
        for page in sorted(weights):
            result = charts.get(page)
            late = (
                result
                and result["charts"]
                and (result["last_chart_ms"] - result["load_ms"] > CHART_LIMIT_MS)
            )
            page_rows.append(
                (
                    f"`{page}`",
                    kb(weights[page]),
                    kb(jb_weights[page]) if page in jb_weights else "–",
                    drawn(result),
                    drawn(jb_charts.get(page)),
                    "over" if weights[page] > PAGE_LIMIT or late else "ok",
                )
            )

        clone = fresh_clone(project, scratch) if args.clone else None
        load_after = os.getloadavg()

        print("\n### Build\n")
        print("| Measure | Ours (`python -m scs_book.build`) | Baseline (Jupyter Book) | |")
        print("|---|---|---|---|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        if clone:
            print(
                f"| (f) fresh clone to built book, `make book` (uv, empty caches) | "
                f"{clone['total']:.0f} s (install {clone['setup']:.0f} s + build "
                f"{clone['book']:.0f} s; {clone['pages']} pages) | – | target ≤ 90 s |"
            )
        print(
            f"\n(a) best of {args.repeat} runs each: ours "
            f"{', '.join(f'{s:.1f}' for s in ours)} s; Jupyter Book "
            f"{', '.join(f'{s:.1f}' for s in theirs)} s."
        )
        print(
            "\n### Pages: weight (HTML with its inline chart specs) and time to charts "
            "(headless Chromium, cold cache)\n"
        )
        print(
            "| Page | Ours | Jupyter Book | Ours: charts drawn | Jupyter Book: charts drawn | "
            "≤ 200 KB, ≤ 1 s |"
        )
        print("|---|---|---|---|---|---|")
        for row in page_rows:
            print("| " + " | ".join(row) + " |")
        chart_data = sorted((ours_html / "_static" / "chart-data").glob("*.csv"))
        print(
            f"\nLoaded once and shared by every page, not counted above: the Vega bundle "
            f"({kb(bundle)}) and, on map pages, the boundaries "
            f"(`_static/geo/provinces.topo.json`, "
            f"{kb(shared.stat().st_size) if shared.is_file() else '–'}). "
            f"Fetched only when a reader downloads them: the {len(chart_data)} charts' own "
            f"rows as CSV (`_static/chart-data/`, {kb(sum(f.stat().st_size for f in chart_data))} "
            f"in all)."
        )
        print(
            f"\nLoad average (1, 5, 15 min) before: {', '.join(f'{v:.1f}' for v in load_before)};"
            f" after: {', '.join(f'{v:.1f}' for v in load_after)} ({os.cpu_count()} cores). "
            f"Median of the clean builds: ours {statistics.median(ours):.1f} s, "
            f"Jupyter Book {statistics.median(theirs):.1f} s."
        )
    finally:
        if args.keep:
            log(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
