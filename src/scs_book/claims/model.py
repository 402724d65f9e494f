"""The ledger's model: a claim of the register, the result of its check, and the check registry.

Statuses say what kind of evidence stands behind them:

- ``recomputed``: the printed value follows, by arithmetic, from inputs the paper prints;
- ``consistent``: it agrees with another place of the paper (or with the book's reference data,
  such as the names of China's provinces);
- ``confirmed by source``: it agrees with a fact quoted from a document the paper cites or from
  the primary document itself (``source_facts``), which the ledger links and quotes;
- ``discrepancy``: the evidence disagrees; its kind says which evidence (``arithmetic``,
  ``internal`` or ``against source``);
- ``not verifiable``: nothing consulted confirms or refutes it; the result says what was looked
  for and not found.

Each check is registered with the kind of evidence it weighs (:data:`KINDS`): its agreeing
status follows from that kind, and so does the kind of its discrepancies.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

RECOMPUTED, CONSISTENT, CONFIRMED = "recomputed", "consistent", "confirmed by source"
DISCREPANCY, NOT_VERIFIABLE = "discrepancy", "not verifiable"
STATUSES = (RECOMPUTED, CONSISTENT, CONFIRMED, DISCREPANCY, NOT_VERIFIABLE)

ARITHMETIC, INTERNAL, AGAINST_SOURCE = "arithmetic", "internal", "against source"
KINDS = (ARITHMETIC, INTERNAL, AGAINST_SOURCE)
AGREEING = {ARITHMETIC: RECOMPUTED, INTERNAL: CONSISTENT, AGAINST_SOURCE: CONFIRMED}

# The words every page uses for a verdict: the status, and for a discrepancy its kind.
VERDICTS = (
    RECOMPUTED,
    CONSISTENT,
    CONFIRMED,
    f"{DISCREPANCY} ({ARITHMETIC})",
    f"{DISCREPANCY} ({INTERNAL})",
    f"{DISCREPANCY} ({AGAINST_SOURCE})",
    NOT_VERIFIABLE,
)


class ClaimError(ValueError):
    """A claim of the register cannot be evaluated (unknown check, malformed arguments,
    a source fact that does not exist)."""

    def __init__(self, claim_id: str, message: str):
        self.claim_id = claim_id
        super().__init__(f"claim {claim_id}: {message}")


@dataclass(frozen=True)
class Claim:
    """One row of the register, with its check arguments decoded."""

    claim_id: str
    printed: str
    check: str
    args: dict[str, Any] = field(default_factory=dict)
    statement: str = ""
    section: str = ""

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Claim:
        claim_id = str(row["claim_id"])
        raw = row.get("check_args")
        try:
            args = json.loads(raw) if isinstance(raw, str) and raw.strip() else {}
        except json.JSONDecodeError as error:
            raise ClaimError(claim_id, f"check_args is not valid JSON ({error})") from None
        if not isinstance(args, dict):
            raise ClaimError(claim_id, "check_args must be a JSON object")
        return cls(
            claim_id,
            str(row["printed_value"]),
            str(row["check"]),
            args,
            str(row.get("statement", "")),
            str(row.get("section", "")),
        )

    def arg(self, name: str, default: Any = ...) -> Any:
        if name in self.args:
            return self.args[name]
        if default is ...:
            raise ClaimError(self.claim_id, f"check '{self.check}' needs the argument '{name}'")
        return default


@dataclass(frozen=True)
class SourceQuote:
    """Where a source speaks to a claim: the register entry, the fact, its words and its value."""

    source_id: str
    fact_id: str
    value: str
    quotation: str
    quotation_en: str = ""
    locator: str = ""
    copy_url: str = ""
    copy_kind: str = ""
    title: str = ""
    unit: str = ""
    items: int = 0  # for a named list: how many items it has

    @property
    def shown(self) -> str:
        """The value as a reader reads it: '3 years', '36 %', '44 items listed'."""
        if self.items:
            return f"{self.items} items listed"
        return f"{self.value} {self.unit}".strip() if self.unit != "%" else f"{self.value} %"


@dataclass(frozen=True)
class Result:
    """What a check found: status, the value the evidence gives, the difference, and why.

    ``kind`` is the kind of evidence (set from the check's registration); ``sources`` the
    quoted facts a source check compared with.
    """

    status: str
    computed: str
    difference: str = ""
    explanation: str = ""
    inference: bool = False
    kind: str = ""
    sources: tuple[SourceQuote, ...] = ()

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.status in (DISCREPANCY, NOT_VERIFIABLE) and not self.explanation:
            raise ValueError(f"a '{self.status}' result needs an explanation")
        if self.kind and self.kind not in KINDS:
            raise ValueError(f"unknown kind of evidence {self.kind!r}")

    @property
    def verdict(self) -> str:
        """The status in the words every page uses: 'discrepancy (internal)', 'recomputed'."""
        return f"{self.status} ({self.kind})" if self.status == DISCREPANCY else self.status

    @property
    def evidence(self) -> str:
        """One readable paragraph: what was computed, the difference, the explanation."""
        parts = [self.computed]
        if self.difference:
            parts.append(f"Difference: {self.difference}.")
        if self.explanation:
            parts.append(("Inference: " if self.inference else "") + self.explanation)
        return " ".join(part.strip() for part in parts if part.strip())


def agrees(kind: str) -> str:
    """The status of agreement for a kind of evidence."""
    return AGREEING[kind]


Check = Callable[[Claim], Result]
_REGISTRY: dict[str, tuple[Check, str]] = {}


def check(name: str, kind: str) -> Callable[[Check], Check]:
    """Register a check under ``name`` (the register's ``check`` column), weighing ``kind``."""
    if kind not in KINDS:
        raise ValueError(f"check '{name}': unknown kind of evidence {kind!r}")

    def register(function: Check) -> Check:
        if name in _REGISTRY:
            raise ValueError(f"check '{name}' is registered twice")
        _REGISTRY[name] = (function, kind)
        return function

    return register


def registered() -> dict[str, Check]:
    """Every registered check, by name."""
    return {name: function for name, (function, _) in _REGISTRY.items()}


def describe(name: str) -> str:
    """What a registered check compares, for readers: the first paragraph of its docstring."""
    doc = (_REGISTRY[name][0].__doc__ or "").split("\n\n")[0]
    return " ".join(doc.split())


def check_kind(name: str) -> str:
    """The kind of evidence a registered check weighs."""
    return _REGISTRY[name][1]


def evaluate(claim: Claim | Mapping[str, Any]) -> Result:
    """Run the claim's check. An unregistered check name raises ClaimError naming the claim.

    An agreeing result must carry the status of the check's kind; a discrepancy gets that kind.
    """
    claim = claim if isinstance(claim, Claim) else Claim.from_row(claim)
    if claim.check not in _REGISTRY:
        raise ClaimError(
            claim.claim_id,
            f"its check '{claim.check}' is not a registered check "
            f"(known: {', '.join(sorted(_REGISTRY))})",
        )
    function, kind = _REGISTRY[claim.check]
    result = function(claim)
    if result.status in AGREEING.values() and result.status != AGREEING[kind]:
        raise ValueError(
            f"check '{claim.check}' weighs {kind} evidence but returned '{result.status}'"
        )
    return result if result.kind else replace(result, kind=kind)
