"""The guideline pages: everyone signed in reads the guidelines and their history and
acknowledges them; the communications office publishes new versions and follows who
has not acknowledged them yet.

A guideline's text is only ever changed by publishing a version (Guideline.publish());
the pages never write a version themselves.
"""

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import roles
from core.view_helpers import FAILED, apply_to_form, render_form, require_reviewer, safe_next
from guidelines import audience
from guidelines.bilingual import language_for
from guidelines.forms import EditGuidelineForm, NewGuidelineForm
from guidelines.markdown import rendered_diff
from guidelines.models import (
    Acknowledgement,
    Guideline,
    GuidelineVersion,
    Principle,
    people_missing_acknowledgement,
)
from guidelines.models import (
    acknowledge as acknowledge_versions,
)


def _published(slug):
    return get_object_or_404(
        Guideline.objects.published().select_related("current_version__published_by"),
        slug=slug,
    )


def _acknowledged(user, versions):
    """The ids of ``versions`` that ``user`` has acknowledged (one query)."""
    ids = [version.pk for version in versions]
    if not ids:
        return set()
    return set(
        Acknowledgement.objects.filter(user=user, version_id__in=ids).values_list(
            "version_id", flat=True
        )
    )


# --- Reading -----------------------------------------------------------------------


@require_GET
def guideline_list(request):
    guidelines = list(Guideline.objects.published())
    acknowledged = _acknowledged(request.user, [g.current_version for g in guidelines])
    is_reviewer = roles.is_reviewer(request.user)
    return render(
        request,
        "guidelines/guideline_list.html",
        {
            "rows": [
                {
                    "guideline": guideline,
                    "version": guideline.current_version,
                    "acknowledged": guideline.current_version_id in acknowledged,
                }
                for guideline in guidelines
            ],
            "principles": Principle.objects.select_related("guideline__current_version"),
            "is_reviewer": is_reviewer,
            "unpublished": (
                Guideline.objects.filter(current_version__isnull=True) if is_reviewer else []
            ),
        },
    )


@require_GET
def detail(request, slug):
    guideline = _published(slug)
    current = guideline.current_version
    versions = list(guideline.versions.select_related("published_by"))
    return render(
        request,
        "guidelines/guideline_detail.html",
        {
            "guideline": guideline,
            "version": current,
            "versions": versions,
            "acknowledged": current.pk in _acknowledged(request.user, [current]),
            "is_reviewer": roles.is_reviewer(request.user),
        },
    )


@require_GET
def version(request, slug, number):
    shown = get_object_or_404(
        GuidelineVersion.objects.select_related("guideline__current_version", "published_by"),
        guideline__slug=slug,
        number=number,
    )
    return render(
        request,
        "guidelines/guideline_version.html",
        {
            "guideline": shown.guideline,
            "version": shown,
            "current": shown.guideline.current_version,
        },
    )


@require_GET
def diff(request, slug, old, new):
    versions = {
        v.number: v
        # Two exact lookups rather than number__in: Django answers an exact lookup beyond
        # the column's range with no rows, where SQLite would fail on the IN list.
        for v in GuidelineVersion.objects.select_related("guideline").filter(
            Q(number=old) | Q(number=new), guideline__slug=slug
        )
    }
    if old not in versions or new not in versions:
        raise Http404
    before, after = versions[old], versions[new]
    # Compared in the reader's language when both versions have it, else in one they
    # share (when they share none, each in its own).
    shared = [code for code in before.languages if code in after.languages]
    language = language_for(shared) if shared else None
    return render(
        request,
        "guidelines/guideline_diff.html",
        {
            "guideline": after.guideline,
            "old": before,
            "new": after,
            # In the reader's language; a version without it in the other.
            "diff_language": language or after.shown_language,
            "old_title": before.text("title", language),
            "new_title": after.text("title", language),
            "old_summary": before.text("summary", language),
            "new_summary": after.text("summary", language),
            "blocks": rendered_diff(before.text("body", language), after.text("body", language)),
            "text_changed": before.text("body", language) != after.text("body", language),
        },
    )


# --- Acknowledging -----------------------------------------------------------------


@require_POST
def acknowledge(request, slug):
    guideline = _published(slug)
    acknowledge_versions(request.user, [guideline.current_version])
    messages.success(
        request,
        _("Thank you: you have acknowledged “%(title)s”, version %(number)s.")
        % {"title": guideline.current_version.title, "number": guideline.current_version.number},
    )
    return redirect(safe_next(request, guideline.get_absolute_url()))


# --- Publishing (the communications office) ----------------------------------------


@require_http_methods(["GET", "POST"])
def new(request):
    require_reviewer(request)
    form = NewGuidelineForm(request.POST or None)
    if form.is_valid():
        guideline = apply_to_form(
            form, Guideline.objects.create_with_version, by=request.user, **form.creation()
        )
        if guideline is not FAILED:
            messages.success(
                request,
                _("“%(title)s” is published.") % {"title": guideline.current_version.title},
            )
            return redirect(guideline)
    return render_form(request, "guidelines/guideline_form.html", {"guideline": None}, form)


@require_http_methods(["GET", "POST"])
def edit(request, slug):
    require_reviewer(request)
    guideline = get_object_or_404(Guideline.objects.select_related("current_version"), slug=slug)
    current = guideline.current_version
    form = EditGuidelineForm(request.POST or None, current=current)
    if form.is_valid():
        published = apply_to_form(form, guideline.publish, by=request.user, **form.publication())
        if published is not FAILED:
            messages.success(
                request,
                _("Version %(number)s of “%(title)s” is published.")
                % {"number": published.number, "title": published.title},
            )
            return redirect(guideline)
    return render_form(
        request,
        "guidelines/guideline_form.html",
        {"guideline": guideline, "current": current},
        form,
    )


@require_GET
def status(request):
    require_reviewer(request)
    versions = list(
        GuidelineVersion.objects.filter(
            pk__in=Guideline.objects.filter(
                applies_to_owners=True, current_version__isnull=False
            ).values("current_version")
        )
        .select_related("guideline")
        .order_by("guideline__ordering", "guideline__slug")
    )
    people = list(
        audience.with_channels(
            people_missing_acknowledgement().order_by("last_name", "first_name", "username"),
            audience.RUNNING,
        ).prefetch_related(
            Prefetch(
                "guideline_acknowledgements",
                queryset=Acknowledgement.objects.filter(version__in=versions),
                to_attr="current_acknowledgements",
            ),
        )
    )
    rows = []
    missing = {version.pk: 0 for version in versions}
    for person in people:
        done = {ack.version_id for ack in person.current_acknowledgements}
        pending = [version for version in versions if version.pk not in done]
        if not pending:
            # Without any current owner guideline there is nothing to acknowledge.
            continue
        for version in pending:
            missing[version.pk] += 1
        rows.append({"person": person, "roles": person.channel_roles_now, "pending": pending})
    return render(
        request,
        "guidelines/guideline_status.html",
        {
            "versions": [(version, missing[version.pk]) for version in versions],
            "rows": rows,
        },
    )
