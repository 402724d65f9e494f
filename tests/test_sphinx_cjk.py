"""The book's Sphinx extension: the Chinese font, cut into slices by the pages that use them."""

import re
from pathlib import Path

import pytest
from docutils import nodes

from scs_book.sphinx import cjk


def test_unicode_range_joins_consecutive_characters_and_nothing_else():
    assert cjk.unicode_range(set("信用社会一")) == "U+4E00, U+4F1A, U+4FE1, U+7528, U+793E"
    assert cjk.unicode_range({"一", "丁", "七", "丅"}) == "U+4E00-4E01, U+4E03, U+4E05"


def test_pages_that_share_characters_share_a_slice_and_each_page_needs_only_its_own():
    by_page = {"a": "信用社", "b": "社会", "c": "会"}
    font_slices = cjk.slices(by_page)
    assert sorted(font_slices) == sorted(["信用", "社", "会"])
    for characters in by_page.values():
        wanted = [piece for piece in font_slices if set(piece) & set(characters)]
        assert set("".join(wanted)) == set(characters)


def test_the_slices_are_declared_apart_from_the_font_stacks():
    """The family's use (on the first paint's path) names no font file; the faces (turned on
    after load) declare one per slice, each limited to its own characters."""
    use, faces = cjk.stylesheet(), cjk.font_faces(["信用", "社"])
    assert "@font-face" not in use and "url(" not in use
    assert re.search(rf':lang\(zh\)[^{{]*\{{ font-family: "{cjk.FONT_FAMILY}", var\(', use)
    rules = re.findall(r"@font-face \{[^}]*\}", faces)
    assert len(rules) == 2
    assert 'src: url("fonts/scs-noto-sans-sc-1.woff2")' in rules[0]
    assert rules[0].endswith("unicode-range: U+4FE1, U+7528; }")
    assert rules[1].endswith("unicode-range: U+793E; }")


def test_chinese_runs_in_prose_are_marked_but_not_in_code():
    paragraph = nodes.paragraph("", "", nodes.Text("The 社会信用 system, "))
    paragraph += nodes.literal("", "信用")
    cjk.mark_chinese_runs(paragraph)
    marked = [node.astext() for node in paragraph.findall(cjk.chinese)]
    assert marked == ["社会信用"]
    assert paragraph.astext() == "The 社会信用 system, 信用"
    assert cjk.characters_in(paragraph) == set("社会信用")


@pytest.mark.skipif(not Path(cjk.DEFAULT_FONT[0]).is_file(), reason="needs fonts-noto-cjk")
def test_a_slice_holds_its_characters_and_carries_the_fonts_copyright_and_licence(tmp_path):
    from fontTools.ttLib import TTFont

    target = tmp_path / "slice.woff2"
    cjk.subset_font(Path(cjk.DEFAULT_FONT[0]), cjk.DEFAULT_FONT[1], set("信用"), target)
    font = TTFont(target)
    assert font.flavor == "woff2"
    assert {chr(point) for point in font.getBestCmap()} >= set("信用")
    assert "Adobe" in font["name"].getDebugName(0)
    assert "SIL Open Font License" in font["name"].getDebugName(13)
    assert "OFL" in font["name"].getDebugName(14)
