"""The data migration that gives Facebook addresses naming a Page by its id the one
canonical form (accounts/migrations/0009)."""

import importlib

import pytest
from django.apps import apps

from accounts.models import Channel
from accounts.platforms import Platform, parse_profile
from portal.tests.factories import make_channel

migration = importlib.import_module("accounts.migrations.0009_facebook_ids_one_canonical_form")

PAGE_ID = "104523987654321"


def stored(unit, url, handle):
    """A channel as the registry stored it before (written without today's reading)."""
    channel = make_channel(unit=unit, platform="facebook", profile_url="fictionaluni")
    Channel.objects.filter(pk=channel.pk).update(profile_url=url, handle=handle)
    return channel


def migrate():
    migration.canonical_facebook_ids(apps, None)


@pytest.mark.parametrize(
    ("url", "handle"),
    [
        pytest.param(f"https://www.facebook.com/{PAGE_ID}", PAGE_ID, id="bare-id"),
        pytest.param(
            f"https://www.facebook.com/fictional-university-{PAGE_ID}",
            f"fictional-university-{PAGE_ID}",
            id="name-id",
        ),
    ],
)
def test_an_old_form_gets_the_canonical_address_that_typing_it_gives_today(unit, url, handle):
    channel = stored(unit, url, handle)

    migrate()

    channel.refresh_from_db()
    expected = parse_profile(Platform.FACEBOOK, url)
    assert (channel.profile_url, channel.handle) == (expected.url, expected.handle)
    assert channel.profile_url == f"https://www.facebook.com/profile.php?id={PAGE_ID}"


def test_a_handle_entered_separately_is_kept(unit):
    channel = stored(unit, f"https://www.facebook.com/{PAGE_ID}", "fictionaluni")

    migrate()

    channel.refresh_from_db()
    assert channel.handle == "fictionaluni"


def test_user_names_and_other_platforms_are_left_alone(unit):
    name = stored(unit, "https://www.facebook.com/fictional.uni", "fictional.uni")
    other = make_channel(unit=unit, platform="x", profile_url="https://x.com/fictional12345")

    migrate()

    name.refresh_from_db()
    other.refresh_from_db()
    assert name.profile_url == "https://www.facebook.com/fictional.uni"
    assert other.profile_url == "https://x.com/fictional12345"


def test_a_page_already_registered_in_the_canonical_form_keeps_both_entries_for_the_office(
    unit,
):
    canonical = make_channel(
        unit=unit,
        platform="facebook",
        profile_url=f"https://www.facebook.com/profile.php?id={PAGE_ID}",
    )
    old = stored(unit, f"https://www.facebook.com/{PAGE_ID}", PAGE_ID)

    migrate()

    old.refresh_from_db()
    canonical.refresh_from_db()
    assert old.profile_url == f"https://www.facebook.com/{PAGE_ID}"
    assert canonical.profile_url == f"https://www.facebook.com/profile.php?id={PAGE_ID}"


def test_running_it_again_changes_nothing(unit):
    channel = stored(unit, f"https://www.facebook.com/{PAGE_ID}", PAGE_ID)
    migrate()
    migrate()

    channel.refresh_from_db()
    assert channel.profile_url == f"https://www.facebook.com/profile.php?id={PAGE_ID}"
