"""The Markdown and HTML downloads of a proposal: the same content as the read view,
with the user's text unable to become markup or links."""

import base64
import hashlib

import pytest
from django.utils.html import escape
from markdown_it import MarkdownIt

from checklist.models import Answer, ChecklistTemplate, Proposal
from checklist.views.exports import markdown_escape

XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_ANSWER = "<script>alert(1)</script>"
LINK = "[x](javascript:alert(1))"


@pytest.fixture
def proposal(submitter, unit):
    proposal = Proposal.objects.create(
        template=ChecklistTemplate.objects.current(),
        submitter=submitter,
        unit=unit,
        platform="linkedin",
        name=XSS_NAME,
        why_new_channel=f"See {LINK}\n# Not a heading",
    )
    items = list(proposal.template.items.all())
    Answer.objects.create(proposal=proposal, item=items[0], text=XSS_ANSWER)
    Answer.objects.create(
        proposal=proposal, item=items[1], text=f"{LINK}\n![i](https://x.example/i.png)"
    )
    Answer.objects.create(proposal=proposal, item=items[2], text="Line one\nLine two")
    return proposal


def render(markdown):
    """As a Markdown viewer that lets raw HTML through would show it."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def test_the_markdown_export_is_a_download(submitter_client, proposal):
    response = submitter_client.get(f"/proposals/{proposal.pk}/proposal.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="img-srcx-onerroralert1-{proposal.pk}.md"'
    )


def test_the_markdown_export_has_the_content(submitter_client, proposal):
    text = submitter_client.get(f"/proposals/{proposal.pk}/proposal.md").content.decode()
    for item in proposal.template.items.all():
        assert f"## {markdown_escape(item.title)}\n" in text
    assert "Checklist v1" in text and "LinkedIn showcase page" in text
    assert "Line one  \nLine two" in text  # a hard line break


def test_user_text_cannot_inject_markdown_structure_or_html(submitter_client, proposal):
    text = submitter_client.get(f"/proposals/{proposal.pk}/proposal.md").content.decode()
    assert "<script>" not in text and "<img" not in text
    html = render(text)
    assert "<script" not in html and "<img" not in html
    assert "<a " not in html  # neither the javascript: link nor any other
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text
    assert "[x](javascript:alert(1))" in html
    assert "<h1>&lt;img src=x onerror=alert(1)&gt;</h1>" in html
    assert html.count("<h1>") == 1  # "# Not a heading" stayed text


@pytest.mark.parametrize(
    "text",
    [
        "# heading",
        "- item",
        "+ item",
        "1. item",
        "> quote",
        "***",
        "---",
        "Title\n===",
        "```\ncode\n```",
        "    indented",
        "*em* _em_ **strong**",
        "<b>bold</b>",
        "<https://evil.example>",
        "[a][b]\n[b]: https://evil.example",
        "| a | b |\n| - | - |",
        "\\*not escaped by the user\\*",
        "&lt;entity&gt;",
    ],
)
def test_markdown_escape_leaves_only_a_paragraph_of_the_text(text):
    html = render(markdown_escape(text))
    assert html.startswith("<p>") and html.count("<p>") == 1, html
    for tag in [
        "<h",
        "<li",
        "<blockquote",
        "<hr",
        "<pre",
        "<code",
        "<em",
        "<strong",
        "<a ",
        "<b>",
        "<table",
    ]:
        assert tag not in html, (text, html)


def test_the_html_export_is_a_standalone_download_with_escaped_text(submitter_client, proposal):
    response = submitter_client.get(f"/proposals/{proposal.pk}/proposal.html")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="img-srcx-onerroralert1-{proposal.pk}.html"'
    )
    html = response.content.decode()
    assert html.startswith("<!doctype html>") and "<style>" in html
    assert XSS_ANSWER not in html and XSS_NAME not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script" not in html  # no script at all in the file
    assert "Line one<br>Line two" in html
    # Not a page of the portal: no navigation, no forms.
    assert "<nav" not in html and "<form" not in html


def test_the_html_export_allows_its_own_stylesheet_by_hash_and_no_script(
    submitter_client, proposal
):
    response = submitter_client.get(f"/proposals/{proposal.pk}/proposal.html")
    html = response.content.decode()
    css = html.split("<style>", 1)[1].split("</style>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    policy = f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    assert css.startswith("/* The HTML export's own styles")
    assert response["Content-Security-Policy"] == f"{policy}; frame-ancestors 'none'"
    # The same policy inside the file, for when it is opened from the disk.
    assert f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">' in html
