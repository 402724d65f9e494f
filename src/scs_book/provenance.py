"""The full provenance of each dataset, as the About-the-data page shows it: one entry per
dataset, with the anchor ``data-<name>`` that every chart footer's "Full provenance" links to
(:data:`scs_book.figures.footer.PROVENANCE_PAGE`)."""

from __future__ import annotations

import html
from typing import Any

from .language import mark_chinese


def anchor(name: str) -> str:
    """The element id of a dataset's entry."""
    return f"data-{name}"


def entry_html(descriptor: dict[str, Any]) -> str:
    """One dataset's entry: title, file and its checksum, description, every source (with the
    columns it supplies, where the descriptor says), every licence, access date and processing
    steps."""
    name = descriptor["name"]
    path = html.escape(descriptor["path"])
    items = [_item("File", f'<a href="../data/{path}" download>{path}</a>')]
    if descriptor.get("hash"):
        digest = html.escape(descriptor["hash"].removeprefix("sha256:"))
        items.append(_item("sha256", f"<code>{digest}</code>"))
    if descriptor.get("description"):
        items.append(_item("Description", html.escape(descriptor["description"])))
    items.append(_item("Sources", _list(_source(source) for source in descriptor["sources"])))
    items.append(
        _item(
            "Licences",
            _list(_linked(item["title"], item.get("path", "")) for item in descriptor["licenses"]),
        )
    )
    if descriptor.get("footnotes"):
        items.append(_item("The article's notes", ", ".join(map(str, descriptor["footnotes"]))))
    if descriptor.get("accessed"):
        items.append(_item("Accessed", html.escape(str(descriptor["accessed"]))))
    steps = descriptor.get("transformations") or []
    if steps:
        items.append(_item("Processing", _list(html.escape(str(step)) for step in steps)))
    title = html.escape(descriptor.get("title", name))
    return mark_chinese(
        f'<section class="scs-provenance" id="{anchor(name)}">'
        f"<h3>{title} <code>{html.escape(name)}</code></h3><dl>{''.join(items)}</dl>"
        "</section>"
    )


def _source(source: dict[str, Any]) -> str:
    text = _linked(source["title"], source.get("path", ""))
    if source.get("paper_footnotes"):
        notes = source["paper_footnotes"]
        word = "note" if len(notes) == 1 else "notes"
        text += f" (the article's {word} " + ", ".join(map(str, notes)) + ")"
    if "fields" in source:
        columns = ", ".join(f"<code>{html.escape(field)}</code>" for field in source["fields"])
        text += f"; columns: {columns}" if columns else "; no column of this file"
    return text


def _linked(title: str, path: str) -> str:
    text = html.escape(title)
    return f'<a href="{html.escape(path)}">{text}</a>' if path.startswith("http") else text


def _item(term: str, description: str) -> str:
    return f"<dt>{term}</dt><dd>{description}</dd>"


def _list(items) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
