"""The shared boundary file, data/provinces.topo.json: TopoJSON encoding of the province
boundaries, derived from provinces.geojson by scripts/derive_topology.py and decoded back with
the same areas, properties and order."""

from __future__ import annotations

import json
import runpy

import pytest

from scs_book import data, topology
from scs_book.paths import ROOT


def boundary_geometries():
    collection = json.loads((ROOT / "data" / "provinces.geojson").read_text())
    return [feature["geometry"] for feature in collection["features"]]


def rotations_equal(a, b):
    a, b = [tuple(p) for p in a[:-1]], [tuple(p) for p in b[:-1]]
    return len(a) == len(b) and any(a == b[i:] + b[:i] for i in range(len(b)))


def test_topojson_round_trip_keeps_every_ring_on_the_grid():
    geometries = boundary_geometries()
    topo = topology.encode(geometries, "provinces")
    (kx, ky), (x0, y0) = topo["transform"]["scale"], topo["transform"]["translate"]
    decoded = topology.decode(topo, "provinces")
    assert len(decoded) == len(geometries)
    for source, back in zip(geometries, decoded, strict=True):
        assert back["type"] == source["type"]
        source_rings, back_rings = list(topology._rings(source)), list(topology._rings(back))
        assert len(source_rings) == len(back_rings)
        for ring, decoded_ring in zip(source_rings, back_rings, strict=True):
            snapped = []
            for x, y in ring:  # the source ring snapped to the grid, repeated points dropped
                point = (round((x - x0) / kx), round((y - y0) / ky))
                if not snapped or snapped[-1] != point:
                    snapped.append(point)
            grid = [(round((x - x0) / kx), round((y - y0) / ky)) for x, y in decoded_ring]
            assert rotations_equal(snapped, grid)
            # on the grid, 0.0006 degree at most from the source (which has 3 decimals)
            assert max(kx, ky) < 0.001


def test_neighbours_share_their_border_as_one_arc():
    left = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    right = {"type": "Polygon", "coordinates": [[[1, 0], [1, 1], [2, 1], [2, 0], [1, 0]]]}
    topo = topology.encode([left, right], "cells", quantization=3)
    left_arcs = topo["objects"]["cells"]["geometries"][0]["arcs"][0]
    right_arcs = topo["objects"]["cells"]["geometries"][1]["arcs"][0]
    shared = {a if a >= 0 else ~a for a in left_arcs} & {a if a >= 0 else ~a for a in right_arcs}
    assert len(shared) == 1  # the border x = 1, stored once
    assert len(topo["arcs"]) == 3
    assert [
        rotations_equal(r, s)
        for r, s in zip(
            [g["coordinates"][0] for g in topology.decode(topo, "cells")],
            [left["coordinates"][0], right["coordinates"][0]],
            strict=True,
        )
    ] == [True, True]


def test_the_committed_topology_is_what_the_script_derives():
    derive = runpy.run_path(str(ROOT / "scripts" / "derive_topology.py"))["derive"]
    committed = json.loads((ROOT / "data" / "provinces.topo.json").read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(derive()))


def test_the_topology_decodes_to_the_same_areas_in_the_same_order():
    boundaries = data.province_boundaries()
    decoded = data.province_topology()
    assert decoded[["iso_code", "name_en", "kind"]].equals(
        boundaries[["iso_code", "name_en", "kind"]]
    )
    x0, y0, x1, y1 = boundaries.total_bounds
    step = max(x1 - x0, y1 - y0) / (100_000 - 1)  # the grid: far below a pixel of the maps
    for original, shared in zip(boundaries.geometry, decoded.geometry, strict=True):
        assert original.symmetric_difference(shared).area <= original.length * step


def test_a_topology_without_one_object_is_refused():
    with pytest.raises(ValueError, match="exactly one object"):
        topology.feature_collection({"type": "Topology", "objects": {}, "arcs": []})
