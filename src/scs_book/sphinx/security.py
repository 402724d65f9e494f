"""Every page carries a Content-Security-Policy.

A book about surveillance tracks no reader. The policy lets a page load scripts, styles, fonts
and data only from the book itself; inline scripts (the theme's) and Vega's expression compiler
(``unsafe-eval``) are allowed, third-party origins are not.
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = "; ".join(
    [
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
    ]
)


def _add_policy(app, pagename, templatename, context, doctree) -> None:
    tag = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
    context["metatags"] = f"{tag}\n{context.get('metatags', '')}"


def setup(app) -> None:
    app.connect("html-page-context", _add_policy)
