"""The timeline: partial dates (module and loader), the dataset's footnotes and citation keys,
the bibliography's wiring into the book, and the one timeline chart helper."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from scs_book import bibliography, data, figures, partial_dates, timeline
from scs_book.datapackage import DataError, read_descriptor
from scs_book.paths import DATA_DIR_ENV

ROOT = Path(__file__).resolve().parents[1]
NOTES = set(range(1, 46))  # the paper's notes are numbered 1-45


def fails(name: str) -> DataError:
    with pytest.raises(DataError) as caught:
        data.load(name)
    return caught.value


def line_of(text: str, event_id: str) -> int:
    """1-based line number (header = line 1) of the row with this event_id."""
    return next(
        n for n, line in enumerate(text.split("\n"), start=1) if line.startswith(event_id + ",")
    )


# --- partial dates: the module -----------------------------------------------------------


@pytest.mark.parametrize(
    "value, precision, first, last",
    [
        ("2013", "year", "2013-01-01", "2013-12-31"),
        ("2016-11", "month", "2016-11-01", "2016-11-30"),
        ("2012-02", None, "2012-02-01", "2012-02-29"),
        ("2013-07-16", "day", "2013-07-16", "2013-07-16"),
        ("2012-02-29", None, "2012-02-29", "2012-02-29"),
        ("1990", "decade", "1990-01-01", "1999-12-31"),
    ],
)
def test_partial_dates_cover_their_span(value, precision, first, last):
    date = partial_dates.parse(value, precision)
    assert (str(date.first_day), str(date.last_day)) == (first, last)
    assert date.start < date.middle < date.end


def test_positions_are_decimal_years():
    assert partial_dates.parse("2013").middle == pytest.approx(2013.5)
    assert partial_dates.parse("2013").end == 2014.0
    assert partial_dates.parse("2013-07-16").start == pytest.approx(2013 + 196 / 365)


@pytest.mark.parametrize(
    "value, precision, message",
    [
        ("2013-13", None, "month 13 does not exist"),
        ("2013-00", None, "month 00 does not exist"),
        ("2013-02-30", None, "February 2013 has 28 days"),
        ("2013-02-29", "day", "February 2013 has 28 days"),
        ("2013-04-31", "day", "April 2013 has 30 days"),
        ("2013-07", "year", "precision 'year' needs YYYY"),
        ("2013", "day", "precision 'day' needs YYYY-MM-DD"),
        ("1995", "decade", "a decade is stored as its first year (1990)"),
        ("2013", "quarter", "unknown precision 'quarter'"),
        ("16/07/2013", None, "not a date of the form"),
        ("2013-7-16", None, "not a date of the form"),
        ("0000", None, "no year 0000"),
    ],
)
def test_impossible_or_inconsistent_dates_are_refused(value, precision, message):
    with pytest.raises(partial_dates.PartialDateError, match=re.escape(message)):
        partial_dates.parse(value, precision)


# --- partial dates: the loader --------------------------------------------------------------


def test_timeline_date_field_is_declared_a_partial_date():
    fields = {f["name"]: f for f in data.dataset("timeline_events").fields}
    assert fields["date"]["partialDate"] == {"precisionField": "precision"}


@pytest.mark.parametrize(
    "event_id, old, new, field, problem",
    [
        (
            "s2-2013-07-16-dishonest-debtors-list",
            "2013-07-16,day",
            "2013-02-30,day",
            "date",
            "February 2013 has 28 days",
        ),
        (
            "s3-2016-11-cybersecurity-law",
            "2016-11,month",
            "2016-13,month",
            "date",
            "month 13 does not exist",
        ),
        (
            "s3-2016-11-cybersecurity-law",
            "2016-11,month",
            "2016-11,day",
            "date",
            "precision 'day' needs YYYY-MM-DD",
        ),
        (
            "t3-1990s-rating-companies",
            "1990,decade",
            "1995,decade",
            "date",
            "a decade is stored as its first year",
        ),
    ],
)
def test_loader_names_file_field_and_row_of_an_impossible_date(
    data_copy, event_id, old, new, field, problem
):
    text = data_copy.path("timeline_events.csv").read_text(encoding="utf-8")
    line = line_of(text, event_id)
    data_copy.edit_text(
        "timeline_events.csv", lambda t: t.replace(f"{event_id},{old},", f"{event_id},{new},")
    )
    error = fails("timeline_events")
    assert error.file == "data/timeline_events.csv"
    assert (error.field, error.row) == (field, f"{line - 1} (line {line})")
    assert problem in str(error)


def test_frictionless_still_checks_the_form_of_the_date(data_copy):
    data_copy.edit_text(
        "timeline_events.csv",
        lambda t: t.replace(
            "s3-2016-11-cybersecurity-law,2016-11,", "s3-2016-11-cybersecurity-law,Nov 2016,"
        ),
    )
    error = fails("timeline_events")
    assert error.field == "date" and "constraint" in str(error)


def test_any_resource_can_declare_a_partial_date(data_copy):
    """section3_facts has its own date and precision columns: declared in a copy of the
    descriptor, they load, and a corrupted date is reported with that resource's file."""

    def declare(descriptor):
        resource = next(r for r in descriptor["resources"] if r["name"] == "section3_facts")
        field = next(f for f in resource["schema"]["fields"] if f["name"] == "date")
        field["partialDate"] = {"precisionField": "date_precision"}

    data_copy.edit_descriptor(declare)
    assert len(data.load("section3_facts")) > 0
    data_copy.edit_text(
        "section3_facts.csv", lambda t: t.replace(",2017-12,month,", ",2017-12-32,month,")
    )
    error = fails("section3_facts")
    assert error.file == "data/section3_facts.csv" and error.field == "date"
    assert "needs YYYY-MM" in str(error) or "not a real date" in str(error)


