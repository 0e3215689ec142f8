"""Reading proposals: the list and its exports, and the read view.

Views fetch proposals only through ``Proposal.objects.visible_to(user)`` (not
visible: 404). The read view and a proposal's downloads (checklist.views.exports) show
the same content (``reading_context``): the proposal against the checklist version it
was written against (its pinned ``template``), its goals and its history.
"""

import csv
import datetime

from django.core.paginator import Paginator
from django.db.models import FilteredRelation, Q
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.context_processors import csrf
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Channel
from accounts.platforms import Platform
from accounts.spreadsheets import spreadsheet_safe, xlsx_response
from checklist.access import reviews_proposals
from checklist.caching import PROPOSAL_CHANNELS, PROPOSALS
from checklist.filters import ProposalFilter
from checklist.forms import MeetingForm
from checklist.models import ChecklistItem, Goal, Proposal
from checklist.review_changes import since_review
from checklist.views.proposals import MAX_MATCHES
from core import roles
from core.caching import cached_listing
from core.choices import choice_label
from core.names import name_of, person_name
from core.person_facts import PEOPLE

PAGE_SIZE = 25


def _rows(proposals, with_submitter=False):
    """What each row of a proposal list shows, worked out once in Python."""
    platforms = dict(Proposal._meta.get_field("platform").choices)
    states = dict(Proposal.State.choices)
    for proposal in proposals:
        yield {
            "url": proposal.get_absolute_url(),
            "name": str(proposal),
            "platform": platforms.get(proposal.platform, ""),
            "unit": proposal.unit.name if proposal.unit else "",
            "state": states[proposal.state],
            "state_value": proposal.state,
            "submitter": person_name(proposal.submitter) if with_submitter else "",
            "updated_at": proposal.updated_at,
        }


@require_GET
def proposal_list(request):
    user = request.user
    reviews = reviews_proposals(user)  # the reader's facts, read before the listing's
    # The reader's own list (and, for a reviewer, the others' they may see), until a
    # proposal, a unit, a name shown or the reader's roles change
    # (checklist.caching.PROPOSALS, core.person_facts.PEOPLE): it was rendered on every
    # view, 3.5 ms of CPU for a page of 25.
    listing = cached_listing(
        request,
        PROPOSALS,
        lambda: _proposal_listing(request, user, reviews),
        scope=f"list:{user.pk}:{PEOPLE.current()}",
    )
    return render(request, "checklist/proposal_list.html", {"listing": listing})


def _proposal_listing(request, user, reviews):
    filterset = ProposalFilter(request.GET, queryset=Proposal.objects.all())
    query = request.GET.copy()
    for key in ("page", "others_page"):
        query.pop(key, None)
    own = filterset.qs.filter(submitter=user).select_related("unit")
    page = Paginator(own, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "filtered": any(request.GET.get(name) for name in filterset.filters),
        "query": query.urlencode(),
        "page": page,
        "rows": list(_rows(page.object_list)),
    }
    if reviews:
        others = (
            filterset.qs.filter(pk__in=Proposal.objects.visible_to(user).values("pk"))
            .exclude(submitter=user)
            .select_related("unit", "submitter")
        )
        others_page = Paginator(others, PAGE_SIZE).get_page(request.GET.get("others_page"))
        context |= {
            "others_page": others_page,
            "other_rows": list(_rows(others_page.object_list, with_submitter=True)),
        }
    # No context processors: nothing here depends on who asks but the querysets.
    return render_to_string("checklist/_proposal_list_listing.html", context)


def _export(request):
    """Every proposal the reader may see (their own and, for reviewers, the others'),
    as the list's filters chose: the header and rows of Python values (dates as dates,
    days as numbers), for the CSV and the XLSX alike."""
    proposals = ProposalFilter(
        request.GET, queryset=Proposal.objects.visible_to(request.user)
    ).qs.select_related("unit", "submitter", "proposed_owner", "proposed_deputy")
    header = [
        _("Name"),
        _("Platform"),
        _("Handle or address"),
        _("Unit"),
        _("State"),
        _("Submitter"),
        _("Submitter's e-mail"),
        _("Proposed responsible owner"),
        _("Proposed deputy"),
        _("Created"),
        _("Submitted"),
        _("Last change"),
        _("Days since submitted"),
    ]
    platforms = dict(Proposal._meta.get_field("platform").choices)
    states = dict(Proposal.State.choices)
    now = timezone.now()

    def rows():
        for proposal in proposals.iterator(chunk_size=1000):
            submitted = proposal.submitted_at
            yield [
                proposal.name,
                platforms.get(proposal.platform, ""),
                proposal.profile,
                proposal.unit.name if proposal.unit else "",
                states[proposal.state],
                person_name(proposal.submitter),
                proposal.submitter.email,
                person_name(proposal.proposed_owner),
                person_name(proposal.proposed_deputy),
                proposal.created_at,
                submitted,
                proposal.updated_at,
                (now - submitted).days if submitted else None,
            ]

    return header, rows()


