"""Chinese in the book's HTML: which characters are CJK, and runs of them marked as Chinese.

The book's Chinese is Simplified Chinese (document titles, numbers and names from mainland
sources), tagged ``zh-Hans`` so that screen readers, line breaking and font choice treat it as
such. Used by the tables and chart footers notebooks write, and by the Sphinx extension for prose.
"""

from __future__ import annotations

import re

# CJK radicals, symbols and punctuation (〔〕, 、, 。), ideographs (with extension A and the
# compatibility block) and full-width forms (（）, ，): the characters the CJK font draws.
CJK_RANGES = "\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK_RUN = re.compile(f"([{CJK_RANGES}]+(?:[0-9 ]*[{CJK_RANGES}]+)*)")
_CJK_CHAR = re.compile(f"[{CJK_RANGES}]")
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")


def is_cjk(char: str) -> bool:
    return bool(_CJK_CHAR.fullmatch(char))


def mark_chinese(html: str) -> str:
    """``html`` with each run of Chinese text (outside tags) in ``<span lang="zh-Hans">``.

    A run keeps digits and spaces between Chinese characters (〔2017〕2158号 is one run).
    """
    parts = _TAG_OR_TEXT.split(html)
    return "".join(
        part if index % 2 else CJK_RUN.sub(r'<span lang="zh-Hans">\1</span>', part)
        for index, part in enumerate(parts)
    )