def test_a_partial_date_declaration_naming_a_missing_precision_field_is_an_error(data_copy):
    def declare(descriptor):
        resource = next(r for r in descriptor["resources"] if r["name"] == "timeline_events")
        next(f for f in resource["schema"]["fields"] if f["name"] == "date")["partialDate"] = {
            "precisionField": "no_such_column"
        }

    data_copy.edit_descriptor(declare)
    error = fails("timeline_events")
    assert error.field == "date" and "no_such_column" in str(error)


# --- the timeline dataset ---------------------------------------------------------------


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return data.timeline_events()


def test_the_footnotes_dataset_holds_exactly_the_papers_notes():
    assert set(data.footnotes()["footnote"]) == NOTES


def test_every_footnote_used_in_the_data_is_a_note_of_the_paper():
    used = {}
    for resource in read_descriptor()["resources"]:
        used[resource["name"]] = set(resource.get("footnotes", []))
        for source in resource["sources"]:
            used[resource["name"]] |= set(source.get("paper_footnotes", []))
    used["timeline_events (column)"] = set(data.timeline_events()["footnote"].dropna().astype(int))
    for name, notes in used.items():
        assert notes <= NOTES, (name, sorted(notes - NOTES))


def test_every_footnote_of_the_timeline_is_listed_in_its_metadata(events):
    assert set(events["footnote"].dropna().astype(int)) <= set(data.timeline_events.footnotes)


def citation_keys_in_data() -> dict[str, set[str]]:
    """Every value of a field named *bib_key / *bib_keys in any tabular resource."""
    found: dict[str, set[str]] = {}
    for resource in read_descriptor()["resources"]:
        if resource["format"] != "csv":
            continue
        frame = data.load(resource["name"])
        for field in resource["schema"]["fields"]:
            if re.search(r"bib_keys?$", field["name"]):
                keys = {
                    key for value in frame[field["name"]].dropna() for key in str(value).split(";")
                }
                found[f"{resource['name']}.{field['name']}"] = keys
    return found


