"""Checks against sources: each way of comparing with a correct and a wrong value, counts taken
from the items of a named list, and the errors that stop the build when a source fact is
missing."""

from __future__ import annotations

import json

import pytest

from scs_book import claims, data
from scs_book.claims.model import (
    AGAINST_SOURCE,
    CONFIRMED,
    CONSISTENT,
    DISCREPANCY,
    INTERNAL,
    NOT_VERIFIABLE,
)

# The 35 claims the ledger could not verify before the sources were read (issue 14).
NOT_VERIFIABLE_BEFORE = (
    "s1-01 s1-16 s1-39 s2-01 s2-05 s2-06 s2-11 s3-04 s3-06 s3-07 s3-11 s3-12 s3-17 s3-19 s3-21 "
    "s3-22 s3-24 s3-27 s3-28 s3-29 s3-30 s3-31 s3-33 s3-35 s3-36 s5-03 s5-04 s5-06 s5-07 nt-02 "
    "nt-04 nt-19 nt-20 nt-21 nt-26"
).split()


def against(printed: str, **args) -> claims.Result:
    return claims.evaluate(claims.Claim("test-01", printed, "against_source", args))


@pytest.mark.parametrize(
    "args, right, wrong",
    [
        ({"facts": ["cyber_in_force"]}, "by June 2017", "by July 2017"),
        ({"facts": ["baihang_nifa_share_govcn"]}, "36%", "38%"),
        ({"lists": ["demo1_cities"]}, "12 model cities", "13 model cities"),
        ({"facts": ["demo_candidates_total"]}, "more than 40", "more than 50"),
        ({"facts": ["liu_pages"], "compare": "within"}, "p. 30", "p. 40"),
        ({"facts": ["creemers_pages"], "compare": "within"}, "p. 14; p. 21", "p. 14; p. 33"),
        ({"facts": ["merics_author_en"], "compare": "text"}, "Vincent Brussee", "Vicent Brussee"),
        ({"facts": ["ningxia_1992_chengxin"]}, "The 1990s", "The 1980s"),
    ],
)
def test_each_comparison_confirms_the_right_value_and_catches_a_wrong_one(args, right, wrong):
    confirmed = against(right, **args)
    assert confirmed.status == CONFIRMED and confirmed.kind == AGAINST_SOURCE, confirmed.evidence
    assert confirmed.sources and all(q.quotation for q in confirmed.sources)
    caught = against(wrong, **args)
    assert caught.status == DISCREPANCY and caught.kind == AGAINST_SOURCE, caught.evidence
    assert caught.difference and caught.verdict == "discrepancy (against source)"


def test_a_rise_is_read_in_the_order_the_facts_are_given():
    facts = ["joint_members_before_2012", "joint_members_2012", "joint_members_2017"]
    assert against("increasing", facts=facts, compare="increase").status == CONFIRMED
    assert against("increasing", facts=facts[::-1], compare="increase").status == DISCREPANCY


def test_the_count_of_a_named_list_comes_from_its_items(data_copy):
    assert against("44", lists=["memo_2016_signatories"]).status == CONFIRMED

    def one_more_item(text):
        lines = text.splitlines(keepends=True)
        last = next(line for line in reversed(lines) if ",memo_2016_signatories," in line)
        return text + last.replace("memo_signatory_", "memo_signatory_extra_", 1)

    data_copy.edit_text("source_facts.csv", one_more_item)
    assert against("44", lists=["memo_2016_signatories"]).status == DISCREPANCY
    assert against("45", lists=["memo_2016_signatories"]).status == CONFIRMED


@pytest.mark.parametrize(
    "args, message",
    [
        ({"facts": ["no_such_fact"]}, "test-01.*source fact 'no_such_fact' is not in"),
        ({"lists": ["no_such_list"]}, "test-01.*source list 'no_such_list' has no items"),
        ({}, "test-01.*'facts' or 'lists'"),
        ({"facts": ["cyber_in_force"], "part": "not printed"}, "test-01.*part 'not printed'"),
        ({"facts": ["cyber_in_force"], "compare": "guess"}, "test-01.*compare must be"),
    ],
)
def test_a_missing_or_malformed_source_fact_fails_naming_the_claim(args, message):
    with pytest.raises(claims.ClaimError, match=message):
        against("by June 2017", **args)