def _export_filename(extension):
    return f"proposals-{timezone.localdate():%Y-%m-%d}.{extension}"


@require_GET
def export_csv(request):
    header, rows = _export(request)

    def cell(value):
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        return spreadsheet_safe(value)

    def lines():
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(header)  # UTF-8 for spreadsheets
        for row in rows:
            yield writer.writerow([cell(value) for value in row])

    return StreamingHttpResponse(
        lines(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_export_filename("csv")}"'},
    )


@require_GET
def export_xlsx(request):
    header, rows = _export(request)
    return xlsx_response(
        rows,
        header=header,
        filename=_export_filename("xlsx"),
        title=_("Proposals"),
        widths=[32, 12, 32, 28, 18, 24, 30, 24, 24, 17, 17, 17, 10],
    )


class _Echo:
    def write(self, value):
        return value


def readable_proposal(request, pk):
    # The unit's head too: who endorses it (Proposal.endorser()), which the page asks
    # while the proposal awaits the unit head, one query less.
    return get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related(
            "template", "unit__head", "submitter", "proposed_owner", "proposed_deputy"
        ),
        pk=pk,
    )


def reading_context(proposal):
    """Everything the read view and the exports show, in a fixed number of queries,
    as rows of values (no model instance: cheaper to build, to cache and for the
    template engine to read) with their labels in the current language."""
    # Each item of its checklist with the proposal's answer to it (at most one): one
    # query, in the checklist's order (Meta.ordering's "template" is one template here,
    # and would join it for its version).
    answered = FilteredRelation("answers", condition=Q(answers__proposal=proposal))
    items = [
        ({"pk": pk, "key": key, "title": title}, text or "")
        for pk, key, title, text in ChecklistItem.objects.filter(template=proposal.template_id)
        .order_by("ordering", "pk")
        .annotate(answer=answered)
        .values_list("pk", "key", "title", "answer__text")
    ]
    metrics = dict(Goal.Metric.choices)
    states = dict(Proposal.State.choices)
    return {
        "proposal": proposal,
        "items": items,
        "goals": [
            {"metric": str(metrics.get(metric, metric)), "target_value": value, "target_date": by}
            for metric, value, by in proposal.goals.values_list(
                "metric", "target_value", "target_date"
            )
        ],
        "transitions": [
            {
                "at": at,
                "actor_name": name_of(first_name, last_name, username),
                "from_state": str(states.get(from_state, from_state)),
                "to_state": str(states.get(to_state, to_state)),
                "comment": comment,
                "action": action,
                "payload": payload,
            }
            for (
                at,
                first_name,
                last_name,
                username,
                from_state,
                to_state,
                comment,
                action,
                payload,
            ) in proposal.transitions.values_list(
                "at",
                "actor__first_name",
                "actor__last_name",
                "actor__username",
                "from_state",
                "to_state",
                "comment",
                "action",
                "payload",
            )
        ],
        "owner_name": person_name(proposal.proposed_owner),
        "deputy_name": person_name(proposal.proposed_deputy),
        "submitter_name": person_name(proposal.submitter),
    }


# Where the submitter sees the reviewers' item comments: once changes were asked
# for (while in review they are the reviewers' working notes).
_COMMENTS_SHOWN_TO_SUBMITTER = [
    Proposal.State.CHANGES_REQUESTED,
    Proposal.State.APPROVED,
    Proposal.State.REJECTED,
    Proposal.State.WITHDRAWN,
]
_WITHDRAWABLE = [
    Proposal.State.DRAFT,
    Proposal.State.AWAITING_UNIT_HEAD,
    Proposal.State.IN_REVIEW,
    Proposal.State.CHANGES_REQUESTED,
]


