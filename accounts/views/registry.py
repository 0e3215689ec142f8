"""The internal registry of official channels, for every signed-in staff member.

Views fetch channels only through ``Channel.objects.visible_to(user)`` (not visible:
404) and leave the decisions to the channel's own operations (not allowed: 403).
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.caching import REGISTRY
from accounts.filters import ChannelFilter
from accounts.forms import (
    ChannelForm,
    CloseForm,
    DeputyForm,
    HandOverForm,
    OpenForm,
    RecertifyForm,
    RegisterChannelForm,
)
from accounts.models import (
    Channel,
    ChannelEvent,
    ChannelRole,
    ChannelVerification,
    page_url,
    responsibility_problem,
)
from accounts.models.verification import METHODS
from accounts.spreadsheets import spreadsheet_safe, xlsx_response
from core import roles
from core.caching import cached_listing
from core.names import name_of, person_name
from core.prepared import PreparedQueries
from core.view_helpers import FAILED, apply_to_form, render_form

PAGE_SIZE = 50
# What the registration page takes from its query string.
REGISTER_PREFILL = ("name", "platform", "profile_url")


def _channel(request, pk, *related):
    return get_object_or_404(
        Channel.objects.visible_to(request.user).select_related("unit", *related), pk=pk
    )


def _rows(channels, today):
    """What each row of the registry table shows, worked out once in Python (template
    variable lookups were two thirds of the page's time on a full page)."""
    platforms = dict(Channel._meta.get_field("platform").choices)
    statuses = dict(Channel.Status.choices)
    verification_states = dict(ChannelVerification.State.choices)
    for channel in channels:
        owner, deputy = channel.owner, channel.deputy
        running = channel.status != Channel.Status.CLOSED
        due = channel.recertification_due_on
        yield {
            "url": channel.get_absolute_url(),
            "name": channel.name,
            "address": channel.handle or channel.profile_url,
            "platform": platforms[channel.platform],
            "unit": channel.unit.name,
            "status": statuses[channel.status],
            "owner": person_name(owner),
            "orphaned": running and (owner is None or not owner.is_active),
            "deputy": person_name(deputy) if deputy and deputy.is_active else "",
            "no_deputy": running and (deputy is None or not deputy.is_active),
            "due": due,
            "overdue": running and due is not None and due < today,
            "verification": channel.verification_state.value,
            "verification_name": verification_states[channel.verification_state],
        }


@require_GET
def channel_list(request):
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/registry.html",
        {
            "listing": _listing(request),
            "query": query.urlencode(),
            "can_register": roles.is_reviewer(request.user),
        },
    )


def _listing(request):
    """The search form, the count, the table and the pages, rendered without their
    reader: the same for everyone who sees the same channels (``visible_scope``: every
    member of staff), so cached until the registry changes (accounts.caching.REGISTRY).
    No query when cached; four when not."""
    scope = Channel.objects.visible_scope(request.user)
    return cached_listing(request, REGISTRY, lambda: _render_listing(request), scope=scope)


