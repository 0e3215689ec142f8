"""Platform API versions: the configured ones are sent, a refused one pauses its
platform and tells the portal administrators once (never the owners), and the
administrators are warned once before a version's end."""

import datetime

import httpx
import pytest
import time_machine

from accounts.models import Channel
from metrics import collector, versions
from metrics.models import ApiVersionState, CollectionAttempt
from metrics.providers.base import VersionRefused
from metrics.providers.linkedin import LinkedInProvider
from metrics.providers.meta import FacebookProvider, graph_error
from metrics.tasks import collect_all, collect_channel, warn_ending_api_versions
from portal.tests.factories import make_user

from .recorded import fetch_recorded, load, reload

pytestmark = pytest.mark.usefixtures("unlimited")

DAYS = [datetime.date(2026, 12, 1), datetime.date(2026, 12, 2), datetime.date(2026, 12, 3)]


def linkedin(recorded_channel, number):
    return recorded_channel(
        "linkedin",
        name=f"LinkedIn page {number}",
        profile_url=f"https://www.linkedin.com/company/{number}/",
        platform_id=str(number),
        token="AQVFictionalUniLinkedInToken0x5Tq7XE2c",
    )


def meta(recorded_channel, platform, number):
    return recorded_channel(
        platform,
        name=f"{platform} account {number}",
        profile_url=f"https://www.{platform}.com/account{number}",
        platform_id=str(10**14 + number),
        token="EAAFictionalUniPageToken0x7Qm2ZC9aLk4",
    )


def always(platform, recording):
    """A client that answers every request with the recording's one answer."""
    answer = load(platform, recording)["exchanges"][0]["response"]
    seen = []

    def handle(request):
        seen.append(request)
        return httpx.Response(answer.get("status", 200), json=answer["json"])

    client = httpx.Client(transport=httpx.MockTransport(handle))
    client.seen = seen
    return client


def collect_each(channels, client):
    for day in DAYS:
        for channel in channels:
            collector.collect(reload(channel), day, client=client)


@pytest.fixture
def admins(portal_admin):
    """The people told about a refused version: the group's members and superusers,
    if active."""
    superuser = make_user(username="root", is_superuser=True)
    make_user(username="gone", is_superuser=True, is_active=False)
    return sorted([portal_admin.email, superuser.email])


def recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


# --- What the providers send and how they read a refusal --------------------------------


def test_linkedin_reads_a_426_as_a_refused_version(recorded_channel, settings):
    settings.METRICS_LINKEDIN_VERSION = "202411"  # the recording sends the sunset version
    channel = linkedin(recorded_channel, 2414183)

    with pytest.raises(VersionRefused) as refused:
        fetch_recorded(LinkedInProvider, channel, "version_refused")

    assert (refused.value.api, refused.value.version, refused.value.status) == (
        "linkedin",
        "202411",
        426,
    )
    assert "NONEXISTENT_VERSION: Requested version 202411 is not active" in refused.value.message


def test_linkedin_sends_the_configured_version(recorded_channel, settings):
    settings.METRICS_LINKEDIN_VERSION = "202607"
    client = always("linkedin", "ok")

    LinkedInProvider(client=client).fetch(linkedin(recorded_channel, 2414183))

    assert [r.headers["linkedin-version"] for r in client.seen] == ["202607"]


def test_meta_reads_a_deprecated_version_as_a_refused_version(recorded_channel):
    channel = meta(recorded_channel, "facebook", 4523987654321)

    with pytest.raises(VersionRefused) as refused:
        fetch_recorded(FacebookProvider, channel, "version_refused")

    assert (refused.value.api, refused.value.version, refused.value.status) == (
        "meta",
        "v25.0",
        400,
    )
    assert "Graph API error 12" in refused.value.message


def test_the_ads_apis_deprecated_version_code_is_a_refused_version_too():
    body = {"error": {"message": "(#2635) You are calling a deprecated version", "code": 2635}}
    response = httpx.Response(400, json=body)

    assert isinstance(graph_error(response, body), VersionRefused)


def test_meta_asks_for_the_configured_version(recorded_channel, settings):
    settings.METRICS_META_GRAPH_VERSION = "v24.0"
    seen = []
    client = httpx.Client(
        transport=httpx.MockTransport(
            lambda request: (
                seen.append(request.url.path)
                or httpx.Response(400, json={"error": {"code": 2, "message": "later"}})
            )
        )
    )
    with pytest.raises(Exception):  # noqa: B017  # the answer does not matter here
        FacebookProvider(client=client).fetch(meta(recorded_channel, "facebook", 1))

    assert seen == [f"/v24.0/{10**14 + 1}"]


# --- A refusal: one alert to the administrators, owners not told, platform paused --------