def test_citation_key_columns_are_found():
    assert {"timeline_events.bib_key", "footnotes.bib_keys"} <= set(citation_keys_in_data())


def test_every_citation_key_in_the_data_resolves_in_references_bib():
    known = set(bibliography.keys())
    for column, keys in citation_keys_in_data().items():
        assert keys <= known, (column, sorted(keys - known))


def test_every_work_the_notes_cite_is_in_the_bibliography_and_vice_versa():
    cited = {key for value in data.footnotes()["bib_keys"] for key in value.split(";")}
    assert cited <= set(bibliography.keys())
    assert set(bibliography.keys()) - cited == {"alexandrescu_fragmented"}


def test_rows_are_in_date_order_then_place(events):
    places = ["Section 1", "Section II", "Section III", "Table 3"]
    key = list(zip(events["date"], events["location"].map(places.index), strict=True))
    assert key == sorted(key)


def test_pairs_link_one_table3_row_to_its_text_rows(events):
    for pair, group in events.dropna(subset=["pair_id"]).groupby("pair_id"):
        assert (group["location"] == "Table 3").sum() == 1, pair
        assert (group["location"] != "Table 3").sum() >= 1, pair
    unpaired = events[events["pair_id"].isna()]
    expected = unpaired["location"].eq("Table 3").map({True: "Table 3 only", False: "text only"})
    assert (unpaired["text_vs_table3"] == expected).all()
    paired = events[events["pair_id"].notna()]
    assert paired["text_vs_table3"].isin(["same", "differ"]).all()


def test_a_difference_is_classified_exactly_when_text_and_table3_differ(events):
    differ = events["text_vs_table3"].eq("differ")
    assert (events["differences"].notna() == differ).all()
    assert events.loc[differ, "discrepancy"].notna().all()


def test_table3_rows_keep_the_printed_text_and_text_rows_do_not(events):
    table = events["location"].eq("Table 3")
    assert events.loc[table, "event_printed"].notna().all()
    assert events.loc[~table, "event_printed"].isna().all()
    assert (events.loc[table, "date_source"] == "Table 3").all()
    assert (events.loc[~table, "date_source"] != "Table 3").all()


def test_dates_without_printed_words_are_the_inferred_ones(events):
    assert (events["date_printed"].isna() == events["date_source"].eq("context")).all()
    assert events.loc[events["date_source"].eq("note"), "footnote"].notna().all()


# --- Table 3 and the comparison ------------------------------------------------------------


def test_table3_is_reproduced_with_its_printed_years_and_cells(events):
    table = timeline.table3(events)
    assert list(table.columns) == ["Year", "Event"]
    assert table["Year"].tolist() == [
        "The 1990s",
        "2002",
        "2006",
        "2007",
        "2011",
        "2012",
        "2013",
        "2014",
        "2015",
        "2016",
        "2018",
        "2019",
    ]
    assert table["Event"].str.count("<br>").sum() == 2  # 2002 and 2015 hold two events each
    assert table.loc[table["Year"] == "2016", "Event"].item() == (
        "<em>Joint Punishment System</em> is created"
    )
    assert (
        sum(len(cell.split("<br>")) for cell in table["Event"])
        == (events["location"] == "Table 3").sum()
    )


def test_table3_refuses_unbalanced_italics(events):
    broken = events.copy()
    broken.loc[broken["event_id"] == "t3-2016-joint-punishment-system", "event_printed"] = (
        "*Joint Punishment System is created"
    )
    with pytest.raises(timeline.TimelineError, match="italics"):
        timeline.table3(broken)


