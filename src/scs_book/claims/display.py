"""The ledger as readers meet it: HTML tables with one anchor per claim (``#claim-s3-19``), the
verdict in the words every page uses, and for a source check the source's words and a link to
its entry. Every value from the data is HTML-escaped."""

from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import HTML

from ..language import mark_chinese
from .ledger import SECTIONS, section_claims, summary
from .model import SourceQuote

EVIDENCE_PAGE = "../book/claims-evidence.html"  # from a chapter (notebooks/): every claim
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
# Long texts: fixed column widths, top-aligned, smaller type (scoped to each table by its id);
# on a phone each row becomes a card, its cells one under the other.
_STYLES = (
    "{t} {{table-layout: fixed; width: 100%; font-size: 0.8rem;}} "
    "{t} td, {t} th {{vertical-align: top; overflow-wrap: break-word; padding: 0.3rem 0.35rem; "
    "text-align: left;}} "
    "{t} td:nth-child(4) {{overflow-wrap: normal;}} {t} tr {{scroll-margin-top: 4rem;}} "
    "{t} blockquote {{margin: 0.3rem 0 0; padding: 0 0 0 0.5rem; font-size: inherit;}} "
    "@media (max-width: 640px) {{{t} thead {{display: none;}} "
    "{t} tr, {t} td {{display: block; width: auto;}} "
    "{t} tr {{border-top: 1px solid; padding: 0.3rem 0;}} {t} td {{padding: 0.1rem 0;}} "
    "{t} td:empty {{display: none;}}}}"
)
_WIDTHS = {"evidence": (14, 20, 13, 15, 38), "summary": (22, 30, 18, 15, 15)}
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
    """Text for an element's content: '<', '>' and '&' escaped (quotes need not be)."""
    empty = value is None or (isinstance(value, float) and pd.isna(value))
    return html.escape("" if empty else str(value), quote=False)


def _attribute(value: str) -> str:
    """Text for an attribute value in double quotes."""
    return html.escape(value, quote=True)


def _lang(text: str) -> str:
    return ' lang="zh"' if _CJK.search(text) else ""


def quote_html(quote: SourceQuote) -> str:
    """A quoted fact: its source (linked to its entry), where it stands, the original words,
    their English rendering and the copy consulted."""
    name = _text(quote.title or quote.source_id)
    link = f'<a href="#{source_anchor(quote.source_id)}">{name}</a>'
    words = f": <q{_lang(quote.quotation)}>{_text(quote.quotation)}</q>" if quote.quotation else ""
    where = f", {mark_chinese(_text(quote.locator))}" if quote.locator else ""
    english = f" (“{_text(quote.quotation_en)}”)" if quote.quotation_en else ""
    kind = f" ({_text(quote.copy_kind)})" if quote.copy_kind else ""
    copy = (
        f' <a href="{_attribute(quote.copy_url)}" rel="noopener">Copy consulted</a>{kind}.'
        if quote.copy_url.startswith(("https://", "http://"))
        else ""
    )
    return f"<blockquote>Source: {link}{where}{words}{english}.{copy}</blockquote>"


def _claim_cell(claim, page: str) -> str:
    anchor = claim_anchor(claim.claim_id)
    return (
        f'<a href="{page}#{anchor}">{_text(claim.claim_id)}</a> '
        f"({_text(claim.claim_kind)}): {_text(claim.location)}"
    )


def _evidence(claim) -> str:
    """The evidence, and the words of each source it quotes (the first fact of each source)."""
    first_by_source = {q.source_id: q for q in reversed(claim.sources)}
    shown = [q for q in claim.sources if first_by_source[q.source_id] is q]
    return mark_chinese(_text(claim.evidence)) + "".join(quote_html(q) for q in shown)


def _table(name: str, caption: str, headers: tuple[str, ...], rows: list[str], widths) -> HTML:
    table_id = f"T_{name}"
    head = "".join(f"<th>{header}</th>" for header in headers)
    body = "\n".join(rows)
    style = (
        _STYLES.format(t="#" + table_id)
        + "".join(
            f" #{table_id} th:nth-child({n}) {{width: {w}%;}}" for n, w in enumerate(widths, 1)
        )
        + " @media (max-width: 640px) {"  # a card's cells say what they are
        + "".join(
            f' #{table_id} td:nth-child({n})::before {{content: "{header}: "; font-weight: 600;}}'
            for n, header in enumerate(headers, 1)
            if n > 2
        )
        + "}"
    )
    return HTML(
        f"<style>{style}</style>"
        + f'<table id="{table_id}">\n<caption>{_text(caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"
    )


def evidence_table(claims: pd.DataFrame, name: str, caption: str) -> HTML:
    """Every claim with its verdict, evidence and quoted sources, each row with its anchor (for
    the page of every claim)."""
    rows = [
        f'<tr id="{claim_anchor(c.claim_id)}">'
        + "".join(
            f"<td>{cell}</td>"
            for cell in (
                _claim_cell(c, ""),
                _text(c.statement),
                _text(c.printed_value),
                f"<strong>{_text(c.verdict)}</strong>",
                _evidence(c),
            )
        )
        + "</tr>"
        for c in claims.itertuples()
    ]
    return _table(name, caption, HEADERS, rows, _WIDTHS["evidence"])


def summary_table(
    claims: pd.DataFrame, name: str, caption: str, page: str, anchors: bool = False
) -> HTML:
    """Claims in short: the verdict and, for a discrepancy, its size; each claim links to its
    row on the page of every claim (``page``), where its evidence and sources stand.
    ``anchors``: give each row its claim's anchor (once per page)."""
    rows = [
        (f'<tr id="{claim_anchor(c.claim_id)}">' if anchors else "<tr>")
        + f"<td>{_claim_cell(c, page)}</td><td>{_text(c.statement)}</td>"
        + f"<td>{_text(c.printed_value)}</td><td><strong>{_text(c.verdict)}</strong></td>"
        + f"<td>{_text(c.difference)}</td></tr>"
        for c in claims.itertuples()
    ]
    headers = ("Claim", "Statement (paraphrased)", "As printed", "Verdict", "Difference")
    return _table(name, caption, headers, rows, _WIDTHS["summary"])


def _caption(section: str, editorial: bool | None, chosen: pd.DataFrame) -> str:
    kind = {None: "", True: " (editorial)", False: " (numeric)"}[editorial]
    return f"Claims{kind}, {SECTIONS[section]}: {len(chosen)} ({summary(chosen)})"


def section_table(
    section: str, editorial: bool | None = None, ledger: pd.DataFrame | None = None
) -> HTML:
    """The claims of one section in short, for its chapter: each row has the claim's anchor and
    links to the claim's evidence and sources on the page of every claim."""
    chosen = section_claims(section, editorial, ledger)
    name = "claims-" + re.sub(r"[^a-z0-9]+", "-", f"{section}-{editorial}".lower())
    return summary_table(
        chosen, name, _caption(section, editorial, chosen), EVIDENCE_PAGE, anchors=True
    )


def section_evidence(
    section: str, editorial: bool | None = None, ledger: pd.DataFrame | None = None
) -> HTML:
    """The claims of one section with their evidence, for the page of every claim."""
    chosen = section_claims(section, editorial, ledger)
    name = "evidence-" + re.sub(r"[^a-z0-9]+", "-", f"{section}-{editorial}".lower())
    return evidence_table(chosen, name, _caption(section, editorial, chosen))


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
            f' <a href="{_attribute(url)}" rel="noopener">official page</a>'
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
