"""Every dataset, corrupted in every generic way, fails with one clear error naming the file
(and, where one applies, the field and the row). Dataset-specific cases are in
test_datapackage.py."""

from __future__ import annotations

import csv
import io

import pytest

from scs_book import data
from scs_book.datapackage import DataError, read_descriptor

RESOURCES = read_descriptor()["resources"]
CSV = [r for r in RESOURCES if r["format"] == "csv"]
GEOJSON = [r for r in RESOURCES if r["format"] in ("geojson", "topojson")]


def load_error(resource) -> DataError:
    with pytest.raises(DataError) as caught:
        data.load(resource["name"])
    assert caught.value.file.endswith(resource["path"])
    return caught.value


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def written(table: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table)
    return buffer.getvalue()


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r["name"])
def test_missing_file(resource, data_copy):
    data_copy.path(resource["path"]).unlink()
    assert "missing" in str(load_error(resource))


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r["name"])
def test_empty_file(resource, data_copy):
    data_copy.write_bytes(resource["path"], b"")
    assert "empty" in str(load_error(resource))


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r["name"])
def test_checksum_mismatch(resource, data_copy):
    data_copy.edit_text(resource["path"], lambda t: t + " ", rehash=False)
    error = str(load_error(resource))
    assert "checksum mismatch" in error and "make data-hashes" in error


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r["name"])
def test_wrong_encoding(resource, data_copy):
    text = data_copy.path(resource["path"]).read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[2] = lines[2] + "中文"
    data_copy.write_bytes(resource["path"], "\n".join(lines).encode("gbk", errors="replace"))
    error = load_error(resource)
    assert "UTF-8" in str(error) and error.row is not None


@pytest.mark.parametrize("resource", CSV, ids=lambda r: r["name"])
def test_missing_column(resource, data_copy):
    dropped = resource["schema"]["fields"][-1]["name"]
    data_copy.edit_text(resource["path"], lambda t: written([row[:-1] for row in rows(t)]))
    error = load_error(resource)
    assert error.field == dropped and "missing" in str(error)


@pytest.mark.parametrize("resource", CSV, ids=lambda r: r["name"])
def test_renamed_column(resource, data_copy):
    first = resource["schema"]["fields"][0]["name"]
    data_copy.edit_text(
        resource["path"], lambda t: written([[f"{first}_renamed", *rows(t)[0][1:]], *rows(t)[1:]])
    )
    assert "label" in str(load_error(resource))


@pytest.mark.parametrize("resource", CSV, ids=lambda r: r["name"])
def test_extra_column(resource, data_copy):
    data_copy.edit_text(resource["path"], lambda t: written([[*row, "surplus"] for row in rows(t)]))
    assert "extra" in str(load_error(resource))


@pytest.mark.parametrize(
    "resource", [r for r in CSV if r["schema"].get("primaryKey")], ids=lambda r: r["name"]
)
def test_duplicate_key(resource, data_copy):
    data_copy.edit_text(resource["path"], lambda t: written([*rows(t), rows(t)[1]]))
    error = load_error(resource)
    assert error.row is not None and ("primary-key" in str(error) or "unique" in str(error))


INTEGER_FIELDS = [
    (r, f["name"]) for r in CSV for f in r["schema"]["fields"] if f["type"] == "integer"
]


@pytest.mark.parametrize(
    "resource,field", INTEGER_FIELDS, ids=lambda v: v["name"] if isinstance(v, dict) else v
)
def test_non_integer_value(resource, field, data_copy):
    def corrupt(text):
        table = rows(text)
        table[1][table[0].index(field)] = "2.5"
        return written(table)

    data_copy.edit_text(resource["path"], corrupt)
    error = load_error(resource)
    assert (error.field, error.row) == (field, "1 (line 2)") and "type-error" in str(error)


NON_NEGATIVE = [
    (r, f["name"])
    for r in CSV
    for f in r["schema"]["fields"]
    if f.get("constraints", {}).get("minimum") == 0
]


@pytest.mark.parametrize(
    "resource,field", NON_NEGATIVE, ids=lambda v: v["name"] if isinstance(v, dict) else v
)
def test_negative_count(resource, field, data_copy):
    def corrupt(text):
        table = rows(text)
        table[1][table[0].index(field)] = "-1"
        return written(table)

    data_copy.edit_text(resource["path"], corrupt)
    error = load_error(resource)
    assert (error.field, error.row) == (field, "1 (line 2)") and "constraint" in str(error)


