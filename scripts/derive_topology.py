"""Derive ``data/provinces.topo.json`` from ``data/provinces.geojson``.

The book's maps draw the province boundaries from this one shared TopoJSON file
(https://github.com/topojson/topojson-specification): coordinates quantized to a 100,000-step
grid and delta-encoded, every border two areas share stored once (``scs_book.topology``). Each
geometry keeps its feature's properties (``iso_code``, ``name_en``, ``kind``) and, as ``id``, its
position in the GeoJSON file.

Run from the repository root:  ``.venv/bin/python scripts/derive_topology.py``
(then ``make data-hashes`` records the new file's checksum).
"""

from __future__ import annotations

import json
from pathlib import Path

from scs_book import topology

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "provinces.geojson"
TARGET = ROOT / "data" / "provinces.topo.json"
OBJECT = "provinces"


def derive(source: Path = SOURCE) -> dict:
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    result = topology.encode([feature["geometry"] for feature in features], OBJECT)
    for geometry, feature in zip(result["objects"][OBJECT]["geometries"], features, strict=True):
        geometry["properties"] = feature["properties"]
    return result


def written(topology_: dict) -> str:
    """Compact JSON with sorted keys, one arc per line (diffs and error rows stay readable)."""
    compact = {"separators": (",", ":"), "sort_keys": True}
    rest = json.dumps({k: v for k, v in topology_.items() if k != "arcs"}, **compact)
    arcs = ",\n".join(json.dumps(arc, **compact) for arc in topology_["arcs"])
    return '{"arcs":[\n' + arcs + "\n]," + rest[1:] + "\n"


def main() -> None:
    TARGET.write_text(written(derive()), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
