"""Guideline bodies are Markdown that can carry no script: real payloads stay inert,
in render_markdown() and on the published page."""

import re
from html.parser import HTMLParser

import pytest

from guidelines.markdown import render_markdown
from guidelines.models import Guideline

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<iframe src="https://evil.example">',
    "<svg onload=alert(1)>",
]


class _Tags(HTMLParser):
    """The elements and attributes a browser would build from the HTML."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_inert(html):
    """No element or attribute that runs script. Escaped payloads may still show as
    text (``&lt;img src=x onerror=alert(1)&gt;``): text runs nothing."""
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<iframe" not in lowered
    assert "<svg" not in lowered
    assert "<img" not in lowered
    # No real tag carries an event handler or a script or data link.
    assert re.search(r"<[a-z][^<>]*\son[a-z]+\s*=", lowered) is None
    assert re.search(r"<[a-z][^<>]*\shref\s*=\s*[\"']?\s*(javascript|data):", lowered) is None
    for tag, attributes in _Tags(html).tags:
        assert tag not in {"script", "iframe", "svg", "img", "object", "embed"}
        assert not [name for name in attributes if name.startswith("on")], tag
        href = (attributes.get("href") or "").strip().lower()
        assert not href.startswith(("javascript:", "data:", "vbscript:")), href


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_payload_renders_inert(payload):
    assert_inert(render_markdown(payload))


def test_all_payloads_together_render_inert():
    assert_inert(render_markdown("\n\n".join(PAYLOADS)))


def test_raw_html_is_shown_as_text():
    assert render_markdown("<script>alert(1)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    )


@pytest.mark.parametrize(
    "link",
    ['<a href="javascript:alert(1)">x</a>', "[x](JAVASCRIPT:alert(1))", "[x](vbscript:msgbox)"],
)
def test_a_script_link_is_no_link(link):
    assert "<a " not in render_markdown(link)


def test_an_escaped_payload_is_visible_text_not_an_element():
    assert render_markdown("<img src=x onerror=alert(1)>") == (
        "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n"
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_published_page_shows_each_payload_inert(client, reviewer, outsider, payload):
    guideline = Guideline.objects.create(slug="payload")
    guideline.publish(
        by=reviewer, title="Payload", summary="Summary.", body=f"Before.\n\n{payload}\n\nAfter."
    )
    client.force_login(outsider)
    page = client.get("/guidelines/payload/").content.decode()
    text = page[page.index('data-testid="guideline-text"') : page.index("</article>")]
    assert "<p>Before.</p>" in text
    assert "<p>After.</p>" in text
    assert_inert(text)
    # The whole page: its own scripts, from the static files, are the only ones.
    tags = _Tags(page).tags
    scripts = [attributes.get("src", "") for tag, attributes in tags if tag == "script"]
    assert scripts and all(src.startswith("/static/") for src in scripts)
    assert_inert(page.replace('<script src="/static/', '<x-static-script src="/static/'))


def test_headings_start_at_level_two_below_the_pages_title():
    assert render_markdown("# Main\n\n## Sub") == "<h2>Main</h2>\n<h2>Sub</h2>\n"


def test_normal_markdown_renders_as_expected():
    html = render_markdown(
        "## Answering\n\n"
        "Answer **within a day**, in *plain* language.\n\n"
        "- Be kind\n- Be quick\n\n"
        "1. Read\n2. Reply\n\n"
        "See [the handbook](https://example.org/handbook) or "
        "[write to us](mailto:comms@example.org)."
    )
    assert "<h2>Answering</h2>" in html
    assert "<p>Answer <strong>within a day</strong>, in <em>plain</em> language.</p>" in html
    assert "<ul>\n<li>Be kind</li>\n<li>Be quick</li>\n</ul>" in html
    assert "<ol>\n<li>Read</li>\n<li>Reply</li>\n</ol>" in html
    assert (
        '<a href="https://example.org/handbook" rel="noopener noreferrer">the handbook</a>' in html
    )
    assert '<a href="mailto:comms@example.org" rel="noopener noreferrer">write to us</a>' in html


def test_tables_render_without_inline_styles():
    html = render_markdown("| Platform | Answer within |\n|:--|--:|\n| Instagram | 1 day |")
    assert "<th>Platform</th>\n<th>Answer within</th>" in html
    assert "<td>Instagram</td>\n<td>1 day</td>" in html
    assert "style=" not in html
