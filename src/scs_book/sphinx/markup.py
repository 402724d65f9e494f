"""Two mends to the HTML that myst-nb and Pygments write, made on the page body Sphinx is about
to write (never on finished files): an accessible name for myst-nb's code toggles, and highlighted
code without the wrappers that change nothing on screen."""

from __future__ import annotations

import re

# myst-nb 1.4 labels the toggle of hidden code "Toggle hidden content" while its visible text
# says "Show code cell source" (axe: label-content-name-mismatch); the visible text suffices.
_MYST_NB_TOGGLE = '<summary aria-label="Toggle hidden content">'

# Pygments wraps every name, punctuation mark and space of highlighted code in a <span> whose
# colour, in the theme's light and dark styles alike, is the code block's own colour (tested):
# the wrappers change nothing a reader sees and make up much of a code-heavy page's weight.
PLAIN_TOKEN_CLASSES = ("n", "p", "w")
_CODE_BLOCK = re.compile(r'<div class="highlight"><pre>.*?</pre>', re.S)
_PLAIN_TOKEN = re.compile(
    r'<span class="(?:{})">([^<]*)</span>'.format("|".join(PLAIN_TOKEN_CLASSES))
)


def unwrap_plain_tokens(body: str) -> str:
    """Highlighted code without the spans of tokens drawn in the code's own colour."""
    return _CODE_BLOCK.sub(lambda block: _PLAIN_TOKEN.sub(r"\1", block[0]), body)


def _mend_body(app, pagename, templatename, context, doctree) -> None:
    if "body" in context:
        body = context["body"].replace(_MYST_NB_TOGGLE, "<summary>")
        context["body"] = unwrap_plain_tokens(body)


def setup(app) -> None:
    app.connect("html-page-context", _mend_body)
