"""A year of demo figures for the demo's channels (seed_demo), marked as demo data.

Every active or dormant demo channel gets one snapshot a day for the 365 days up to
today, each channel following one story:

- growing (most channels): followers up about 0.3 % a day, 3 to 5 posts a week;
- stalling (the School of Humanities on Instagram): followers flat, a post every three
  to four weeks; its plan promised two a week, so it is behind its plan;
- dormant (every dormant channel; the School of Engineering on X stopped 90 days ago,
  the others earlier): the post count stands still since the last post, and followers
  slowly fall;
- gaps (University Sports on X, whose owner has left): whole weeks without figures (the
  collection failed), and days on which the platform hid the follower count.

Engagement is what a collection would see: the likes, comments and shares of the posts
of the last 30 days, with how many posts those were, and the time of the latest post.

The Mastodon channels' figures of the last COLLECTED_DAYS days are not written but
collected: the collector (metrics.collector.collect) asks the Mastodon provider at 03:15
on each of those days, as the nightly collection does, and the provider reads what the
server would have answered (demo/answers.py, the story's figures in the shape of the
recorded answers); each day leaves its snapshot (source "api") and its attempt. The
other platforms need keys or owners' tokens that a demo has not got.

The figures are drawn from a random.Random seeded with the channel's name and platform,
and dated back from today: each run on the same day writes the same figures. They are
written in batches by upsert on (channel, date), so that a second run adds no rows; a
run on a day that already has its figures writes nothing at all. Figures older than the
year are removed, and a day that has real (collected or entered) figures is left alone.
Then the nightly review (metrics.tasks.review_activity) refreshes every running
channel's summary and checks dormancy: the stories keep every active channel posting
within METRICS_DORMANT_DAYS and every dormant one quiet for longer, so the review
changes no status and sends no e-mail.

Two demo channels show goals: ORIGIN_PROPOSALS are the approved proposals they came
from (seed_demo plays their history: their approval put the channel in the registry).
"""

import datetime
import random

from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Channel, ChannelVerification, page_url
from core.caching import rows_changed
from demo.answers import mastodon_client
from demo.history import History
from metrics import limiter
from metrics.collector import already_collected, collect
from metrics.models import CollectionAttempt, Snapshot
from metrics.tasks import review_activity

DAYS = 365
# The days whose figures the Mastodon channels' collection gathered (the rest are demo
# data): five weeks, more than the engagement window and the summaries' month.
COLLECTED_DAYS = 35
BATCH = 2_000

GROWING, STALLING, DORMANT, GAPS = "growing", "stalling", "dormant", "gaps"
# (name, platform): story; channels not named here are growing, or dormant when their
# status is.
STORIES = {
    ("School of Humanities", "instagram"): STALLING,
    ("School of Engineering", "x"): DORMANT,
    ("University Sports", "x"): GAPS,
}
# Days since the last post of the dormant story's main channel (the other dormant
# channels have been quiet for longer).
DORMANT_DAYS = 90
# Platforms that say how often a post was seen.
WITH_VIEWS = {"youtube", "tiktok", "instagram", "facebook"}
# Instagram gives no shares (metrics.figures).
WITHOUT_SHARES = {"instagram"}
# Platforms whose figures do not include the time of the latest post: the summary
# takes the day the post count last rose instead.
WITHOUT_POST_TIME = {"other"}

