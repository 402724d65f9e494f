"""The HTML post-processing kept in scs_book.build.legacy_pages (to be replaced by chart pages
made inside Sphinx): shared boundaries, datasets by columns, one scsChart call per chart."""

from __future__ import annotations

import copy
import json
import subprocess

import pytest

from scs_book.build import legacy_pages as pipeline
from test_topology import boundary_geometries


def chart_spec(rows, extra_use=False):
    spec = {
        "datasets": {"data-geo": rows, "data-points": [{"a": 1}]},
        "layer": [
            {
                "data": {"name": "data-geo"},
                "mark": "geoshape",
                "encoding": {"fill": {"field": "kind"}},
            },
            {"data": {"name": "data-points"}, "mark": "circle"},
        ],
    }
    if extra_use:
        spec["layer"][1]["transform"] = [
            {
                "lookup": "a",
                "from": {"data": {"name": "data-geo"}, "key": "name_en", "fields": ["geometry"]},
            }
        ]
    return spec


def feature_rows(geometries, indices):
    return [
        {"name_en": f"area {i}", "kind": "mainland", "type": "Feature", "geometry": geometries[i]}
        for i in indices
    ]


def test_a_chart_embedding_the_boundaries_draws_them_from_the_shared_file():
    geometries = boundary_geometries()
    by_geometry = {pipeline._digest(g): i for i, g in enumerate(geometries)}
    spec = chart_spec(feature_rows(geometries, range(len(geometries))))
    assert pipeline._share_in_spec(spec, by_geometry, "../_static/geo/p.json", "provinces")
    view = spec["layer"][0]
    assert view["data"] == {
        "url": "../_static/geo/p.json",
        "format": {"type": "topojson", "feature": "provinces"},
    }
    assert view["transform"][0]["lookup"] == "id"
    assert view["transform"][0]["from"]["fields"] == ["kind", "name_en", "scs_feature"]
    assert len(view["transform"]) == 1  # every area is drawn: no filter
    assert "geometry" not in json.dumps(spec["datasets"])
    assert spec["datasets"]["data-geo"][3] == {
        "name_en": "area 3",
        "kind": "mainland",
        "scs_feature": 3,
    }
    assert spec["layer"][1] == {"data": {"name": "data-points"}, "mark": "circle"}


def test_a_subset_of_the_areas_is_filtered_and_other_uses_are_left_alone():
    geometries = boundary_geometries()
    by_geometry = {pipeline._digest(g): i for i, g in enumerate(geometries)}
    subset = chart_spec(feature_rows(geometries, [0, 5]))
    assert pipeline._share_in_spec(subset, by_geometry, "u", "provinces")
    assert subset["layer"][0]["transform"][1] == {"filter": "isValid(datum.scs_feature)"}
    for spec in (
        chart_spec(feature_rows(geometries, [0, 0])),  # an area twice
        chart_spec(feature_rows(geometries, [0]), extra_use=True),  # used in a lookup
        chart_spec(
            [
                {
                    **feature_rows(geometries, [0])[0],  # another geometry
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[0, 0], [1, 0], [0, 1], [0, 0]]],
                    },
                }
            ]
        ),
    ):
        before = copy.deepcopy(spec)
        assert not pipeline._share_in_spec(spec, by_geometry, "u", "provinces")
        assert spec == before


