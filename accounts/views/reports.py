"""The communications office's triage of suspicious accounts: the queue of reports and
each report with what the registry knows about the account.

Only the office (and the portal's administrators) may open these pages: anyone else
gets 403. Reports are fetched through ``SuspiciousAccountReport.objects.visible_to``;
decisions are the report's own methods, which check the rule again.
"""

from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.forms_public import channels_named_by
from accounts.forms_reports import DecideForm, NoteForm, ReopenForm, ReportFilterForm
from accounts.models import Channel, SuspiciousAccountReport
from accounts.platforms import detect_platform, impersonation_report_form, parse_profile
from core.view_helpers import FAILED, apply_to_form, require_reviewer

PAGE_SIZE = 50
MAX_SIMILAR = 10


@require_GET
def report_list(request):
    require_reviewer(request)
    form = ReportFilterForm(request.GET)
    reports = SuspiciousAccountReport.objects.visible_to(request.user)
    status = 200
    if form.is_valid():
        reports = form.filter(reports)
    else:
        reports = reports.none()
        status = 400
    page = Paginator(reports.select_related("closed_by"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    for report in page.object_list:
        report.lookalike_evidence = lookalike_evidence(report)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "accounts/reports.html", context, status=status)


def _report(request, pk):
    require_reviewer(request)
    return get_object_or_404(
        SuspiciousAccountReport.objects.visible_to(request.user).select_related("closed_by"),
        pk=pk,
    )


def _account(report):
    """(platform, handle) of the reported address, as well as they can be read."""
    text = report.reported_url.strip()
    platform = report.detected_platform or detect_platform(text) or ""
    handle = text.removeprefix("@")
    if platform:
        try:
            handle = parse_profile(platform, text).handle or ""
        except ValidationError:
            handle = ""
    return platform, handle


def _evidence(report):
    """The report's evidence as a dict (a source might store something else)."""
    return report.evidence if isinstance(report.evidence, dict) else {}


# What each part of a look-alike's score compares, in words (lookalikes/scoring.py names
# the parts; a part named otherwise is shown by its name).
SCORE_PARTS = {
    "name": gettext_lazy("Display name like the official one's"),
    "handle": gettext_lazy("Handle like the official one's"),
    "confusable": gettext_lazy("Look-alike characters (such as a Cyrillic letter for a Latin one)"),
    "organisation": gettext_lazy("Names the organisation"),
    "noise_word": gettext_lazy("Adds a word such as “official” or “news”"),
    "recent": gettext_lazy("A new account"),
    "label": gettext_lazy("Labelled as impersonation by the platform"),
    "avatar": gettext_lazy("Picture like the official one's"),
    "other_unit": gettext_lazy("Names another unit of ours (lowers the score)"),
    "organisation_missing": gettext_lazy(
        "Does not name the organisation that the official name does (lowers the score)"
    ),
}
# Platform labels that say the platform itself suspects impersonation or fraud.
WARNING_LABELS = {"impersonation", "spam", "scam", "misleading", "!hide", "!warn"}


def _percent(value):
    try:
        return round(100 * float(value))
    except (TypeError, ValueError):
        return None


def lookalike_evidence(report):
    """A look-alike report's evidence, ready to show (None for other sources): the
    candidate's profile, the official channel it resembles, the score and its parts
    in words, the platform's labels (the alarming ones marked)."""
    if report.source != SuspiciousAccountReport.Source.LOOKALIKE:
        return None
    evidence = _evidence(report)
    candidate = evidence.get("candidate") if isinstance(evidence.get("candidate"), dict) else {}
    official = evidence.get("official") if isinstance(evidence.get("official"), dict) else {}
    parts = evidence.get("parts") if isinstance(evidence.get("parts"), dict) else {}
    labels = candidate.get("labels") if isinstance(candidate.get("labels"), list) else []
    channel_id = official.get("channel_id")
    url = str(candidate.get("url") or "")
    return {
        "candidate": candidate,
        # A link only to a web address: the address comes from the platform, or from a
        # server anyone can run (Mastodon), and a "javascript:" one must not be a link.
        "candidate_link": url if urlsplit(url).scheme in ("http", "https") else "",
        "official": official,
        "official_url": reverse("accounts:detail", args=[channel_id])
        if isinstance(channel_id, int)
        else "",
        "score": _percent(evidence.get("score")),
        "parts": [
            (SCORE_PARTS.get(name, name.replace("_", " ").capitalize()), _percent(value))
            for name, value in sorted(parts.items(), key=lambda item: -float(item[1] or 0))
        ],
        "labels": [(str(label), str(label) in WARNING_LABELS) for label in labels],
        "search": evidence.get("search", ""),
        "query": evidence.get("query", ""),
        "first_seen": parse_datetime(str(evidence.get("first_seen") or "")),
        "last_seen": parse_date(str(evidence.get("last_seen") or "")),
    }


def registry_knowledge(report):
    """What the registry knows of the reported account: {"official": channels that
    are it and run, "closed": channels that were it, "similar": running channels like
    it, "unreadable": whether the address could not be read}. Three queries."""
    platform, handle = _account(report)
    try:
        named = list(
            channels_named_by(report.reported_url.strip())
            .select_related("unit")
            .order_by("unit__name", "name", "pk")
        )
        unreadable = False
    except ValidationError:
        named, unreadable = [], True
    name = _evidence(report).get("name") or handle
    similar = Channel.objects.similar_to(
        name=name, platform=platform, profile=report.reported_url
    ).exclude(pk__in=[channel.pk for channel in named])[:MAX_SIMILAR]
    return {
        "official": [c for c in named if c.status != Channel.Status.CLOSED],
        "closed": [c for c in named if c.status == Channel.Status.CLOSED],
        "similar": list(similar),
        "unreadable": unreadable,
    }


def _detail(request, report, *, decide_form=None, note_form=None, reopen_form=None, status=200):
    platform, handle = _account(report)
    context = {
        "report": report,
        "platform": platform,
        "platform_form": impersonation_report_form(platform),
        "knowledge": registry_knowledge(report),
        "events": report.events.select_related("actor").order_by("-at", "-pk"),
        "decide_form": decide_form
        or DecideForm(
            initial={
                "outcome": report.outcome or None,
                "reported_on": report.reported_to_platform_on or timezone.localdate(),
            }
        ),
        "note_form": note_form or NoteForm(),
        "reopen_form": reopen_form or ReopenForm(),
        "lookalike": lookalike_evidence(report),
        "evidence": sorted(_evidence(report).items()),
    }
    return render(request, "accounts/report_detail.html", context, status=status)


@require_GET
def report_detail(request, pk):
    return _detail(request, _report(request, pk))


def registration_url(report):
    """The registration page, filled in with the reported account."""
    platform, handle = _account(report)
    fields = {"profile_url": report.reported_url.strip(), "platform": platform}
    if name := _evidence(report).get("name") or handle:
        fields["name"] = name
    return reverse("accounts:register") + "?" + urlencode({k: v for k, v in fields.items() if v})


@require_POST
def report_decide(request, pk):
    report = _report(request, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        changed = apply_to_form(form, report.decide, by=request.user, **form.decision())
        if changed is not FAILED:
            if report.outcome == SuspiciousAccountReport.Outcome.OURS:
                messages.success(
                    request, _("The report is closed: register the account in the registry.")
                )
                return redirect(registration_url(report))
            if changed:
                messages.success(request, _("The report's outcome is saved."))
            return redirect(report)
    return _detail(request, report, decide_form=form, status=400)


@require_POST
def report_note(request, pk):
    report = _report(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid() and (
        apply_to_form(form, report.add_note, by=request.user, text=form.cleaned_data["text"])
        is not FAILED
    ):
        messages.success(request, _("Your note is added to the report's history."))
        return redirect(report)
    return _detail(request, report, note_form=form, status=400)


@require_POST
def report_reopen(request, pk):
    report = _report(request, pk)
    form = ReopenForm(request.POST)
    if form.is_valid() and (
        apply_to_form(form, report.reopen, by=request.user, note=form.cleaned_data["note"])
        is not FAILED
    ):
        messages.success(request, _("The report is open again."))
        return redirect(report)
    return _detail(request, report, reopen_form=form, status=400)