def test_a_linkedin_426_alerts_the_admins_once_and_never_the_owners(
    recorded_channel, admins, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.METRICS_LINKEDIN_VERSION = "202411"
    channels = [linkedin(recorded_channel, n) for n in (11, 12, 13)]

    with django_capture_on_commit_callbacks(execute=True):
        collect_each(channels, always("linkedin", "version_refused"))

    assert recipients(mailoutbox) == admins
    assert mailoutbox[0].subject == (
        "LinkedIn Community Management API: version 202411 refused, collection paused"
    )
    assert "METRICS_LINKEDIN_VERSION" in mailoutbox[0].body
    assert "Requested version 202411 is not active" in mailoutbox[0].body
    outcomes = set(CollectionAttempt.objects.values_list("outcome", "http_status", "will_retry"))
    assert outcomes == {("version_refused", 426, False)}


def test_a_meta_version_refusal_alerts_the_admins_once_and_never_the_owners(
    recorded_channel, admins, mailoutbox, django_capture_on_commit_callbacks
):
    channels = [meta(recorded_channel, "facebook", n) for n in (1, 2)]

    with django_capture_on_commit_callbacks(execute=True):
        collect_each(channels, always("facebook", "version_refused"))

    assert recipients(mailoutbox) == admins
    assert mailoutbox[0].subject == (
        "Meta Graph API (Facebook, Instagram): version v25.0 refused, collection paused"
    )
    assert set(CollectionAttempt.objects.values_list("outcome", flat=True)) == {"version_refused"}


def test_a_refused_version_pauses_every_platform_of_its_api_until_the_version_changes(
    recorded_channel, settings
):
    settings.METRICS_LINKEDIN_VERSION = "202411"
    li = linkedin(recorded_channel, 21)
    fb = meta(recorded_channel, "facebook", 22)
    ig = meta(recorded_channel, "instagram", 23)
    collector.collect(li, DAYS[0], client=always("linkedin", "version_refused"))
    collector.collect(fb, DAYS[0], client=always("facebook", "version_refused"))

    assert versions.paused_platforms() == {"linkedin", "facebook", "instagram"}
    assert collector.pending_ids(DAYS[1]) == []
    assert collect_channel.delay(ig.pk, DAYS[1].isoformat()).get() == "paused"

    settings.METRICS_LINKEDIN_VERSION = "202608"
    assert versions.paused_platforms() == {"facebook", "instagram"}
    assert collector.pending_ids(DAYS[1]) == [li.pk]

    settings.METRICS_META_GRAPH_VERSION = "v24.0"
    assert sorted(collector.pending_ids(DAYS[1])) == sorted([li.pk, fb.pk, ig.pk])


def test_the_pause_survives_a_restart_and_a_new_run_enqueues_nothing_for_the_platform(
    recorded_channel, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.METRICS_LINKEDIN_VERSION = "202411"
    li = linkedin(recorded_channel, 31)
    collector.collect(li, DAYS[0], client=always("linkedin", "version_refused"))

    # A new process knows only the database.
    assert ApiVersionState.objects.get().refused_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert collect_all(DAYS[1].isoformat()) == 0


def test_a_refused_version_changed_then_refused_again_alerts_again(
    recorded_channel, admins, mailoutbox, django_capture_on_commit_callbacks, settings
):
    li = linkedin(recorded_channel, 41)
    with django_capture_on_commit_callbacks(execute=True):
        settings.METRICS_LINKEDIN_VERSION = "202411"
        collector.collect(li, DAYS[0], client=always("linkedin", "version_refused"))
        settings.METRICS_LINKEDIN_VERSION = "202412"
        collector.collect(li, DAYS[1], client=always("linkedin", "version_refused"))
        collector.collect(li, DAYS[2], client=always("linkedin", "version_refused"))

    subjects = [m.subject for m in mailoutbox if m.to == [admins[0]]]
    assert [s.split(": ")[1] for s in subjects] == [
        "version 202411 refused, collection paused",
        "version 202412 refused, collection paused",
    ]


def test_the_channel_page_says_why_its_figures_stopped(
    recorded_channel, client, submitter, settings
):
    settings.METRICS_LINKEDIN_VERSION = "202411"
    li = linkedin(recorded_channel, 51)
    collector.collect(li, DAYS[0], client=always("linkedin", "version_refused"))
    client.force_login(submitter)

    html = client.get(Channel.objects.get(pk=li.pk).get_absolute_url()).content.decode()

    assert "API version refused by the platform" in html
    assert "The portal administrators have been told" in html


# --- End of support ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api", "version", "expected"),
    [
        ("linkedin", "202411", (datetime.date(2025, 11, 17), False)),
        ("linkedin", "202603", (datetime.date(2027, 3, 16), False)),
        ("linkedin", "202608", (datetime.date(2027, 8, 1), True)),  # at least a year
        ("linkedin", "202613", (None, False)),
        ("meta", "v21.0", (datetime.date(2027, 1, 21), False)),
        ("meta", "v25.0", (datetime.date(2028, 7, 29), False)),
        ("meta", "v26.0", (None, False)),  # "TBD"
        ("meta", "v99.0", (None, False)),
    ],
)
def test_each_version_has_its_published_end_of_support(api, version, expected):
    assert versions.end_of_support(api, version) == expected


def test_the_defaults_are_versions_with_months_to_run(db):
    rows = {row.api.key: row for row in versions.overview(datetime.date(2026, 12, 6))}

    assert (rows["linkedin"].version, rows["linkedin"].days_left) == ("202608", 238)
    assert (rows["meta"].version, rows["meta"].days_left) == ("v25.0", 601)
    assert not rows["linkedin"].ending_soon and not rows["meta"].ending_soon


def test_the_admins_are_warned_once_sixty_days_before_the_end(
    db, admins, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.METRICS_META_GRAPH_VERSION = "v21.0"  # ends 21 January 2027

    with django_capture_on_commit_callbacks(execute=True):
        assert warn_ending_api_versions("2026-11-21") == 0  # 61 days before
        assert warn_ending_api_versions("2026-11-22") == 1
        assert warn_ending_api_versions("2026-11-23") == 0
        assert warn_ending_api_versions("2026-12-20") == 0

    assert recipients(mailoutbox) == admins
    assert mailoutbox[0].subject == (
        "Meta Graph API (Facebook, Instagram): version v21.0 ends in 60 days"
    )
    assert "21 January 2027" in mailoutbox[0].body or "Jan. 21, 2027" in mailoutbox[0].body


def test_a_version_with_no_known_end_is_never_warned_about(
    db, admins, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.METRICS_META_GRAPH_VERSION = "v26.0"
    with django_capture_on_commit_callbacks(execute=True):
        assert warn_ending_api_versions("2026-12-06") == 0
    assert mailoutbox == []


def test_the_warning_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["metrics-api-version-warnings"]
    assert entry["task"] == "metrics.tasks.warn_ending_api_versions"


# --- The administrators' home page ---------------------------------------------------


def test_the_admins_home_lists_every_api_version_and_the_days_left(portal_admin_client, settings):
    settings.METRICS_LINKEDIN_VERSION = "202601"  # ends 15 January 2027
    with time_machine.travel(datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC)):
        response = portal_admin_client.get("/")

    html = response.content.decode()
    rows = {row.api.key: row for row in response.context["api_versions"]}
    assert (rows["linkedin"].version, rows["linkedin"].days_left) == ("202601", 40)
    assert rows["linkedin"].ending_soon
    assert (rows["meta"].version, rows["meta"].days_left) == ("v25.0", 601)
    assert 'data-testid="api-version-linkedin"' in html
    assert "Ends in 40 days" in html
    assert "601 days left" in html


def test_the_admins_home_says_when_support_has_ended(portal_admin_client, settings):
    settings.METRICS_LINKEDIN_VERSION = "202411"

    html = portal_admin_client.get("/").content.decode()

    assert "Support has ended" in html


def test_the_admins_home_shows_a_refused_version_and_an_unknown_end(portal_admin_client, settings):
    settings.METRICS_META_GRAPH_VERSION = "v26.0"
    ApiVersionState.record_refusal("meta", "v26.0", "Meta refused Graph API version v26.0.")

    html = portal_admin_client.get("/").content.decode()

    assert "Refused by the platform: collection paused" in html
    assert "End of support not announced" in html


def test_only_portal_admins_see_the_api_versions(client, submitter, reviewer):
    for person in (submitter, reviewer):
        client.force_login(person)
        response = client.get("/")
        assert response.context["api_versions"] is None
        assert "api-version-linkedin" not in response.content.decode()


def test_the_api_versions_cost_the_admins_home_one_query(
    portal_admin_client, django_assert_num_queries
):
    portal_admin_client.get("/")  # warm up anything cached per process
    # the home page's five (test_home.py) and the refusals
    with django_assert_num_queries(6):
        portal_admin_client.get("/")
    for api, version in (("meta", "v1.0"), ("linkedin", "202001"), ("meta", "v25.0")):
        ApiVersionState.record_refusal(api, version, "refused")
    with django_assert_num_queries(6):
        portal_admin_client.get("/")


def test_an_admin_resumes_collection_after_a_refusal_without_a_shell(
    recorded_channel, portal_admin_client, settings
):
    settings.METRICS_LINKEDIN_VERSION = "202608"
    ApiVersionState.record_refusal("linkedin", "202608", "426 NONEXISTENT_VERSION")
    assert versions.paused_platforms() == {"linkedin"}
    listing = portal_admin_client.get("/admin/metrics/apiversionstate/")
    assert listing.status_code == 200
    assert b"resume_collection" in listing.content

    response = portal_admin_client.post(
        "/admin/metrics/apiversionstate/",
        {
            "action": "resume_collection",
            "_selected_action": [ApiVersionState.objects.get().pk],
        },
        follow=True,
    )

    assert "Collection resumes at the next run for 1 refused version." in response.text
    assert versions.paused_platforms() == set()
    # A new refusal of the same version tells the admins again.
    assert ApiVersionState.record_refusal("linkedin", "202608", "426 again") is True


def test_the_api_versions_are_only_shown_in_the_admin(portal_admin_client, db):
    ApiVersionState.record_refusal("linkedin", "202608", "426")
    state = ApiVersionState.objects.get()
    assert portal_admin_client.get("/admin/metrics/apiversionstate/add/").status_code == 403
    change = portal_admin_client.post(
        f"/admin/metrics/apiversionstate/{state.pk}/change/", {"version": "x"}
    )
    assert change.status_code == 403
    assert ApiVersionState.objects.get().version == "202608"
