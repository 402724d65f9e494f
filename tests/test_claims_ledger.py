"""The evaluated ledger as readers and machines meet it: tables with one anchor per claim and
the same verdict words everywhere, downloads (CSV, JSON), ClaimReview JSON-LD that no value can
break out of, and hostile source text rendered inert."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from scs_book import claims
from scs_book.claims.model import NOT_VERIFIABLE, SourceQuote


@pytest.fixture(scope="module")
def ledger():
    return claims.evaluate_all()


def test_every_claim_has_a_verdict_in_the_shared_words(ledger):
    assert set(ledger["verdict"]) <= set(claims.VERDICTS)
    counts = claims.verdict_counts(ledger)
    assert list(counts) == list(claims.VERDICTS) and sum(counts.values()) == len(ledger)


def test_each_claim_has_one_anchor_across_the_part_by_part_tables(ledger):
    html = "".join(
        claims.section_evidence(section, editorial, ledger).data
        for section in claims.SECTIONS
        for editorial in (False, True)
    )
    anchors = re.findall(r'<tr id="(claim-[a-z0-9-]+)"', html)
    assert sorted(anchors) == sorted(f"claim-{c}" for c in ledger["claim_id"])


def test_chapter_tables_link_to_the_ledger_and_use_the_same_words(ledger):
    html = claims.section_table("III", ledger=ledger).data
    assert 'href="../book/claims-evidence.html#claim-s3-19"' in html
    assert '<tr id="claim-s3-19">' in html
    for verdict in set(claims.section_claims("III", ledger=ledger)["verdict"]):
        assert f"<strong>{verdict}</strong>" in html
    assert "reproduced" not in html


def test_sources_are_quoted_and_linked_to_their_entry(ledger):
    html = claims.section_evidence("III", ledger=ledger).data
    row = re.search(r'<tr id="claim-s3-19">.*?</tr>', html, re.S).group(0)
    assert 'href="#source-npc-2016-cybersecurity"' in row and "<q" in row
    assert "Copy consulted" in row
    entries = claims.sources_table(ledger, None).data
    assert '<tr id="source-npc-2016-cybersecurity">' in entries


def test_hostile_source_text_is_inert():
    quote = SourceQuote(
        "x",
        "f",
        "1",
        quotation="</script><img src=x onerror=alert(1)>",
        quotation_en="<b>bold</b>",
        copy_url="javascript:alert(1)",
        title="<i>t</i>",
    )
    html = claims.display.quote_html(quote)
    assert "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "javascript:" not in html and "&lt;/script&gt;" in html


def test_the_downloads_hold_every_claim(ledger, tmp_path):
    written = claims.write_downloads(ledger, tmp_path)
    rows = list(csv.DictReader(io.StringIO(written["csv"].read_text(encoding="utf-8"))))
    assert [row["claim_id"] for row in rows] == list(ledger["claim_id"])
    assert {row["verdict"] for row in rows} <= set(claims.VERDICTS)
    document = json.loads(written["json"].read_text(encoding="utf-8"))
    by_id = {claim["claim_id"]: claim for claim in document["claims"]}
    assert len(by_id) == len(ledger) and document["verdicts"] == list(claims.VERDICTS)
    assert by_id["s3-06"]["sources"][0]["quotation"]
    mtime = written["csv"].stat().st_mtime_ns
    claims.write_downloads(ledger, tmp_path)  # unchanged text: the file is left as it was
    assert written["csv"].stat().st_mtime_ns == mtime


def test_claim_reviews_cover_every_claim_with_a_verdict(ledger):
    reviews = [
        node for node in claims.claim_reviews(ledger)["@graph"] if node["@type"] == "ClaimReview"
    ]
    judged = ledger[ledger["status"] != NOT_VERIFIABLE]
    assert [r["url"] for r in reviews] == [f"#claim-{c}" for c in judged["claim_id"]]
    assert all(r["author"] == {"@id": "#book"} for r in reviews)
    assert {r["reviewRating"]["alternateName"] for r in reviews} <= set(claims.VERDICTS)


def test_json_ld_cannot_end_its_script(ledger):
    hostile = ledger.head(2).copy()
    hostile["statement"] = "</script><script>alert(1)</script> <!-- x"
    script = claims.json_ld_script(claims.claim_reviews(hostile))
    body = script[len('<script type="application/ld+json">') : -len("</script>")]
    assert "</" not in body and "<!--" not in body
    parsed = json.loads(body)
    assert parsed["@graph"][2]["claimReviewed"].startswith("</script>")