def test_comparison_up_to_2014(events):
    table = timeline.comparison(events, end="2014")
    assert table["Comparison"].str.startswith("differ").sum() == 5
    assert (table["Comparison"] == "Table 3 only").sum() == 2
    assert (table["Table 3 (as printed)"] == "—").sum() == (
        table["Comparison"] == "text only"
    ).sum()
    row = table[table["Table 3 (as printed)"].str.startswith("2013: ")].iloc[0]
    assert row["Text (place, date as printed: event)"].startswith(
        "Section II, “on 16 July 2013” (2013-07-16): "
    )
    assert row["Comparison"] == "differ (precision)" and row["Remarks (from the dataset)"]
    civil = table[table["Table 3 (as printed)"].str.contains("Civil Litigation")].iloc[0]
    assert (
        "none; note 13 prints “Revised 31 August 2012”"
        in civil["Text (place, date as printed: event)"]
    )
    assert not table.loc[table["Comparison"] == "same", "Remarks (from the dataset)"].any()


# --- the bibliography --------------------------------------------------------------------


def test_short_citations():
    assert bibliography.short_citation("liu_2019_multiple") == "Liu 2019"
    assert bibliography.short_citation("ding_2020_rethinking") == "Ding and Zhong 2020"
    assert bibliography.short_citation("engelmann_2021_blacklists") == "Engelmann et al. 2021"
    assert bibliography.short_citation("bolton_2004_effective") == "Bolton et al. 2004"
    assert bibliography.short_citation("statecouncil_2014_planning") == "State Council 2014"
    assert bibliography.short_citation("creditchina_nd_websites") == "Credit China n.d."
    with pytest.raises(bibliography.BibliographyError, match="no_such_key"):
        bibliography.short_citation("no_such_key")


def test_cite_roles_are_parsed():
    text = "a {cite:p}`liu_2019_multiple, kostka_2019_social` b {cite}`x` c {cite:t}`y`"
    assert bibliography.cited_keys(text) == ["liu_2019_multiple", "kostka_2019_social", "x", "y"]


def pages_markdown() -> dict[str, str]:
    """The Markdown of every page of the book: book/*.md and the notebooks' Markdown cells."""
    texts = {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "book").glob("*.md"))
    }
    for path in sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("book/*.ipynb")]):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts[str(path.relative_to(ROOT))] = "\n".join(
            "".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"
        )
    return texts


def test_every_cite_role_in_the_book_names_a_key_of_references_bib():
    known = set(bibliography.keys())
    cited = {page: set(bibliography.cited_keys(text)) for page, text in pages_markdown().items()}
    assert any(cited.values()), "no page cites anything: the check would be empty"
    for page, keys in cited.items():
        assert keys <= known, (page, sorted(keys - known))


def test_the_book_is_configured_to_render_the_bibliography():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]
    assert "sphinxcontrib.bibtex" in config["extensions"]
    assert [ROOT / path for path in config["bibtex_bibfiles"]] == [bibliography.BIBFILE]
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert "book/references" in toc
    assert "```{bibliography}" in (ROOT / "book" / "references.md").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("key, builds", [("liu_2019_multiple", True), ("no_such_key_2099", False)])
def test_an_unknown_citation_key_fails_the_build(tmp_path, key, builds):
    """A one-page book with the project's Sphinx settings for citations, built like the
    pipeline builds (-W -n): a known key builds, an unknown one fails and is named."""
    project = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    settings = project["sphinx"]["config"]
    config = {
        "title": "scratch",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "sphinx": {
            "config": {
                name: settings[name]
                for name in settings
                if name.startswith("bibtex_") or name in ("extensions", "html_context")
            }
        },
    }
    (tmp_path / "book").mkdir()
    # The book's extension serves Vega from the project's node_modules (package-lock.json).
    (tmp_path / "node_modules").symlink_to((ROOT / "node_modules").resolve())
    (tmp_path / "book" / "references.bib").write_bytes(bibliography.BIBFILE.read_bytes())
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: refs\n", encoding="utf-8"
    )
    (tmp_path / "intro.md").write_text(
        f"# Scratch\n\nA claim {{cite:p}}`{key}`.\n", encoding="utf-8"
    )
    (tmp_path / "refs.md").write_text("# References\n\n```{bibliography}\n```\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != DATA_DIR_ENV}
    env["PYTHONPATH"] = str(ROOT / "src")
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("jupyter-book")),
            "build",
            str(tmp_path),
            "-W",
            "-n",
            "--keep-going",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    output = result.stdout + result.stderr
    if builds:
        assert result.returncode == 0, output[-3000:]
    else:
        assert result.returncode != 0
        assert f'could not find bibtex key "{key}"' in output


