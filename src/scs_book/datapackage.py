"""The book's data registry.

Every dataset is described once, in ``data/datapackage.json`` (a Frictionless Data Package
descriptor): schema, sources, licence, the paper's footnotes, access date, transformations and
sha256. This module reads that description, validates a resource against it on every load
(:mod:`scs_book.validation`: frictionless, plus what it lacks) and returns a pandas DataFrame
(GeoDataFrame for GeoJSON) whose dtypes follow the schema and whose ``attrs["dataset"]``
carries the metadata charts need.

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

from . import validation
from .paths import DATA_DIR_ENV, DESCRIPTOR, data_dir, sha256
from .validation import GEOJSON_FORMATS, DataError, relative

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

# Table Schema type -> pandas dtype; nullable variants where the field is optional.
_DTYPES = {
    "integer": ("int64", "Int64"),
    "number": ("float64", "Float64"),
    "boolean": ("bool", "boolean"),
    "string": ("str", "str"),
    "year": ("int64", "Int64"),
}


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
        validation.validate_file(data)  # the file as stored: checksum and size
        if data.descriptor["format"] == "topojson":
            text = _topojson_as_geojson(data, text)
        frame = _read_geojson(data, text)
        validation.check_foreign_keys(data, frame, directory)
    else:
        validation.validate_table(data)
        frame = _read_table(data)
    validation.check_partial_dates(data, frame)
    frame.attrs["dataset"] = data.metadata
    return frame


def _present_bytes(data: Dataset) -> bytes:
    if not data.path.is_file():
        raise DataError(relative(data), "the file is missing")
    raw = data.path.read_bytes()
    if not raw.strip():
        raise DataError(relative(data), "the file is empty")
    return raw


def _decoded(data: Dataset, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError(
            relative(data),
            f"not valid UTF-8 (byte {raw[error.start]:#04x} at "
            f"offset {error.start}; wrong encoding, e.g. GBK?)",
            row=f"{line - 1} (line {line})",
        ) from None


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


def _read_geojson(data: Dataset, text: str) -> pd.DataFrame:
    import geopandas

    try:
        collection = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(
            relative(data),
            f"not valid JSON, truncated or corrupt ({error.msg} at "
            f"line {error.lineno}, column {error.colno})",
        ) from None
    features = collection.get("features") if isinstance(collection, dict) else None
    if collection.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise DataError(relative(data), "expected a GeoJSON FeatureCollection")
    names = [field["name"] for field in data.fields if field.get("type") != "geojson"]
    rows = []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {}
        for extra in sorted(set(properties) - set(names)):
            raise DataError(
                relative(data),
                "property not in the schema",
                field=extra,
                row=f"{number} (feature {number})",
            )
        if not feature.get("geometry"):
            raise DataError(
                relative(data),
                "feature has no geometry",
                field="geometry",
                row=f"{number} (feature {number})",
            )
        validation.check_geometry(data, feature["geometry"], number)
        rows.append([properties.get(name) for name in names])
    validation.validate_inline(data, names, rows)
    return geopandas.GeoDataFrame.from_features(features, crs="EPSG:4326")[[*names, "geometry"]]


def _topojson_as_geojson(data: Dataset, text: str) -> str:
    from .topology import feature_collection

    try:
        topology = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(
            relative(data),
            f"not valid JSON, truncated or corrupt ({error.msg} at "
            f"line {error.lineno}, column {error.colno})",
        ) from None
    try:
        return json.dumps(feature_collection(topology))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as error:
        raise DataError(
            relative(data),
            f"not a TopoJSON Topology with one object of polygons "
            f"({type(error).__name__}: {error})",
        ) from None


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
