"""The ledger as readers meet it: HTML tables with one anchor per claim (``#claim-s3-19``), the
verdict in the words every page uses, and for a source check the source's words and a link to
its entry. Every value from the data is HTML-escaped."""

from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import HTML

from .ledger import SECTIONS, section_claims, summary
from .model import SourceQuote

LEDGER_PAGE = "../book/claims-ledger.html"  # from a chapter (notebooks/) to the ledger page
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
# Long texts: fixed column widths, top-aligned, smaller type (scoped to each table by its id).
_STYLES = (
    "{t} {{table-layout: fixed; width: 100%; font-size: 0.8rem;}} "
    "{t} td, {t} th {{vertical-align: top; overflow-wrap: break-word; padding: 0.3rem 0.35rem; "
    "text-align: left;}} "
    "{t} th:nth-child(1) {{width: 15%;}} {t} th:nth-child(2) {{width: 22%;}} "
    "{t} th:nth-child(3) {{width: 14%;}} {t} th:nth-child(4) {{width: 12%;}} "
    "{t} th:nth-child(5) {{width: 37%;}} "
    "{t} blockquote {{margin: 0.3rem 0 0; padding: 0 0 0 0.5rem; font-size: inherit;}}"
)
HEADERS = ("Claim", "Statement (paraphrased)", "As printed", "Verdict", "Evidence")


def claim_anchor(claim_id: str) -> str:
    """The anchor of one claim: 'claim-s3-19'."""
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", claim_id):
        raise ValueError(f"claim id {claim_id!r} cannot be an anchor")
    return f"claim-{claim_id}"


def source_anchor(source_id: str) -> str:
    """The anchor of a source's entry in the ledger's list of quoted sources."""
    return "source-" + re.sub(r"[^a-z0-9]+", "-", source_id.lower()).strip("-")


def _text(value) -> str:
    return html.escape(
        "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value),
        quote=True,
    )


def _lang(text: str) -> str:
    return ' lang="zh"' if _CJK.search(text) else ""


def quote_html(quote: SourceQuote, ledger_page: str) -> str:
    """A quoted fact: its source (linked to the entry), where it stands, the original words,
    their English rendering and the copy consulted."""
    name = _text(quote.title or quote.source_id)
    where = f", {_text(quote.locator)}" if quote.locator else ""
    words = f": <q{_lang(quote.quotation)}>{_text(quote.quotation)}</q>" if quote.quotation else ""
    english = f" (“{_text(quote.quotation_en)}”)" if quote.quotation_en else ""
    kind = f" ({_text(quote.copy_kind)})" if quote.copy_kind else ""
    copy = (
        f' <a href="{_text(quote.copy_url)}" rel="noopener">Copy consulted</a>{kind}.'
        if quote.copy_url.startswith(("https://", "http://"))
        else ""
    )
    return (
        f'<blockquote>Source: <a href="{ledger_page}#{source_anchor(quote.source_id)}">'
        f"{name}</a>{where}{words}{english}.{copy}</blockquote>"
    )


def _row(claim, anchors: bool, ledger_page: str) -> str:
    anchor = claim_anchor(claim.claim_id)
    row_id = f' id="{anchor}"' if anchors else ""
    evidence = _text(claim.evidence) + "".join(quote_html(q, ledger_page) for q in claim.sources)
    cells = (
        f'<a href="{ledger_page}#{anchor}">{_text(claim.claim_id)}</a> '
        f"({_text(claim.claim_kind)}): {_text(claim.location)}",
        _text(claim.statement),
        _text(claim.printed_value),
        f"<strong>{_text(claim.verdict)}</strong>",
        evidence,
    )
    return f"<tr{row_id}>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def ledger_table(
    claims: pd.DataFrame, name: str, caption: str, anchors: bool = False, ledger_page: str = ""
) -> HTML:
    """Evaluated claims as a stable HTML table, its element id ``T_<name>``. ``anchors``: give
    each row its claim's anchor (once per page); ``ledger_page``: where claim and source links
    point ('' on the ledger page itself)."""
    table_id = f"T_{name}"
    style = _STYLES.format(t=f"#{table_id}")
    head = "".join(f"<th>{header}</th>" for header in HEADERS)
    body = "\n".join(_row(claim, anchors, ledger_page) for claim in claims.itertuples())
    return HTML(
        f'<style>{style}</style><table id="{table_id}">\n'
        f"<caption>{_text(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n"
        f"<tbody>\n{body}\n</tbody>\n</table>"
    )


def section_table(
    section: str,
    editorial: bool | None = None,
    ledger: pd.DataFrame | None = None,
    ledger_page: str = LEDGER_PAGE,
) -> HTML:
    """The claims of one section, each row with its anchor, for the chapters and the ledger."""
    chosen = section_claims(section, editorial, ledger)
    kind = {None: "", True: " (editorial)", False: " (numeric)"}[editorial]
    caption = f"Claims{kind}, {SECTIONS[section]}: {len(chosen)} ({summary(chosen)})"
    name = "claims-" + re.sub(r"[^a-z0-9]+", "-", f"{section}-{editorial}".lower())
    return ledger_table(chosen, name, caption, anchors=True, ledger_page=ledger_page)


def sources_table(ledger: pd.DataFrame, register: pd.DataFrame | None) -> HTML:
    """The sources the ledger quotes, each with its anchor, title and the claims it settles."""
    quoted: dict[str, list[str]] = {}
    for claim in ledger.itertuples():
        for quote in claim.sources:
            quoted.setdefault(quote.source_id, []).append(claim.claim_id)
    rows = []
    for source_id, claim_ids in quoted.items():
        entry = (
            register[register["source_id"] == source_id] if register is not None else pd.DataFrame()
        )
        title = next((q.title for q in _quotes(ledger, source_id) if q.title), source_id)
        url = ""
        if not entry.empty:
            url = next(
                (
                    str(entry.iloc[0][c])
                    for c in ("official_url", "url")
                    if c in entry and isinstance(entry.iloc[0][c], str)
                ),
                "",
            )
        link = (
            f' <a href="{_text(url)}" rel="noopener">official page</a>'
            if url.startswith(("https://", "http://"))
            else ""
        )
        claims_html = ", ".join(
            f'<a href="#{claim_anchor(c)}">{_text(c)}</a>' for c in dict.fromkeys(claim_ids)
        )
        rows.append(
            f'<tr id="{source_anchor(source_id)}"><td>{_text(source_id)}</td>'
            f"<td>{_text(title)}{link}</td><td>{claims_html}</td></tr>"
        )
    head = "<th>Source</th><th>Title</th><th>Claims it speaks to</th>"
    return HTML(
        '<table id="T_ledger-sources">\n<caption>Sources the ledger quotes</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    )


def _quotes(ledger: pd.DataFrame, source_id: str) -> list[SourceQuote]:
    return [q for quotes in ledger["sources"] for q in quotes if q.source_id == source_id]
