"""The book as its readers meet it (page level), a part of the book's Sphinx extension.

The page's own description and share-preview tags (``meta``), the book's own Chinese font and
``lang`` marks (``cjk``), the binding that makes the visible sidebar toggles work
(``book/_static/scs-reader.js``), and code collapsed in the chapters.

Chapters read as a book: a notebook's code cells are collapsed under "Show code cell source"
(myst-nb's own ``hide-input``), their outputs shown, unless a cell is tagged ``show-input``
because its code is the point. Set ``scs_collapse_code: false`` to show all code.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import cjk, meta

SHOW_INPUT_TAG = "show-input"


class CollapseCode(SphinxPostTransform):
    """Give every notebook code cell without a hide or show tag myst-nb's ``hide-input``."""

    default_priority = 198  # before myst-nb's HideInputCells (199) wraps the hidden cells
    formats = ("html",)

    def run(self, **kwargs) -> None:
        config = self.app.config
        if not config.scs_collapse_code:
            return
        for cell in self.document.findall(nodes.container):
            tags = cell.get("cell_metadata", {}).get("tags", [])
            if (
                cell.get("nb_element") != "cell_code"
                or cell.get("hide_mode")
                or SHOW_INPUT_TAG in tags
            ):
                continue
            cell["hide_mode"] = "input"
            cell["prompt_show"] = config.nb_code_prompt_show
            cell["prompt_hide"] = config.nb_code_prompt_hide


def setup(app):
    meta.setup(app)
    cjk.setup(app)
    app.add_js_file("scs-reader.js", loading_method="defer")
    app.add_config_value("scs_collapse_code", True, "html")
    app.add_post_transform(CollapseCode)