def _render_listing(request):
    channels = Channel.objects.visible_to(request.user)
    filterset = ChannelFilter(request.GET, queryset=channels)
    channels_shown = filterset.qs.with_people().select_related("verification")
    page = Paginator(channels_shown, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # Neither the request nor context processors: nothing here may depend on who asks.
    return render_to_string(
        "accounts/_registry_listing.html",
        {
            "filter": filterset,
            "params": request.GET,
            "page": page,
            "rows": list(_rows(page.object_list, timezone.localdate())),
            "query": query.urlencode(),
            "counts": channels.cached_warning_counts(),
        },
    )


class _Echo:
    def write(self, value):
        return value


def _export(request):
    """The registry's export, as the filters chose: its header and its rows of Python
    values (dates as dates), for the CSV and the XLSX alike."""
    channels = Channel.objects.visible_to(request.user)
    filterset = ChannelFilter(request.GET, queryset=channels)
    with_credentials = roles.is_reviewer(request.user)
    header = [
        _("Name"),
        _("Platform"),
        _("Handle"),
        _("Address"),
        _("Unit"),
        _("Status"),
        _("Responsible owner"),
        _("Owner's e-mail"),
        _("Deputy"),
        _("Deputy's e-mail"),
        _("Recertification due"),
        _("Last recertified"),
        _("In the public directory"),
        _("Links back"),
    ]
    if with_credentials:
        header += [_("Credentials kept in"), _("Two-factor"), _("Recovery contact")]

    def person(user):
        return ("", "") if user is None else (person_name(user), user.email)

    def rows():
        channels = filterset.qs.with_people().select_related("verification")
        for channel in channels.iterator(chunk_size=2000):
            row = [
                channel.name,
                channel.get_platform_display(),
                channel.handle,
                channel.profile_url,
                channel.unit.name,
                channel.get_status_display(),
                *person(channel.owner),
                *person(channel.deputy),
                channel.recertification_due_on,
                channel.last_recertified_on,
                _("yes") if channel.is_public else _("no"),
                channel.verification_state.label,
            ]
            if with_credentials:
                row += [
                    channel.credentials_location,
                    _("yes") if channel.two_factor_enabled else _("no"),
                    channel.recovery_contact,
                ]
            yield row

    return header, rows()


# Column widths of the XLSX export, in characters.
_EXPORT_WIDTHS = [32, 12, 20, 44, 28, 10, 24, 30, 24, 30, 14, 14, 10, 22, 28, 10, 28]


@require_GET
def export_csv(request):
    header, rows = _export(request)

    def lines():
        yield "\ufeff"  # byte order mark: spreadsheets then read the file as UTF-8
        writer = csv.writer(_Echo())
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([spreadsheet_safe(cell) for cell in row])

    filename = f"registry-{timezone.localdate():%Y-%m-%d}.csv"
    return StreamingHttpResponse(
        lines(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@require_GET
def export_xlsx(request):
    header, rows = _export(request)
    return xlsx_response(
        rows,
        header=header,
        filename=f"registry-{timezone.localdate():%Y-%m-%d}.xlsx",
        title=_("Registry"),
        widths=_EXPORT_WIDTHS,
    )


# What the channel page reads of a channel's verification when it has none.
_NO_VERIFICATION = {"since": None, "checked_at": None}

# The channel page's queries, their SQL built once per process.
_PAGE_QUERIES = PreparedQueries()

# What the channel's page and its permission checks read of its people.
_ROLE_FIELDS = ["channel_id", "kind", "started_at", "ended_at", "user"]
_ROLE_FIELDS += [f"user__{name}" for name in ("username", "first_name", "last_name", "is_active")]


def _people_rows(roles):
    """What the page shows of each role, worked out once in Python."""
    kinds = dict(ChannelRole.Kind.choices)
    return [
        {
            "kind": kinds.get(role.kind, role.kind),
            "name": person_name(role.user),
            "active": role.user.is_active,
            "started_at": role.started_at,
            "ended_at": role.ended_at,
        }
        for role in roles
    ]


def _history(channel):
    """The latest 100 events as the page's history shows them: only the columns it
    shows, not whole events and people."""
    actions = dict(ChannelEvent.Action.choices)
    events = _PAGE_QUERIES.run(
        "history",
        lambda pk: ChannelEvent.objects.filter(channel_id=pk).values_list(
            "at",
            "action",
            "comment",
            "actor_id",
            "actor__first_name",
            "actor__last_name",
            "actor__username",
        )[:100],
        channel.pk,
    )
    return [
        {
            "at": at,
            "action": actions.get(action, action),
            "actor": None if actor is None else name_of(first, last, username),
            "comment": comment,
        }
        for at, action, comment, actor, first, last, username in events
    ]


@require_GET
def detail(request, pk):
    user = request.user
    # The page's three queries are built once per process (core.prepared): building
    # them cost Django more CPU than the rest of the view.
    found = _PAGE_QUERIES.run(
        ("channel", Channel.objects.visible_scope(user)),
        lambda pk: (
            Channel.objects.visible_to(user)
            .select_related("unit", "api_token", "verification")
            .filter(pk=pk)
            .order_by()
        ),
        pk,
    )
    if not found:
        raise Http404
    channel = found[0]
    people = _PAGE_QUERIES.run(
        "people",
        lambda pk: (
            ChannelRole.objects.filter(channel_id=pk)
            .select_related("user")
            .only(*_ROLE_FIELDS)
            .order_by("ended_at", "kind", "-started_at")
        ),
        pk,
    )
    # What ChannelQuerySet.with_people() would fetch: who runs it, and whether the reader
    # does, are then answered without five more queries.
    channel.current_people = [
        role
        for role in people
        if role.is_current and role.kind in (ChannelRole.Kind.OWNER, ChannelRole.Kind.DEPUTY)
    ]
    can_edit = channel.can_edit(request.user)
    # The deputy of an orphaned channel may take it over, once they have acknowledged
    # the guidelines (one query, only for them).
    offers_take_over = channel.is_orphaned and channel.can_take_over(request.user)
    return render(
        request,
        "accounts/channel_detail.html",
        {
            "channel": channel,
            "current_people": _people_rows(role for role in people if role.is_current),
            "past_people": _people_rows(role for role in people if not role.is_current),
            "events": _history(channel),
            "can_edit": can_edit,
            "can_hand_over": channel.can_hand_over(request.user),
            "offers_take_over": offers_take_over,
            "take_over_problem": offers_take_over
            and responsibility_problem(request.user, _("The deputy")),
            "can_close": channel.can_close(request.user),
            "can_see_credentials": channel.can_see_credentials(request.user),
            "overdue": channel.recertification_is_overdue(),
            "roles": ChannelRole.Kind,
            "can_see_metrics": channel.can_see_metrics(request.user),
            "page_url": page_url(channel),
            "verification_method": METHODS.get(channel.platform),
            # Its verification, or what the page reads of one when it has none: a
            # lookup the template engine misses on a model instance costs a dir() of it.
            "verification": getattr(channel, "verification", None) or _NO_VERIFICATION,
        },
    )


def _editable_channel(request, pk, allowed):
    channel = _channel(request, pk)
    if not allowed(channel, request.user):
        raise PermissionDenied
    return channel


@require_http_methods(["GET", "POST"])
def register(request):
    if not roles.is_reviewer(request.user):
        raise PermissionDenied
    # A link may fill in the account (a report the office found to be ours).
    initial = {name: request.GET.get(name, "")[:500] for name in REGISTER_PREFILL}
    form = RegisterChannelForm(request.POST or None, initial=initial)
    if form.is_valid():
        channel = apply_to_form(form, Channel.register, by=request.user, **form.registration())
        if channel is not FAILED:
            messages.success(
                request, _("%(name)s is now in the registry.") % {"name": channel.name}
            )
            return redirect(channel)
    return render_form(request, "accounts/channel_register.html", {}, form)


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    channel = _editable_channel(request, pk, Channel.can_edit)
    form = ChannelForm(request.POST or None, instance=channel)
    if form.is_valid():
        changes = form.changes()
        fresh = _channel(request, pk)  # the form changed the instance it holds
        if apply_to_form(form, fresh.update_details, by=request.user, **changes) is not FAILED:
            messages.success(request, _("The channel's details are saved."))
            return redirect(fresh)
    # The page shows the stored channel, not the one the form changed.
    return render_form(
        request, "accounts/channel_edit.html", {"channel": _channel(request, pk)}, form
    )


def _channel_operation(
    request, pk, form_class, template, *, operation, arguments, done, allowed, with_channel=False
):
    """A page that performs one of a channel's operations: its form (given the channel
    when ``with_channel``), and on a valid POST ``operation(channel)`` called with
    ``arguments(form)`` (core.view_helpers' apply_to_form: a refusal shows on the
    form), then the message ``done(channel, form)`` and the channel's page."""
    channel = _editable_channel(request, pk, allowed)
    form_arguments = {"channel": channel} if with_channel else {}
    form = form_class(request.POST or None, **form_arguments)
    if form.is_valid():
        act = operation(channel)
        if apply_to_form(form, act, by=request.user, **arguments(form)) is not FAILED:
            messages.success(request, done(channel, form))
            return redirect(channel)
    return render_form(request, template, {"channel": channel}, form)


def _to_and_comment(form):
    return {"to": form.cleaned_data["to"], "comment": form.cleaned_data["comment"]}


@require_http_methods(["GET", "POST"])
def hand_over(request, pk):
    def done(channel, form):
        to = form.cleaned_data["to"]
        return _("%(name)s is now the responsible owner.") % {"name": person_name(to)}

    return _channel_operation(
        request,
        pk,
        HandOverForm,
        "accounts/channel_hand_over.html",
        operation=lambda channel: channel.hand_over,
        arguments=_to_and_comment,
        done=done,
        allowed=Channel.can_hand_over,
    )


@require_POST
def take_over(request, pk):
    """The deputy of an orphaned channel becomes its owner: one button on its page.
    A refusal (the owner is still active, the guidelines not acknowledged) is a
    message on that page."""
    channel = _editable_channel(request, pk, Channel.can_take_over)
    try:
        channel.take_over(by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are now the responsible owner. Name a new deputy."))
    return redirect(channel)


@require_http_methods(["GET", "POST"])
def change_deputy(request, pk):
    return _channel_operation(
        request,
        pk,
        DeputyForm,
        "accounts/channel_deputy.html",
        operation=lambda channel: channel.set_deputy,
        arguments=_to_and_comment,
        done=lambda channel, form: _("The deputy is changed."),
        allowed=Channel.can_edit,
    )


@require_http_methods(["GET", "POST"])
def recertify(request, pk):
    return _channel_operation(
        request,
        pk,
        RecertifyForm,
        "accounts/channel_recertify.html",
        operation=lambda channel: channel.recertify,
        arguments=lambda form: {
            "outcome": form.cleaned_data["outcome"],
            "answers": form.answers(),
            "comment": form.cleaned_data["comment"],
        },
        done=lambda channel, form: (
            _(
                "Thank you: the channel is recertified, and two-factor authentication is "
                "now recorded as on."
            )
            if form.turns_two_factor_on()
            else _("Thank you: the channel is recertified.")
        ),
        allowed=Channel.can_edit,
        with_channel=True,
    )


@require_http_methods(["GET", "POST"])
def open_channel(request, pk):
    def done(channel, form):
        if channel.is_public:
            message = _("%(name)s is now active and listed in the public directory.")
        else:
            message = _("%(name)s is now active.")
        return message % {"name": channel.name}

    return _channel_operation(
        request,
        pk,
        OpenForm,
        "accounts/channel_open.html",
        operation=lambda channel: channel.open,
        arguments=lambda form: {"on": form.cleaned_data["opened_on"]},
        done=done,
        allowed=Channel.can_edit,
    )


@require_http_methods(["GET", "POST"])
def close(request, pk):
    return _channel_operation(
        request,
        pk,
        CloseForm,
        "accounts/channel_close.html",
        operation=lambda channel: channel.close,
        arguments=lambda form: {
            "reason": form.cleaned_data["reason"],
            "on": form.cleaned_data["closed_on"],
        },
        done=lambda channel, form: _("The channel is closed."),
        allowed=Channel.can_close,
    )