# The approved proposals two demo channels came from, in demo/proposals.py's form, minus the
# dates: origin_proposal() dates them from the channel's approval.
ORIGIN_PROPOSALS = [
    {
        "channel": ("mastodon", "https://social.fictional-university.example/@cs"),
        "name": "Department of Computer Science",
        "submitter": "staff",
        "unit": "Department of Computer Science",
        "platform": "mastodon",
        "profile": "@cs@social.fictional-university.example",
        "owner": "staff",
        "deputy": "staff2",
        "languages": "English",
        "state": "approved",
        "approval_comment": "Approved. A good first account on the university's own server.",
        "why_new_channel": (
            "The department has no channel of its own; the school's accounts do not reach "
            "the research software community, which has moved to Mastodon."
        ),
        "answers": {
            "need": (
                "Computing researchers and students left X for Mastodon; the department "
                "has nowhere to reach them, and the school's channels speak to applicants."
            ),
            "background": (
                "The university runs its own Mastodon server, so the account is ours and "
                "comes without advertising or tracking."
            ),
            "goals": (
                "Share the department's papers, seminars and open positions, and answer "
                "questions from students and other researchers."
            ),
            "audience": (
                "Computing researchers, research software engineers and students, in our "
                "country and abroad."
            ),
            "resources": (
                "Siri posts three to five times a week, about three hours in all; Stig "
                "stands in during holidays."
            ),
            "moderation": (
                "Mentions are read every working day and answered within one. Spam is "
                "reported to the server's moderators."
            ),
            "follow_up": (
                "Followers and posts every month, against the goals; boosts and replies "
                "every quarter."
            ),
            "visual_identity": (
                "The department's logo as the avatar, the university's colours in images, "
                "and the verified link to the department's web page."
            ),
            "data_protection": (
                "No personal data is asked for. The server is run by the university in "
                "the EU, under its own privacy notice."
            ),
            "accessibility": (
                "Every image has a description, hashtags are in camel case, and content "
                "warnings are used sparingly."
            ),
        },
        # (measure, target, days from the day of seeding)
        "goals": [("followers", 2500, 150), ("posts_per_week", 3, 60)],
    },
    {
        "channel": ("instagram", "https://www.instagram.com/fictionaluni.humanities/"),
        "name": "School of Humanities",
        "submitter": "staff6",
        "unit": "School of Humanities",
        "platform": "instagram",
        "profile": "@fictionaluni.humanities",
        "owner": "staff6",
        "deputy": "head2",
        "languages": "English",
        "state": "approved",
        "approval_comment": "Approved: two posts a week, as planned, is what it takes.",
        "why_new_channel": (
            "The school's Facebook page reaches staff and alumni; Instagram is where "
            "prospective students look, and nobody shows the humanities there."
        ),
        "answers": {
            "need": (
                "Prospective students of the humanities look for us on Instagram and find "
                "nothing; the university's account rarely shows our subjects."
            ),
            "background": (
                "Applications to the humanities fell two years in a row, and applicants "
                "say they did not know what studying here looks like."
            ),
            "goals": (
                "Show two glimpses a week of lectures, archives, field trips and student "
                "life, so that applicants can picture studying with us."
            ),
            "audience": "Upper secondary school students aged 16 to 19, and their teachers.",
            "resources": (
                "Henrik posts twice a week, about three hours; the head of school stands "
                "in and approves campaigns."
            ),
            "moderation": (
                "Comments and messages are read every working day. Hateful comments are "
                "hidden, following the university's terms of use."
            ),
            "follow_up": "Followers and posts every month; reach and saves every term.",
            "visual_identity": (
                "The university's Instagram templates and colours, with the school's name "
                "in the profile."
            ),
            "data_protection": (
                "Students and staff are shown only with their consent. Instagram transfers "
                "data to the USA; our privacy notice says so."
            ),
            "accessibility": (
                "Alternative texts on every image, captions on every video, and plain language."
            ),
        },
        "goals": [("followers", 2000, 120), ("posts_per_week", 2, 45)],
    },
]


def origin_proposal(platform, url, *, approved_on, today):
    """The ORIGIN_PROPOSALS entry of the channel at (``platform``, ``url``), or None,
    with its history's dates: written five weeks before the channel was approved,
    submitted four weeks before, endorsed a few days later, approved the day it was."""
    for data in ORIGIN_PROPOSALS:
        if data["channel"] == (platform, url):
            approved = (today - approved_on).days
            return {
                **data,
                "created_days_ago": approved + 35,
                "submitted_days_ago": approved + 28,
                "endorsed_days_ago": approved + 24,
                "approved_days_ago": approved,
            }
    return None


