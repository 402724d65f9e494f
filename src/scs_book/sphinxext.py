"""Sphinx extension for the book: every page carries a Content-Security-Policy, one
accessibility defect of myst-nb's HTML is mended, and highlighted code loses the wrappers that
change nothing on screen.

A book about surveillance tracks no reader. The policy lets a page load scripts, styles, fonts
and data only from the book itself; inline scripts (the charts) and Vega's expression compiler
(``unsafe-eval``) are allowed, third-party origins are not.
"""

from __future__ import annotations

import re

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
])


def _add_policy(app, pagename, templatename, context, doctree) -> None:
    tag = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
    context["metatags"] = f"{tag}\n{context.get('metatags', '')}"


# myst-nb 1.4 labels the toggle of hidden code "Toggle hidden content" while its visible text
# says "Show code cell source" (axe: label-content-name-mismatch); the visible text suffices.
_MYST_NB_TOGGLE = '<summary aria-label="Toggle hidden content">'


def _name_toggles_by_their_text(app, pagename, templatename, context, doctree) -> None:
    if "body" in context:
        context["body"] = context["body"].replace(_MYST_NB_TOGGLE, "<summary>")


# Pygments wraps every name, punctuation mark and space of highlighted code in a <span> whose
# colour, in the theme's light and dark styles alike, is the code block's own colour (tested):
# the wrappers change nothing a reader sees and make up much of a code-heavy page's weight.
PLAIN_TOKEN_CLASSES = ("n", "p", "w")
_CODE_BLOCK = re.compile(r'<div class="highlight"><pre>.*?</pre>', re.S)
_PLAIN_TOKEN = re.compile(r'<span class="(?:%s)">([^<]*)</span>' % "|".join(PLAIN_TOKEN_CLASSES))


def unwrap_plain_tokens(body: str) -> str:
    """Highlighted code without the spans of tokens drawn in the code's own colour."""
    return _CODE_BLOCK.sub(lambda block: _PLAIN_TOKEN.sub(r"\1", block[0]), body)


def _lighten_code(app, pagename, templatename, context, doctree) -> None:
    if "body" in context:
        context["body"] = unwrap_plain_tokens(context["body"])


def setup(app):
    from .build import reproducibility

    reproducibility.setup_sphinx(app)  # the Reproducibility page, written as Sphinx reads it
    app.connect("html-page-context", _add_policy)
    app.connect("html-page-context", _name_toggles_by_their_text)
    app.connect("html-page-context", _lighten_code)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
