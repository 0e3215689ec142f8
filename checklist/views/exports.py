"""A proposal's downloads, as Markdown and as a standalone HTML file: the same content
as the read view (checklist.views.reading), the proposal's text unable to become markup or
links, through the same access rule (``Proposal.objects.visible_to``, else 404)."""

import base64
import hashlib
import re

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from checklist.views.reading import readable_proposal, reading_context


def _filename(proposal, extension):
    return f"{slugify(proposal.name) or 'proposal'}-{proposal.pk}.{extension}"


def _attachment(content, content_type, filename):
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _export_policy():
    """The HTML export's Content Security Policy: its inline stylesheet (a saved file
    has no other) by its hash, and nothing else: no script, image, font or form."""
    css = render_to_string("checklist/proposal_export.css")
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    return f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"


@require_GET
def export_html(request, pk):
    proposal = readable_proposal(request, pk)
    policy = _export_policy()
    context = reading_context(proposal) | {"export_policy": policy}
    html = render_to_string("checklist/proposal_export.html", context, request)
    response = _attachment(html, "text/html; charset=utf-8", _filename(proposal, "html"))
    # Set here, the portal's own policy (CSPMiddleware) leaves it as it is.
    response["Content-Security-Policy"] = f"{policy}; frame-ancestors 'none'"
    return response


# --- Markdown ------------------------------------------------------------------------

# Every character that can start Markdown structure (CommonMark and the usual
# extensions: tables, strikethrough), escaped with a backslash wherever it appears.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~=:])")


def markdown_escape(text):
    """``text`` as literal Markdown: no headings, lists, emphasis, links, images, code,
    tables or raw HTML can come out of it. Angle brackets and ampersands become HTML
    entities (so ``<script>`` is shown, never run); line breaks are kept as hard
    breaks; leading indentation is dropped (it would make a code block)."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for line in text.split("\n"):
        line = _MARKDOWN_SPECIAL.sub(r"\\\1", line.strip())
        line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        lines.append(line)
    # Two trailing spaces: a hard line break inside a paragraph; blank lines stay
    # paragraph breaks.
    out = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        out.append(line + "  " if line and following else line)
    return "\n".join(out).strip("\n")


def _markdown(context):
    proposal = context["proposal"]
    e = markdown_escape
    none = _("(not given)")
    submitted = proposal.submitted_at and timezone.localtime(proposal.submitted_at)
    out = [f"# {e(str(proposal))}", ""]
    facts = [
        (_("Platform"), proposal.get_platform_display() or none),
        (_("Unit"), proposal.unit.name if proposal.unit else none),
        (_("State"), proposal.get_state_display()),
        (_("Submitter"), context["submitter_name"]),
        (_("Submitted"), submitted.strftime("%Y-%m-%d") if submitted else none),
        (_("Checklist"), _("Checklist v%(version)s") % {"version": proposal.template.version}),
        (_("Proposed responsible owner"), context["owner_name"] or none),
        (_("Proposed deputy"), context["deputy_name"] or none),
        (_("Languages"), proposal.languages or none),
        (_("Handle or address"), proposal.profile or none),
    ]
    for label, value in facts:
        out.append(f"- **{e(label)}:** {e(value)}")
    if proposal.is_showcase_page:
        out += ["", e(_("This is a LinkedIn showcase page."))]
    out.append("")
    for item, answer in context["items"]:
        out += [f"## {e(_(item['title']))}", "", e(answer) if answer.strip() else e(none), ""]
    if proposal.why_new_channel.strip():
        out += [f"## {e(_('Why a new channel is needed'))}", "", e(proposal.why_new_channel), ""]
    out += [f"## {e(_('Goals'))}", ""]
    if context["goals"]:
        out += [f"| {e(_('Measure'))} | {e(_('Target'))} | {e(_('By'))} |", "| --- | --- | --- |"]
        for goal in context["goals"]:
            out.append(
                f"| {e(goal['metric'])} | {format(goal['target_value'].normalize(), 'f')} "
                f"| {goal['target_date'].isoformat()} |"
            )
    else:
        out.append(e(_("No goals yet.")))
    out += ["", f"## {e(_('History'))}", ""]
    if context["transitions"]:
        for transition in context["transitions"]:
            line = (
                f"- {timezone.localtime(transition['at']).strftime('%Y-%m-%d %H:%M')}, "
                f"{e(transition['actor_name'])}: "
                f"{e(transition['from_state'])} → {e(transition['to_state'])}"
            )
            if transition["comment"].strip():
                # Indented under its list item: a paragraph of the item.
                comment = e(transition["comment"]).replace("\n", "\n  ")
                line += f"\n\n  {comment}\n"
            out.append(line)
    else:
        out.append(e(_("Not submitted yet.")))
    return "\n".join(out).rstrip() + "\n"


@require_GET
def export_markdown(request, pk):
    proposal = readable_proposal(request, pk)
    document = _markdown(reading_context(proposal))
    return _attachment(document, "text/markdown; charset=utf-8", _filename(proposal, "md"))
