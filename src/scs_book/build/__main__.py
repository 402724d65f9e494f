"""The command line (what `make book` runs):

python -m scs_book.build               # an incremental build
python -m scs_book.build --no-execute  # only re-render the stored outputs
python -m scs_book.build --force       # execute every notebook, whatever changed
python -m scs_book.build --clean       # also recompile every page from scratch
python -m scs_book.build --dry-run     # only say what would execute, and why
"""

from __future__ import annotations

import argparse
import sys

from . import BuildError
from .graph import build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scs_book.build",
        description="Build the book: execute the notebooks that need it, compile the HTML.",
    )
    parser.add_argument(
        "--no-execute",
        action="store_true",
        help="render the stored notebook outputs without executing them",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="execute every notebook, even those whose inputs did not change",
    )
    parser.add_argument(
        "--clean",
        action="store_true",
        help="compile every page from scratch (no incremental HTML build)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="only say which notebooks would execute, and why"
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        help="notebooks executed at a time (default: cores + 1)",
    )
    args = parser.parse_args(argv)
    try:
        build(
            execute_notebooks=not args.no_execute,
            force=args.force,
            jobs=args.jobs,
            clean=args.clean,
            dry_run=args.dry_run,
        )
    except BuildError as error:
        print(f"BUILD FAILED: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
