"""The book as its readers meet it (page level), a part of the book's Sphinx extension.

The page's own description and share-preview tags (``meta``), the book's own Chinese font and
``lang`` marks (``cjk``), the page's own behaviour (``book/_static/scs-reader.js``: the
theme's scripts loaded after the first paint, early taps on the sidebar toggles kept, wide
tables marked as scrolling), and code collapsed in the chapters.

Chapters read as a book: a notebook's code cells are collapsed under "Show code cell source"
(myst-nb's own ``hide-input``), their outputs shown, unless a cell is tagged ``show-input``
because its code is the point. Set ``scs_collapse_code: false`` to show all code.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import cjk, icons, meta, stylesheets

SHOW_INPUT_TAG = "show-input"
# The one script the page's own inline scripts need before they run (they set its options).
SCRIPT_KEPT_IN_ORDER = "documentation_options.js"


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


def link_pdf_buttons(app, pagename, templatename, context, doctree) -> None:
    """The theme's ".pdf" button (``window.print()``) made a link to the page's PDF, printed
    by the build (``scs_book.build.pdf``), with a second link to the whole book's."""
    from ..build.pdf import BOOK_PDF, PDF_DIR, pdf_name

    pathto = context.get("pathto")
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        buttons = [
            button for button in group["buttons"] if button.get("label") != "download-pdf-button"
        ]
        for url, text, tooltip in (
            (f"{PDF_DIR}/{pdf_name(pagename)}", ".pdf", "This page as PDF"),
            (f"{PDF_DIR}/{BOOK_PDF}", "book .pdf", "The whole book as PDF"),
        ):
            buttons.append(
                {
                    "type": "link",
                    "url": pathto(url, 1),
                    "text": text,
                    "tooltip": tooltip,
                    "icon": "fas fa-file-pdf",
                    "label": "download-pdf-button",
                }
            )
        group["buttons"] = buttons


def defer_head_scripts(app, pagename, templatename, context, doctree) -> None:
    """Load the extensions' scripts (doctools, copy buttons, toggles, tabs, the theme's own)
    deferred: in ``<head>`` they would each hold back the page's first paint, and none of them
    acts before the page is parsed. Deferred scripts still run in their order. The search
    page is left as it is: its own scripts, in its body, call doctools' functions at once."""
    from sphinx.builders.html._assets import _JavaScript

    if pagename == "search":
        return
    context["script_files"] = [
        _JavaScript(script.filename, priority=script.priority, **script.attributes, defer="defer")
        if isinstance(script, _JavaScript)
        and script.filename
        and not {"async", "defer"} & set(script.attributes)
        and not str(script.filename).split("?")[0].endswith(SCRIPT_KEPT_IN_ORDER)
        else script
        for script in context.get("script_files", [])
    ]


def setup(app):
    meta.setup(app)
    cjk.setup(app)
    icons.setup(app)
    stylesheets.setup(app)
    app.connect("html-page-context", defer_head_scripts)
    app.add_js_file("scs-reader.js", loading_method="defer")
    app.add_config_value("scs_collapse_code", True, "html")
    app.add_post_transform(CollapseCode)
    # after sphinx-book-theme has made its header buttons (priority 501)
    app.connect("html-page-context", link_pdf_buttons, priority=900)
