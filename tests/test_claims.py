"""The claims ledger: every check with a correct and a deliberately wrong value, the register's
completeness, and the errors that stop the build."""

from __future__ import annotations

import json

import pytest

from scs_book import claims, data
from scs_book.claims.model import CONFIRMED, CONSISTENT, DISCREPANCY, NOT_VERIFIABLE, RECOMPUTED
from scs_book.datapackage import DataError, read_descriptor


def claim(check: str, printed: str, **args) -> claims.Claim:
    return claims.Claim("test-01", printed, check, args)


# check name -> (arguments, a correct printed value, its status,
#                arguments for the wrong case, a deliberately wrong value, its status)
CASES = {
    "rate_per_1000": (
        {"row": "Hyderabad"},
        "79.38",
        RECOMPUTED,
        {"row": "Hyderabad"},
        "79.83",
        DISCREPANCY,
    ),
    "national_rate_row": (
        {"row": "Shanghai"},
        "15,065,778",
        RECOMPUTED,
        {"row": "Shanghai"},
        "15,065,787",
        DISCREPANCY,
    ),
    "national_rate_all_rows": (
        {},
        "based on China as a whole",
        RECOMPUTED,
        {"rate": 480},
        "based on China as a whole",
        DISCREPANCY,
    ),
    "printed_order": (
        {
            "direction": "descending",
            "dataset": "list_counts_by_province",
            "where": {"figure": 2},
            "column": "count",
            "order_by": "printed_order",
        },
        "35, 22, 21, 19, 15",
        CONSISTENT,
        {
            "direction": "ascending",
            "dataset": "list_counts_by_province",
            "where": {"figure": 2},
            "column": "count",
            "order_by": "printed_order",
        },
        "35, 22, 21, 19, 15",
        DISCREPANCY,
    ),
    # the paper's majority rests on rates estimated from the national one: not verifiable
    "majority_chinese": (
        {"top": 10},
        "the majority",
        NOT_VERIFIABLE,
        {"top": 10},
        "a minority",
        DISCREPANCY,
    ),
    "text_date": (
        {"events": ["t3-2018-baihang-established"]},
        "2018",
        CONSISTENT,
        {"events": ["t3-2018-baihang-established"]},
        "2017",
        DISCREPANCY,
    ),
    "timeline_actor": (
        {"pair_id": "pbc-notice-2002", "location": "Section II"},
        "the People's Bank of China",
        CONSISTENT,
        {"pair_id": "planning-outline-2014", "location": "Section 1"},
        "the Chinese Communist Party",
        DISCREPANCY,
    ),
    "consistent_wording": (
        {"others": {"note 13": "Civil Procedure Law"}},
        "Civil Procedure Law",
        CONSISTENT,
        {"others": {"note 13": "Civil Procedure Law"}},
        "Civil Litigation Law",
        DISCREPANCY,
    ),
    "acronym": (
        {"expansion": "Mercator Institute for China Studies", "others": {"note 28": "MERICS"}},
        "MERICS",
        CONSISTENT,
        {"expansion": "Mercator Institute for China Studies", "others": {"note 28": "MERICS"}},
        "MERICCS",
        DISCREPANCY,
    ),
    "place_names": (
        {},
        "Beijing, Tianjin, Xinjiang",
        CONSISTENT,
        {},
        "Beijing, Tianjing, Xinjiang",
        DISCREPANCY,
    ),
    "ibid_source": (
        {"footnote": 29, "expected_footnote": 28},
        "Ibid.",
        CONSISTENT,
        {"footnote": 25, "expected_footnote": 21},
        "Ibid.",
        DISCREPANCY,
    ),
    "page_in_range": (
        {"footnote": 8, "bib_key": "liang_2018_constructing", "bibliography_pages": "415-453"},
        "424",
        CONSISTENT,
        {"footnote": 8, "bib_key": "liang_2018_constructing", "bibliography_pages": "415-453"},
        "454",
        DISCREPANCY,
    ),
    "subtotal_within_total": (
        {"list_type": "blacklist"},
        "35, 22, 21",
        RECOMPUTED,
        {"list_type": "blacklist"},
        "300, 22, 21",
        DISCREPANCY,
    ),
    "share_split": (
        {"fact": "baihang_equity_nifa", "holders_fact": "baihang_equity_providers"},
        "8%",
        RECOMPUTED,
        {"fact": "baihang_equity_nifa", "holders_fact": "baihang_equity_providers"},
        "9%",
        DISCREPANCY,
    ),
    "same_count": (
        {"facts": ["private_pilot_licences_2015"], "group_facts": ["baihang_equity_providers"]},
        "eight",
        CONSISTENT,
        {"facts": ["private_pilot_licences_2015"], "group_facts": ["baihang_equity_providers"]},
        "nine",
        DISCREPANCY,
    ),
    "interval_years": (
        {"start_event": "t3-2014-planning-outline", "end_event": "s3-2020-deadline"},
        "six years",
        RECOMPUTED,
        {"start_event": "t3-2014-planning-outline", "end_event": "s3-2020-deadline"},
        "seven years",
        DISCREPANCY,
    ),
    "period_matches": (
        {"periods": [["fig11_period_start", "fig11_period_end"]]},
        "2003–2020",
        CONSISTENT,
        {"periods": [["fig11_period_start", "fig11_period_end"]]},
        "2003–2021",
        DISCREPANCY,
    ),
    # agreement only shows consistency: reported as not verifiable, contradiction as discrepancy
    "count_increase": (
        {"facts": ["agencies_2007", "agencies_memorandum_2016"], "reason": "r"},
        "increasing",
        NOT_VERIFIABLE,
        {"facts": ["agencies_2007", "agencies_memorandum_2016"], "reason": "r"},
        "decreasing",
        DISCREPANCY,
    ),
    "demonstration_batch": (
        {"batch": 1},
        "12 cities (e.g., Hangzhou, or Rongcheng)",
        CONFIRMED,
        {"batch": 1},
        "13 cities (e.g., Hangzhou, or Rongcheng)",
        DISCREPANCY,
    ),
    # the month cannot be confirmed; a date the data contradict is a discrepancy
    "demonstration_date": (
        {"batch": 1, "footnote": 35, "bib_key": "ndrc_2017_notice"},
        "December 2017",
        NOT_VERIFIABLE,
        {"batch": 1, "footnote": 35, "bib_key": "ndrc_2017_notice"},
        "December 2018",
        DISCREPANCY,
    ),
    "section_numbering": (
        {},
        "I., II., III., IV.",
        CONSISTENT,
        {},
        "1., II., III., V.",
        DISCREPANCY,
    ),
    "same_date": (
        {"others": {"URL": "2016-09/25"}},
        "25 September 2016",
        CONSISTENT,
        {"others": {"URL": "2016-09/25"}},
        "26 September 2016",
        DISCREPANCY,
    ),
    "against_source": (
        {"facts": ["cyber_in_force"]},
        "by June 2017",
        CONFIRMED,
        {"facts": ["cyber_in_force"]},
        "by June 2016",
        DISCREPANCY,
    ),
    # 'wrong' here is a claim that gives no reason: it must not pass as not verifiable
    "not_verifiable": (
        {"reason": "The source is not public."},
        "45",
        NOT_VERIFIABLE,
        {"reason": " "},
        "45",
        claims.ClaimError,
    ),
}


