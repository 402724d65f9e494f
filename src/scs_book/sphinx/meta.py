"""Every page describes itself to search engines and share previews (part of the extension).

Each page gets a ``<meta name="description">`` and OpenGraph tags (``og:title``,
``og:description``, ``og:type``, ``og:site_name``) built from its own content: the description
is the page's first paragraph of prose, cut at a word near 160 characters. Pages without prose
(the search page, the index) are described by their title and the book's. ``og:url`` is added
only when ``html_baseurl`` names where the book is published: OpenGraph wants absolute URLs, and
the book does not guess its own address.
"""

from __future__ import annotations

import html
import re

from docutils import nodes

DESCRIPTION_LENGTH = 160
# Sphinx's own pages, which have no prose to describe them.
GENERATED_PAGES = {
    "search": ("Search", "Search the text of {site}."),
    "genindex": ("Index", "The index of {site}: every indexed term and its pages."),
}


def page_description(doctree: nodes.document | None) -> str:
    """The page's first paragraph of prose, shortened to about ``DESCRIPTION_LENGTH``."""
    if doctree is None:
        return ""
    for paragraph in doctree.findall(nodes.paragraph):
        if not isinstance(paragraph.parent, (nodes.section, nodes.document)):
            continue  # skip lists, tables, admonitions and notebook outputs
        text = re.sub(r"\s+", " ", paragraph.astext()).strip()
        if len(text) >= 40:
            return shorten(text)
    return ""


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """``text`` cut at the last word that fits in ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:(")
    return cut + "…"


def meta_tags(title: str, description: str, site: str, url: str | None) -> str:
    """The description and OpenGraph ``<meta>`` elements, their values escaped."""

    def tag(attribute: str, name: str, value: str) -> str:
        return f'<meta {attribute}="{name}" content="{html.escape(value, quote=True)}">'

    tags = [
        tag("name", "description", description),
        tag("property", "og:title", title),
        tag("property", "og:description", description),
        tag("property", "og:type", "article" if title != site else "website"),
        tag("property", "og:site_name", site),
        tag("property", "og:locale", "en_GB"),
        tag("name", "twitter:card", "summary"),
    ]
    if url:
        tags.append(tag("property", "og:url", url))
    return "\n".join(tags)


def _add_meta(app, pagename, templatename, context, doctree) -> None:
    site = app.config.html_title or app.config.project
    generated_title, generated_description = GENERATED_PAGES.get(pagename, (None, None))
    title = html.unescape(re.sub(r"<[^>]+>", "", context.get("title") or generated_title or site))
    description = page_description(doctree) or (
        generated_description or "{title}: a page of {site}."
    ).format(site=site, title=title)
    baseurl = app.config.html_baseurl
    url = (baseurl.rstrip("/") + "/" + app.builder.get_target_uri(pagename)) if baseurl else None
    context["metatags"] = (
        context.get("metatags", "") + "\n" + meta_tags(title, description, site, url)
    )


def setup(app):
    app.connect("html-page-context", _add_meta)