FOREIGN_KEYS = [(r, k) for r in RESOURCES for k in r["schema"].get("foreignKeys", [])]


@pytest.mark.parametrize(
    "resource,key", FOREIGN_KEYS, ids=lambda v: v["name"] if "name" in v else v["fields"]
)
def test_unknown_reference(resource, key, data_copy):
    """An unknown province code, city id or footnote number names the row."""
    field = key["fields"]
    unknown = (
        "99999999"
        if any(f["name"] == field and f["type"] == "integer" for f in resource["schema"]["fields"])
        else "CN-XX"
    )
    if resource in GEOJSON:
        data_copy.edit_text(resource["path"], lambda t: t.replace('"CN-AH"', f'"{unknown}"', 1))
        expected_row = "1 (feature 1)"
    else:

        def corrupt(text):
            table = rows(text)
            table[1][table[0].index(field)] = unknown
            return written(table)

        data_copy.edit_text(resource["path"], corrupt)
        expected_row = "1 (line 2)"
    error = load_error(resource)
    assert (error.field, error.row) == (field, expected_row)
    # Either the reference check or, first, a range constraint of the field itself catches it.
    assert f"unknown value '{unknown}'" in str(error) or "constraint" in str(error)


@pytest.mark.parametrize("resource", GEOJSON, ids=lambda r: r["name"])
def test_truncated_geojson(resource, data_copy):
    data_copy.edit_text(resource["path"], lambda t: t[: len(t) // 2])
    error = load_error(resource)
    assert "truncated or corrupt" in str(error) and "line" in str(error)


@pytest.mark.parametrize("resource", GEOJSON, ids=lambda r: r["name"])
def test_geojson_property_not_in_schema(resource, data_copy):
    data_copy.edit_text(resource["path"], lambda t: t.replace('"iso_code"', '"iso"', 1))
    error = load_error(resource)
    assert error.field == "iso" and error.row == "1 (feature 1)"


@pytest.mark.parametrize(
    "path",
    ["/etc/passwd", "../README.md", "tables/../../secret.csv", "C:/data.csv", "a\\b.csv", ""],
)
def test_a_path_outside_the_data_directory_is_refused_whatever_its_hash(path, data_copy):
    """Absolute, escaping or drive paths are refused before any file is opened, even with a
    matching checksum recorded (the descriptor is read first)."""
    outside = data_copy.directory.parent / "README.md"
    outside.write_text("not data\n")
    data_copy.edit_descriptor(lambda d: d["resources"][0].update(path=path))
    with pytest.raises(DataError) as caught:
        data.load(RESOURCES[0]["name"])
    error = caught.value
    assert error.file.endswith("datapackage.json") and error.field == "path"
    assert "absolute or leaves the data directory" in str(error)


def test_a_recorded_hash_does_not_make_an_escaping_path_acceptable(data_copy):
    import hashlib

    outside = data_copy.directory.parent / "provinces.csv"
    outside.write_bytes(data_copy.path("provinces.csv").read_bytes())
    digest = hashlib.sha256(outside.read_bytes()).hexdigest()
    data_copy.edit_descriptor(
        lambda d: d["resources"][0].update(path="../provinces.csv", hash=f"sha256:{digest}")
    )
    with pytest.raises(DataError, match="leaves the data directory"):
        data.load("provinces")


def test_a_size_that_differs_from_the_descriptor_is_reported(data_copy):
    data_copy.edit_descriptor(lambda d: d["resources"][0].update(bytes=1))
    error = load_error(RESOURCES[0])
    assert "size mismatch" in str(error) and "make data-hashes" in str(error)


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda ring: [[400.0, ring[0][1]], *ring[1:-1], [400.0, ring[0][1]]], "within range"),
        (lambda ring: ring[:-1], "not closed"),
        (lambda ring: [ring[0], ring[1], ring[0]], "fewer than four"),
    ],
    ids=["longitude out of range", "ring not closed", "ring too short"],
)
def test_geometry_that_is_not_sane_names_the_feature(change, problem, data_copy):
    import json

    resource = GEOJSON[0]

    def corrupt(text):
        collection = json.loads(text)
        geometry = collection["features"][1]["geometry"]
        polygon = (
            geometry["coordinates"]
            if geometry["type"] == "Polygon"
            else (geometry["coordinates"][0])
        )
        polygon[0] = change(polygon[0])
        return json.dumps(collection)

    data_copy.edit_text(resource["path"], corrupt)
    error = load_error(resource)
    assert (error.field, error.row) == ("geometry", "2 (feature 2)") and problem in str(error)
