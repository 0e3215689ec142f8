"""The owner's side of the figures: the platform's API token, figures entered by hand,
entered by hand (the channel page's "Figures" card is the ``figures_card`` tag of
metrics/templatetags/metrics.py).

Channels are fetched only through ``Channel.objects.visible_to(user)`` (not visible:
404); only those who may edit the channel (``Channel.can_edit``) use these pages (403).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Channel
from core.view_helpers import render_form
from metrics import access, oauth
from metrics.forms import FiguresForm, TokenForm
from metrics.models import ChannelToken, Snapshot
from metrics.providers import TOKEN_PLATFORMS, provider_for

RECENT_ENTRIES = 12


def _editable_channel(request, pk):
    channel = get_object_or_404(
        Channel.objects.visible_to(request.user).select_related(
            "unit", "api_token", "api_token__saved_by"
        ),
        pk=pk,
    )
    if not channel.can_edit(request.user):
        raise PermissionDenied
    return channel


def _token_channel(request, pk):
    channel = _editable_channel(request, pk)
    if channel.platform not in TOKEN_PLATFORMS and oauth.platform_for(channel.platform) is None:
        raise Http404("This platform needs no token.")
    return channel


# --- The token ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def token(request, pk):
    channel = _token_channel(request, pk)
    may_paste = access.may_paste_token(request.user, channel)
    if request.method == "POST" and not may_paste:
        raise PermissionDenied
    form = TokenForm(request.POST or None)
    if form.is_valid():
        ChannelToken.store(
            channel=channel,
            value=form.cleaned_data["token"],
            expires_on=form.cleaned_data["expires_on"],
            by=request.user,
        )
        messages.success(request, _("The token is saved. It will not be shown again."))
        return redirect(channel)
    return render_form(
        request,
        "metrics/token.html",
        {
            "channel": channel,
            "stored": ChannelToken.stored_for(channel),
            "may_paste": may_paste,
            "sign_in": oauth.platform_for(channel.platform),
        },
        form,
    )


@require_POST
def delete_token(request, pk):
    channel = _token_channel(request, pk)
    if ChannelToken.remove(channel):
        messages.success(request, _("The token is removed."))
    else:
        messages.info(request, _("There was no token to remove."))
    return redirect(channel)


# --- Figures entered by hand -------------------------------------------------------


@require_http_methods(["GET", "POST"])
def figures(request, pk):
    channel = _editable_channel(request, pk)
    if provider_for(channel) is not None:
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "metrics/figures_collected.html", {"channel": channel})
    form = FiguresForm(request.POST or None, channel=channel)
    if form.is_valid():
        day = form.cleaned_data["date"]
        # Only for the wording of the message: the upsert itself needs no check.
        replaced = channel.snapshots.filter(date=day).exists()
        Snapshot.objects.record(
            channel,
            day,
            form.reading(),
            source=Snapshot.Source.MANUAL,
            entered_by=request.user,
        )
        if replaced:
            message = _("The figures of %(date)s are replaced by the ones you entered.")
        else:
            message = _("The figures of %(date)s are saved.")
        messages.success(request, message % {"date": date_format(day, "SHORT_DATE_FORMAT")})
        return redirect("metrics:figures", pk=channel.pk)
    recent = (
        channel.snapshots.filter(source=Snapshot.Source.MANUAL)
        .select_related("entered_by")
        .order_by("-date")[:RECENT_ENTRIES]
    )
    return render_form(
        request, "metrics/figures.html", {"channel": channel, "recent": recent}, form
    )
