"""The register of sources (sources, source_copies, source_facts): internal consistency.

Frictionless checks types, keys and foreign keys; these tests check what a schema cannot: a fact's
source is its copy's source, claim ids and BibTeX keys exist, named lists run 1..n, quotations in
Chinese carry an English rendering, and copies that disagree say which one the book follows.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from scs_book import data
from scs_book.datapackage import data_dir
from scs_book.partial_dates import parse

CJK = re.compile(r"[\u3400-\u9fff]")


def copy_source_mismatches(facts: pd.DataFrame, copies: pd.DataFrame) -> list[str]:
    """Facts whose source_id is not the source of their copy."""
    source_of = dict(zip(copies["copy_id"], copies["source_id"], strict=True))
    return [
        row.fact_id for row in facts.itertuples() if source_of.get(row.copy_id) != row.source_id
    ]


def unknown_claims(facts: pd.DataFrame, claim_ids: set[str]) -> set[str]:
    """Claim ids named by facts that are not in claims.csv."""
    named = {claim for cell in facts["claims"].dropna() for claim in cell.split(";")}
    return named - claim_ids


def broken_lists(facts: pd.DataFrame) -> list[str]:
    """Named lists whose positions are not exactly 1..n, or list items outside a list."""
    items = facts[facts["fact_kind"] == "list item"]
    problems = [
        row.fact_id
        for row in items.itertuples()
        if pd.isna(row.list_name) or pd.isna(row.list_position)
    ]
    others = facts[facts["fact_kind"] != "list item"]
    problems += [row.fact_id for row in others.itertuples() if pd.notna(row.list_name)]
    for name, group in items.dropna(subset=["list_name"]).groupby("list_name"):
        if sorted(group["list_position"]) != list(range(1, len(group) + 1)):
            problems.append(name)
    return problems


def unrendered_quotes(facts: pd.DataFrame) -> list[str]:
    """Facts quoting Chinese without an English rendering."""
    return [
        row.fact_id
        for row in facts.itertuples()
        if CJK.search(row.quote_original) and pd.isna(row.quote_en)
    ]


def bad_dates(facts: pd.DataFrame) -> list[str]:
    """Date facts whose value does not agree with their precision."""
    problems = []
    for row in facts[facts["fact_kind"] == "date"].itertuples():
        if pd.isna(row.date_precision):
            if not re.fullmatch(r"--[0-9]{2}-[0-9]{2}", row.value):
                problems.append(row.fact_id)
            continue
        try:
            parse(row.value, row.date_precision)
        except ValueError:
            problems.append(row.fact_id)
    return problems


def unexplained_disagreements(facts: pd.DataFrame) -> list[str]:
    """Facts marked as a version the book does not follow, without a note saying why."""
    rejected = facts[facts["book_follows"] == False]  # noqa: E712 (nullable boolean)
    return [row.fact_id for row in rejected.itertuples() if pd.isna(row.note)]


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return data.source_facts()


def test_a_fact_comes_from_its_copys_source(facts):
    assert copy_source_mismatches(facts, data.source_copies()) == []
    wrong = facts.copy()
    wrong.loc[0, "source_id"] = "liu_2019_multiple"
    assert copy_source_mismatches(wrong, data.source_copies()) == [wrong.loc[0, "fact_id"]]


def test_facts_name_only_existing_claims(facts):
    claim_ids = set(data.claims()["claim_id"])
    assert unknown_claims(facts, claim_ids) == set()
    wrong = facts.copy()
    wrong.loc[0, "claims"] = "s3-99"
    assert unknown_claims(wrong, claim_ids) == {"s3-99"}


def test_named_lists_run_from_one_to_n(facts):
    assert broken_lists(facts) == []
    gap = facts[facts["list_name"] != "demo1_cities"]
    gap = pd.concat([gap, facts[facts["list_name"] == "demo1_cities"].iloc[1:]])
    assert broken_lists(gap) == ["demo1_cities"]


def test_chinese_quotations_are_rendered_in_english(facts):
    assert unrendered_quotes(facts) == []
    wrong = facts.copy()
    row = wrong.index[wrong["fact_id"] == "cyber_in_force"][0]
    wrong.loc[row, "quote_en"] = pd.NA
    assert unrendered_quotes(wrong) == ["cyber_in_force"]


def test_date_facts_agree_with_their_precision(facts):
    assert bad_dates(facts) == []
    wrong = facts.copy()
    row = wrong.index[wrong["fact_id"] == "cyber_in_force"][0]
    wrong.loc[row, "date_precision"] = "month"
    assert bad_dates(wrong) == ["cyber_in_force"]


def test_rejected_versions_say_why(facts):
    assert unexplained_disagreements(facts) == []
    wrong = facts.copy()
    row = wrong.index[wrong["fact_id"] == "pbcdb_personal_2006_06"][0]
    wrong.loc[row, "note"] = pd.NA
    assert unexplained_disagreements(wrong) == ["pbcdb_personal_2006_06"]


def test_every_work_of_the_bibliography_is_registered():
    from pybtex.database import parse_file

    keys = set(parse_file(str(data_dir().parent / "book" / "references.bib")).entries)
    registered = set(data.sources()["bib_key"].dropna())
    assert registered <= keys, registered - keys
    assert keys - registered == {"alexandrescu_fragmented"}


def test_every_note_citing_a_work_is_in_the_register():
    cited = {
        int(note) for cell in data.sources()["cited_in_notes"].dropna() for note in cell.split(";")
    }
    # Note 5 is a remark, and note 25's "Ibid." is ambiguous (see claim nt-22).
    notes_citing_a_work = set(range(1, 46)) - {5, 25}
    assert notes_citing_a_work <= cited, notes_citing_a_work - cited
    assert cited <= set(range(1, 46))


def test_facts_come_with_their_copies_in_the_order_asked():
    from scs_book import source_register

    rows = source_register.facts_with_copies(["demo2_date", "memo_number"])
    assert rows["fact_id"].tolist() == ["demo2_date", "memo_number"]
    assert rows["copy_id"].tolist() == ["demo2_clt", "memo_ncaa"]
    assert rows["url"].str.startswith("http").all()
    with pytest.raises(KeyError, match="no fact_id nonexistent_fact"):
        source_register.facts_with_copies(["demo2_date", "nonexistent_fact"])


def test_a_named_list_is_read_item_by_item_in_the_copys_order():
    from scs_book import source_register

    firms = source_register.named_list("pbc_2015_eight_firms")
    assert firms["list_position"].tolist() == list(range(1, len(firms) + 1))
    assert firms["value"].iloc[0] == "芝麻信用" and firms["value"].iloc[-1] == "华道征信"
    with pytest.raises(KeyError, match="no list_name"):
        source_register.named_list("no_such_list")


def test_a_citation_is_escaped():
    from scs_book.source_register import citation

    html = citation('https://example.org/?a=1&b="2"', "<script>x</script>", "news report")
    assert html == (
        '<a href="https://example.org/?a=1&amp;b=&quot;2&quot;">'
        "&lt;script&gt;x&lt;/script&gt;</a> (news report)"
    )


def test_table_rows_escape_and_cite():
    from scs_book import source_register

    facts = source_register.facts_with_copies(["demo_official_after_batch2", "memo_number"])
    rows = source_register.table_rows(facts)
    assert rows["Value"].tolist() == ["28 cities", "发改财金〔2016〕141号"]
    assert rows["Fact"].iloc[0].startswith("Official demonstration cities")
    assert rows["Read in"].iloc[0].startswith('<a href="https://www.chinalawtranslate.com/')
    hostile = facts.assign(subject="<b>x</b>", value="1 & 2")
    assert source_register.table_rows(hostile)["Fact"].iloc[0] == "&lt;b&gt;x&lt;/b&gt;"
    with pytest.raises(ValueError, match="1 labels for 2 facts"):
        source_register.table_rows(facts, ["only one"])


def test_a_list_row_numbers_its_items_and_refuses_two_copies():
    from scs_book import source_register

    firms = source_register.named_list("pbc_2015_eight_firms")
    row = source_register.list_row(firms, "The companies")
    lines = row["Value"].iloc[0].split("<br>")
    assert len(lines) == len(firms) == 8
    assert lines[0] == "1. 芝麻信用 (Sesame Credit (Zhima Credit))"
    mixed = pd.concat([firms, source_register.named_list("demo1_cities")])
    with pytest.raises(ValueError, match="read in 2 copies"):
        source_register.list_row(mixed, "mixed")
