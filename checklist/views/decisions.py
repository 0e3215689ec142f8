"""Acting on a proposal from its page: the decisions, the reviewers' item comments and
the review meeting.

Views fetch proposals only through ``Proposal.objects.visible_to(user)`` (not
visible: 404) and leave every decision to the proposal: its PermissionDenied is a 403,
its ValidationError (a missing comment, "already decided") a message on the proposal
page, never a 500.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from checklist.forms import DecisionForm, ItemCommentForm, MeetingForm
from checklist.models import Proposal
from checklist.views.reading import detail_page

# The actions a form on the proposal page may post, and what each says when done.
ACTIONS = {
    "endorse": gettext_lazy("The proposal is endorsed and sent to the reviewers."),
    "request_changes": gettext_lazy("The proposal is returned to the submitter."),
    "approve": gettext_lazy("The proposal is approved."),
    "reject": gettext_lazy("The proposal is rejected."),
    "withdraw": gettext_lazy("The proposal is withdrawn."),
    "resubmit": gettext_lazy("The proposal is sent back to the reviewers."),
}
# Decisions that must say why: refused without a comment, the form shown again.
COMMENT_REQUIRED = {"request_changes", "reject"}


def _visible(request, pk):
    return get_object_or_404(Proposal.objects.visible_to(request.user), pk=pk)


def _messages_of(error):
    return " ".join(str(message) for message in error.messages)


@require_POST
def decide(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    proposal = _visible(request, pk)
    comment = request.POST.get("comment", "")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        # Too long, or characters the database refuses: the form again, text kept.
        return detail_page(
            request,
            proposal,
            decision_error={
                "action": action,
                "comment": comment,
                "messages": form.errors["comment"],
            },
            status=400,
        )
    comment = form.cleaned_data["comment"]
    arguments = {"by": request.user}
    if action != "resubmit":
        arguments["comment"] = comment
    try:
        result = getattr(proposal, action)(**arguments)
    except ValidationError as error:
        refused_comment = getattr(error, "error_dict", {}).get("comment")
        if action in COMMENT_REQUIRED and refused_comment:
            # The form again, with the message next to the comment box.
            return detail_page(
                request,
                proposal,
                decision_error={
                    "action": action,
                    "comment": comment,
                    "messages": [str(m) for e in refused_comment for m in e.messages],
                },
                status=400,
            )
        if action == "resubmit" and hasattr(error, "error_dict"):
            messages.error(
                request,
                _("The proposal cannot be resubmitted yet: %(problems)s")
                % {"problems": _messages_of(error)},
            )
            return redirect("checklist:edit", proposal.pk)
        messages.error(request, _messages_of(error))
        return redirect(proposal)
    if action == "approve":
        messages.success(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                ACTIONS[action],
                reverse("accounts:detail", args=[result.pk]),
                _("See the planned channel in the registry."),
            ),
        )
    elif action == "endorse":
        messages.success(request, _endorsed(result))
    else:
        messages.success(request, ACTIONS[action])
    return redirect(proposal)


def _endorsed(told):
    """What the endorser reads: how many reviewers were told, or that nobody could be
    (the submitter is the only reviewer of the platform's proposals)."""
    if not told:
        return _(
            "The proposal is endorsed, but nobody other than its submitter reviews this "
            "platform's proposals: ask a portal administrator to decide on it."
        )
    return ngettext(
        "The proposal is endorsed and sent to the reviewers (%(count)s person told).",
        "The proposal is endorsed and sent to the reviewers (%(count)s people told).",
        len(told),
    ) % {"count": len(told)}


@require_POST
def comment(request, pk):
    proposal = _visible(request, pk)
    if not proposal.can_review(request.user):
        raise PermissionDenied
    form = ItemCommentForm(request.POST)
    form.is_valid()
    key = form.cleaned_data.get("item")
    item = proposal.template.items.filter(key=key).first() if key else None
    if item is None:
        messages.error(request, _("This item is not part of the proposal's checklist."))
        return redirect(proposal)
    if not form.is_valid():
        # Too long, or characters the database refuses: the page again, text kept.
        comment_error = {
            "item": item.key,
            "text": request.POST.get("text", ""),
            "messages": form.errors["text"],
        }
        return detail_page(request, proposal, comment_error=comment_error, status=400)
    try:
        proposal.comment_on(item=item, by=request.user, text=form.cleaned_data["text"])
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, _("Your comment is added."))
    return redirect(f"{proposal.get_absolute_url()}#item-{item.key}")


@require_POST
def meeting(request, pk):
    proposal = _visible(request, pk)
    if not proposal.can_review(request.user):
        raise PermissionDenied
    form = MeetingForm(request.POST, instance=proposal)
    if not form.is_valid():
        # Re-read the stored proposal: the invalid form must not show as saved.
        return detail_page(request, _visible(request, pk), meeting_form=form, status=400)
    proposal.record_meeting(by=request.user, **form.meeting())
    messages.success(request, _("The review meeting is saved."))
    return redirect(f"{proposal.get_absolute_url()}#meeting-heading")