def _decision(action, label, style, comment_label="", required=False):
    return {
        "action": action,
        "label": label,
        "style": style,
        "comment_label": comment_label,
        "required": required,
        # Every key the template reads (a refused form's message and text, shown again)
        "problems": None,
        "error": None,
        "value": "",
    }


def _decisions(proposal, user):
    """The decision forms ``user`` may use on the page (the model still decides)."""
    State = Proposal.State
    is_submitter = user.pk == proposal.submitter_id
    why = _("Comment for the submitter (required)")
    optional = _("Comment (optional)")
    decisions = []
    may_endorse = (
        proposal.state == State.AWAITING_UNIT_HEAD
        and not is_submitter
        and (user == proposal.endorser() or roles.is_portal_admin(user))
    )
    if may_endorse:
        decisions += [
            _decision("endorse", _("Endorse"), "btn-success", optional),
            _decision(
                "request_changes", _("Return to submitter"), "btn-warning", why, required=True
            ),
        ]
    if proposal.state == State.IN_REVIEW and proposal.can_review(user):
        decisions += [
            _decision("request_changes", _("Request changes"), "btn-warning", why, required=True),
            _decision("approve", _("Approve"), "btn-success", optional)
            | {"problems": proposal.approval_problems()},
            _decision("reject", _("Reject"), "btn-danger", why, required=True),
        ]
    if is_submitter and proposal.state == State.CHANGES_REQUESTED:
        decisions.append(_decision("resubmit", _("Resubmit"), "btn-primary"))
    if is_submitter and proposal.state in _WITHDRAWABLE:
        decisions.append(_decision("withdraw", _("Withdraw"), "btn-outline-danger", optional))
    return decisions


def _registry_channels(proposal):
    """The registry's side of the page, the same for every reader (cached:
    checklist.caching.PROPOSAL_CHANNELS)."""
    return {"similar_channels": _similar_channels(proposal), "channel": _channel_of(proposal)}


def _similar_channels(proposal):
    """The running channels like the proposed one (Proposal.similar_channels(), what
    the form listed), without the channel the proposal itself became: one query, of
    the fields the page shows, as rows (their labels in the reader's language:
    _similar_rows)."""
    channels = proposal.similar_channels().exclude(origin_proposal=proposal)
    return [
        {
            "url": reverse("accounts:detail", args=[pk]),  # Channel.get_absolute_url()
            "name": name,
            "platform": platform,
            "unit": unit,
            "status": status,
        }
        for pk, name, platform, unit, status in channels.values_list(
            "pk", "name", "platform", "unit__name", "status"
        )[:MAX_MATCHES]
    ]


def _similar_rows(rows):
    """The cached similar channels, their platform and status in the reader's words."""
    return [
        row
        | {
            "platform": choice_label(Platform, row["platform"]),
            "status": choice_label(Channel.Status, row["status"]),
        }
        for row in rows
    ]


def _channel_of(proposal):
    """The registry entry of an approved proposal (every staff member may read it), or
    None: one query, and none before the approval."""
    if proposal.state != Proposal.State.APPROVED:
        return None
    return Channel.objects.filter(origin_proposal=proposal).only("pk", "name").first()


def _own_proposal_note(proposal, user):
    """Why the submitter, who reviews or endorses others' proposals, cannot act on this
    one (their page shows no decision but "Withdraw"); empty for everyone else."""
    State = Proposal.State
    if user.pk != proposal.submitter_id:
        return ""
    if proposal.state == State.IN_REVIEW and (
        proposal.is_reviewer(user) or roles.is_portal_admin(user)
    ):
        return _(
            "You review this platform's proposals, but not your own: another reviewer "
            "decides on it."
        )
    if (
        proposal.state == State.AWAITING_UNIT_HEAD
        and proposal.unit
        and (proposal.unit.head_id == user.pk)
    ):
        endorser = proposal.endorser()
        if endorser is not None:
            return _("You head %(unit)s, so %(name)s endorses your proposal on its behalf.") % {
                "unit": proposal.unit.name,
                "name": person_name(endorser),
            }
    return ""


def detail_page(
    request, proposal, *, decision_error=None, comment_error=None, meeting_form=None, status=200
):
    """The read view, with the forms ``request.user`` may act with; the decision
    views show it again (status 400) with a refused form's message."""
    user = request.user
    can_review = proposal.can_review(user)
    is_submitter = user.pk == proposal.submitter_id
    show_comments = (
        can_review
        or (is_submitter and proposal.state in _COMMENTS_SHOWN_TO_SUBMITTER)
        or (not is_submitter and proposal.state != Proposal.State.DRAFT and roles.is_reviewer(user))
    )
    body = _body(
        proposal,
        show_comments=show_comments,
        # Whoever asked for the changes (a reviewer or the unit head) sees what the
        # resubmission changed; so does everyone else who reads it, but its submitter.
        show_changes=not is_submitter,
        reviewer=request if can_review else None,
        comment_error=comment_error,
    )
    context = {
        "proposal": proposal,
        "body": body,
        "can_edit": proposal.can_edit(user),
        # The registry's channels it may duplicate, as the submitter saw them while
        # writing (the office coordinates the portfolio), and the channel it became.
        **PROPOSAL_CHANNELS.get([proposal.pk], lambda: _registry_channels(proposal)),
    }
    context["similar_channels"] = _similar_rows(context["similar_channels"])
    decisions = _decisions(proposal, user)
    if decision_error:
        for decision in decisions:
            if decision["action"] == decision_error["action"]:
                decision["error"] = decision_error["messages"]
                decision["value"] = decision_error["comment"]
    context |= {
        "decisions": decisions,
        "can_review": can_review,
        "show_comments": show_comments,
        "is_submitter": is_submitter,
        "own_proposal_note": _own_proposal_note(proposal, user),
        "meeting_form": meeting_form or (MeetingForm(instance=proposal) if can_review else None),
    }
    return render(request, "checklist/proposal_detail.html", context, status=status)


def _body_data(proposal):
    """What a proposal's content shows, the same for every reader: the reading context
    and every comment of the page (one query), grouped by item. Not the proposal
    itself: the page has it already (cached, it cost a pickling of it and of the six
    rows fetched with it)."""
    context = reading_context(proposal)
    del context["proposal"]
    context["changes"] = since_review(
        context["transitions"],
        [item for item, _answer in context["items"]],
        {item["pk"]: answer for item, answer in context["items"]},
    )
    for transition in context["transitions"]:
        del transition["payload"]  # the answers as reviewed: since_review's only
    context["comments"] = {}
    for item, text, at, first_name, last_name, username in proposal.comments.values_list(
        "item", "text", "at", "author__first_name", "author__last_name", "author__username"
    ):
        context["comments"].setdefault(item, []).append(
            {"text": text, "at": at, "author_name": name_of(first_name, last_name, username)}
        )
    return context


def _body(proposal, *, show_comments, show_changes=False, reviewer=None, comment_error=None):
    """The proposal's content as the read view shows it (checklist/_proposal_body.html),
    with the reviewers' comments on each answer when ``show_comments``, what the last
    resubmission changed in each answer when ``show_changes``, and a comment
    form on each for the request ``reviewer`` (``comment_error``: a refused one, shown
    again). Rendered for each reader from data that is the same for all of them,
    cached per proposal until it changes (checklist.caching.PROPOSALS)."""
    context = PROPOSALS.get(["body", proposal.pk, get_language()], lambda: _body_data(proposal))
    changes = context["changes"] if show_changes else None
    context["changes"] = changes
    # Each item as the template reads it, a dict with every key it asks for (a lookup
    # the template engine misses on a model instance costs it a dir() of the instance).
    rows = []
    for item, answer in context["items"]:
        row = {
            "key": item["key"],
            "title": item["title"],
            # What the resubmission changed in this answer since the review.
            "change": changes["items"].get(item["pk"]) if changes else None,
        }
        if show_comments:
            refused = (
                comment_error if comment_error and comment_error["item"] == item["key"] else None
            )
            row |= {
                "review_comments": context["comments"].get(item["pk"], []),
                "comment_error": refused["messages"] if refused else None,
                "comment_value": refused["text"] if refused else "",
            }
        rows.append((row, answer))
    context |= {
        "proposal": proposal,
        "items": rows,
        "show_comments": show_comments,
        "can_review": reviewer is not None,
    }
    if reviewer is not None:
        # The forms' CSRF token only: the context processors ran for the page already;
        # and their address, the same for every item.
        context |= csrf(reviewer) | {
            "comment_url": reverse("checklist:comment", args=[proposal.pk])
        }
    return render_to_string("checklist/_proposal_body.html", context)


@require_GET
def detail(request, pk):
    return detail_page(request, readable_proposal(request, pk))
