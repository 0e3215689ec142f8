"""The public directory of official accounts (no login): the list, the "is this account
official?" check, the report of a suspicious account and the machine-readable list."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.decorators import ratelimit

from accounts.caching import DIRECTORY
from accounts.forms_public import ReportForm, VerifyForm
from accounts.models import (
    Channel,
    SuspiciousAccountReport,
)
from accounts.models.verification import handle_domain
from accounts.platforms import Platform
from accounts.public_data import channel_data
from core.caching import cached_listing, public_page
from core.client_ip import rate_key
from core.view_helpers import CountedPaginator

PAGE_SIZE = 100
SEARCH_MAX_LENGTH = 200
REPORTS_PER_HOUR = "5/h"


def _public_channels():
    """The directory's channels in the directory's order, with their units and
    verification states."""
    return (
        Channel.objects.public()
        .select_related("unit", "verification")
        .order_by("unit__name", "platform", "name", "pk")
    )


def _directory_page(channels, query, number):
    """The page ``number`` of ``channels`` (the directory, searched for ``query``), and
    its results rendered (the count and the channels by unit and platform).

    Both the count and the rendered results come from the cache when the directory has
    not changed since (accounts.caching.DIRECTORY): two queries when the page is not
    cached, none when it is."""
    searched = hashlib.sha256(query.encode()).hexdigest()
    timeout = DIRECTORY.search_timeout if query else DIRECTORY.timeout
    count = DIRECTORY.get([searched, "count"], channels.count, timeout=timeout)
    page = CountedPaginator(channels, PAGE_SIZE, count).get_page(number)
    results = DIRECTORY.get(
        [searched, "page", page.number, get_language()],
        lambda: _results(page, query),
        timeout=timeout,
    )
    return page, results


def _results(page, query):
    return render_to_string("accounts/_directory_results.html", {"page": page, "query": query})


@login_not_required
@require_safe
@public_page(DIRECTORY)
def directory(request):
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    if "\x00" in query:
        # The database cannot search for a null character; nobody types one.
        error = _("The search cannot contain null characters: remove them and search again.")
        page = Paginator(Channel.objects.none(), PAGE_SIZE).get_page(1)
        results = _results(page, query)
        context = {"page": page, "results": results, "query": query, "search_error": error}
        return render(request, "accounts/directory.html", context, status=400)
    channels = _public_channels()
    if query:
        channels = channels.filter(
            Q(name__icontains=query)
            | Q(handle__icontains=query.removeprefix("@") or query)
            | Q(profile_url__icontains=query)
            | Q(unit__name__icontains=query)
        )
    page, results = _directory_page(channels, query, request.GET.get("page"))
    context = {"page": page, "results": results, "query": query}
    return render(request, "accounts/directory.html", context)


@login_not_required
@require_safe
@public_page(DIRECTORY)
def verify(request):
    if "url" not in request.GET:
        return _verify_page(request, {"form": VerifyForm()})
    form = VerifyForm(request.GET)
    if not form.is_valid():
        return _verify_page(request, {"form": form}, status=400)
    # The same answer for every visitor who checks the same address, until the
    # directory changes: kept a minute (anyone can check any number of addresses).
    answer = cached_listing(request, DIRECTORY, lambda: _verify_answer(form), scope="verify")
    return render(request, "accounts/verify.html", {"answer": answer})


def _verify_answer(form):
    official, closed = form.matching_channels()
    context = {
        "form": form,
        "checked": form.cleaned_data["url"],
        "official": official,
        "closed": closed,
    }
    return render_to_string("accounts/_verify_answer.html", context)


def _verify_page(request, context, status=200):
    answer = render_to_string("accounts/_verify_answer.html", context)
    return render(request, "accounts/verify.html", {"answer": answer}, status=status)


@login_not_required
@require_safe
@public_page(DIRECTORY)
def channel_page(request, pk):
    """A public channel's page: the address its account links to. Its head links back
    to the account with rel="me", so that a platform that verifies links (Mastodon)
    finds the account named here; without JavaScript, as those checks read it."""
    channel = get_object_or_404(_public_channels(), pk=pk)
    return render(request, "accounts/channel_page.html", {"channel": channel})


@login_not_required
@require_safe
def atproto_did(request):
    """Bluesky's HTTPS handle check (atproto.com/specs/handle): a request for
    https://<handle>/.well-known/atproto-did, where the handle is a host under one of
    the organisation's domains (PORTAL_HANDLE_DOMAINS) whose DNS points here, answers
    the DID of the public Bluesky channel with that handle, as bare text. Anything else
    is a 404. One query on the platform's index."""
    host, _port = split_domain_port(request.get_host())
    did = ""
    if handle_domain(host):
        did = (
            Channel.objects.public()
            .filter(platform=Platform.BLUESKY, handle=host, platform_id__startswith="did:")
            .order_by("pk")
            .values_list("platform_id", flat=True)
            .first()
        ) or ""
    if not did:
        return HttpResponse("Not found\n", status=404, content_type="text/plain; charset=utf-8")
    return HttpResponse(did, content_type="text/plain; charset=utf-8")


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key=rate_key, rate=REPORTS_PER_HOUR, method="POST", block=False)
def report(request):
    if request.method != "POST":
        initial = {"reported_url": request.GET.get("url", "").strip()[:500]}
        return render(request, "accounts/report.html", {"form": ReportForm(initial=initial)})
    form = ReportForm(request.POST)
    if request.limited:
        return render(request, "accounts/report.html", {"form": form, "limited": True}, status=429)
    if not form.is_valid():
        return render(request, "accounts/report.html", {"form": form}, status=400)
    SuspiciousAccountReport.objects.submit(**form.report())
    messages.success(
        request,
        _("Thank you: your report has reached the communications office, who will look into it."),
    )
    return redirect("accounts:report")


@login_not_required
@require_safe
def directory_json(request):
    """Every channel the directory lists, as the verify API gives a channel (one
    query; described in accounts/openapi.py)."""
    data = {
        "organisation": settings.PORTAL_ORGANISATION_NAME,
        "generated_at": timezone.now().isoformat(),
        "channels": [channel_data(channel) for channel in _public_channels()],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    seconds = settings.PORTAL_API_CACHE_SECONDS
    response["Cache-Control"] = f"public, max-age={seconds}, s-maxage={seconds}"
    return response
