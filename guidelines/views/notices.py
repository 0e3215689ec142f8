"""Site notices: the communications office publishes, follows and ends them; everyone
signed in reads them and says they have read them.

The operations are SiteNotice's own (publish, end, acknowledge); the views check who
asks, read the form and show the outcome. Notices that have not started yet are the
office's business: others get 404 for them.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import roles
from core.view_helpers import FAILED, apply_to_form, render_form, require_reviewer, safe_next
from guidelines import audience
from guidelines.forms_notices import NoticeForm
from guidelines.models import (
    NoticeAcknowledgement,
    NoticeRecipient,
    SiteNotice,
)

PAGE_SIZE = 25


def _visible_notices(user):
    """Everyone signed in reads the notices that have started; the office also those
    still to come."""
    notices = SiteNotice.objects.select_related("published_by")
    if roles.is_reviewer(user):
        return notices
    return notices.filter(starts_at__lte=timezone.now())


@dataclass(frozen=True)
class Rate:
    """How many of a crisis notice's recipients have acknowledged it."""

    acknowledged: int
    total: int

    @property
    def percent(self):
        # Rounded down: 100 % only when everyone has acknowledged.
        return 100 * self.acknowledged // self.total if self.total else 0

    @property
    def token(self):
        return f"{self.acknowledged}-{self.total}"


def _count(queryset):
    """The number of rows of ``queryset`` (filtered on OuterRef("pk")), as a subquery."""
    counted = queryset.order_by().values("notice").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_acknowledgement_counts(notices):
    """Annotate each notice with ``recipient_count`` and ``acknowledged_count`` (the
    recipients who have acknowledged it): two subqueries, whatever the page size."""
    recipients = NoticeRecipient.objects.filter(notice=OuterRef("pk"))
    acknowledged = recipients.filter(
        Exists(
            NoticeAcknowledgement.objects.filter(notice=OuterRef("notice"), user=OuterRef("user"))
        )
    )
    return notices.annotate(
        recipient_count=_count(recipients), acknowledged_count=_count(acknowledged)
    )


def _state(notice, now):
    if notice.starts_at > now:
        return "scheduled"
    return "active" if notice.is_active(now) else "ended"


# --- Forms: the same handling as the registry's ------------------------------------


# --- Pages -------------------------------------------------------------------------


@require_GET
def notice_list(request):
    require_reviewer(request)
    notices = with_acknowledgement_counts(SiteNotice.objects.select_related("published_by"))
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        {
            "notice": notice,
            "state": _state(notice, now),
            "rate": Rate(notice.acknowledged_count, notice.recipient_count)
            if notice.is_crisis
            else None,
        }
        for notice in page.object_list
    ]
    return render(request, "guidelines/notice_list.html", {"page": page, "rows": rows})


def _published_message(notice):
    if not notice.is_crisis:
        return _("The notice “%(title)s” is published.") % {"title": notice.title}
    # notify() mails each address once: count the addresses, not the people.
    emailed = notice.recipients.exclude(user__email="").values("user__email").distinct().count()
    return ngettext(
        "The crisis notice “%(title)s” is published and was e-mailed to %(count)d person.",
        "The crisis notice “%(title)s” is published and was e-mailed to %(count)d people.",
        emailed,
    ) % {"title": notice.title, "count": emailed}


@require_http_methods(["GET", "POST"])
def notice_new(request):
    require_reviewer(request)
    form = NoticeForm(request.POST or None)
    if form.is_valid():
        notice = apply_to_form(form, SiteNotice.publish, by=request.user, **form.notice())
        if notice is not FAILED:
            messages.success(request, _published_message(notice))
            return redirect(notice)
    crisis_reach = audience.people(audience.LIVE).count()
    return render_form(request, "guidelines/notice_form.html", {"crisis_reach": crisis_reach}, form)


def _not_acknowledged(notice):
    """The recipients who have not acknowledged ``notice``, each with the channels they
    own or deputise now (``channel_roles_now``): two queries."""
    return audience.with_channels(
        get_user_model()
        .objects.filter(pk__in=notice.recipients.values("user"))
        .exclude(pk__in=notice.acknowledgements.values("user"))
        .order_by("last_name", "first_name", "username")
    )


def _rate(notice):
    return Rate(*notice.acknowledgement_rate())


@require_GET
def notice_detail(request, pk):
    notice = get_object_or_404(_visible_notices(request.user), pk=pk)
    is_reviewer = roles.is_reviewer(request.user)
    follow_up = is_reviewer and notice.is_crisis
    return render(
        request,
        "guidelines/notice_detail.html",
        {
            "notice": notice,
            "state": _state(notice, timezone.now()),
            "acknowledged": NoticeAcknowledgement.objects.filter(
                notice=notice, user=request.user
            ).exists(),
            "is_reviewer": is_reviewer,
            "rate": _rate(notice) if follow_up else None,
            "not_acknowledged": list(_not_acknowledged(notice)) if follow_up else [],
        },
    )


@require_GET
def notice_rate(request, pk):
    """The acknowledgement rate alone, which the notice's page polls. When the page
    already shows the current numbers (``seen``), the answer is 204 No Content: htmx
    then leaves the region alone, and screen readers are not told the same again."""
    require_reviewer(request)
    notice = get_object_or_404(_visible_notices(request.user), pk=pk, level=SiteNotice.Level.CRISIS)
    rate = _rate(notice)
    if request.GET.get("seen") == rate.token:
        return HttpResponse(status=204)
    return render(request, "guidelines/_notice_rate.html", {"notice": notice, "rate": rate})


@require_POST
def notice_acknowledge(request, pk):
    notice = get_object_or_404(_visible_notices(request.user), pk=pk)
    notice.acknowledge(request.user)
    messages.success(request, _("Thank you: you have read “%(title)s”.") % {"title": notice.title})
    return HttpResponseRedirect(safe_next(request, notice.get_absolute_url()))


@require_POST
def notice_end(request, pk):
    require_reviewer(request)
    notice = get_object_or_404(_visible_notices(request.user), pk=pk)
    try:
        notice.end(by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The notice is no longer shown."))
    return redirect(notice)
