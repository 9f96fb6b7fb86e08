from __future__ import annotations

from html.parser import HTMLParser

import pytest

from sdm_app.content.render import ALLOWED_TAGS, render_body

ALLOWED_SCHEMES = ("https:", "module:", "term:", "source:")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def assert_safe(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS, (tag, html)
        for name, value in attrs:
            assert tag == "a" and name == "href", (tag, name, html)
            assert value is not None and value.startswith(ALLOWED_SCHEMES), (value, html)
    return collector


def test_terms_citations_and_links() -> None:
    body = (
        "A [[dna|genes]] test finds a [[target]] [@b].\n\n"
        "See [other](module:germline) and [site](https://example.org/)."
    )
    html = render_body(body, ["a", "b"]).html
    assert '<a href="term:dna">genes</a>' in html
    assert '<a href="term:target">target</a>' in html
    assert '<sup><a href="source:b">[2]</a></sup>' in html
    assert '<a href="module:germline">other</a>' in html
    assert '<a href="https://example.org/">site</a>' in html
    assert_safe(html)


@pytest.mark.parametrize(
    ("body", "kept_text"),
    [
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("<b onclick='x()'>raw</b>", "<b onclick='x()'>raw</b>"),
        ("<img src=/etc/passwd>", "<img src=/etc/passwd>"),
        ("[go](javascript:alert(1))", "go"),
        ("[go](file:///etc/passwd)", "go"),
        ("[go](data:text/html;base64,PHNjcmlwdD4=)", "go"),
        ("[go](http://example.org)", "go"),
        ("[go](relative/page.html)", "go"),
        ("<javascript:alert(1)>", "javascript:alert(1)"),
        ("![alt text](https://example.org/a.png)", "alt text"),
        ("![alt](/etc/passwd)", "alt"),
        ("[[x|<b>bold</b>]]", "<b>bold</b>"),
        ('[[x" onmouseover="alert(1)]]', 'x" onmouseover="alert(1)'),
    ],
)
def test_author_text_never_becomes_markup(body: str, kept_text: str) -> None:
    rendered = render_body(body, [])
    collector = assert_safe(rendered.html)
    assert "<img" not in rendered.html and "<script" not in rendered.html
    assert kept_text in "".join(collector.text)
    assert kept_text in rendered.text or kept_text.replace("[[", "") in rendered.text


def test_headings_are_clamped() -> None:
    html = render_body("# One\n\n###### Six\n\n## Two", []).html
    assert "<h2>One</h2>" in html and "<h4>Six</h4>" in html and "<h2>Two</h2>" in html


def test_table_and_lists_survive() -> None:
    html = render_body("- a\n- b\n\n| x | y |\n|:--|--:|\n| 1 | 2 |\n", []).html
    assert "<ul>" in html and "<table>" in html and "style" not in html


def test_plain_text_has_words_not_marks() -> None:
    text = render_body("## Head\n\nTake [[dna|genes]] [@a].\n\n- item", ["a"]).text
    assert text == "Head Take genes. item"


def test_naughty_strings_render_as_text(blns: list[str]) -> None:
    for string in blns:
        rendered = render_body(string, ["a"])
        assert_safe(rendered.html)
        assert "<script" not in rendered.html.lower()
    rendered = render_body("\n\n".join(blns), ["a"])
    assert_safe(rendered.html)