def test_every_registered_check_has_a_correct_and_a_wrong_case():
    assert set(CASES) == set(claims.registered())


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_with_correct_and_wrong_value(name):
    good_args, good, good_status, bad_args, bad, bad_status = CASES[name]
    result = claims.evaluate(claim(name, good, **good_args))
    assert result.status == good_status, result.evidence
    if isinstance(bad_status, type):
        with pytest.raises(bad_status, match="test-01"):
            claims.evaluate(claim(name, bad, **bad_args))
        return
    wrong = claims.evaluate(claim(name, bad, **bad_args))
    assert wrong.status == bad_status, wrong.evidence
    assert wrong.explanation  # a discrepancy always says why
    if bad_status == DISCREPANCY:
        assert wrong.difference


# --- the register ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ledger():
    return claims.evaluate_all()


def test_every_claim_has_a_registered_check_and_a_status(ledger):
    assert set(ledger["check"]) <= set(claims.registered())
    assert set(ledger["status"]) <= set(claims.STATUSES)
    assert ledger["evidence"].str.len().min() > 0


def test_the_descriptor_lists_exactly_the_registered_checks():
    resource = next(r for r in read_descriptor()["resources"] if r["name"] == "claims")
    field = next(f for f in resource["schema"]["fields"] if f["name"] == "check")
    assert sorted(field["constraints"]["enum"]) == sorted(claims.registered())
    assert "status" not in [
        f["name"] for f in resource["schema"]["fields"]
    ]  # computed, never stored


def test_the_register_covers_every_section_and_kind(ledger):
    assert set(ledger["section"]) == set(claims.SECTIONS)
    assert {
        "count",
        "share",
        "rate",
        "date",
        "ranking",
        "ordering",
        "total",
        "editorial",
        "citation",
    } <= set(ledger["claim_kind"])
    assert ledger["editorial"].any() and (~ledger["editorial"]).any()


def test_an_unregistered_check_fails_naming_the_claim():
    frame = data.claims().head(3)
    frame.loc[1, "check"] = "no_such_check"
    with pytest.raises(claims.ClaimError, match=frame.loc[1, "claim_id"]) as caught:
        claims.evaluate_all(frame)
    assert "no_such_check" in str(caught.value)


def test_malformed_check_args_fail_naming_the_claim():
    frame = data.claims().head(2)
    frame.loc[0, "check_args"] = '{"row": '
    with pytest.raises(claims.ClaimError, match=frame.loc[0, "claim_id"]):
        claims.evaluate_all(frame)
    frame.loc[0, "check_args"] = "[1, 2]"
    with pytest.raises(claims.ClaimError, match="JSON object"):
        claims.evaluate_all(frame)


