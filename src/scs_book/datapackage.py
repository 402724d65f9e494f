"""The book's data registry.

Every dataset is described once, in ``data/datapackage.json`` (a Frictionless Data Package
descriptor): schema, sources, licence, the paper's footnotes, access date, transformations and
sha256. This module reads that description, validates a resource against it on every load and
returns a pandas DataFrame (GeoDataFrame for GeoJSON) whose dtypes follow the schema and whose
``attrs["dataset"]`` carries the metadata charts need.

A string field that declares ``"partialDate": {"precisionField": ...}`` in the descriptor holds
dates of mixed precision (YYYY, YYYY-MM, YYYY-MM-DD); each value must be a real calendar date
whose form agrees with its precision (:mod:`scs_book.partial_dates`).

Bad input raises :class:`DataError`, naming the file, the field and the row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import pandas as pd

from .paths import DATA_DIR_ENV, DESCRIPTOR, data_dir, sha256

__all__ = [
    "DATA_DIR_ENV",
    "DESCRIPTOR",
    "DataError",
    "Dataset",
    "data_dir",
    "dataset",
    "datasets",
    "load",
    "read_descriptor",
    "update_hashes",
]

GEOJSON_FORMATS = ("geojson", "topojson")  # read as features (TopoJSON decoded first)

# Table Schema type -> pandas dtype; nullable variants where the field is optional.
_DTYPES = {
    "integer": ("int64", "Int64"),
    "number": ("float64", "Float64"),
    "boolean": ("bool", "boolean"),
    "string": ("str", "str"),
    "year": ("int64", "Int64"),
}
_MAX_REPORTED = 5


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


def read_descriptor(directory: Path | None = None) -> dict[str, Any]:
    """Read and sanity-check ``datapackage.json`` (not the data it describes)."""
    path = (directory or data_dir()) / DESCRIPTOR
    if not path.is_file():
        raise DataError(path, "the data package descriptor is missing")
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataError(path, f"not valid UTF-8 JSON ({error})") from None
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not resources:
        raise DataError(path, "expected an object with a non-empty 'resources' list")
    seen: set[str] = set()
    for index, resource in enumerate(resources, start=1):
        name = resource.get("name") if isinstance(resource, dict) else None
        for key in ("name", "path", "format", "hash", "schema", "sources", "licenses"):
            if not isinstance(resource, dict) or key not in resource:
                raise DataError(path, f"resource #{index} ({name or '?'}) lacks '{key}'", field=key)
        if name in seen:
            raise DataError(path, f"resource name '{name}' is used twice", field="name")
        seen.add(name)
        if not _inside(resource["path"]):
            raise DataError(
                path,
                f"resource '{name}': path '{resource['path']}' is absolute or "
                "leaves the data directory; refused",
                field="path",
            )
    return descriptor


def _inside(path: Any) -> bool:
    """A resource path is a plain relative path within the data directory."""
    if not isinstance(path, str) or not path or "\\" in path or PureWindowsPath(path).drive:
        return False
    parts = PurePosixPath(path).parts
    return not PurePosixPath(path).is_absolute() and ".." not in parts


@dataclass(frozen=True)
class Dataset:
    """One resource of the data package: its metadata, and a loader (call it)."""

    descriptor: dict[str, Any]
    directory: Path

    name = property(lambda self: self.descriptor["name"])
    title = property(lambda self: self.descriptor.get("title", self.name))
    description = property(lambda self: self.descriptor.get("description", ""))
    sources = property(lambda self: self.descriptor["sources"])
    licenses = property(lambda self: self.descriptor["licenses"])
    footnotes = property(lambda self: self.descriptor.get("footnotes", []))
    fields = property(lambda self: self.descriptor["schema"]["fields"])
    path = property(lambda self: self.directory / self.descriptor["path"])

    @property
    def metadata(self) -> dict[str, Any]:
        """What a chart footer or a table caption needs to credit this dataset."""
        keys = (
            "name",
            "title",
            "description",
            "path",
            "sources",
            "licenses",
            "footnotes",
            "accessed",
            "transformations",
        )
        return {key: self.descriptor[key] for key in keys if key in self.descriptor}

    def __call__(self) -> pd.DataFrame:
        return load(self.name, self.directory)


def datasets(directory: Path | None = None) -> dict[str, Dataset]:
    """Every dataset of the package, by name."""
    directory = directory or data_dir()
    resources = read_descriptor(directory)["resources"]
    return {resource["name"]: Dataset(resource, directory) for resource in resources}


def dataset(name: str, directory: Path | None = None) -> Dataset:
    found = datasets(directory)
    if name not in found:
        raise KeyError(f"no dataset '{name}' in the data package; known: {', '.join(found)}")
    return found[name]


def load(name: str, directory: Path | None = None) -> pd.DataFrame:
    """Validate dataset ``name`` against the descriptor and return it as a (Geo)DataFrame."""
    directory = Path(directory or data_dir())
    return _load_cached(name, directory, _fingerprint(directory)).copy()


def _fingerprint(directory: Path) -> tuple:
    """Changes whenever any file of the data directory changes, so the cache never goes stale."""
    return tuple(
        sorted(
            (entry.name, entry.stat().st_mtime_ns, entry.stat().st_size)
            for entry in directory.iterdir()
            if entry.is_file()
        )
    )


@cache
def _load_cached(name: str, directory: Path, _fingerprint: tuple) -> pd.DataFrame:
    data = dataset(name, directory)
    text = _decoded(data, _present_bytes(data))
    if data.descriptor["format"] in GEOJSON_FORMATS:
        if data.descriptor["format"] == "topojson":
            _validate_file(data)  # the file as stored, before it is decoded
            text = _topojson_as_geojson(data, text)
        frame = _read_geojson(data, text)
        _check_foreign_keys(data, frame, directory)
    else:
        _validate_table(data)
        frame = _read_table(data)
    _check_partial_dates(data, frame)
    frame.attrs["dataset"] = data.metadata
    return frame


def _relative(data: Dataset) -> str:
    return f"data/{data.descriptor['path']}"


def _present_bytes(data: Dataset) -> bytes:
    if not data.path.is_file():
        raise DataError(_relative(data), "the file is missing")
    raw = data.path.read_bytes()
    if not raw.strip():
        raise DataError(_relative(data), "the file is empty")
    return raw


def _decoded(data: Dataset, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError(
            _relative(data),
            f"not valid UTF-8 (byte {raw[error.start]:#04x} at "
            f"offset {error.start}; wrong encoding, e.g. GBK?)",
            row=f"{line - 1} (line {line})",
        ) from None


def _validate_table(data: Dataset) -> None:
    """Schema, checksum, size and foreign keys, by frictionless (with the resources the keys
    refer to, as one package)."""
    from frictionless import Package

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
    return DataError(_relative(data), message, field=_field(first), row=row)


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


def _read_table(data: Dataset) -> pd.DataFrame:
    dtypes, dates = {}, []
    for field in data.fields:
        kind = field.get("type", "string")
        required = field.get("constraints", {}).get("required", False)
        if kind == "date":
            dates.append(field["name"])
            dtypes[field["name"]] = "str"
        elif kind in _DTYPES:
            dtypes[field["name"]] = _DTYPES[kind][0 if required else 1]
        else:
            dtypes[field["name"]] = "str"
    frame = pd.read_csv(
        data.path,
        dtype=dtypes,
        keep_default_na=False,
        na_values=data.descriptor["schema"].get("missingValues", [""]),
        encoding="utf-8",
    )
    for column in dates:
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
    return frame


def _validate_file(data: Dataset) -> None:
    """A non-tabular resource: its checksum and size, by frictionless."""
    from frictionless import Resource

    keys = ("name", "path", "hash", "bytes", "format", "mediatype", "encoding")
    descriptor = {key: data.descriptor[key] for key in keys if key in data.descriptor}
    report = Resource(descriptor, basepath=str(data.directory)).validate()
    errors = [error for task in report.tasks for error in task.errors] + list(report.errors)
    if errors:
        raise _as_data_error(data, errors, unit="feature")


def _read_geojson(data: Dataset, text: str) -> pd.DataFrame:
    import geopandas

    _validate_file(data)
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(
            _relative(data),
            f"not valid JSON, truncated or corrupt ({error.msg} at "
            f"line {error.lineno}, column {error.colno})",
        ) from None
    features = collection.get("features") if isinstance(collection, dict) else None
    if collection.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise DataError(_relative(data), "expected a GeoJSON FeatureCollection")
    names = [field["name"] for field in data.fields if field.get("type") != "geojson"]
    rows = []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {}
        for extra in sorted(set(properties) - set(names)):
            raise DataError(
                _relative(data),
                "property not in the schema",
                field=extra,
                row=f"{number} (feature {number})",
            )
        if not feature.get("geometry"):
            raise DataError(
                _relative(data),
                "feature has no geometry",
                field="geometry",
                row=f"{number} (feature {number})",
            )
        _check_geometry(data, feature["geometry"], number)
        rows.append([properties.get(name) for name in names])
    _validate_inline(data, names, rows)
    return geopandas.GeoDataFrame.from_features(features, crs="EPSG:4326")[[*names, "geometry"]]


def _topojson_as_geojson(data: Dataset, text: str) -> str:
    from .topology import feature_collection

    try:
        topology = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(
            _relative(data),
            f"not valid JSON, truncated or corrupt ({error.msg} at "
            f"line {error.lineno}, column {error.colno})",
        ) from None
    try:
        return json.dumps(feature_collection(topology))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as error:
        raise DataError(
            _relative(data),
            f"not a TopoJSON Topology with one object of polygons "
            f"({type(error).__name__}: {error})",
        ) from None


def _validate_inline(data: Dataset, names: list[str], rows: list[list]) -> None:
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


def _check_partial_dates(data: Dataset, frame: pd.DataFrame) -> None:
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
                _relative(data),
                "a partialDate field must be of type string, with "
                "an object as its partialDate property",
                field=name,
            )
        precision_field = spec.get("precisionField")
        if precision_field is not None and precision_field not in frame.columns:
            raise DataError(
                _relative(data),
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
                    _relative(data),
                    f"'{value}' has no precision in '{precision_field}'",
                    field=precision_field,
                    row=where,
                )
            try:
                parse(value, precision)
            except PartialDateError as error:
                raise DataError(
                    _relative(data), f"invalid partial date: {error}", field=name, row=where
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


def _check_geometry(data: Dataset, geometry: dict[str, Any], number: int) -> None:
    """Longitudes and latitudes within range; polygon rings closed, with four positions or
    more (what frictionless does not check in GeoJSON)."""

    def fail(problem: str):
        raise DataError(
            _relative(data), problem, field="geometry", row=f"{number} (feature {number})"
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


def _check_foreign_keys(data: Dataset, frame: pd.DataFrame, directory: Path) -> None:
    """A GeoJSON resource's foreign keys (frictionless checks those of the CSV files)."""
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
                    _relative(data),
                    f"unknown value '{value}': not in {target}.{target_field} (data/{target_file})",
                    field=field,
                    row=f"{row} ({where})",
                )


def update_hashes(directory: Path | None = None) -> list[str]:
    """Record each resource's current sha256 and size in the descriptor; return what changed."""
    directory = directory or data_dir()
    path = directory / DESCRIPTOR
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    changed = []
    for resource in descriptor["resources"]:
        file = directory / resource["path"]
        digest, size = f"sha256:{sha256(file)}", file.stat().st_size
        if resource.get("hash") != digest or resource.get("bytes") != size:
            resource["hash"], resource["bytes"] = digest, size
            changed.append(resource["name"])
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed
