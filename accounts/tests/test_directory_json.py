import datetime

from accounts.models import ChannelVerification
from portal.tests.factories import make_channel

URL = "/directory.json"


def test_the_json_lists_the_public_channels_in_directory_order(client, unit, physics, settings):
    settings.PORTAL_ORGANISATION_NAME = "Fictional University"
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    tiktok = make_channel(unit=unit, name="Eng on TikTok", platform="tiktok", handle="eng_tt")
    photos = make_channel(unit=unit, name="Eng Photos", platform="instagram", handle="eng_photos")
    physics = make_channel(unit=physics, name="Physics", platform="mastodon", handle="physics")
    ChannelVerification.objects.create(
        channel=physics,
        state=ChannelVerification.State.VERIFIED,
        since=datetime.datetime(2026, 2, 1, 6, tzinfo=datetime.UTC),
        checked_on=datetime.date(2026, 3, 2),
        checked_at=datetime.datetime(2026, 3, 2, 6, tzinfo=datetime.UTC),
    )
    not_yet = {
        "state": "not_yet",
        "state_name": "Not yet verified",
        "since": None,
        "checked_at": None,
        "method": "profile-link",
    }
    not_possible = {
        "state": "not_possible",
        "state_name": "Not possible on this platform",
        "since": None,
        "checked_at": None,
        "method": None,
    }
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {"organisation", "generated_at", "channels"}
    assert data["organisation"] == "Fictional University"
    assert data["channels"] == [
        {
            "name": "Physics",
            "platform": "mastodon",
            "platform_name": "Mastodon",
            "url": "https://mastodon.social/@physics",
            "handle": "physics@mastodon.social",
            "unit": "Department of Physics",
            "page": f"https://portal.example.org/c/{physics.pk}/",
            "closed_on": None,
            "verification": {
                "state": "verified",
                "state_name": "Verified",
                "since": "2026-02-01T06:00:00+00:00",
                "checked_at": "2026-03-02T06:00:00+00:00",
                "method": "rel-me",
            },
        },
        {
            "name": "Eng Photos",
            "platform": "instagram",
            "platform_name": "Instagram",
            "url": "https://www.instagram.com/eng_photos/",
            "handle": "eng_photos",
            "unit": "School of Engineering",
            "page": f"https://portal.example.org/c/{photos.pk}/",
            "closed_on": None,
            "verification": not_yet,
        },
        {
            "name": "Eng on TikTok",
            "platform": "tiktok",
            "platform_name": "TikTok",
            "url": "https://www.tiktok.com/@eng_tt",
            "handle": "eng_tt",
            "unit": "School of Engineering",
            "page": f"https://portal.example.org/c/{tiktok.pk}/",
            "closed_on": None,
            "verification": not_possible,
        },
    ]


def test_the_json_says_when_it_was_generated(client, db):
    data = client.get(URL).json()
    generated = datetime.datetime.fromisoformat(data["generated_at"])
    now = datetime.datetime.now(datetime.UTC)
    assert abs((now - generated).total_seconds()) < 60


def test_the_json_may_be_fetched_from_any_site_and_cached_for_five_minutes(client, db):
    response = client.get(URL)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=300, s-maxage=300"


def test_the_json_leaves_out_closed_planned_and_unlisted_channels(client, unit):
    make_channel(unit=unit, name="Resting", status="dormant")
    make_channel(unit=unit, name="Gone", status="closed")
    make_channel(unit=unit, name="Coming", status="planned")
    make_channel(unit=unit, name="Internal", is_public=False)
    names = [channel["name"] for channel in client.get(URL).json()["channels"]]
    assert names == ["Resting"]


def test_the_json_answers_only_reads(client, db):
    assert client.post(URL).status_code == 405


def test_the_json_makes_one_query_however_many_channels(client, unit, django_assert_num_queries):
    for number in range(3):
        channel = make_channel(unit=unit, platform="mastodon", handle=f"few_{number}")
        ChannelVerification.objects.create(channel=channel, state="broken")
    with django_assert_num_queries(1):
        client.get(URL)
    for number in range(150):
        make_channel(unit=unit, handle=f"many_{number}")
    with django_assert_num_queries(1):
        response = client.get(URL)
    assert len(response.json()["channels"]) == 153
