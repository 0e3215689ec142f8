"""Writing proposals: the checklist form.

Views fetch proposals only through ``Proposal.objects.visible_to(user)`` (not visible:
404) and leave the decisions to the proposal (not editable: 403; incomplete: its
submit() lists every problem). A draft is saved first, whatever happens next: a
refused submit keeps everything saved and shows every problem at once.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Channel
from accounts.platforms import Platform, check_address
from checklist.forms import MATCH_FIELDS, AnswersForm, GoalFormSet, ProposalForm
from checklist.models import (
    ANSWER_MAX_LENGTH,
    MEASURABLE_GOALS,
    ChecklistTemplate,
    Goal,
    Proposal,
)
from core import roles
from core.names import person_name

MAX_MATCHES = 10
NEED_KEY = "need"

# The goal formset's prefix (its fields are goals-0-metric, ...).
GOALS = "goals"


def _require_staff(request):
    if not roles.is_staff_member(request.user):
        raise PermissionDenied


def _proposals():
    """Proposals with all the form page reads: a constant number of queries."""
    return Proposal.objects.select_related(
        "template", "unit", "proposed_owner", "proposed_deputy"
    ).prefetch_related("template__items", "answers", "goals")


# --- Duplicates ----------------------------------------------------------------------


def _similar(name="", profile="", unit="", platform=""):
    """Running channels like the typed ones, in one query. A unit that is not an id
    and an unknown platform are ignored, and so are null characters (the database
    cannot search for them; the form refuses them with a message)."""
    name, profile = (str(text or "").replace("\x00", "") for text in (name, profile))
    unit = str(unit or "")
    # isdigit() alone would let other scripts' digits ("²") through to int().
    unit_id = int(unit) if unit.isascii() and unit.isdigit() and len(unit) < 12 else None
    platform = platform if platform in Platform.values else ""
    channels = Channel.objects.similar_to(
        name=name, platform=platform, profile=profile, unit=unit_id
    )
    return list(channels[:MAX_MATCHES])


@require_GET
def matches(request):
    _require_staff(request)
    values = {name: request.GET.get(name, "")[:500] for name in MATCH_FIELDS}
    return render(request, "checklist/_matches.html", {"matches": _similar(**values)})


# --- Where each problem is shown -----------------------------------------------------


def _place(problems, field_names, item_keys):
    """Split {key: [messages]} into fields, items, goals and the rest."""
    placed = {"fields": {}, "items": {}, "goals": [], "general": []}
    for key, key_messages in problems.items():
        key_messages = [str(message) for message in key_messages]
        if key in field_names:
            placed["fields"].setdefault(key, []).extend(key_messages)
        elif key == MEASURABLE_GOALS:
            placed["goals"].extend(key_messages)
        elif key in item_keys:
            placed["items"].setdefault(key, []).extend(key_messages)
        else:
            placed["general"].extend(key_messages)
    return placed


def _links(placed, form, answers_form):
    """[{label, href, messages}] for a summary list, in the order of the page."""
    links = []
    for name, field_messages in placed["fields"].items():
        bound = form[name]
        links.append(
            {"label": bound.label, "href": f"#{bound.id_for_label}", "messages": field_messages}
        )
    for item in answers_form.items:
        if item.key in placed["items"]:
            bound = answers_form[item.key]
            links.append(
                {
                    "label": bound.label,
                    "href": f"#{bound.id_for_label}",
                    "messages": placed["items"][item.key],
                }
            )
    if placed["goals"]:
        links.append(
            {"label": _("Measurable goals"), "href": "#goals", "messages": placed["goals"]}
        )
    for message in placed["general"]:
        links.append({"label": "", "href": "", "messages": [message]})
    return links


def _row(bound_field, extra_errors=(), described_by=(), limit=False):
    """A field as the template shows it: its errors (the form's and the refused
    submit's), linked to the input with aria-describedby; ``limit``: show the length
    limit under it."""
    errors = [*bound_field.errors, *extra_errors]
    widget = bound_field.field.widget
    ids = list(described_by)
    if limit:
        ids.append(f"{bound_field.auto_id}_limit")
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}_helptext")
    if errors:
        ids.append(f"{bound_field.auto_id}_error")
        widget.attrs["aria-invalid"] = "true"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
    if ids:
        widget.attrs["aria-describedby"] = " ".join(ids)
    return {
        "field": bound_field,
        "errors": errors,
        "error_id": f"{bound_field.auto_id}_error",
        "limit": limit,
    }


# --- The page --------------------------------------------------------------------------


class _Page:
    """The proposal's three forms (channel, answers, goals), bound to ``data`` or
    showing the stored proposal, and what the page shows besides."""

    def __init__(self, proposal, data=None, problems=None):
        self.proposal = proposal
        self.items = list(proposal.template.items.all())
        self.answers = (
            {answer.item_id: answer for answer in proposal.answers.all()} if proposal.pk else {}
        )
        goals = proposal.goals.all() if proposal.pk else Goal.objects.none()
        # The progress is that of the stored proposal: read before a form changes it.
        self.progress = self._progress()
        self.stored = {
            "name": proposal.name,
            "profile": proposal.profile,
            "unit": proposal.unit_id,
            "platform": proposal.platform,
        }
        self.form = ProposalForm(data, instance=proposal)
        self.answers_form = AnswersForm(
            data,
            items=self.items,
            initial={
                item.key: answer.text
                for item in self.items
                if (answer := self.answers.get(item.pk))
            },
        )
        self.goals = GoalFormSet(data, queryset=goals, prefix=GOALS)
        self.problems = problems or {}
        self.stored_errors = self._stored_errors()
        self.review_request, self.review_comments = self._review()

    def _review(self):
        """Returned for changes: the request (the reviewer's reason) and the reviewers'
        comments, {item pk: [comments]}, to show beside the answers (two queries)."""
        proposal = self.proposal
        if proposal.state != Proposal.State.CHANGES_REQUESTED:
            return None, {}
        asked = (
            proposal.transitions.filter(action="proposal.changes_requested")
            .select_related("actor")
            .last()
        )
        comments = {}
        for comment in proposal.comments.select_related("author"):
            comments.setdefault(comment.item_id, []).append(comment)
        return asked, comments

    def _stored_errors(self):
        """{field: [messages]} for a stored value the form will not save again (an
        address that cannot be read, kept from before the form read addresses): shown
        next to the field, since the draft cannot be saved until it is corrected."""
        if self.form.is_bound or not self.proposal.pk:
            return {}
        try:
            check_address(self.proposal.profile)
        except ValidationError as error:
            return {"profile": error.messages}
        return {}

    def _progress(self):
        proposal = self.proposal
        required = [item for item in self.items if item.required]
        answered = [
            item
            for item in required
            if (answer := self.answers.get(item.pk)) is not None and answer.text.strip()
        ]
        return {
            "saved": proposal.pk is not None,
            "answered": len(answered),
            "required": len(required),
            "goals": len(proposal.goals.all()) if proposal.pk else 0,
            "problems": proposal.problems() if proposal.pk else {},
        }

    def is_valid(self):
        # Every form is checked, so that every message shows at once.
        return all([self.form.is_valid(), self.answers_form.is_valid(), self.goals.is_valid()])

    def has_errors(self):
        if not self.form.is_bound:
            return bool(self.problems)
        return bool(self.problems) or not self.is_valid()

    def save(self, user):
        """Save the channel fields, the answers and the goals (Proposal.save_draft());
        the draft stays saved whatever happens next."""
        return self.form.save(commit=False).save_draft(
            by=user,
            answers=self.answers_form.texts(),
            goals=self.goals.save(commit=False),
            removed_goals=self.goals.deleted_objects,
        )

    def context(self):
        item_keys = {item.key for item in self.items}
        field_names = set(self.form.fields)
        placed = _place(self.problems, field_names, item_keys)
        fields = {
            name: _row(
                self.form[name],
                placed["fields"].get(name) or self.stored_errors.get(name, ()),
                limit=name == "why_new_channel",
            )
            for name in self.form.fields
        }
        limit = formats.number_format(ANSWER_MAX_LENGTH, force_grouping=True)
        sections = []
        for item in self.items:
            bound = self.answers_form[item.key]
            described_by = [f"{bound.auto_id}_help"] if item.help_text else []
            comments = self.review_comments.get(item.pk, [])
            if comments:
                described_by.append(f"{bound.auto_id}_review")
            sections.append(
                {
                    "item": item,
                    "anchor": f"section-{item.key}",
                    "row": _row(bound, placed["items"].get(item.key, ()), described_by, limit=True),
                    "is_need": item.key == NEED_KEY,
                    "review_comments": comments,
                    "review_id": f"{bound.auto_id}_review",
                }
            )
        goal_rows = [
            {
                "form": goal_form,
                "fields": [
                    _row(goal_form[name]) for name in ["metric", "target_value", "target_date"]
                ],
                "delete": goal_form["DELETE"] if "DELETE" in goal_form.fields else None,
                "errors": goal_form.non_field_errors(),
            }
            for goal_form in self.goals.forms
        ]
        goal_errors = [*self.goals.non_form_errors(), *placed["goals"]]

        summary = []
        if self.form.is_bound:
            summary = self._form_error_links()
        summary += _links(placed, self.form, self.answers_form)

        progress = self.progress
        missing = _links(
            _place(progress["problems"], field_names, item_keys), self.form, self.answers_form
        )
        if self.form.is_bound:
            values = {name: self.form.data.get(name, "") for name in MATCH_FIELDS}
        else:
            values = self.stored
        proposal = self.proposal
        return {
            "proposal": proposal,
            "form": self.form,
            "fields": fields,
            "answers_form": self.answers_form,
            "sections": sections,
            "has_need_section": any(section["is_need"] for section in sections),
            "goals": self.goals,
            "goal_rows": goal_rows,
            "goal_errors": goal_errors,
            "summary": summary,
            "progress": progress,
            "missing": missing,
            "matches": _similar(**values),
            "is_showcase_page": values["platform"] == Platform.LINKEDIN,
            "limit": limit,
            # Returned for changes: the submit button resubmits (label it "Resubmit").
            "resubmitting": proposal.state == Proposal.State.CHANGES_REQUESTED,
            "review_request": self.review_request,
            "commented_answers": len(self.review_comments),
            "action_url": (
                reverse("checklist:edit", args=[proposal.pk])
                if proposal.pk
                else reverse("checklist:new")
            ),
        }

    def _form_error_links(self):
        """The bound forms' own errors, each with a link to its input."""
        links = []
        for form in [self.form, self.answers_form, *self.goals.forms]:
            for name, errors in form.errors.items():
                if name == "__all__" or name not in form.fields:
                    links.append({"label": "", "href": "", "messages": list(errors)})
                    continue
                bound = form[name]
                label = bound.label
                if form.prefix and form.prefix.startswith(f"{GOALS}-"):
                    label = _("Goal %(number)s: %(field)s") % {
                        "number": int(form.prefix.split("-")[1]) + 1,
                        "field": bound.label,
                    }
                links.append(
                    {"label": label, "href": f"#{bound.id_for_label}", "messages": list(errors)}
                )
        if self.goals.non_form_errors():
            links.append(
                {
                    "label": _("Measurable goals"),
                    "href": "#goals",
                    "messages": list(self.goals.non_form_errors()),
                }
            )
        return links


def _render(request, page):
    status = 400 if page.has_errors() else 200
    return render(request, "checklist/proposal_form.html", page.context(), status=status)


def _with_one_more_goal(data):
    data = data.copy()
    try:
        total = int(data.get(f"{GOALS}-TOTAL_FORMS", ""))
    except ValueError:
        return data  # the formset reports the broken management form
    data[f"{GOALS}-TOTAL_FORMS"] = str(min(total + 1, GoalFormSet.max_num))
    return data


def _refusal(error):
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {None: error.messages}


def _form_page(request, proposal):
    if request.method != "POST":
        return _render(request, _Page(proposal))
    if "add_goal" in request.POST:
        page = _Page(proposal, _with_one_more_goal(request.POST))
        if page.goals.forms:
            # The focus lands on the new goal, not back at the top of a long page.
            page.goals.forms[-1].fields["metric"].widget.attrs["autofocus"] = True
        return _render(request, page)
    page = _Page(proposal, request.POST)
    if not page.is_valid():
        return _render(request, page)
    resubmitting = proposal.state == Proposal.State.CHANGES_REQUESTED
    saved = page.save(request.user)
    if request.POST.get("action") == "submit":
        try:
            if resubmitting:
                # Returned for changes: back to the stage that asked for them.
                saved.resubmit(by=request.user)
            else:
                saved.submit(by=request.user)
        except ValidationError as error:
            # The draft is saved: show it as stored, with every problem.
            fresh = _proposals().get(pk=saved.pk)
            return _render(request, _Page(fresh, problems=_refusal(error)))
        if resubmitting:
            messages.success(request, _("The proposal is resubmitted."))
        elif saved.state == Proposal.State.AWAITING_UNIT_HEAD:
            endorser = saved.endorser()
            messages.success(
                request,
                _("The proposal is sent to %(name)s for endorsement.")
                % {"name": person_name(endorser)},
            )
        else:
            messages.success(
                request,
                _(
                    "Nobody endorses proposals of %(unit)s, so the proposal goes straight "
                    "to the reviewers."
                )
                % {"unit": saved.unit},
            )
        return redirect(saved)
    messages.success(request, _("The draft is saved."))
    return redirect("checklist:edit", saved.pk)


@require_http_methods(["GET", "POST"])
def new(request):
    _require_staff(request)
    template = ChecklistTemplate.objects.prefetch_related("items").current()
    if template is None:
        raise Http404
    return _form_page(request, Proposal(submitter=request.user, template=template))


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    proposal = get_object_or_404(_proposals().visible_to(request.user), pk=pk)
    if not proposal.can_edit(request.user):
        raise PermissionDenied
    return _form_page(request, proposal)