# --- the chart helper --------------------------------------------------------------------


@pytest.fixture(scope="module")
def spec(events) -> dict:
    figures.setup()
    return timeline.chart(
        events, title="Figure X (book): test", highlight=("1990", "2013", "before 2014")
    ).to_dict()


def drawn_rows(spec: dict) -> list[dict]:
    points = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
    source = points.get("data") or spec["data"]
    return spec["datasets"][source["name"]]


def test_chart_encodes_date_row_place_and_difference_only(spec):
    encoding = timeline.encodings(spec)
    assert encoding["x"]["field"] == "position" and encoding["x"]["type"] == "quantitative"
    assert encoding["y"]["field"] == "actor_label"
    assert encoding["color"]["field"] == encoding["shape"]["field"] == "lane"
    assert encoding["stroke"]["field"] == "flag"
    assert encoding["stroke"]["scale"]["range"][0] == "#000000"
    assert encoding["description"]["field"] == "spoken"  # what a screen reader announces
    visual = {"x", "y", "yOffset", "color", "shape", "stroke"}
    assert set(encoding) - {"tooltip", "description"} == visual  # no more channels than these
    titles = [tip["title"] for tip in encoding["tooltip"]]
    for title in (
        "Event",
        "Date as printed",
        "Date from",
        "Actor",
        "Kind",
        "Place in the paper",
        "Paper's note",
        "Cites",
        "Text vs Table 3",
        "Recorded difference",
    ):
        assert title in titles


def test_chart_fills_its_column_and_needs_no_pointer_to_navigate(spec):
    """One layered view as wide as the column (no fixed width, no brush to drag)."""
    assert spec["width"] == "container" and "vconcat" not in spec
    assert not spec.get("params") and not any(layer.get("params") for layer in spec["layer"])
    assert spec["height"] == timeline.ROW_STEP * len({r["actor_label"] for r in drawn_rows(spec)})


def test_rows_are_named_in_full_and_only_rows_that_occur(events, spec):
    axis = timeline.encodings(spec)["y"]["axis"]
    assert axis["labelLimit"] == 0  # never truncated
    names = set(timeline.encodings(spec)["y"]["sort"])
    assert names == {r["actor_label"] for r in drawn_rows(spec)}
    long_name = "National Development and Reform Commission and People's Bank of China"
    kinds = timeline.chart(events, rows="kind", title="t", start="2015").to_dict()
    assert set(timeline.encodings(kinds)["y"]["sort"]) == set(
        timeline.prepared(events, start="2015")["kind_label"]
    )
    by_actor = timeline.chart(events, title="t").to_dict()
    expression = timeline.encodings(by_actor)["y"]["axis"]["labelExpr"]
    lines = json.loads(expression.split("[datum.label]")[0])[long_name]
    assert " ".join(lines) == long_name and all(
        len(line) <= timeline.ROW_NAME_WIDTH for line in lines
    )


def test_mark_colours_contrast_at_least_3_to_1_with_the_background(spec):
    colours = timeline.encodings(spec)["color"]["scale"]["range"]
    assert colours == timeline.LANE_COLOURS
    assert all(figures.style.contrast(colour) >= 3 for colour in colours)


def test_chart_is_credited_and_described(spec):
    footer = spec["usermeta"]["scs_book"]["footer"]
    assert footer["provenance"] == "timeline_events"
    assert spec["description"].startswith("Timeline of 43 dated events")


