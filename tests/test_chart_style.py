"""The one chart theme (figures.style) and what every chart the notebooks store obeys: the
width of its column, text never under 11 px, marks that contrast with the background,
numbered and unique titles, short footers with a licence and one provenance link."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from scs_book import figures
from scs_book.chart_output import CHART_MIME
from scs_book.figures import labels, style
from scs_book.paths import ROOT

CHAPTERS = {
    "01_general_framework": "I",
    "02_history": "II",
    "03_reality": "III",
    "05_conclusions": "V",
}
LICENCE_TEXTS = (
    "https://creativecommons.org/licenses/",
    "https://creativecommons.org/publicdomain/",
    "https://www.naturalearthdata.com/about/terms-of-use/",
)


def theme() -> dict:
    return style.theme_config()


def walk(value, key=None):
    """Every (key, value) pair of a nested spec."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v
            yield from walk(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item, key)


def stored_charts() -> list[tuple[str, dict]]:
    found = []
    for stem in CHAPTERS:
        notebook = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            for output in cell.get("outputs", []):
                if CHART_MIME in output.get("data", {}):
                    found.append((stem, output["data"][CHART_MIME]))
    return found


CHARTS = stored_charts()


def test_there_are_charts_to_check():
    assert len(CHARTS) >= 12


# --- the theme ---------------------------------------------------------------------------


def test_charts_fill_their_container_and_only_fit_their_width():
    assert theme()["width"] == "container"
    assert theme()["autosize"] == {"type": "fit-x", "contains": "padding"}


def test_no_text_of_the_theme_is_under_the_minimum():
    sizes = [value for key, value in walk(theme()["config"]) if "fontsize" in key.lower()]
    assert sizes and min(sizes) >= style.MIN_FONT_SIZE == 11


def test_every_palette_colour_contrasts_3_to_1_with_the_background():
    for colour in [*style.PALETTE, style.MUTED]:
        assert style.contrast(colour) >= style.MIN_MARK_CONTRAST, colour
    assert style.contrast("#F0E442") < 3 and "#F0E442" not in style.PALETTE  # yellow is out


def test_contrast_is_the_wcag_ratio():
    assert style.contrast("#000000") == pytest.approx(21)
    assert style.contrast("#ffffff") == pytest.approx(1)
    assert style.contrast("#767676") == pytest.approx(4.54, abs=0.01)


def test_titles_wrap_to_a_phones_column_without_losing_words():
    title = {
        "text": "Figure III.4 (book): social credit demonstration areas, extending Figure 8",
        "subtitle": ["a " * 40, "short"],
    }
    wrapped = style.wrapped_title(title)
    assert all(len(line) <= style.TITLE_LINE for line in wrapped["text"])
    assert all(len(line) <= style.SUBTITLE_LINE for line in wrapped["subtitle"])
    assert " ".join(wrapped["text"]) == title["text"] and wrapped["subtitle"][-1] == "short"


def test_legends_above_or_below_a_chart_stack_from_its_left_edge():
    """Two legends side by side run past the right edge of a phone's column."""
    layout = theme()["config"]["legend"]["layout"]
    for orient in ("top", "bottom"):
        assert layout[orient] == {"direction": "vertical", "anchor": "start"}


def test_end_labels_get_the_width_of_the_longest_label_in_pixels():
    assert labels.label_room([494.25, 18.22], ".2f") == labels.GAP + 47  # six characters
    assert labels.label_room([161, 15]) == labels.GAP + 24  # three
    scale = labels.end_label_scale([161, 15], gap=7, nice=False).to_dict()
    assert scale == {"range": [0, {"expr": "max(width - 31, 0)"}], "nice": False}


def end_labelled_layers(spec: dict) -> list[dict]:
    """The layers of a spec that print a value past the end of its bar or dot."""
    return [
        layer
        for key, value in walk(spec)
        if key == "layer"
        for layer in value
        if isinstance(layer.get("mark"), dict)
        and layer["mark"].get("type") == "text"
        and layer["mark"].get("align") == "left"
        and layer.get("encoding", {}).get("x", {}).get("type") == "quantitative"
    ]


def test_the_bar_charts_print_their_values_at_the_bars_ends():
    assert sum(len(end_labelled_layers(bundle["spec"])) for _, bundle in CHARTS) >= 4


@pytest.mark.parametrize("stem, bundle", CHARTS, ids=[b["id"] for _, b in CHARTS])
def test_a_value_printed_past_a_bar_has_room_in_pixels(stem, bundle):
    """A domain padded by a share of its largest value leaves a phone a few pixels: the value
    past the longest bar then runs out of the chart."""
    for layer in end_labelled_layers(bundle["spec"]):
        scale_range = layer["encoding"]["x"].get("scale", {}).get("range")
        assert scale_range and "width -" in scale_range[1]["expr"], title_of(bundle)


# --- every chart the notebooks store ---------------------------------------------------------


def title_of(bundle: dict) -> str:
    return bundle["title"]


@pytest.mark.parametrize("stem, bundle", CHARTS, ids=[b["id"] for _, b in CHARTS])
def test_a_chart_has_no_fixed_width_and_no_text_under_11_px(stem, bundle):
    spec = bundle["spec"]
    assert spec["width"] == "container" and spec["autosize"]["type"] == "fit-x"
    for key, value in walk(spec):
        if key == "width":
            assert not isinstance(value, (int, float)), f"fixed width {value} in {title_of(bundle)}"
        if key in ("concat", "hconcat", "vconcat"):
            pytest.fail(f"{title_of(bundle)}: a concatenation cannot fill its container")
        if key.lower().endswith("fontsize"):
            assert value >= style.MIN_FONT_SIZE, title_of(bundle)
        if key in ("labelLimit", "titleLimit") and value:
            pytest.fail(f"{title_of(bundle)}: text truncated at {value} px")