def test_a_dataset_is_written_by_columns_only_when_rows_come_back_the_same():
    rows = [{"name": "A", "value": 1}, {"name": "B", "value": None}]
    spec = {
        "datasets": {"d": rows},
        "layer": [
            {"data": {"name": "d"}, "mark": "bar"},
            {"data": {"name": "d"}, "transform": [{"x": 1}]},
        ],
    }
    assert pipeline._columns_in_spec(spec) == 1
    assert spec["datasets"]["d"] == [{"name": ["A", "B"], "value": [1, None]}]
    assert spec["layer"][0]["transform"] == [{"flatten": ["name", "value"]}]
    assert spec["layer"][1]["transform"] == [{"flatten": ["name", "value"]}, {"x": 1}]
    assert pipeline._columns_in_spec(spec) == 0  # already by columns
    for unchanged in (
        [{"name": "A"}, {"name": "B", "value": 2}],  # ragged rows
        [{"name": "A", "tags": [1]}, {"name": "B", "tags": []}],  # nested values
    ):
        spec = {"datasets": {"d": unchanged}, "data": {"name": "d"}, "mark": "bar"}
        assert pipeline._columns_in_spec(spec) == 0 and spec["datasets"]["d"] == unchanged
    looked_up = {
        "datasets": {"d": rows},
        "data": {"name": "e"},
        "transform": [
            {"lookup": "name", "from": {"data": {"name": "d"}, "key": "name", "fields": ["value"]}}
        ],
    }
    assert pipeline._columns_in_spec(looked_up) == 0  # a lookup cannot flatten its source


DRAW_WITH_VEGA = """
import * as vega from "vega";
import * as vl from "vega-lite";
let text = "";
for await (const chunk of process.stdin) text += chunk;
const view = new vega.View(vega.parse(vl.compile(JSON.parse(text)).spec), {renderer: "none"});
process.stdout.write(await view.toSVG());
"""


def drawn(spec: dict) -> str:
    """The SVG the book's own Vega-Lite and Vega (node_modules) draw for a spec."""
    result = subprocess.run(
        ["node", "--input-type=module", "-e", DRAW_WITH_VEGA],
        input=json.dumps(spec),
        cwd=pipeline.ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_a_dataset_written_by_columns_draws_the_same_chart():
    rows = [
        {"name": "A", "value": 1.5, "flag": True, "note": None},
        {"name": "B", "value": None, "flag": False, "note": "x"},
        {"name": "C", "value": 3, "flag": True, "note": ""},
    ]
    spec = {
        "datasets": {"d": rows},
        "data": {"name": "d"},
        "mark": "bar",
        "transform": [{"filter": "datum.value !== null"}],
        "encoding": {
            "x": {"field": "name", "type": "nominal"},
            "y": {"field": "value", "type": "quantitative"},
            "color": {"field": "flag", "type": "nominal"},
            "tooltip": [{"field": "note"}, {"field": "value"}],
        },
    }
    by_columns = copy.deepcopy(spec)
    assert pipeline._columns_in_spec(by_columns) == 1
    before = drawn(spec)
    assert "A" in before and drawn(by_columns) == before


@pytest.mark.parametrize(
    "change",
    [
        {"encoding": {"x": {"field": "when", "type": "temporal"}}},
        {"encoding": {"x": {"field": "when", "timeUnit": "year", "type": "ordinal"}}},
        {"params": [{"name": "pick", "select": "point"}]},
        {"params": [{"name": "pick", "select": {"type": "point", "on": "click"}}]},
    ],
    ids=["temporal field", "time unit", "point selection", "point selection without fields"],
)
def test_a_spec_a_flatten_would_change_keeps_its_rows(change):
    rows = [{"when": "2020-01-02", "n": 1}, {"when": "2021-03-04", "n": 2}]
    spec = {"datasets": {"d": rows}, "data": {"name": "d"}, "mark": "point", **change}
    assert pipeline._columns_in_spec(spec) == 0 and spec["datasets"]["d"] == rows
    spec = {**spec, "params": [{"name": "pick", "select": {"type": "point", "fields": ["n"]}}]}
    if "encoding" not in change:  # a point selection by field tells rows apart by their values
        assert pipeline._columns_in_spec(spec) == 1


@pytest.mark.parametrize(
    "rows",
    [
        [{"a.b": 1}, {"a.b": 2}],
        [{"a[0]": 1}, {"a[0]": 2}],
        [{}, {}],
    ],
    ids=["dotted name", "bracketed name", "no columns"],
)
def test_columns_vega_would_read_as_paths_are_left_alone(rows):
    spec = {"datasets": {"d": rows}, "data": {"name": "d"}, "mark": "point"}
    assert pipeline._columns_in_spec(spec) == 0 and spec["datasets"]["d"] == rows


def test_a_figure_whose_chart_the_build_cannot_read_stops_it_and_leaves_the_page(tmp_path):
    page = tmp_path / "html" / "notebooks" / "page.html"
    page.parent.mkdir(parents=True)
    good = (
        '<figure class="scs-chart"><div id="altair-viz-00aa"></div><script>'
        'scsChart("altair-viz-00aa",{"mark":"bar"},{"renderer":"svg"})</script></figure>'
    )
    text = (
        '<figure class="scs-chart"><div id="altair-viz-11bb" class="odd"></div>'
        "<script>draw()</script></figure>" + good
    )
    page.write_text(text)
    with pytest.raises(pipeline.BuildError, match=r"notebooks/page\.html: a chart's script"):
        pipeline.lighten_pages(tmp_path / "html", pipeline.DataState(tmp_path / "no-data"))
    assert page.read_text() == text


def test_a_kept_page_whose_chart_data_file_is_lost_asks_for_a_clean_build(tmp_path):
    page = tmp_path / "html" / "notebooks" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<figure class="scs-chart"><div id="altair-viz-00aa"></div><script>'
        'scsChart("altair-viz-00aa",{"mark":"bar"},{"renderer":"svg"})</script>'
        '<figcaption><a class="scs-chart-data" href="../_static/chart-data/'
        'altair-viz-00aa.csv" download="x.csv">chart data (CSV)</a></figcaption>'
        "</figure>"
    )
    with pytest.raises(pipeline.BuildError, match="altair-viz-00aa.csv, which is missing"):
        pipeline.lighten_pages(tmp_path / "html", pipeline.DataState(tmp_path / "no-data"))