def test_chart_rows_carry_printed_dates_notes_and_citations(spec, events):
    rows = {row["event_id"]: row for row in drawn_rows(spec)}
    assert len(rows) == len(events)
    debtors = rows["s2-2013-07-16-dishonest-debtors-list"]
    assert debtors["date_shown"] == "“on 16 July 2013”"
    assert debtors["stored_date"] == "2013-07-16 (day)"
    assert debtors["note_shown"] == "note 14"
    assert debtors["citation"] == "Supreme People's Court 2017"
    assert debtors["flag"] == timeline.FLAGS[0]
    assert rows["s2-2002-party-congress"]["flag"] == timeline.FLAGS[1]
    assert rows["t3-1990s-rating-companies"]["date_shown"] == "“The 1990s”"
    assert rows["t3-1990s-rating-companies"]["span_end"] == 2000.0
    assert rows["s3-2015-credit-china-website"]["date_shown"] == "none printed"
    flagged = sum(row["flag"] == timeline.FLAGS[0] for row in rows.values())
    assert flagged == int(events["text_vs_table3"].eq("differ").sum())


def test_no_two_marks_share_a_place(spec):
    places = [(r["actor_label"], r["slot"], r["position"]) for r in drawn_rows(spec)]
    assert len(places) == len(set(places))


def test_event_list_gives_every_event_shown_in_date_order(events):
    listed = timeline.event_list(events, end="2014")
    shown = timeline.prepared(events, end="2014")
    assert len(listed) == len(shown)
    assert list(listed.columns) == ["Date", "Event", "Actor", "Where", "Text vs Table 3"]
    order = shown.sort_values(["position", "lane"], kind="stable")
    assert list(listed["Event"]) == [html.escape(event) for event in order["event_shown"]]
    assert "on 16 July 2013" in set(listed["Date"])


def test_event_list_escapes_markup(events):
    hostile = events.copy()
    hostile.loc[0, "event_printed"] = "a </script><b>b"
    cell = timeline.event_list(hostile)["Event"]
    assert "a &lt;/script&gt;&lt;b&gt;b" in set(cell) and not any("<" in c for c in cell)


def test_filters_keep_the_events_within_the_period(events):
    frame = timeline.prepared(events, start="2002", end="2014")
    assert frame["span_start"].min() >= 2002 and frame["span_end"].max() <= 2015
    assert len(frame) == (events["date"].str[:4].astype(int).between(2002, 2014)).sum()


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda ev: data.table1_surveilled_cities(), "not the timeline_events dataset"),
        (lambda ev: pd.DataFrame(ev.to_dict()), "data.timeline_events()"),
        (lambda ev: ev.drop(columns=["precision"]), "missing column"),
    ],
)
def test_a_wrong_frame_is_refused(events, change, message):
    with pytest.raises(timeline.TimelineError, match=re.escape(message)):
        timeline.chart(change(events), title="t")


@pytest.mark.parametrize(
    "options, message",
    [
        ({"end": "2013-13"}, "month 13 does not exist"),
        ({"start": "2013-02-30"}, "February 2013 has 28 days"),
        ({"rows": "year"}, "rows must be one of"),
        ({"places": ["Section IV"]}, "unknown place"),
        ({"start": "2030"}, "no event is left"),
    ],
)
def test_wrong_options_are_refused(events, options, message):
    with pytest.raises(timeline.TimelineError, match=re.escape(message)):
        timeline.chart(events, title="t", **options)


def test_an_unknown_citation_key_stops_the_chart(events):
    broken = events.copy()
    broken.loc[0, "bib_key"] = "no_such_key"
    with pytest.raises(bibliography.BibliographyError, match="no_such_key"):
        timeline.chart(broken, title="t")


def test_the_renderer_refuses_an_uncredited_timeline_layout(events):
    """The helper's result goes through figures.credit(): stripping the footer is caught."""
    figures.setup()
    spec = timeline.chart(events, title="t").to_dict()
    spec.pop("usermeta")
    with pytest.raises(figures.ChartError):
        figures.render(spec)