def seed(channels, today=None):
    """Write the year of figures of ``channels`` (a Channel queryset: the demo's) that
    are active or dormant, then run the nightly review. Returns how many snapshots were
    written: 0 when today's figures were there already."""
    today = today or timezone.localdate()
    channels = list(
        channels.filter(status__in=[Channel.Status.ACTIVE, Channel.Status.DORMANT]).order_by("pk")
    )
    demo = Snapshot.objects.filter(channel__in=channels, source=Snapshot.Source.DEMO)
    if not channels or demo.filter(date=today).exists():
        return 0
    collected = collect_latest(channels, today)
    first = today - datetime.timedelta(days=DAYS - 1)
    demo.filter(date__lt=first).delete()
    real = set(
        Snapshot.objects.filter(channel__in=channels, date__gte=first)
        .exclude(source=Snapshot.Source.DEMO)
        .values_list("channel_id", "date")
    )
    rows = [
        snapshot
        for channel in channels
        for snapshot in figures(channel, today)
        if (channel.pk, snapshot.date) not in real
    ]
    for start in range(0, len(rows), BATCH):
        Snapshot.objects.bulk_create(
            rows[start : start + BATCH],
            update_conflicts=True,
            unique_fields=["channel", "date"],
            update_fields=[*Snapshot.FIGURES, "source", "entered_by", "collected_at"],
        )
    # Refreshes every running channel's summary (the demo's among them), then dormancy.
    review_activity(today.isoformat())
    return collected + len(rows)


# The daily link checks' story of the demo's Mastodon channels (by handle): the news
# account links back, the library's did until an edit of its profile, the School of
# Computer Science's never did. The channels of other platforms cannot link back.
VERIFICATION = {
    "news": [True, True],
    "library": [True, False],
    "cs": [False, False],
}


def seed_verification(channels, today=None):
    """Record two days of link checks for the demo's Mastodon and Bluesky channels, as
    the daily check (metrics/verification.py) would have found them; a second run the
    same day records nothing."""
    today = today or timezone.localdate()
    for channel in channels.public().filter(platform="mastodon").order_by("pk"):
        story = VERIFICATION.get(channel.handle.partition("@")[0], [])
        for days_ago, linked in zip((1, 0), story, strict=False):
            day = today - datetime.timedelta(days=days_ago)
            ChannelVerification.record(
                channel,
                day=day,
                linked=linked,
                evidence={
                    "method": "rel-me",
                    "page": page_url(channel),
                    "field": "Official" if linked else "",
                    "verified_at": f"{day}T03:00:00Z" if linked else "",
                },
            )
    for channel in channels.public().filter(platform="bluesky").order_by("pk"):
        _seed_bluesky(channel, today)


# The demo's Bluesky accounts: a DID each (invented, in did:plc's form), whose handle
# under the university's domain resolves to it by a DNS TXT record, both days.
BLUESKY_DIDS = {"cs": "did:plc:fictcsdemo2345abcdefghij"}


def _seed_bluesky(channel, today):
    handle = channel.handle
    did = BLUESKY_DIDS.get(handle.partition(".")[0])
    if did is None:
        return
    # As the first check registered it, before the history the demo tells.
    Channel.objects.filter(pk=channel.pk, platform_id="").update(platform_id=did)
    rows_changed(Channel)  # update() sends no signal
    for days_ago in (1, 0):
        ChannelVerification.record(
            channel,
            day=today - datetime.timedelta(days=days_ago),
            linked=True,
            evidence={
                "method": "atproto-handle",
                "handle": handle,
                "did": did,
                "profile_handle": handle,
                "profile_found": True,
                "domain": handle.partition(".")[2],
                "dns": {"finding": "match", "did": did, "record": f"_atproto.{handle}"},
                "https": {
                    "finding": "absent",
                    "did": "",
                    "url": f"https://{handle}/.well-known/atproto-did",
                    "status": 404,
                },
            },
        )


