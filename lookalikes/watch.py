"""The impersonation watch's work, for the tasks (lookalikes/tasks.py) to call: what to
search for, and one search run, scored and handed to triage.

- ``queries(platforms)``: per platform, what to search: the name and the handle of each
  public official channel on it, the organisation's names (settings
  PORTAL_ORGANISATION_NAME and PORTAL_ORGANISATION_ALIASES) and every unit's name.
- ``officials(platform)``: the ``Official`` records a found account is compared with:
  the platform's public channels, and the organisation itself (channel id 0).
- ``registered(platform)``: what identifies the registry's own accounts on the platform
  (every channel, running or closed: official, internal or formerly official), which
  are never candidates.
- ``run(search, record, ...)``: read up to ``search.max_pages`` pages of a query, score
  what was found and put the look-alikes in the triage queue. A constant number of
  queries per search besides one short transaction per account over the threshold.
"""

import dataclasses

from django.conf import settings
from django.core.exceptions import ValidationError

from accounts.models import Channel, Unit
from accounts.platforms import parse_profile
from lookalikes import scoring
from lookalikes.models import Candidate, SearchRecord
from lookalikes.profiles import Official
from lookalikes.search.base import QuotaExhausted
from metrics.providers.base import FetchError

#: The longest query sent (the platforms cut longer ones, or refuse them).
MAX_QUERY = 100


def organisation_names():
    names = [settings.PORTAL_ORGANISATION_NAME, *settings.PORTAL_ORGANISATION_ALIASES]
    return tuple(dict.fromkeys(name.strip() for name in names if name and name.strip()))


def _add(queries, text):
    text = " ".join((text or "").split()).removeprefix("@")[:MAX_QUERY]
    if len(text) >= 2 and text.casefold() not in {q.casefold() for q in queries}:
        queries.append(text)


def queries(platforms):
    """{platform: [query, ...]} for the ``platforms`` that have a search (two queries:
    the public channels, the units)."""
    common = []
    for name in organisation_names():
        _add(common, name)
    for name in Unit.objects.order_by("name").values_list("name", flat=True):
        _add(common, name)
    found = {platform: [] for platform in platforms}
    channels = (
        Channel.objects.public()
        .filter(platform__in=list(platforms))
        .order_by("pk")
        .values_list("platform", "name", "handle")
    )
    for platform, name, handle in channels:
        _add(found[platform], name)
        _add(found[platform], handle)
    for platform in platforms:
        for query in common:
            _add(found[platform], query)
    return found


def officials(platform):
    """The official accounts on ``platform`` a found one is compared with (one query)."""
    organisation = organisation_names()
    found = []
    org = [
        Official(
            channel_id=0,
            platform=platform,
            handle="",
            name=organisation[0] if organisation else "",
            url=settings.PORTAL_BASE_URL,
            organisation=organisation,
        )
    ]
    channels = (
        Channel.objects.public()
        .filter(platform=platform)
        .order_by("pk")
        .values_list("pk", "handle", "name", "profile_url", "platform_id", "unit__name")
    )
    for pk, handle, name, url, platform_id, unit in channels:
        found.append(
            Official(
                channel_id=pk,
                platform=platform,
                handle=(handle or "").removeprefix("@"),
                name=name,
                url=url,
                unit=unit or "",
                organisation=organisation,
                account_id=platform_id or "",
            )
        )
    # The organisation last: a channel named as the organisation is the one shown.
    return found + org


def _norm(text):
    return (text or "").strip().removeprefix("@").rstrip("/").casefold()


def _norm_url(platform, url):
    try:
        return _norm(parse_profile(platform, url).url)
    except ValidationError:
        return _norm(url)


def registered(platform):
    """Identifiers (account ids, handles, profile addresses) of every account the
    registry holds on ``platform``, whatever its status (one query)."""
    ids = set()
    for handle, platform_id, url in Channel.objects.filter(platform=platform).values_list(
        "handle", "platform_id", "profile_url"
    ):
        ids.update({_norm(handle), _norm(platform_id), _norm(url), _norm_url(platform, url)})
    ids.discard("")
    return ids


def is_registered(found, ids):
    return bool(
        {
            _norm(found.account_id),
            _norm(found.handle),
            _norm(found.url),
            _norm_url(found.platform, found.url),
        }
        & ids
    )


@dataclasses.dataclass
class Outcome:
    pages: int = 0
    results: int = 0
    candidates: int = 0
    new: int = 0
    cost: int = 0
    error: FetchError | None = None


def run(search, record):
    """Read ``record.query`` on ``search``, page by page, score what it found and hand
    the look-alikes to triage. What was found before an error is kept and handed on
    too. An ``Outcome``; its ``error`` is the FetchError that stopped the reading."""
    outcome = Outcome()
    found, cursor = {}, None
    for _page in range(max(1, search.max_pages)):
        try:
            page = search.search(record.query, cursor=cursor)
        except FetchError as error:
            outcome.error = error
            break
        outcome.pages += 1
        outcome.cost += page.cost
        for one in page.found:
            found.setdefault(one.key, one)
        cursor = page.cursor
        if not cursor:
            break
    outcome.results = len(found)
    if found:
        # The officials are folded once for the whole search, not once per account.
        scorer = scoring.Scorer(officials(search.platform))
        ids = registered(search.platform)
        threshold = scoring.threshold()
        for one in found.values():
            if is_registered(one, ids):
                continue
            score = scorer.best(one)
            if score is None or score.total < threshold:
                continue
            outcome.candidates += 1
            outcome.new += Candidate.objects.spot(one, score, record)
    return outcome


def finish(record, outcome, *, will_retry=False):
    """Write the search's outcome to its record; on quota exhaustion, skip the rest of
    the platform's searches of the day."""
    error = outcome.error
    if error is None:
        state, message, transient = SearchRecord.Outcome.DONE, "", False
    else:
        state = SearchRecord.Outcome.FAILED
        message = f"{type(error).__name__}: {error.message}"
        if error.status:
            message += f" (HTTP {error.status})"
        transient = bool(error.transient)
    record.finish(
        outcome=state,
        pages=outcome.pages,
        results=outcome.results,
        candidates=outcome.candidates,
        new=outcome.new,
        cost=outcome.cost,
        error=message,
        transient=transient,
    )
    if isinstance(error, QuotaExhausted):
        SearchRecord.skip_rest_of_day(day=record.date, search=record.search, error=message)
