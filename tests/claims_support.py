"""Source facts for the tests of the ledger's source checks: a small register and facts of the
shape data/sources.csv and data/source_facts.csv have, installed in place of the loaders."""

from __future__ import annotations

import pandas as pd
import pytest

from scs_book import data

SOURCES = pd.DataFrame({
    "source_id": ["test-law", "test-list"],
    "title_en": ["A test law", "A test notice with a list"],
    "official_url": ["https://example.org/law", "https://example.org/list"],
})
FACTS = pd.DataFrame({
    "fact_id": ["test-law-in-force", "test-list-cities", "test-signatories"],
    "source_id": ["test-law", "test-list", "test-list"],
    "value": ["2017-06-01", "", "45"],
    "items": ["", "杭州市; 南京市; 厦门市", ""],
    "quotation": ["本法自2017年6月1日起施行。", "杭州市、南京市、厦门市</script>", "45个部门"],
    "quotation_en": ["This law takes effect on 1 June 2017.", "Hangzhou, Nanjing, Xiamen",
                     "45 departments"],
    "locator": ["Article 79", "annex", "preamble"],
    "copy_url": ["https://example.org/law-copy", "javascript:alert(1)", ""],
    "claims": ["test-01", "test-01", "test-01"],
})


@pytest.fixture
def fake_sources(monkeypatch):
    """The test register and facts in place of data.sources() and data.source_facts()."""
    monkeypatch.setattr(data, "sources", lambda: SOURCES.copy(), raising=False)
    monkeypatch.setattr(data, "source_facts", lambda: FACTS.copy(), raising=False)
    return FACTS