def collect_latest(channels, today):
    """Collect the figures of the last COLLECTED_DAYS days of those of ``channels`` that
    a running portal collects with no set-up (Mastodon), as the nightly collection did:
    the collector asks the provider at 03:15 each day, and the provider reads what the
    platform would have answered (demo/answers.py). Returns how many it collected."""
    history = History()
    for channel in channels:
        if channel.platform != "mastodon":
            continue
        posts, snapshots = _story(channel, today)
        for snapshot in snapshots[-COLLECTED_DAYS:]:
            if not already_collected(channel.pk, snapshot.date):
                history.at(snapshot.collected_at, _collect, channel, posts, snapshot)
    # The answers come from memory, not from a server whose limits need respecting; the
    # replay's slots lie in the past, apart from the real ones.
    with override_settings(METRICS_RATE_LIMITS={"default": 1000.0}), limiter.private():
        history.play()
    return len(history.played)


def _collect(channel, posts, snapshot):
    attempt = collect(channel, snapshot.date, client=mastodon_client(channel, posts, snapshot))
    if attempt.outcome != CollectionAttempt.Outcome.OK:
        raise RuntimeError(f"{channel}: {attempt.outcome} {attempt.message}")


def last_post_day(channel, today):
    """The day of ``channel``'s latest post in its story: what figures() draws (the
    same random numbers, in the same order). seed_demo marks a dormant channel dormant
    METRICS_DORMANT_DAYS after it, as the nightly review did."""
    rng = random.Random(f"{channel.name}|{channel.platform}")  # nosec B311  # demo figures
    first = today - datetime.timedelta(days=DAYS - 1)
    return _post_days(story(channel), channel, rng, first, today)[-1]


def story(channel):
    if channel.status == Channel.Status.DORMANT:
        return DORMANT
    return STORIES.get((channel.name, channel.platform), GROWING)


def figures(channel, today):
    """``channel``'s snapshots (unsaved) for the DAYS days up to ``today``."""
    return _story(channel, today)[1]


def _story(channel, today):
    """(``channel``'s posts up to ``today``, each (when, likes, comments, shares, views);
    its snapshots, unsaved, for the DAYS days up to ``today``)."""
    rng = random.Random(f"{channel.name}|{channel.platform}")  # nosec B311  # demo figures
    kind = story(channel)
    first = today - datetime.timedelta(days=DAYS - 1)
    days = [first + datetime.timedelta(days=n) for n in range(DAYS)]
    post_days = _post_days(kind, channel, rng, first, today)
    followers = _followers(kind, rng, days, post_days)
    missing, hidden = _gaps(rng, days, today) if kind == GAPS else (set(), set())

    # Each post: (when, likes, comments, shares, views).
    rate = rng.uniform(0.01, 0.04)  # likes per post, as a share of the followers
    comment_share, share_share = rng.uniform(0.03, 0.1), rng.uniform(0.05, 0.2)
    views_per_like = rng.uniform(15, 40) if channel.platform in WITH_VIEWS else None
    posts = []
    for day in post_days:
        audience = followers.get(day, followers[first])
        likes = max(0, round(audience * rate * rng.lognormvariate(0, 0.4)))
        at = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.randint(8, 16), rng.randint(0, 59)))
        )
        posts.append(
            (
                at,
                likes,
                round(likes * comment_share),
                round(likes * share_share),
                round(likes * views_per_like) if views_per_like else None,
            )
        )
    count_before = rng.randint(80, 1500)  # posts before the year

    snapshots = []
    now = timezone.now()
    seen = recent = 0  # posts before the day being collected; the first of its 30 days
    for day in days:
        # Collected at 03:15: the posts of the days before.
        while seen < len(posts) and posts[seen][0].date() < day:
            seen += 1
        while recent < seen and posts[recent][0].date() < day - datetime.timedelta(days=30):
            recent += 1
        if day in missing:
            continue
        window = posts[recent:seen]
        latest = posts[seen - 1][0] if seen else None
        collected = timezone.make_aware(datetime.datetime.combine(day, datetime.time(3, 15)))
        snapshots.append(
            Snapshot(
                channel=channel,
                date=day,
                followers=None if day in hidden else followers[day],
                posts=count_before + seen,
                likes=sum(p[1] for p in window),
                comments=sum(p[2] for p in window),
                shares=None if channel.platform in WITHOUT_SHARES else sum(p[3] for p in window),
                views=sum(p[4] for p in window) if views_per_like else None,
                engagement_posts=len(window),
                last_post_at=None if channel.platform in WITHOUT_POST_TIME else latest,
                source=Snapshot.Source.DEMO,
                collected_at=min(collected, now),
            )
        )
    return posts, snapshots