def test_a_missing_argument_fails_naming_the_claim():
    with pytest.raises(claims.ClaimError, match="test-01.*'row'"):
        claims.evaluate(claim("rate_per_1000", "79.38"))


def test_a_check_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="twice"):
        claims.check("rate_per_1000", "arithmetic")(lambda c: None)


def test_a_result_without_reason_is_refused():
    with pytest.raises(ValueError, match="explanation"):
        claims.Result(DISCREPANCY, "computed")
    with pytest.raises(ValueError, match="status"):
        claims.Result("maybe", "computed")


@pytest.mark.parametrize(
    "field, bad, line",
    [
        ("section", "IV", 2),
        ("location_type", "chart", 3),
        ("claim_kind", "guess", 4),
        ("check", "no_such_check", 5),
        ("editorial", "perhaps", 6),
    ],
)
def test_a_bad_register_row_names_file_field_and_row(data_copy, field, bad, line):
    import csv
    import io

    def change(text):
        rows = list(csv.DictReader(io.StringIO(text)))
        rows[line - 2][field] = bad
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()

    data_copy.edit_text("claims.csv", change)
    with pytest.raises(DataError) as caught:
        data.claims()
    error = caught.value
    assert error.file == "data/claims.csv"
    assert error.field == field and error.row == f"{line - 1} (line {line})"


# --- what the ledger finds (the known findings, recomputed) ----------------------------------


def result(ledger, claim_id):
    return ledger.set_index("claim_id").loc[claim_id]


def test_table1_china_row_is_a_rounding_discrepancy(ledger):
    row = result(ledger, "s1-05")
    assert row["status"] == DISCREPANCY and "492.96" in row["evidence"]
    assert row["difference"] == "-1.29 per 1,000" and row["inference"]


def test_qingdao_population_has_two_swapped_digits(ledger):
    row = result(ledger, "s1-34")
    assert row["status"] == DISCREPANCY and "6,217,970" in row["explanation"]
    others = ledger[ledger["check"] == "national_rate_row"]
    assert (others["status"] == DISCREPANCY).sum() == 1


@pytest.mark.parametrize(
    "claim_id, status",
    [
        ("s1-15", CONSISTENT),
        ("s1-37", CONSISTENT),
        ("s3-15", DISCREPANCY),
        ("nt-25", DISCREPANCY),
        ("s5-01", DISCREPANCY),
        ("s3-23", DISCREPANCY),
        ("s2-10", DISCREPANCY),
        ("s3-25", CONFIRMED),
        ("s3-02", CONFIRMED),
        ("s3-26", CONFIRMED),
        ("ab-03", RECOMPUTED),
        ("nt-03", RECOMPUTED),
        ("s1-02", NOT_VERIFIABLE),
        ("s3-06", DISCREPANCY),
        ("s3-19", CONFIRMED),
        ("s3-23", DISCREPANCY),
        ("nt-26", DISCREPANCY),
        ("s1-05", DISCREPANCY),
        ("s1-06", RECOMPUTED),
    ],
)
def test_known_findings(ledger, claim_id, status):
    assert result(ledger, claim_id)["status"] == status


def test_every_discrepancy_shows_its_size_and_explanation(ledger):
    discrepancies = ledger[ledger["status"] == DISCREPANCY]
    assert len(discrepancies) > 0
    assert (discrepancies["difference"].str.len() > 0).all()
    assert (discrepancies["explanation"].str.len() > 0).all()


def test_not_verifiable_claims_say_why(ledger):
    unverifiable = ledger[ledger["status"] == NOT_VERIFIABLE]
    assert (unverifiable["explanation"].str.len() > 20).all()


# --- inline display for the section notebooks ------------------------------------------------


@pytest.mark.parametrize("section", list(claims.SECTIONS))
def test_section_table_for_every_section(ledger, section):
    html = claims.section_table(section, ledger=ledger).data
    ids = list(claims.section_claims(section, ledger=ledger)["claim_id"])
    assert ids and all(f'<tr id="claim-{claim_id}">' in html for claim_id in ids)
    others = ledger.loc[ledger["section"] != section, "claim_id"]
    assert not any(f'id="claim-{claim_id}"' in html for claim_id in others)
    assert html == claims.section_table(section, ledger=ledger).data  # deterministic
    assert "0x" not in repr(claims.section_table(section, ledger=ledger))


def test_section_table_filters_editorial(ledger):
    numeric = claims.section_claims("1", editorial=False, ledger=ledger)
    assert not numeric["editorial"].any() and len(numeric) > 0
    with pytest.raises(ValueError, match="unknown section"):
        claims.section_claims("IV", ledger=ledger)


def test_check_args_in_the_register_are_json_objects():
    for row in data.claims().itertuples():
        assert isinstance(json.loads(row.check_args), dict), row.claim_id


def test_every_note_of_the_paper_is_covered(ledger):
    covered = {int(n) for cell in ledger["footnotes"].dropna() for n in cell.split(";")}
    assert covered == set(range(1, 46))
