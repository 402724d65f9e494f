"""The shared TopoJSON boundaries (data/provinces.topo.json): derived from provinces.geojson by
scripts/derive_topology.py, decoded back with the same areas, properties and order."""

import json
import runpy
from pathlib import Path

from scs_book import data, topology

ROOT = Path(__file__).resolve().parents[1]


def test_the_committed_topology_is_what_the_script_derives():
    derive = runpy.run_path(str(ROOT / "scripts" / "derive_topology.py"))["derive"]
    committed = json.loads((ROOT / "data" / "provinces.topo.json").read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(derive()))


def test_the_topology_decodes_to_the_same_areas_in_the_same_order():
    boundaries = data.province_boundaries()
    decoded = data.province_topology()
    assert decoded[["iso_code", "name_en", "kind"]].equals(
        boundaries[["iso_code", "name_en", "kind"]])
    x0, y0, x1, y1 = boundaries.total_bounds
    step = max(x1 - x0, y1 - y0) / (100_000 - 1)  # the grid: far below a pixel of the maps
    for original, shared in zip(boundaries.geometry, decoded.geometry):
        assert original.symmetric_difference(shared).area <= original.length * step


def test_a_topology_without_one_object_is_refused():
    import pytest

    with pytest.raises(ValueError, match="exactly one object"):
        topology.feature_collection({"type": "Topology", "objects": {}, "arcs": []})
