"""Validation of one resource against its description: frictionless where it can, the
package's own code only for what frictionless lacks (GeoJSON features and geometry, dates of
mixed precision, a GeoJSON resource's foreign keys).

Every problem becomes one :class:`DataError` naming the file, the field and the row.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from .datapackage import Dataset

_MAX_REPORTED = 5
GEOJSON_FORMATS = ("geojson", "topojson")  # read as features (TopoJSON decoded first)


class DataError(ValueError):
    """A data file does not match its description in the data package."""

    def __init__(
        self, file: str | Path, message: str, field: str | None = None, row: int | str | None = None
    ):
        self.file, self.field, self.row, self.problem = str(file), field, row, message
        where = [self.file]
        if field is not None:
            where.append(f"field '{field}'")
        if row is not None:
            where.append(f"row {row}")
        super().__init__(f"{', '.join(where)}: {message}")


def relative(data: Dataset) -> str:
    return f"data/{data.descriptor['path']}"


def validate_table(data: Dataset) -> None:
    """Schema, checksum, size and foreign keys, by frictionless (with the resources the keys
    refer to, as one package)."""
    from frictionless import Package

    from .datapackage import read_descriptor

    targets = {
        key["reference"]["resource"] for key in data.descriptor["schema"].get("foreignKeys", [])
    } - {data.name, ""}
    every = read_descriptor(data.directory)["resources"]
    resources = [data.descriptor, *(r for r in every if r["name"] in targets)]
    package = Package(
        {"resources": json.loads(json.dumps(resources))}, basepath=str(data.directory)
    )
    report = package.get_resource(data.name).validate()
    errors = [error for task in report.tasks for error in task.errors] + list(report.errors)
    if errors:
        raise _as_data_error(data, errors, unit="line")


CHANGED_FILE = (
    "If the change is intended, run `make data-hashes` and say why in the "
    "resource's transformations"
)


def _message(data: Dataset, error) -> str:
    """Frictionless's error, in the words of this book where it has its own."""
    if error.type == "hash-count":
        return (
            f"checksum mismatch: the descriptor records {data.descriptor['hash']}; "
            f"{error.note}. {CHANGED_FILE}"
        )
    if error.type == "byte-count":
        return f"size mismatch (checksum mismatch likely too): {error.note}. {CHANGED_FILE}"
    if error.type == "foreign-key":
        from .datapackage import read_descriptor

        reference = f"{error.reference_name}.{', '.join(error.reference_field_names)}"
        file = next(
            (
                r["path"]
                for r in read_descriptor(data.directory)["resources"]
                if r["name"] == error.reference_name
            ),
            "?",
        )
        return (
            f"unknown value '{', '.join(map(str, error.field_cells))}': not in "
            f"{reference} (data/{file})"
        )
    return f"{error.type}: {error.note or error.message}"


def _field(error) -> str | None:
    names = getattr(error, "field_names", None)
    return (
        getattr(error, "field_name", None)
        or getattr(error, "label", None)
        or (names[0] if names else None)
    )


def _as_data_error(data: Dataset, errors: list, unit: str) -> DataError:
    """The first problem (a changed file first: nothing else about it can be trusted), with a
    short list of the others. Frictionless counts the header as row 1; data row N is line
    N + 1 or feature N."""
    errors = sorted(errors, key=lambda error: error.type not in ("hash-count", "byte-count"))
    first = errors[0]
    row_number = getattr(first, "row_number", None)
    row = (
        None
        if row_number is None
        else (f"{row_number - 1} ({unit} {row_number if unit == 'line' else row_number - 1})")
    )
    message = _message(data, first)
    if len(errors) > 1:
        others = "; ".join(_short(error) for error in errors[1:_MAX_REPORTED])
        message += f" (and {len(errors) - 1} more problem(s): {others})"
    return DataError(relative(data), message, field=_field(first), row=row)


def _short(error) -> str:
    row_number = getattr(error, "row_number", None)
    field = _field(error)
    where = ", ".join(
        part
        for part in (
            f"field '{field}'" if field else "",
            f"row {row_number - 1}" if row_number else "",
        )
        if part
    )
    return f"{where}: {error.type}" if where else error.type


def validate_file(data: Dataset) -> None:
    """A non-tabular resource: its checksum and size, by frictionless."""
    from frictionless import Resource

    keys = ("name", "path", "hash", "bytes", "format", "mediatype", "encoding")
    descriptor = {key: data.descriptor[key] for key in keys if key in data.descriptor}
    report = Resource(descriptor, basepath=str(data.directory)).validate()
    errors = [error for task in report.tasks for error in task.errors] + list(report.errors)
    if errors:
        raise _as_data_error(data, errors, unit="feature")


