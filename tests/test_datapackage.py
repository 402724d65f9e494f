"""The data package and its loaders: every dataset loads, and bad input fails clearly."""

from __future__ import annotations

import pytest

from scs_book import data
from scs_book.datapackage import DataError, data_dir, read_descriptor

DESCRIPTOR = read_descriptor()
TABULAR = [r["name"] for r in DESCRIPTOR["resources"] if r["format"] == "csv"]
EXPECTED_DTYPES = {
    "integer": ("int64", "Int64"),
    "number": ("float64", "Float64"),
    "boolean": ("bool", "boolean"),
    "string": ("str",),
    "year": ("int64", "Int64"),
}


@pytest.mark.parametrize("name", [r["name"] for r in DESCRIPTOR["resources"]])
def test_every_dataset_loads_with_its_metadata(name):
    frame = data.load(name)
    assert len(frame) > 0
    meta = frame.attrs["dataset"]
    assert meta["name"] == name and meta["sources"] and meta["licenses"] and meta["title"]


@pytest.mark.parametrize("name", TABULAR)
def test_dtypes_follow_the_schema(name):
    frame = data.load(name)
    fields = data.dataset(name).fields
    assert list(frame.columns) == [field["name"] for field in fields]
    for field in fields:
        kind = field.get("type", "string")
        dtype = str(frame[field["name"]].dtype)
        if kind == "date":
            assert dtype.startswith("datetime64"), (field["name"], dtype)
        else:
            assert dtype in EXPECTED_DTYPES[kind], (field["name"], kind, dtype)


def test_every_resource_records_provenance():
    for resource in DESCRIPTOR["resources"]:
        assert resource.get("accessed"), resource["name"]
        assert resource.get("transformations"), resource["name"]
        assert all(source.get("title") for source in resource["sources"]), resource["name"]
        assert all(licence.get("title") for licence in resource["licenses"]), resource["name"]
        for field in resource["schema"]["fields"]:
            assert field.get("title"), (resource["name"], field["name"])


def test_the_whole_package_is_valid_for_frictionless():
    from frictionless import Package

    report = Package(str(data_dir() / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])


def test_loaders_are_named_after_the_datasets():
    assert data.table1_surveilled_cities.title.startswith("Table 1")
    assert set(data.names()) <= set(dir(data))
    with pytest.raises(AttributeError, match="no dataset 'nope'"):
        data.nope  # noqa: B018


# --- bad input specific to one dataset (the generic cases, for every dataset: test_bad_input) --


def fails(name: str) -> DataError:
    with pytest.raises(DataError) as caught:
        data.load(name)
    return caught.value


def test_wrong_type(data_copy):
    data_copy.edit_text("table1_surveilled_cities.csv", lambda t: t.replace(",79.38,", ",n/a,"))
    error = fails("table1_surveilled_cities")
    assert (error.field, error.row) == ("per_1000_printed", "2 (line 3)")


def test_malformed_descriptor(data_copy):
    data_copy.path("datapackage.json").write_text('{"resources": [', encoding="utf-8")
    error = fails("table1_surveilled_cities")
    assert error.file.endswith("datapackage.json") and "JSON" in str(error)


def test_descriptor_resource_without_schema(data_copy):
    data_copy.edit_descriptor(lambda d: d["resources"][0].pop("schema"))
    error = fails("table1_surveilled_cities")
    assert error.field == "schema"


def test_cache_sees_edits(data_copy):
    before = data.load("table1_surveilled_cities")
    data_copy.edit_text("table1_surveilled_cities.csv", lambda t: t.replace(",79.38,", ",79.39,"))
    after = data.load("table1_surveilled_cities")
    assert before.loc[1, "per_1000_printed"] == 79.38 and after.loc[1, "per_1000_printed"] == 79.39


def test_returned_frames_are_independent_copies():
    frame = data.load("table1_surveilled_cities")
    frame.loc[0, "cameras"] = -1
    assert data.load("table1_surveilled_cities").loc[0, "cameras"] == 700_000_000


def test_every_source_bib_key_is_in_the_bibliography():
    from pybtex.database import parse_file

    keys = set(parse_file(str(data_dir().parent / "book" / "references.bib")).entries)
    used = {
        source["bib_key"]
        for resource in DESCRIPTOR["resources"]
        for source in resource["sources"]
        if "bib_key" in source
    }
    assert used and used <= keys, used - keys
