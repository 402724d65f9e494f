"""Province boundaries as one shared, quantized TopoJSON file (data/provinces.topo.json).

A map chart that embeds its GeoDataFrame carries every coordinate of every province inline, in
every chart. The build instead serves the boundaries once, as TopoJSON
(https://github.com/topojson/topojson-specification): coordinates quantized to an integer grid
and delta-encoded, and every border two provinces share stored once, as one arc that both
reference. Quantizing snaps equal coordinates to equal grid points, so neighbours that shared a
border still share it exactly (no gaps, no overlaps): the topology is preserved. Ring winding
is kept as in the source (clockwise exteriors, the d3-geo / Vega convention).

``encode`` builds the topology, ``decode`` reads it back (tests check the round trip).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Point = tuple[int, int]


def encode(
    geometries: Sequence[dict[str, Any]], object_name: str, quantization: int = 100_000
) -> dict[str, Any]:
    """A TopoJSON Topology with one GeometryCollection; geometry ``i`` gets ``"id": i``."""
    points = [point for geometry in geometries for ring in _rings(geometry) for point in ring]
    if not points:
        raise ValueError("no coordinates to encode")
    x0, y0 = min(p[0] for p in points), min(p[1] for p in points)
    x1, y1 = max(p[0] for p in points), max(p[1] for p in points)
    kx = (x1 - x0) / (quantization - 1) or 1.0
    ky = (y1 - y0) / (quantization - 1) or 1.0

    def quantized(ring) -> list[Point]:
        out: list[Point] = []
        for x, y in ring:
            point = (round((x - x0) / kx), round((y - y0) / ky))
            if not out or out[-1] != point:
                out.append(point)
        if out[0] != out[-1]:
            out.append(out[0])
        return out

    polygons = []  # per geometry: list of polygons, each a list of closed quantized rings
    for geometry in geometries:
        parts = []
        for polygon in _polygons(geometry):
            exterior, *holes = [quantized(ring) for ring in polygon]
            if len(set(exterior)) >= 3:  # a ring that collapsed on the grid draws nothing
                parts.append([exterior, *(hole for hole in holes if len(set(hole)) >= 3)])
        polygons.append(parts)

    junctions = _junctions([ring for parts in polygons for rings in parts for ring in rings])
    arcs: list[list[Point]] = []
    index: dict[tuple[Point, ...], int] = {}

    def arc_ids(ring: list[Point]) -> list[int]:
        ids = []
        for arc in _cut(ring, junctions):
            key = tuple(arc)
            if key in index:
                ids.append(index[key])
            elif key[::-1] in index:
                ids.append(~index[key[::-1]])
            else:
                index[key] = len(arcs)
                ids.append(len(arcs))
                arcs.append(arc)
        return ids

    objects = []
    for number, parts in enumerate(polygons):
        encoded = [[arc_ids(ring) for ring in rings] for rings in parts]
        if len(encoded) == 1:
            objects.append({"type": "Polygon", "arcs": encoded[0], "id": number})
        elif encoded:
            objects.append({"type": "MultiPolygon", "arcs": encoded, "id": number})
        else:
            objects.append({"type": None, "id": number})
    return {
        "type": "Topology",
        "transform": {"scale": [kx, ky], "translate": [x0, y0]},
        "objects": {object_name: {"type": "GeometryCollection", "geometries": objects}},
        "arcs": [_delta(arc) for arc in arcs],
    }


def decode(topology: dict[str, Any], object_name: str) -> list[dict[str, Any] | None]:
    """The GeoJSON geometries of ``object_name`` (coordinates back on the quantization grid)."""
    (kx, ky), (x0, y0) = topology["transform"]["scale"], topology["transform"]["translate"]
    absolute = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x, y))
        absolute.append(points)

    def ring(ids: list[int]) -> list[list[float]]:
        points: list[Point] = []
        for arc_id in ids:
            arc = absolute[arc_id] if arc_id >= 0 else absolute[~arc_id][::-1]
            points.extend(arc if not points else arc[1:])
        return [[x0 + x * kx, y0 + y * ky] for x, y in points]

    out: list[dict[str, Any] | None] = []
    for geometry in topology["objects"][object_name]["geometries"]:
        if geometry["type"] == "Polygon":
            out.append({"type": "Polygon", "coordinates": [ring(r) for r in geometry["arcs"]]})
        elif geometry["type"] == "MultiPolygon":
            out.append(
                {
                    "type": "MultiPolygon",
                    "coordinates": [[ring(r) for r in p] for p in geometry["arcs"]],
                }
            )
        else:
            out.append(None)
    return out


def _polygons(geometry: dict[str, Any]) -> list[list[list[Sequence[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(
        f"only Polygon and MultiPolygon geometries are supported, not {geometry['type']}"
    )


def _rings(geometry: dict[str, Any]):
    for polygon in _polygons(geometry):
        yield from polygon


def _junctions(rings: list[list[Point]]) -> set[Point]:
    """Points where rings meet or part: there a shared border begins or ends."""
    neighbours: dict[Point, tuple[Point, Point]] = {}
    junctions: set[Point] = set()
    for ring in rings:
        open_ring = ring[:-1]
        seen: set[Point] = set()
        for i, point in enumerate(open_ring):
            if point in seen:  # a ring touching itself
                junctions.add(point)
            seen.add(point)
            before, after = open_ring[i - 1], open_ring[(i + 1) % len(open_ring)]
            pair = (before, after) if before <= after else (after, before)
            if neighbours.setdefault(point, pair) != pair:
                junctions.add(point)
    return junctions


def _cut(ring: list[Point], junctions: set[Point]) -> list[list[Point]]:
    """Split a closed ring into arcs at its junctions (a ring without any: one closed arc)."""
    open_ring = ring[:-1]
    starts = [i for i, point in enumerate(open_ring) if point in junctions]
    if not starts:
        # Start at the smallest point, so that the same ring met twice (an enclave and the hole
        # around it) gives the same arc, or the same arc reversed.
        first = open_ring.index(min(open_ring))
        rotated = open_ring[first:] + open_ring[:first]
        return [rotated + [rotated[0]]]
    rotated = open_ring[starts[0] :] + open_ring[: starts[0]] + [open_ring[starts[0]]]
    arcs, current = [], [rotated[0]]
    for point in rotated[1:]:
        current.append(point)
        if point in junctions:
            arcs.append(current)
            current = [point]
    return arcs


def _delta(arc: list[Point]) -> list[list[int]]:
    out, previous = [], (0, 0)
    for x, y in arc:
        out.append([x - previous[0], y - previous[1]])
        previous = (x, y)
    return out


def feature_collection(topology: dict[str, Any]) -> dict[str, Any]:
    """The topology's one object as a GeoJSON FeatureCollection (properties kept)."""
    if topology.get("type") != "Topology" or len(topology.get("objects", {})) != 1:
        raise ValueError("expected a TopoJSON Topology with exactly one object")
    ((name, collection),) = topology["objects"].items()
    geometries = decode(topology, name)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": item.get("id"),
                "properties": item.get("properties", {}),
                "geometry": geometry,
            }
            for item, geometry in zip(collection["geometries"], geometries, strict=True)
        ],
    }
