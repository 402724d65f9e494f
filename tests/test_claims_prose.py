"""The ledger's generated text reads as prose: no repeated words ('State Council State
Council', '(row row)'), no unfilled placeholders ('{footnote}', '``row``') and no identifiers
of the code or the data ('holders_fact', 'bib_key') where readers read."""

from __future__ import annotations

import re

import pytest

from scs_book import claims

_REPEATED = re.compile(r"\b([^\W\d_]+(?:\s+[^\W\d_]+){0,2})\s+\1\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|``|\$\{|%\(\w+\)s")
_IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def prose_problems(text: str) -> list[str]:
    """What in ``text`` betrays a template: repeated words, clauses ending alike ('A names X;
    B names X'), placeholders, snake_case names."""
    problems = [f"repeated word '{m.group(0)}'" for m in _REPEATED.finditer(text)]
    for sentence in re.split(r"\.\s", text):  # short clauses of one sentence ending alike
        clauses = [re.findall(r"[^\W_]+", clause.lower()) for clause in sentence.split(";")]
        endings = [
            " ".join(words[-3:])
            for words in clauses
            if 3 < len(words) <= 8 and not "".join(words[-3:]).isdigit()
        ]
        problems += [
            f"clause repeated '{e}'" for e in sorted({e for e in endings if endings.count(e) > 1})
        ]
    problems += [f"placeholder '{m.group(0)}'" for m in _PLACEHOLDER.finditer(text)]
    problems += [f"identifier '{m.group(0)}'" for m in _IDENTIFIER.finditer(text)]
    return problems


@pytest.mark.parametrize(
    "text, found",
    [
        ("Table 1: the printed rate (row row).", "repeated word 'row row'"),
        (
            "Table 3 names the State Council State Council.",
            "repeated word 'State Council State Council'",
        ),
        (
            "Section II names State Council; Table 3 names State Council.",
            "clause repeated 'names state council'",
        ),
        ("Compared with note {footnote}.", "placeholder '{footnote}'"),
        ("the ``row`` of Table 1", "placeholder '``'"),
        ("holders of holders_fact", "identifier 'holders_fact'"),
        ("note 8 (liang_2018_constructing)", "identifier 'liang_2018_constructing'"),
    ],
)
def test_the_prose_check_catches_template_leaks(text, found):
    assert found in prose_problems(text)


def test_the_prose_check_passes_plain_prose():
    assert (
        prose_problems(
            "Note 18 cites p. 30; the bibliography gives pp. 22-32. Source: "
            "Multiple Social Credit Systems in China: 22–32 (bibliographic "
            "record)."
        )
        == []
    )


@pytest.fixture(scope="module")
def ledger():
    return claims.evaluate_all()


def generated_texts(ledger) -> dict[str, str]:
    """Every text the ledger generates for readers, by where it appears."""
    texts = {}
    for row in ledger.itertuples():
        texts[f"{row.claim_id} evidence"] = row.evidence
        texts[f"{row.claim_id} verdict"] = row.verdict
        texts[f"{row.claim_id} difference"] = row.difference
    for name in claims.registered():
        texts[f"check {name}"] = claims.describe(name)
    for section in claims.SECTIONS:
        chosen = claims.section_claims(section, ledger=ledger)
        texts[f"summary {section}"] = claims.summary(chosen)
    return texts


def test_the_generated_ledger_text_has_no_template_leaks(ledger):
    problems = {where: prose_problems(text) for where, text in generated_texts(ledger).items()}
    assert {where: found for where, found in problems.items() if found} == {}


def test_the_check_descriptions_are_sentences():
    for name in claims.registered():
        description = claims.describe(name)
        assert description[0].isupper() and description.endswith((".", "?")), name
