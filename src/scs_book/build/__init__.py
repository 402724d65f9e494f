"""The book's build: run the notebooks that need it, then Jupyter Book.

Never imported by notebooks (a test enforces it). Start at :mod:`scs_book.build.graph`, the
build graph on one screen; ``python -m scs_book.build --help`` for the command line.
"""


class BuildError(RuntimeError):
    """The build stopped; the message says where and why."""
