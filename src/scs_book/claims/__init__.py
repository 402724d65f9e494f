"""The claims ledger: every checkable statement of the paper, and the check that settles it.

The register is the dataset ``claims`` (data/claims.csv): one row per statement, with the value
as printed, the name of a check and the check's arguments (a JSON object). Statuses are never
stored; they are computed from the data package every time the book is built.

- :mod:`.model`: claims, results, statuses and the check registry;
- :mod:`.arithmetic`, :mod:`.internal` with :mod:`.crossrefs`, :mod:`.sources`: the checks, by
  the kind of evidence they weigh (arithmetic on printed inputs; other places of the paper; the
  cited sources, quoted from ``source_facts``);
- :mod:`.ledger`: the evaluated ledger, its counts, downloads and ClaimReview records;
- :mod:`.display`: the tables the chapters and the ledger page show.

A claim naming a check that is not registered, or a source fact that does not exist, raises
:class:`ClaimError` naming the claim, which is how such a claim fails the build.
"""

from . import arithmetic, crossrefs, internal, sources  # noqa: F401  (registers the checks)
from .display import evidence_table, section_evidence, section_table, sources_table, summary_table
from .ledger import (
    SECTIONS,
    claim_reviews,
    discrepancies,
    evaluate_all,
    export_csv,
    export_json,
    json_ld_script,
    section_claims,
    summary,
    verdict_counts,
    write_downloads,
)
from .model import (
    KINDS,
    STATUSES,
    VERDICTS,
    Claim,
    ClaimError,
    Result,
    SourceQuote,
    check,
    check_kind,
    describe,
    registered,
)
from .sources import evaluate

__all__ = [
    "KINDS",
    "SECTIONS",
    "STATUSES",
    "VERDICTS",
    "Claim",
    "ClaimError",
    "Result",
    "SourceQuote",
    "check",
    "check_kind",
    "claim_reviews",
    "describe",
    "discrepancies",
    "evaluate",
    "evaluate_all",
    "export_csv",
    "export_json",
    "json_ld_script",
    "evidence_table",
    "section_evidence",
    "summary_table",
    "registered",
    "section_claims",
    "section_table",
    "sources_table",
    "summary",
    "verdict_counts",
    "write_downloads",
]
