"""collect_metrics: collection by hand, with a line per channel and a summary."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from metrics.fake_api import expected_followers
from metrics.models import Snapshot
from portal.tests.factories import make_channel


@pytest.fixture(autouse=True)
def _settings(settings, fake_api):
    settings.METRICS_RATE_LIMITS = {"default": 1000.0}


@pytest.fixture
def channels(unit, submitter):
    return [
        make_channel(
            unit=unit,
            owner=submitter,
            platform="mastodon",
            name=f"Uni {i}",
            profile_url=f"https://mastodon.example/@uni{i}",
        )
        for i in range(2)
    ]


def run(*args):
    out = StringIO()
    call_command("collect_metrics", *args, stdout=out)
    return out.getvalue()


def test_it_collects_every_collectable_channel_and_sums_up(channels):
    output = run("--date", "2026-11-20")

    assert output.splitlines()[:2] == [
        "Collecting 2 channels for 2026-11-20:",
        f"  {channels[0].pk:>6}  Uni 0 (Mastodon): ok",
    ]
    assert output.endswith("2 channels for 2026-11-20: 2 ok\n")
    assert Snapshot.objects.get(channel=channels[0]).followers == expected_followers(
        "mastodon", "uni0"
    )


def test_a_collected_day_is_skipped_unless_forced(channels, fake_api):
    run("--date", "2026-11-20")
    assert run("--date", "2026-11-20").endswith("2 channels for 2026-11-20: 2 already collected\n")
    assert run("--date", "2026-11-20", "--force").endswith(": 2 ok\n")
    assert Snapshot.objects.count() == 2
    assert len(fake_api.requests()) == 12  # twice WebFinger, the account and its posts of each


def test_one_channel_and_its_failure(channels, fake_api):
    fake_api.script("/lookup", "404")
    output = run("--channel", str(channels[1].pk), "--date", "2026-11-20")

    assert "Uni 1 (Mastodon): unavailable (404) The account was not found (404)." in output
    assert output.endswith("1 channels for 2026-11-20: 1 unavailable\n")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--date", "20.11.2026"], "--date must be a date as YYYY-MM-DD, not '20.11.2026'."),
        (["--channel", "999999"], "There is no channel 999999."),
    ],
)
def test_bad_arguments_say_what_is_wrong(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_channel_that_cannot_be_collected_is_refused_with_the_reason(unit, submitter):
    channel = make_channel(unit=unit, owner=submitter, platform="tiktok", name="Clips")
    with pytest.raises(CommandError, match=r"Clips \(TikTok\) cannot be collected"):
        run("--channel", str(channel.pk))


def test_x_channels_are_looked_up_together_as_the_nightly_collection_does(
    unit, submitter, settings, fake_api
):
    settings.X_BEARER_TOKEN = "test-token"
    x_channels = [
        make_channel(
            unit=unit,
            owner=submitter,
            platform="x",
            name=f"X {name}",
            profile_url=f"https://x.com/{name}",
        )
        for name in ("unione", "unitwo", "gonethree")
    ]

    output = run("--date", "2026-11-20", "--platform", "x")

    assert len(fake_api.requests("x")) == 1  # one GET /2/users/by for all three
    assert f"  {x_channels[0].pk:>6}  X unione (X): ok" in output
    assert f"  {x_channels[2].pk:>6}  X gonethree (X): unavailable" in output
    assert output.endswith("3 channels for 2026-11-20: 2 ok, 1 unavailable\n")
    assert Snapshot.objects.filter(channel__platform="x").count() == 2
