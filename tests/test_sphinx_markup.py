"""The book's Sphinx extension: lighter highlighted code that looks the same."""

import re

import pytest

from scs_book.sphinx.markup import PLAIN_TOKEN_CLASSES, unwrap_plain_tokens

CODE = (
    '<div class="highlight"><pre><span></span><span class="n">table</span><span class="p">('
    '</span><span class="s2">&quot;a&quot;</span><span class="p">)</span><span class="w"> '
    '</span><span class="k">if</span></pre></div>'
)


def test_plain_tokens_lose_their_spans_and_nothing_else_changes():
    assert unwrap_plain_tokens(CODE) == (
        '<div class="highlight"><pre><span></span>table(<span class="s2">&quot;a&quot;</span>) '
        '<span class="k">if</span></pre></div>'
    )
    prose = '<p><span class="n">kept outside code</span></p>'
    assert unwrap_plain_tokens(prose + CODE).startswith(prose)


@pytest.mark.slow
def test_the_unwrapped_tokens_are_drawn_in_the_code_blocks_own_colour(built_book):
    """If the theme ever styles names, punctuation or spaces apart, unwrapping would show."""
    css = (built_book / "_static" / "pygments.css").read_text(encoding="utf-8")
    for theme in ("light", "dark"):
        base = re.search(
            rf'html\[data-theme="{theme}"\] \.highlight {{[^}}]*color: ([^;}} ]+)', css
        )[1]
        for token in PLAIN_TOKEN_CLASSES:
            rule = re.search(
                rf'html\[data-theme="{theme}"\] \.highlight \.{token} {{([^}}]*)}}', css
            )
            assert rule is None or rule[1].strip() == f"color: {base}", (theme, token, rule[1])
