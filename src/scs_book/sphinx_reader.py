"""Sphinx extension: the book as its readers meet it (page level).

One ``setup()`` the book's configuration names (``scs_book.sphinx_reader``): the page's own
description and share-preview tags (``sphinx_meta``), the book's own Chinese font and
``lang`` marks (``sphinx_cjk``), and the binding that makes the visible sidebar toggles work
(``book/_static/scs-nav.js``).
"""

from __future__ import annotations


def setup(app):
    app.setup_extension("scs_book.sphinx_meta")
    app.setup_extension("scs_book.sphinx_cjk")
    app.add_js_file("scs-nav.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