def test_a_register_claim_whose_fact_is_missing_fails_the_ledger():
    frame = data.claims()
    row = frame.index[frame["claim_id"] == "s3-19"][0]
    frame.loc[row, "check_args"] = json.dumps({"facts": ["cyber_in_force_removed"]})
    with pytest.raises(claims.ClaimError, match="s3-19.*cyber_in_force_removed"):
        claims.evaluate_all(frame)


def test_without_the_source_resources_a_source_check_fails_naming_the_claim(data_copy):
    def drop(descriptor):
        descriptor["resources"] = [
            r for r in descriptor["resources"] if r["name"] != "source_facts"
        ]

    data_copy.edit_descriptor(drop)
    with pytest.raises(claims.ClaimError, match="test-01.*no resource 'source_facts'"):
        against("by June 2017", facts=["cyber_in_force"])


def with_sources(check: str, printed: str, args: dict, sources: dict) -> claims.Result:
    return claims.evaluate(claims.Claim("test-01", printed, check, {**args, "sources": sources}))


def test_sources_added_to_another_check():
    args = {"events": ["t3-2016-joint-punishment-system"]}
    alone = claims.evaluate(claims.Claim("test-01", "2016", "text_date", args))
    assert alone.status == CONSISTENT
    agreeing = with_sources("text_date", "2016", args, {"facts": ["memo_repost_date"]})
    assert agreeing.status == CONFIRMED and agreeing.computed.startswith(alone.computed)
    other = {"events": ["t3-2018-baihang-established"]}
    disagreeing = with_sources(
        "text_date", "2018", other, {"facts": ["baihang_licence_date_govcn"], "compare": "text"}
    )
    assert disagreeing.verdict == "discrepancy (against source)"
    # the paper's own discrepancy stands when the source agrees with the printed value
    internal = with_sources("text_date", "2017", other, {"facts": ["licences_shelved_reuters"]})
    assert internal.verdict == f"{DISCREPANCY} ({INTERNAL})" and internal.sources


# --- the register, wired ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def ledger():
    return claims.evaluate_all().set_index("claim_id")


def test_at_least_twelve_unverifiable_claims_are_settled_by_sources(ledger):
    before = ledger.loc[NOT_VERIFIABLE_BEFORE]
    settled = before[before["sources"].map(len) > 0]
    assert set(settled["status"]) <= {CONFIRMED, DISCREPANCY}
    assert len(settled) >= 12


def test_every_claim_a_source_settles_shows_the_source_words_and_copy(ledger):
    settled = ledger[
        (ledger["status"] == CONFIRMED)
        | (ledger["kind"] == AGAINST_SOURCE) & (ledger["status"] == DISCREPANCY)
    ]
    assert len(settled) > 0
    for claim_id, quotes in settled["sources"].items():
        assert quotes, claim_id
        for quote in quotes:
            assert quote.quotation and quote.copy_url.startswith("http"), (claim_id, quote)
            assert quote.source_id in set(data.sources()["source_id"]), (claim_id, quote)


def test_every_unverifiable_claim_names_what_was_looked_for(ledger):
    unverifiable = ledger[ledger["status"] == NOT_VERIFIABLE]
    for claim_id, explanation in unverifiable["explanation"].items():
        assert "looked for" in explanation.lower(), claim_id


def test_the_claims_the_facts_name_exist_and_unverifiable_ones_say_why_not_settled(ledger):
    named = {c for cell in data.source_facts()["claims"].dropna() for c in cell.split(";") if c}
    assert named <= set(ledger.index)
    for claim_id in named:
        if ledger.loc[claim_id, "status"] == NOT_VERIFIABLE:
            assert "Looked for, not found" in ledger.loc[claim_id, "explanation"], claim_id


def test_context_sources_are_quoted_without_changing_the_verdict(ledger):
    row = ledger.loc["s1-02"]  # the ranking rests on estimates: quoted reports do not settle it
    assert row["status"] == NOT_VERIFIABLE and len(row["sources"]) == 2
    assert "one average rate" in row["computed"]
