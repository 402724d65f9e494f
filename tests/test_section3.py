"""Section III (notebooks/03_reality.ipynb): its datasets, their consistency, the choropleth helper.

Three kinds of test:
- loader validation: a corrupted copy of each dataset fails with a DataError naming the file,
  the field and the row;
- consistency checks between datasets, each shown to pass on the real data and to fail on a
  corrupted copy;
- the choropleth helper: a province without a value is "not reported", never zero.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from scs_book import checks, data, figures
from scs_book.datapackage import DataError

ROOT = Path(__file__).resolve().parents[1]
SECTION3 = [
    "list_counts_by_province",
    "list_totals",
    "section3_facts",
    "figure_cards",
    "demonstration_batches",
    "demonstration_areas",
]


def fails(name: str) -> DataError:
    with pytest.raises(DataError) as caught:
        data.load(name)
    return caught.value


def replace_once(old: str, new: str):
    def change(text: str) -> str:
        assert text.count(old) >= 1, f"test fixture out of date: {old!r} not in the file"
        return text.replace(old, new, 1)

    return change


# --- loader validation ----------------------------------------------------------------------

# (file, text to replace, replacement, field named, row named, word in the message)
CORRUPTIONS = {
    "counts: unknown province code": (
        "list_counts_by_province.csv",
        ",CN-TJ,",
        ",CN-XX,",
        "province_code",
        "10 (line 11)",
        "not in provinces.iso_code",
    ),
    "counts: malformed province code": (
        "list_counts_by_province.csv",
        ",CN-SX,",
        ",CN-Shanxi,",
        "province_code",
        "1 (line 2)",
        "pattern",
    ),
    "counts: negative count": (
        "list_counts_by_province.csv",
        ",CN-SX,,35,",
        ",CN-SX,,-35,",
        "count",
        "1 (line 2)",
        "minimum",
    ),
    "counts: duplicate (list type, province)": (
        "list_counts_by_province.csv",
        "redlist,3,4,Hunan,CN-HN,",
        "redlist,3,4,Hunan,CN-GD,",
        None,
        "9 (line 10)",
        "primary-key",
    ),
    "counts: figure outside 2-3": (
        "list_counts_by_province.csv",
        "blacklist,2,1,",
        "blacklist,4,1,",
        "figure",
        "1 (line 2)",
        "enum",
    ),
    "totals: negative total": (
        "list_totals.csv",
        "blacklist,273,",
        "blacklist,-273,",
        "total_lists",
        "1 (line 2)",
        "minimum",
    ),
    "totals: duplicate list type": (
        "list_totals.csv",
        "\nredlist,154,",
        "\nblacklist,154,",
        "list_type",
        "2 (line 3)",
        "unique",
    ),
    "facts: unknown qualifier": (
        "section3_facts.csv",
        ",more than,",
        ",roughly,",
        "qualifier",
        "10 (line 11)",
        "enum",
    ),
    "facts: duplicate fact id": (
        "section3_facts.csv",
        "\nofficial_licence_validity,",
        "\nofficial_licence_2017,",
        "fact_id",
        "6 (line 7)",
        "unique",
    ),
    "facts: date not ISO 8601": (
        "section3_facts.csv",
        ",2019-05-01,day,",
        ",1 May 2019,day,",
        "date",
        "11 (line 12)",
        "pattern",
    ),
    "cards: figure 13": (
        "figure_cards.csv",
        '\n12,"Approximate',
        '\n13,"Approximate',
        "figure",
        "11 (line 12)",
        "maximum",
    ),
    "cards: unknown reproduction status": (
        "figure_cards.csv",
        ",partly,",
        ",maybe,",
        "reproduced",
        "1 (line 2)",
        "enum",
    ),
    "batches: negative size": (
        "demonstration_batches.csv",
        ",16,false,",
        ",-16,false,",
        "announced_size",
        "2 (line 3)",
        "minimum",
    ),
    "batches: not a boolean": (
        "demonstration_batches.csv",
        "3,2021-10-25,34,true,",
        "3,2021-10-25,34,maybe,",
        "names_available",
        "3 (line 4)",
        "type-error",
    ),
    "batches: source address without scheme": (
        "demonstration_batches.csv",
        "http://www.echinagov.com",
        "www.echinagov.com",
        "source_url",
        "3 (line 4)",
        "pattern",
    ),
    "areas: unknown province code": (
        "demonstration_areas.csv",
        "Xingtai,CN-HE,",
        "Xingtai,CN-XX,",
        "province_code",
        "14 (line 15)",
        "not in provinces.iso_code",
    ),
    "areas: batch 2 row": (
        "demonstration_areas.csv",
        "b3_xingtai,3,",
        "b3_xingtai,2,",
        "batch",
        "14 (line 15)",
        "enum",
    ),
    "areas: latitude outside China": (
        "demonstration_areas.csv",
        ",37.06217,114.49272,",
        ",97.06217,114.49272,",
        "latitude",
        "14 (line 15)",
        "maximum",
    ),
    "areas: duplicate area id": (
        "demonstration_areas.csv",
        "\nb3_dalian,",
        "\nb3_xingtai,",
        "area_id",
        "15 (line 16)",
        "unique",
    ),
}


@pytest.mark.parametrize("case", CORRUPTIONS)
def test_a_corrupted_row_names_file_field_and_row(data_copy, case):
    file, old, new, field, row, word = CORRUPTIONS[case]
    data_copy.edit_text(file, replace_once(old, new))
    error = fails(file.removesuffix(".csv"))
    assert error.file == f"data/{file}"
    assert error.row == row, str(error)
    if field is not None:
        assert error.field == field, str(error)
    assert word in str(error), str(error)


def test_an_area_of_an_unannounced_batch_is_refused(data_copy):
    data_copy.edit_text(
        "demonstration_batches.csv",
        lambda text: "\n".join(line for line in text.split("\n") if not line.startswith("4,")),
    )
    lines = data_copy.path("demonstration_areas.csv").read_text(encoding="utf-8").split("\n")
    first_b4 = next(number for number, line in enumerate(lines) if line.startswith("b4_"))
    error = fails("demonstration_areas")
    assert (error.field, error.row) == ("batch", f"{first_b4} (line {first_b4 + 1})")
    assert "demonstration_batches.batch" in str(error)


@pytest.mark.parametrize("name", SECTION3)
def test_section3_datasets_have_a_primary_key_and_sources(name):
    descriptor = data.dataset(name).descriptor
    assert descriptor["schema"].get("primaryKey"), name
    assert descriptor["sources"] and descriptor["licenses"], name


# --- consistency between datasets -----------------------------------------------------------


def test_itemized_counts_add_up_to_the_totals():
    result = checks.itemized_lists(data.list_counts_by_province(), data.list_totals())
    assert len(result) == 6 and (result["status"] == checks.RECOMPUTED).all(), result
    # and the totals are the abstract's numbers, untouched
    totals = data.list_totals().set_index("list_type")
    assert totals.loc["blacklist", "total_lists"] == 273
    assert totals.loc["redlist", "total_lists"] == 154
    assert set(totals["divisions_covered"]) == {30}


@pytest.mark.parametrize(
    "file, old, new",
    [
        ("list_counts_by_province.csv", ",CN-SX,,35,", ",CN-SX,,36,"),  # a count changed
        ("list_totals.csv", "blacklist,273,30,112,", "blacklist,273,30,113,"),  # an itemized sum
        ("list_totals.csv", ",83,6,71,", ",83,6,70,"),  # a remainder
    ],
)
def test_itemized_check_catches_a_changed_number(data_copy, file, old, new):
    data_copy.edit_text(file, replace_once(old, new))
    result = checks.itemized_lists(data.list_counts_by_province(), data.list_totals())
    assert (result["status"] == checks.DISCREPANCY).any(), result


def test_caption_figures_notes_and_list_types_agree():
    counts = data.list_counts_by_province()
    assert dict(counts[["list_type", "figure"]].drop_duplicates().values) == {
        "blacklist": 2,
        "redlist": 3,
    }
    cards = data.figure_cards().set_index("figure")
    for figure, footnote in counts[["figure", "footnote"]].drop_duplicates().values:
        assert cards.loc[figure, "footnote"] == footnote
        assert cards.loc[figure, "reproduced"] == "partly"


def test_name_corrections_are_recorded_exactly_where_a_name_differs():
    counts = data.list_counts_by_province().merge(
        data.provinces()[["iso_code", "name_en"]], left_on="province_code", right_on="iso_code"
    )
    differs = counts["region_as_printed"] != counts["name_en"]
    recorded = counts["name_correction"].notna()
    assert (differs == recorded).all(), counts.loc[differs != recorded]
    assert counts.loc[differs, "region_as_printed"].tolist() == ["Tianjing"]  # kept as printed


def test_baihang_shares_add_up_to_100():
    shares = checks.ownership_total(data.section3_facts(), "Baihang Credit ownership")
    assert shares["share_together"].sum() == 100
    assert sorted(zip(shares["value"], shares["holders"], strict=True)) == [(8, 8), (36, 1)]


def test_ownership_check_catches_a_changed_share(data_copy):
    data_copy.edit_text(
        "section3_facts.csv",
        replace_once(
            "National Internet Finance Association of China,36,",
            "National Internet Finance Association of China,37,",
        ),
    )
    shares = checks.ownership_total(data.section3_facts(), "Baihang Credit ownership")
    assert shares["share_together"].sum() == 101


def test_the_more_than_40_is_kept_as_a_lower_bound():
    facts = data.section3_facts().set_index("fact_id")
    assert facts.loc["pilot_administrations_2018", ["value", "qualifier"]].tolist() == [
        40,
        "more than",
    ]


def test_every_batch_has_its_announced_number_of_areas():
    areas = data.demonstration_areas()
    assert areas.groupby("batch").size().to_dict() == {1: 12, 3: 34, 4: 68}
    result = checks.batch_sizes(areas, data.demonstration_batches()).set_index("batch")
    assert result.loc[[1, 3, 4], "status"].eq(checks.RECOMPUTED).all(), result
    assert result.loc[2, "status"] == "names not available" and result.loc[2, "areas_in_data"] == 0


def test_batch_check_catches_a_missing_area(data_copy):
    data_copy.edit_text(
        "demonstration_areas.csv",
        lambda text: "\n".join(
            line for line in text.split("\n") if not line.startswith("b3_dalian,")
        ),
    )
    result = checks.batch_sizes(data.demonstration_areas(), data.demonstration_batches())
    assert result.set_index("batch").loc[3, "status"] == checks.DISCREPANCY


def test_batch_dates_agree_between_the_two_files():
    areas = data.demonstration_areas()
    announced = data.demonstration_batches().set_index("batch")["announced"]
    assert (areas["batch_date"] == areas["batch"].map(announced)).all()


def test_batch_1_holds_the_model_cities_the_article_names():
    batch1 = data.demonstration_areas().query("batch == 1")
    assert {"Hangzhou", "Nanjing", "Chengdu", "Rongcheng"} <= set(batch1["name_en"])
    facts = data.section3_facts().set_index("fact_id")
    assert len(batch1) == facts.loc["model_cities_2017", "value"]


def test_located_flag_matches_coordinates():
    areas = data.demonstration_areas()
    assert checks.located_rows_inconsistent(areas).empty
    assert sorted(areas.loc[~areas["located"], "area_id"]) == ["b3_binhai_new_area", "b4_jiangshan"]
    assert (areas.loc[~areas["located"], "match_basis"] == "not_located").all()


def test_located_check_catches_a_row_with_a_point_but_flagged_unlocated(data_copy):
    def unflag(text):
        lines = text.split("\n")
        number = next(i for i, line in enumerate(lines) if line.startswith("b3_dalian,"))
        assert lines[number].count(",true,") == 1
        lines[number] = lines[number].replace(",true,", ",false,")
        return "\n".join(lines)

    data_copy.edit_text("demonstration_areas.csv", unflag)
    bad = checks.located_rows_inconsistent(data.demonstration_areas())
    assert bad["area_id"].tolist() == ["b3_dalian"]


def test_located_check_catches_coordinates_on_an_unlocated_row(data_copy):
    def add_point(text):
        lines = text.split("\n")
        number = next(i for i, line in enumerate(lines) if line.startswith("b4_jiangshan,"))
        assert ",,,,not_located," in lines[number]
        lines[number] = lines[number].replace(",,,,not_located,", ",,28.7,118.6,not_located,")
        return "\n".join(lines)

    data_copy.edit_text("demonstration_areas.csv", add_point)
    bad = checks.located_rows_inconsistent(data.demonstration_areas())
    assert bad["area_id"].tolist() == ["b4_jiangshan"]


def test_figure_cards_cover_figures_2_to_12():
    cards = data.figure_cards()
    assert cards["figure"].tolist() == list(range(2, 13))
    assert set(cards.loc[~cards["figure"].isin([2, 3]), "reproduced"]) == {"no"}


def test_demonstration_script_reads_nothing_from_shared_sources():
    source = (ROOT / "scripts" / "derive_demonstration_areas.py").read_text(encoding="utf-8")
    code = re.sub(r'"""(?:.|\n)*?"""', "", source)  # docstrings may mention where lists came from
    assert "/work/shared" not in code and "shared/sources" not in code
    assert "import cpca" not in code and "open(" not in code.replace("OUT.open(", "")


def test_cpca_licence_and_source_are_recorded():
    descriptor = data.dataset("demonstration_areas").descriptor
    assert any(source["path"] == "cpca==0.5.5" for source in descriptor["sources"])
    assert any(
        "cpca" in licence["title"] and licence["name"] == "MIT"
        for licence in descriptor["licenses"]
    )


# --- the choropleth helper -------------------------------------------------------------------


@pytest.fixture
def boundaries():
    return data.province_boundaries()


def values(**counts):
    return pd.DataFrame({"province_code": list(counts), "count": list(counts.values())})


def test_zero_is_reported_and_absence_is_not(boundaries):
    table = figures.choropleth_table(
        boundaries, values(**{"CN-SX": 0, "CN-BJ": 24, "CN-QH": float("nan")}), "count"
    ).set_index("name_en")
    assert table.loc["Shanxi", "status"] == figures.REPORTED and table.loc["Shanxi", "count"] == 0
    assert table.loc["Beijing", "status"] == figures.REPORTED
    assert table.loc["Qinghai", "status"] == figures.NOT_REPORTED  # a missing value is not zero
    assert table.loc["Hunan", "status"] == figures.NOT_REPORTED  # absent from the values
    assert pd.isna(table.loc["Hunan", "count"])
    assert table.loc["Hong Kong", "status"] == figures.OUTSIDE_MAINLAND
    assert table.loc["Paracel Islands", "status"] == figures.OUTSIDE_MAINLAND
    assert len(table) == len(boundaries)


@pytest.mark.parametrize(
    "bad, message",
    [
        (values(**{"CN-XX": 3}), "not an area of the map"),
        (
            pd.DataFrame({"province_code": ["CN-BJ", "CN-BJ"], "count": [1, 2]}),
            "more than one value",
        ),
        (pd.DataFrame({"province_code": ["CN-BJ"], "lists": [1]}), "no column 'count'"),
    ],
)
def test_bad_values_are_refused(boundaries, bad, message):
    with pytest.raises(figures.ChartError, match=message):
        figures.choropleth(boundaries, bad, value="count", legend_title="Lists")


def spec_of(chart):
    return chart.to_dict()


def test_not_reported_style_differs_from_the_colour_of_zero(boundaries):
    spec = spec_of(
        figures.choropleth(
            boundaries, values(**{"CN-SX": 0, "CN-BJ": 24}), value="count", legend_title="Lists"
        )
    )
    without, with_value = spec["layer"]
    fill = without["encoding"]["fill"]["scale"]
    colour = with_value["encoding"]["color"]["scale"]
    assert figures.NOT_REPORTED in fill["domain"]
    not_reported_fill = fill["range"][fill["domain"].index(figures.NOT_REPORTED)]
    assert colour["domain"][0] == 0  # zero sits at the start of the value scale ...
    assert not_reported_fill not in colour["range"]  # ... whose colours never include the grey
    assert (
        without["encoding"]["fill"]["legend"] is not None
    )  # and "not reported" has a legend entry
    assert "datum.status !== 'reported'" in json.dumps(without["transform"])


def test_two_maps_draw_the_boundaries_from_the_one_shared_file(boundaries):
    first = figures.choropleth(boundaries, values(**{"CN-SX": 35}), value="count", legend_title="n")
    second = figures.choropleth(
        boundaries, values(**{"CN-BJ": 24}), value="count", legend_title="n"
    )
    spec = json.dumps(alt.hconcat(first, second).to_dict())
    assert "geometry" not in spec and "coordinates" not in spec
    assert spec.count('"url": "../data/provinces.topo.json"') >= 2


def test_a_choropleth_renders_with_its_footer(boundaries):
    figures.setup()
    try:
        counts = data.list_counts_by_province()
        chart = figures.credit(
            figures.choropleth(
                boundaries,
                counts.query("list_type == 'redlist'"),
                value="count",
                legend_title="Lists",
            ),
            counts,
            boundaries,
            description="A map.",
        )
        bundle = chart._repr_mimebundle_()
        html = bundle[0]["text/html"] if isinstance(bundle, tuple) else bundle["text/html"]
        assert (
            figures.NOT_REPORTED in html and "about-data.html#data-list_counts_by_province" in html
        )
    finally:
        alt.renderers.enable("default")
