"""The book's bibliography, ``book/references.bib``: its keys, short citations, and the keys
the book's pages cite.

The same file feeds the HTML book (sphinxcontrib-bibtex renders it on the References page and
resolves every ``{cite}`` role) and the charts (a tooltip names a work by its short citation,
e.g. "Liu 2019"). Reading it with pybtex, the library sphinxcontrib-bibtex uses, means both
see the same entries.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIBFILE = ROOT / "book" / "references.bib"

# {cite}`a,b`, {cite:p}`a`, {cite:t}`a`, {cite:ps}`a` ... (MyST role syntax).
_CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")


class BibliographyError(KeyError):
    """A citation key that ``book/references.bib`` does not define."""

    def __str__(self) -> str:
        return str(self.args[0])


@cache
def _entries(path: Path, _mtime: int):
    from pybtex.database import parse_file

    return parse_file(str(path), bib_format="bibtex").entries


def entries(path: Path | None = None):
    """Every entry of the bibliography, by key (pybtex ``Entry`` objects), in file order."""
    path = Path(path or BIBFILE)
    return _entries(path, path.stat().st_mtime_ns)


def keys(path: Path | None = None) -> list[str]:
    """The citation keys, in file order."""
    return list(entries(path).keys())


def _name(person) -> str:
    """A person's (or a body's) surname as printed, braces protecting a body's name removed."""
    return " ".join(person.prelast_names + person.last_names).replace("{", "").replace("}", "")


def short_citation(key: str, path: Path | None = None) -> str:
    """'Liu 2019', 'Ding and Zhong 2020', 'Engelmann et al. 2021', 'State Council 2014';
    'n.d.' where the paper gives no year. Unknown keys raise :class:`BibliographyError`."""
    found = entries(path)
    if key not in found:
        raise BibliographyError(f"citation key '{key}' is not in {BIBFILE.relative_to(ROOT)}")
    entry = found[key]
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_name(person) for person in people]
    if not names:
        who = entry.fields.get("howpublished", key)
    elif "others" in names[1:] or len(names) > 2:
        who = f"{names[0]} et al."
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = names[0]
    return f"{who} {entry.fields.get('year', 'n.d.')}"


def cited_keys(text: str) -> list[str]:
    """The keys cited with MyST ``{cite}`` roles in ``text`` (Markdown), in order of use."""
    return [
        key.strip() for group in _CITE_ROLE.findall(text) for key in group.split(",") if key.strip()
    ]
