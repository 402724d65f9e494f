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
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from bench_pages import (  # noqa: E402
    measure_pages,
    pages,
    pages_showing,
    shared_files_note,
)
from support import build_command, copy_project, git, readers, requote_first_row  # noqa: E402
from support import executed as planned  # noqa: E402


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


def measure_clean_builds(project: Project, repeat: int) -> tuple[tuple, list, list]:
    """(a) clean full build, ours and Jupyter Book's ``force``, ``repeat`` times each."""
    ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
    for run in range(repeat):
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
    row = (
        "(a) clean full build, notebooks executed",
        f"{min(ours):.1f} s ({len(executed)} executed, parallel; {min(ours_cpu):.1f} CPU s)",
        f"{min(theirs):.1f} s ({len(jb_executed)} executed, `force`; {min(theirs_cpu):.1f} CPU s)",
        f"{min(theirs) / min(ours):.2f}× faster (target ≥ 1.5×)",
    )
    return row, ours, theirs


def measure_no_change(project: Project) -> tuple:
    """(b) rebuild with nothing changed, ours and Jupyter Book's ``cache``."""
    project.jupyter_book_build("b-jb-cache-prime", "cache", "_build/jb-cache")
    seconds, output = project.pipeline("b-ours-nochange")
    executed = planned(output)
    jb_seconds, jb_output = project.jupyter_book_build(
        "b-jb-cache-nochange", "cache", "_build/jb-cache"
    )
    return (
        "(b) rebuild, nothing changed",
        f"{seconds:.2f} s ({len(executed)} executed"
        f"{', HTML step skipped' if 'html: up to date' in output else ''})",
        f"{jb_seconds:.2f} s ({len(executed_by_jupyter_book(jb_output))} executed, `cache`)",
        "target ≤ 2 s, 0 executed",
    )


def measure_data_edit(project: Project) -> list[tuple]:
    """(c) one data file edited: what re-executes, and which pages show its new checksum."""
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
    git(project.dir, "checkout", "--", "data")
    return [
        (
            f"(c) `data/{name}` edited (read by {', '.join(readers)})",
            f"{seconds:.1f} s; executed: {', '.join(executed) or 'none'}",
            f"{jb_seconds:.1f} s; executed: {', '.join(jb_executed) or 'none'}",
            "exactly its readers" if sorted(executed) == readers else "MISMATCH",
        ),
        (
            "(c) pages showing the file's new sha256",
            ", ".join(ours_show) or "none",
            (", ".join(theirs_show) or "none") + (" (stale)" if not theirs_show else ""),
            "",
        ),
    ]


def table(header: str, rows: list[tuple]) -> None:
    print(header)
    print("|" + "---|" * header.count(" | ") + "---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def report(measures: dict, repeat: int, load_before, load_after) -> None:
    """The Markdown tables the README's Performance section shows."""
    ours, theirs = measures["ours"], measures["theirs"]
    print("\n### Build\n")
    table(
        "| Measure | Ours (`python -m scs_book.build`) | Baseline (Jupyter Book) | |",
        measures["rows"],
    )
    clone = measures["clone"]
    if clone:
        print(
            f"| (f) fresh clone to built book, `make book` (uv, empty caches) | "
            f"{clone['total']:.0f} s (install {clone['setup']:.0f} s + build "
            f"{clone['book']:.0f} s; {clone['pages']} pages) | – | target ≤ 90 s |"
        )
    print(
        f"\n(a) best of {repeat} runs each: ours {', '.join(f'{s:.1f}' for s in ours)} s; "
        f"Jupyter Book {', '.join(f'{s:.1f}' for s in theirs)} s."
    )
    print(
        "\n### Pages: weight (HTML with its inline chart specs) and time to charts "
        "(headless Chromium, cold cache)\n"
    )
    table(
        "| Page | Ours | Jupyter Book | Ours: charts drawn | Jupyter Book: charts drawn | "
        "≤ 200 KB, ≤ 1 s |",
        measures["pages"],
    )
    print("\n" + measures["shared"])
    print(
        f"\nLoad average (1, 5, 15 min) before: {', '.join(f'{v:.1f}' for v in load_before)};"
        f" after: {', '.join(f'{v:.1f}' for v in load_after)} ({os.cpu_count()} cores). "
        f"Median of the clean builds: ours {statistics.median(ours):.1f} s, "
        f"Jupyter Book {statistics.median(theirs):.1f} s."
    )


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
        log("warm-up: one untimed build (fills the bytecode cache)")
        project.pipeline("warm-up")
        shutil.rmtree(project.dir / "_build")
        clean, ours, theirs = measure_clean_builds(project, args.repeat)
        rows = [clean, measure_no_change(project), *measure_data_edit(project)]
        measures = {
            "rows": rows,
            "ours": ours,
            "theirs": theirs,
            "pages": measure_pages(project.dir, scratch),
            "shared": shared_files_note(project.dir / "_build" / "html"),
            "clone": fresh_clone(project, scratch) if args.clone else None,
        }
        report(measures, args.repeat, load_before, os.getloadavg())
    finally:
        if args.keep:
            log(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