def _post_days(kind, channel, rng, first, today):
    """The days the channel posted, from a little before the year to yesterday."""
    start = first - datetime.timedelta(days=rng.randint(1, 6))
    if kind == STALLING:
        # Every three to four weeks, the latest 25 days ago: under METRICS_DORMANT_DAYS.
        days, day = [], today - datetime.timedelta(days=25)
        while day >= start:
            days.append(day)
            day -= datetime.timedelta(days=rng.randint(18, 30))
        return sorted(days)
    if kind == DORMANT:
        quiet = (
            DORMANT_DAYS
            if STORIES.get((channel.name, channel.platform)) == DORMANT
            else rng.randint(120, 330)
        )
        end = today - datetime.timedelta(days=quiet)
        per_week = rng.uniform(0.5, 2)
    else:
        end = today - datetime.timedelta(days=1)
        per_week = rng.uniform(3, 5)
    days = [
        start + datetime.timedelta(days=n)
        for n in range((end - start).days)
        if rng.random() < per_week / 7
    ]
    return [*days, end]  # the latest post: on its day (yesterday for the active ones)


def _followers(kind, rng, days, post_days):
    """{day: followers} along the story."""
    if kind == STALLING:
        base, growth, fall_from = rng.randint(1100, 1300), 0.0, None
    elif kind == DORMANT:
        base, growth, fall_from = rng.randint(300, 4000), 0.001, post_days[-1]
    elif kind == GAPS:
        base, growth, fall_from = rng.randint(2000, 5000), 0.002, None
    else:
        base, growth, fall_from = round(200 * 10 ** rng.uniform(0, 2)), 0.003, None
    value = float(base)
    followers = {}
    for day in days:
        if fall_from is not None and day > fall_from:
            value *= 1 - rng.uniform(0.0002, 0.001)  # slowly lost when nothing is posted
        elif kind == STALLING:
            value = base + rng.randint(-8, 8)
        else:
            value *= 1 + rng.gauss(growth, growth / 3)
        followers[day] = max(0, round(value))
    return followers


def _gaps(rng, days, today):
    """(days without figures: three whole weeks, none in the last fortnight; days on
    which the platform hid the follower count)."""
    monday = days[0] + datetime.timedelta(days=-days[0].weekday() % 7)
    fortnight = today - datetime.timedelta(days=14)
    weeks = [monday + datetime.timedelta(weeks=n) for n in range(52)]
    weeks = [week for week in weeks if week + datetime.timedelta(days=6) < fortnight]
    missing = {week + datetime.timedelta(days=n) for week in rng.sample(weeks, 3) for n in range(7)}
    present = [day for day in days[:-7] if day not in missing]
    hidden = set(rng.sample(present, 8))
    return missing, hidden
