"""The evaluated ledger: every claim of the register with its result, counted by kind of
evidence, exported as CSV and JSON, and published as schema.org ``ClaimReview`` records."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from .. import data
from .model import DISCREPANCY, NOT_VERIFIABLE, STATUSES, VERDICTS, check_kind
from .sources import evaluate

SECTIONS = {
    "abstract": "Abstract",
    "1": "1. General framework and relevance of the subject",
    "II": "II. Short history of the Social Credit System before 2014",
    "III": "III. The reality of China's Social Credit System from 2014 to 2020",
    "V": "V. Conclusions (with Table 3)",
    "notes": "Notes and bibliography",
}

RESULT_COLUMNS = [
    "status",
    "kind",
    "verdict",
    "computed",
    "difference",
    "explanation",
    "inference",
    "evidence",
    "sources",
]
# The columns of the downloadable ledger, in order (sources: one record per quoted fact).
EXPORT_COLUMNS = [
    "claim_id",
    "section",
    "location",
    "footnotes",
    "claim_kind",
    "statement",
    "printed_value",
    "check",
    "verdict",
    "status",
    "kind",
    "computed",
    "difference",
    "explanation",
    "inference",
    "sources",
]
DOWNLOAD_NAME = "claims-ledger"
ARTICLE = (
    "Fragmented reality, cohesive ideology: navigating data-driven public policy in "
    "China's Social Credit System"
)
ARTICLE_AUTHOR = "C.-Ș. Alexandrescu"
BOOK = "Fragmented reality, reproduced"


def evaluate_all(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The register with every claim's result: the columns of ``claims`` plus RESULT_COLUMNS
    (``sources`` holds the quoted facts, as :class:`~scs_book.claims.model.SourceQuote`)."""
    frame = data.claims() if frame is None else frame.copy()
    results = [evaluate(row) for row in frame.to_dict("records")]
    for column in RESULT_COLUMNS:
        frame[column] = [getattr(result, column) for result in results]
    return frame


def section_claims(
    section: str, editorial: bool | None = None, ledger: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The evaluated claims of one section (optionally only the editorial or numeric ones)."""
    if section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}; known: {', '.join(SECTIONS)}")
    ledger = evaluate_all() if ledger is None else ledger
    chosen = ledger[ledger["section"] == section]
    if editorial is not None:
        chosen = chosen[chosen["editorial"] == editorial]
    return chosen.reset_index(drop=True)


def verdict_counts(ledger: pd.DataFrame) -> dict[str, int]:
    """How many claims carry each verdict, in the order of VERDICTS (zeros included)."""
    counts = ledger["verdict"].value_counts()
    return {verdict: int(counts.get(verdict, 0)) for verdict in VERDICTS}


def summary(ledger: pd.DataFrame) -> str:
    """The counts by verdict in words: '28 recomputed, 40 consistent, ...'."""
    return ", ".join(
        f"{count} {verdict}" for verdict, count in verdict_counts(ledger).items() if count
    )


def check_kinds(ledger: pd.DataFrame) -> pd.Series:
    """The kind of evidence each claim's check weighs."""
    return ledger["check"].map(check_kind)


# --- the ledger as data -----------------------------------------------------------------------


def export_records(ledger: pd.DataFrame) -> list[dict]:
    """One plain record per claim, with its quoted source facts as a list of records."""
    records = []
    for row in ledger[EXPORT_COLUMNS].to_dict("records"):
        row["footnotes"] = "" if pd.isna(row["footnotes"]) else str(row["footnotes"])
        row["inference"] = bool(row["inference"])
        row["sources"] = [asdict(quote) for quote in row["sources"]]
        records.append(row)
    return records


def export_csv(ledger: pd.DataFrame) -> str:
    """The evaluated ledger as CSV; a claim's source facts joined as 'source_id/fact_id'."""
    frame = pd.DataFrame(export_records(ledger))
    quoted = frame.pop("sources")
    frame["sources"] = [
        "; ".join(f"{q['source_id']}/{q['fact_id']}" for q in quotes) for quotes in quoted
    ]
    frame["source_quotations"] = [" | ".join(q["quotation"] for q in quotes) for quotes in quoted]
    return frame.to_csv(index=False, lineterminator="\n")


def export_json(ledger: pd.DataFrame) -> str:
    """The evaluated ledger as JSON: statuses and verdict words, then one object per claim."""
    return (
        json.dumps(
            {
                "statuses": list(STATUSES),
                "verdicts": list(VERDICTS),
                "claims": export_records(ledger),
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n"
    )


def write_downloads(ledger: pd.DataFrame, directory: str | Path) -> dict[str, Path]:
    """Write the evaluated ledger as ``claims-ledger.csv`` and ``.json`` into ``directory``
    (only where the text changed, so a rebuild leaves the files as they were)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for suffix, text in (("csv", export_csv(ledger)), ("json", export_json(ledger))):
        path = directory / f"{DOWNLOAD_NAME}.{suffix}"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written[suffix] = path
    return written


def claim_reviews(ledger: pd.DataFrame, page: str = "") -> dict:
    """Each claim with a verdict (not the unverifiable ones) as a schema.org ``ClaimReview``,
    the book as reviewer and the article as where the claim appears; ``page`` prefixes the
    claims' anchors."""
    graph: list[dict] = [
        {"@id": "#book", "@type": "Book", "name": BOOK},
        {
            "@id": "#article",
            "@type": "ScholarlyArticle",
            "name": ARTICLE,
            "author": {"@type": "Person", "name": ARTICLE_AUTHOR},
        },
    ]
    for row in ledger[ledger["status"] != NOT_VERIFIABLE].itertuples():
        graph.append(
            {
                "@type": "ClaimReview",
                "url": f"{page}#claim-{row.claim_id}",
                "claimReviewed": row.statement,
                "author": {"@id": "#book"},
                "itemReviewed": {
                    "@type": "Claim",
                    "appearance": {"@id": "#article"},
                    "text": row.printed_value,
                },
                "reviewRating": {"@type": "Rating", "alternateName": row.verdict},
            }
        )
    return {"@context": "https://schema.org", "@graph": graph}


def json_ld_script(document: dict) -> str:
    """A JSON-LD ``<script>`` element no value can end early: every '</' is written '<\\/'
    (and '<!--' as '\\u003c!--', which could otherwise change how the script is parsed)."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<!--", "\\u003c!--").replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def discrepancies(ledger: pd.DataFrame, editorial: bool) -> pd.DataFrame:
    """The claims with a discrepancy, numeric or editorial."""
    return ledger[(ledger["status"] == DISCREPANCY) & (ledger["editorial"] == editorial)]
