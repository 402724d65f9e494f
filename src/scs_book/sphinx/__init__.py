"""The book's one Sphinx extension (``extensions: [scs_book.sphinx]`` in ``_config.yml``).

* ``charts``: the book's chart output (``scs_book.chart_output``) drawn into the page by a
  myst-nb MIME renderer plugin, the Vega libraries served by the book and loaded, deferred, only
  on pages with a chart; the data package copied beside the pages;
* ``security``: a Content-Security-Policy on every page;
* ``markup``: accessible code toggles, lighter highlighted code;
* ``bibstyle``: the References page's order and list markup;
* ``reader``: the page as readers meet it: description and share previews (``meta``), the
  book's own Chinese font and ``lang`` marks (``cjk``), the theme's icon fonts cut to the icons
  used (``icons``) and its stylesheets to the rules used (``stylesheets``), scripts deferred,
  working sidebar toggles, table frames, code collapsed in the chapters;
* the Reproducibility page, written as Sphinx reads it (``scs_book.build.reproducibility``).

It works under a stock ``jupyter-book build``; nothing rewrites the finished HTML.
"""

from __future__ import annotations

from . import bibstyle, charts, markup, reader, security


def setup(app):
    from ..build import reproducibility

    for part in (charts, security, markup, bibstyle, reader):
        part.setup(app)
    reproducibility.setup_sphinx(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