def validate_inline(data: Dataset, names: list[str], rows: list[list]) -> None:
    """Check GeoJSON properties with the same Table Schema engine as the CSV files."""
    from frictionless import Resource, Schema

    schema = {
        key: value for key, value in data.descriptor["schema"].items() if key != "foreignKeys"
    }
    schema["fields"] = [field for field in schema["fields"] if field["name"] in names]
    report = Resource(data=[names, *rows], schema=Schema.from_descriptor(schema)).validate()
    errors = [error for task in report.tasks for error in task.errors]
    if errors:
        raise _as_data_error(data, errors, unit="feature")


def check_partial_dates(data: Dataset, frame: pd.DataFrame) -> None:
    """Fields declaring ``partialDate``: real calendar dates that agree with their precision."""
    from .partial_dates import PartialDateError, parse

    unit = "feature" if data.descriptor["format"] in GEOJSON_FORMATS else "line"
    for field in data.fields:
        spec = field.get("partialDate")
        if spec is None:
            continue
        name = field["name"]
        if field.get("type", "string") != "string" or not isinstance(spec, dict):
            raise DataError(
                relative(data),
                "a partialDate field must be of type string, with "
                "an object as its partialDate property",
                field=name,
            )
        precision_field = spec.get("precisionField")
        if precision_field is not None and precision_field not in frame.columns:
            raise DataError(
                relative(data),
                f"partialDate names precisionField "
                f"'{precision_field}', which is not a field of the resource",
                field=name,
            )
        for row, value in enumerate(frame[name], start=1):
            if pd.isna(value):
                continue
            precision = None if precision_field is None else frame[precision_field].iloc[row - 1]
            where = f"{row} ({unit} {row + 1 if unit == 'line' else row})"
            if precision_field is not None and pd.isna(precision):
                raise DataError(
                    relative(data),
                    f"'{value}' has no precision in '{precision_field}'",
                    field=precision_field,
                    row=where,
                )
            try:
                parse(value, precision)
            except PartialDateError as error:
                raise DataError(
                    relative(data), f"invalid partial date: {error}", field=name, row=where
                ) from None


def _positions(coordinates: Any):
    """Every position of a GeoJSON coordinates array (anything else found is yielded too)."""
    if isinstance(coordinates, list) and coordinates and not isinstance(coordinates[0], list):
        yield coordinates
    elif isinstance(coordinates, list):
        for item in coordinates:
            yield from _positions(item)
    else:
        yield coordinates


def check_geometry(data: Dataset, geometry: dict[str, Any], number: int) -> None:
    """Longitudes and latitudes within range; polygon rings closed, with four positions or
    more (what frictionless does not check in GeoJSON)."""

    def fail(problem: str):
        raise DataError(
            relative(data), problem, field="geometry", row=f"{number} (feature {number})"
        )

    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    polygons = {"Polygon": [coordinates], "MultiPolygon": coordinates}.get(kind, [])
    for ring in (ring for polygon in polygons or [] for ring in polygon or []):
        if not isinstance(ring, list) or len(ring) < 4 or ring[0] != ring[-1]:
            fail("a polygon ring is not closed or has fewer than four positions")
    for position in _positions(coordinates):
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(isinstance(value, (int, float)) for value in position[:2])
            or not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90)
        ):
            fail(f"position {position!r} is not a longitude, latitude pair within range")


def check_foreign_keys(data: Dataset, frame: pd.DataFrame, directory: Path) -> None:
    """A GeoJSON resource's foreign keys (frictionless checks those of the CSV files)."""
    from .datapackage import dataset, load

    for key in data.descriptor["schema"].get("foreignKeys", []):
        field = key["fields"] if isinstance(key["fields"], str) else key["fields"][0]
        target = key["reference"]["resource"]
        target_field = key["reference"]["fields"]
        target_field = target_field if isinstance(target_field, str) else target_field[0]
        allowed = set(load(target, directory)[target_field].dropna())
        geojson = data.descriptor["format"] in GEOJSON_FORMATS
        for row, value in enumerate(frame[field], start=1):
            if pd.notna(value) and value not in allowed:
                where = f"feature {row}" if geojson else f"line {row + 1}"
                target_file = dataset(target, directory).descriptor["path"]
                raise DataError(
                    relative(data),
                    f"unknown value '{value}': not in {target}.{target_field} (data/{target_file})",
                    field=field,
                    row=f"{row} ({where})",
                )