def test_built_pages_are_lightened_without_changing_what_they_show(tmp_path, data_copy):
    geometries = boundary_geometries()
    spec = chart_spec(feature_rows(geometries, range(len(geometries))))
    csv = "name,value\nA,1\n"
    from urllib.parse import quote

    page = tmp_path / "html" / "notebooks" / "map.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<p>before</p><figure class="scs-chart"><div id="altair-viz-1"></div><script>(function(spec, '
        "embedOpt){ render(spec) })(" + json.dumps(spec) + ', {"renderer": "svg"});</script>'
        '<figcaption class="scs-chart-footer"><a class="scs-chart-data" '
        f'href="data:text/csv;charset=utf-8,{quote(csv)}" download="map.csv">chart data (CSV)'
        "</a></figcaption></figure><p>after</p>"
    )
    done = pipeline.lighten_pages(tmp_path / "html", pipeline.DataState(data_copy.directory))
    assert done == {"boundaries": 1, "specs": 1, "columnar datasets": 0, "chart data": 1}
    text = page.read_text()
    assert '"geometry"' not in text
    assert text.startswith("<p>before</p>") and text.endswith("<p>after</p>")
    # the chart's rows: a file of their own, byte for byte the CSV the notebook carried
    assert 'href="../_static/chart-data/altair-viz-1.csv" download="map.csv"' in text
    assert "data:text/csv" not in text
    assert (
        tmp_path / "html" / "_static" / "chart-data" / "altair-viz-1.csv"
    ).read_bytes() == csv.encode()
    start = text.index('scsChart("altair-viz-1",') + len('scsChart("altair-viz-1",')
    shared, _ = json.JSONDecoder().raw_decode(text, start)
    assert shared["layer"][0]["data"]["url"] == "../_static/geo/provinces.topo.json"
    topo = json.loads((tmp_path / "html" / "_static" / "geo" / "provinces.topo.json").read_text())
    assert len(topo["objects"]["provinces"]["geometries"]) == len(geometries)
    stale = tmp_path / "html" / "_static" / "chart-data" / "altair-viz-2.csv"
    stale.write_text("a chart no page shows any more\n")
    assert pipeline.lighten_pages(tmp_path / "html", pipeline.DataState(data_copy.directory)) == {
        "boundaries": 0,
        "specs": 0,
        "columnar datasets": 0,
        "chart data": 0,
    }  # all done before
    assert page.read_text() == text
    assert (tmp_path / "html" / "_static" / "chart-data" / "altair-viz-1.csv").is_file()