@pytest.mark.parametrize("stem, bundle", CHARTS, ids=[b["id"] for _, b in CHARTS])
def test_category_colours_of_a_chart_contrast_with_the_background(stem, bundle):
    """Marks (points, bars, lines, text), not map areas, whose light fills are the point."""
    for _, value in [("", bundle["spec"]), *walk(bundle["spec"])]:
        if not (isinstance(value, dict) and "mark" in value and "encoding" in value):
            continue
        mark = value["mark"]["type"] if isinstance(value["mark"], dict) else value["mark"]
        if mark == "geoshape":
            continue
        for channel in ("color", "fill"):
            encoding = value["encoding"].get(channel, {})
            for colour in encoding.get("scale", {}).get("range", []):
                assert style.contrast(colour) >= 3, (title_of(bundle), colour)
            if isinstance(value["mark"], dict) and value["mark"].get(channel, "").startswith("#"):
                assert style.contrast(value["mark"][channel]) >= 3, title_of(bundle)


def test_every_chart_is_numbered_as_the_introduction_promises_and_titles_are_unique():
    numbers = []
    for stem, bundle in CHARTS:
        found = re.match(r"Figure (\d+|([IV]+)\.\d+ \(book\))( as a map)?:", title_of(bundle))
        assert found, title_of(bundle)
        if found[2]:  # the book's own figure: numbered in its chapter
            assert found[2] == CHAPTERS[stem], title_of(bundle)
        numbers.append(found[1])
    assert len(numbers) == len(set(numbers)), numbers
    assert len({title_of(bundle) for _, bundle in CHARTS}) == len(CHARTS)


class FooterParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.links, self.licences = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs["href"])
            if attrs.get("rel") == "license":
                self.licences.append(attrs["href"])

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("stem, bundle", CHARTS, ids=[b["id"] for _, b in CHARTS])
def test_a_footer_is_short_with_a_licence_and_one_provenance_link(stem, bundle):
    parser = FooterParser()
    parser.feed(bundle["footer_html"])
    text = "".join(parser.text)
    assert len(text) <= 300, text
    assert len(parser.links) <= 4, parser.links
    assert text.startswith("Source:") and text.count("Source:") == 1
    assert parser.licences and all(url.startswith(LICENCE_TEXTS) for url in parser.licences)
    provenance = [url for url in parser.links if "about-data.html#data-" in url]
    assert len(provenance) == 1
    about = (ROOT / "book" / "about-data.ipynb").read_text(encoding="utf-8")
    assert f'id=\\"{provenance[0].split("#")[1]}\\"' in about  # the anchor exists
    assert "sha256" not in text and "Alexandrescu" not in text  # no checksum, the paper once


def test_figure_1_draws_smaller_circles_over_larger_ones_and_names_the_largest():
    (bundle,) = [b for _, b in CHARTS if title_of(b).startswith("Figure 1:")]
    circles = [layer for layer in bundle["spec"]["layer"] if layer["encoding"].get("size")]
    assert circles and circles[0]["encoding"]["order"]["sort"] == "descending"
    named = [layer for layer in bundle["spec"]["layer"] if layer["mark"].get("type") == "text"]
    assert named, "the largest cities are not named on the map"


def test_table_2_chart_shows_the_rate_not_the_population():
    (bundle,) = [b for _, b in CHARTS if "Table 2 as a chart" in title_of(b)]
    fields = {v for k, v in walk(bundle["spec"]) if k == "field"}
    x_fields = {layer["encoding"]["x"]["field"] for layer in bundle["spec"]["layer"]}
    assert "per_1000" in x_fields and "population_2025" not in x_fields
    assert "per_1000_printed" in fields  # the national rate of Table 1, drawn as a line
    domains = [layer["encoding"]["x"]["scale"]["domain"] for layer in bundle["spec"]["layer"]]
    assert all(domain == domains[0] for domain in domains) and domains[0][0] > 0  # zoomed


def test_no_chart_puts_the_incomparable_stated_numbers_on_one_axis():
    titles = " ".join(title_of(bundle) for _, bundle in CHARTS).lower()
    for topic in ("agencies", "licence", "model cities"):
        assert topic not in titles, topic
    chapter = (ROOT / "notebooks" / "03_reality.ipynb").read_text(encoding="utf-8")
    for table in ("T_s3agencies", "T_s3licences", "T_s3stated"):
        assert table in chapter  # shown as tables of stated facts instead


def test_figures_module_exports_the_theme_colours():
    assert figures.MUTED == style.MUTED and figures.TEXT_COLOUR == style.TEXT_COLOUR


INTERNAL = {
    "position",
    "span_start",
    "span_end",
    "slot",
    "lane",
    "flag",
    "spoken",
    "label",
    "mid",
    "order",
    "company",
    "kind",
    "entry",
    "latitude",
    "longitude",
    "rank",
}


@pytest.mark.parametrize("stem, bundle", CHARTS, ids=[b["id"] for _, b in CHARTS])
def test_a_charts_data_table_has_reader_facing_columns_only(stem, bundle):
    columns = bundle["table"]["columns"]
    assert columns and not [c for c in columns if c in INTERNAL or "_" in c], columns
    assert bundle["table"]["rows"] and all(
        len(row) == len(columns) for row in bundle["table"]["rows"]
    )
