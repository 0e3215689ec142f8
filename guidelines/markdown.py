"""Guideline bodies are Markdown, turned into HTML that can carry no script.

Two layers: markdown-it-py renders CommonMark with raw HTML disabled (a ``<script>``
in the text comes out as visible text) and refuses ``javascript:``, ``vbscript:``
and ``data:`` links; nh3 then keeps only the tags and attributes a guideline needs,
and only http, https and mailto links. Either layer alone would do; both together
mean a mistake in one is not a hole.
"""

import nh3
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
_markdown.enable(["table", "strikethrough"])

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
# No style attribute, so table column alignment (which markdown-it writes as a style)
# is dropped: a small loss for never letting CSS in.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def render_markdown(text):
    """Safe HTML for ``text``; headings start at h2 (the page's title is the h1)."""
    html = _markdown.render(text or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # nosec B308 B703  # sanitised by nh3 just above
