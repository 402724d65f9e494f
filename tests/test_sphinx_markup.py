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


def test_a_page_is_described_by_its_first_paragraph_of_prose_cut_at_a_word():
    from docutils.core import publish_doctree

    from scs_book.sphinx.meta import meta_tags, page_description

    doctree = publish_doctree(
        "Title\n=====\n\n- a list item that is long enough to count here\n\n"
        "Short.\n\n" + "A paragraph of prose, " * 12 + "end.\n"
    )
    description = page_description(doctree)
    assert description.startswith("A paragraph of prose, A paragraph")
    assert len(description) <= 160 and description.endswith(" A…")
    tags = meta_tags('Say "<b>"', description, "Book", None)
    assert 'content="Say &quot;&lt;b&gt;&quot;"' in tags and "og:url" not in tags
    assert 'property="og:url" content="https://example.org/a.html"' in meta_tags(
        "T", "d", "Book", "https://example.org/a.html"
    )
