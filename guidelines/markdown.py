"""Guideline bodies are Markdown, turned into HTML that can carry no script.

Two layers: markdown-it-py renders CommonMark with raw HTML disabled (a ``<script>``
in the text comes out as visible text) and refuses ``javascript:``, ``vbscript:``
and ``data:`` links; nh3 then keeps only the tags and attributes a guideline needs,
and only http, https and mailto links. Either layer alone would do; both together
mean a mistake in one is not a hole.
"""

import difflib
import re
from html.parser import HTMLParser

import nh3
from django.utils.html import escape, format_html
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


# --- The difference between two versions, as the reader sees them ---------------------

# The elements whose text is one block of the rendered page, and how each is shown.
BLOCKS = {
    "p": "paragraph",
    "h2": "heading",
    "h3": "heading",
    "h4": "heading",
    "h5": "heading",
    "h6": "heading",
    "li": "item",
    "pre": "code",
    "th": "cell",
    "td": "cell",
}


class _Blocks(HTMLParser):
    """The text of each block of rendered Markdown, innermost block first served: a
    paragraph inside a list item is the item's text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []  # [(kind, text)]
        self._open = []  # [(tag, kind, [text parts])]

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            if self._open:
                self._flush()
            self._open.append((tag, BLOCKS[tag], []))
        elif tag == "br" and self._open:
            self._open[-1][2].append("\n")

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            self._flush()
            self._open.pop()

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)

    def _flush(self):
        _tag, kind, parts = self._open[-1]
        text = " ".join("".join(parts).split()) if kind != "code" else "".join(parts).strip()
        if text:
            self.blocks.append((kind, text))
        parts.clear()


def text_blocks(markdown_text):
    """[(kind, text)] of ``markdown_text`` as rendered: what a reader sees, without
    the Markdown signs."""
    parser = _Blocks()
    parser.feed(str(render_markdown(markdown_text)))
    parser.close()
    return parser.blocks


_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def _marked(old, new):
    """One block changed: its text with removed words in <del> and added ones in
    <ins>, everything escaped. Changes separated only by a space are one change."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces = []  # [[equal?, old text, new text]]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        same = tag == "equal"
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if pieces and not same and not pieces[-1][0]:
            pieces[-1][1] += removed
            pieces[-1][2] += added
        else:
            pieces.append([same, removed, added])
    # A space alone between two changes joins them.
    merged = []
    for piece in pieces:
        if (
            len(merged) >= 2
            and not piece[0]
            and merged[-1][0]
            and not merged[-1][1].strip()
            and not merged[-2][0]
        ):
            space = merged.pop()
            merged[-1][1] += space[1] + piece[1]
            merged[-1][2] += space[2] + piece[2]
        else:
            merged.append(piece)
    parts = []
    for same, removed, added in merged:
        if same:
            parts.append(escape(removed))
            continue
        if removed:
            parts.append(format_html("<del>{}</del>", removed))
        if added:
            parts.append(format_html("<ins>{}</ins>", added))
    return _joined(parts)


def _joined(parts):
    """Safe pieces (each escaped by format_html or escape) as one safe string."""
    return format_html("{}" * len(parts), *parts) if parts else escape("")


def rendered_diff(old_text, new_text):
    """The difference between two Markdown texts as their readers see them: a list of
    blocks (paragraphs, headings, list items...), each a dict with ``change`` ("same",
    "changed", "added" or "removed"), ``kind`` (BLOCKS) and ``html``: the block's text,
    escaped, with changed words marked <del> and <ins>."""
    old, new = text_blocks(old_text), text_blocks(new_text)
    rows = []

    def whole(change, block, tag):
        kind, text = block
        html = format_html(f"<{tag}>{{}}</{tag}>", text) if tag else escape(text)
        rows.append({"change": change, "kind": kind, "html": html})

    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for block in new[j1:j2]:
                whole("same", block, None)
            continue
        removed, added = old[i1:i2], new[j1:j2]
        if tag == "replace":
            # Blocks changed in place: word by word, pair for pair.
            for before, after in zip(removed, added, strict=False):
                rows.append(
                    {"change": "changed", "kind": after[0], "html": _marked(before[1], after[1])}
                )
            removed, added = removed[len(added) :], added[len(removed) :]
        for block in removed:
            whole("removed", block, "del")
        for block in added:
            whole("added", block, "ins")
    return rows
