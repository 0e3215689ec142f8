"""The figures in the admin: pages open; attempts and runs are only shown; tokens are
never added there and their value never appears."""

import datetime

import pytest
from django.utils import timezone

from metrics.models import (
    ChannelToken,
    CollectionAttempt,
    CollectionRequest,
    CollectionRun,
    Snapshot,
)
from metrics.providers.base import Reading

TOKEN = "EAAGm0PX4ZCpsBAFictionalTokenValue1234567890abcdef"


@pytest.fixture
def rows(mastodon_channel, submitter):
    now = timezone.now()
    return {
        "snapshot": Snapshot.objects.record(
            mastodon_channel,
            datetime.date(2026, 11, 1),
            Reading(followers=1200),
            source=Snapshot.Source.MANUAL,
            entered_by=submitter,
        ),
        "collectionattempt": CollectionAttempt.objects.create(
            channel=mastodon_channel,
            date=datetime.date(2026, 11, 2),
            started_at=now,
            finished_at=now,
            outcome=CollectionAttempt.Outcome.ERROR,
            http_status=502,
            message="The platform answered 502.",
        ),
        "collectionrun": CollectionRun.objects.create(date=datetime.date(2026, 11, 2)),
        "channeltoken": ChannelToken.store(
            channel=mastodon_channel, value=TOKEN, expires_on=None, by=submitter
        ),
        "collectionrequest": CollectionRequest.objects.create(
            channel=mastodon_channel,
            requested_by=submitter,
            day=datetime.date(2026, 11, 2),
            expires_at=now,
            state=CollectionRequest.State.DONE,
        ),
    }


def test_portal_admin_opens_every_metrics_list_and_detail_page(portal_admin_client, rows):
    pages = [f"/admin/metrics/{model}/" for model in rows] + [
        f"/admin/metrics/{model}/{row.pk}/change/" for model, row in rows.items()
    ]
    assert {page: portal_admin_client.get(page).status_code for page in pages} == dict.fromkeys(
        pages, 200
    )


def test_the_token_value_never_appears_in_the_admin(portal_admin_client, rows):
    token = rows["channeltoken"]
    for page in ["/admin/metrics/channeltoken/", f"/admin/metrics/channeltoken/{token.pk}/change/"]:
        body = portal_admin_client.get(page).content.decode()
        assert TOKEN not in body
        assert 'name="encrypted"' not in body


@pytest.mark.parametrize(
    "model", ["collectionattempt", "collectionrun", "channeltoken", "collectionrequest"]
)
def test_attempts_runs_and_tokens_are_neither_added_nor_changed_in_the_admin(
    portal_admin_client, rows, model
):
    row = rows[model]
    assert portal_admin_client.get(f"/admin/metrics/{model}/add/").status_code == 403
    response = portal_admin_client.post(
        f"/admin/metrics/{model}/{row.pk}/change/", {"message": "x"}
    )
    assert response.status_code == 403
    assert CollectionAttempt.objects.get().message == "The platform answered 502."
    assert CollectionRequest.objects.get().state == CollectionRequest.State.DONE


def test_collect_now_presses_are_shown_and_never_deleted_in_the_admin(portal_admin_client, rows):
    press = rows["collectionrequest"]
    listing = portal_admin_client.get("/admin/metrics/collectionrequest/").content.decode()
    assert "Fictional University on Mastodon" in listing
    response = portal_admin_client.post(
        f"/admin/metrics/collectionrequest/{press.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert CollectionRequest.objects.filter(pk=press.pk).exists()


def test_a_snapshot_can_be_corrected_in_the_admin(
    portal_admin_client, rows, mastodon_channel, submitter
):
    snapshot = rows["snapshot"]
    response = portal_admin_client.post(
        f"/admin/metrics/snapshot/{snapshot.pk}/change/",
        {
            "channel": mastodon_channel.pk,
            "date": "2026-11-01",
            "followers": "1300",
            "source": "manual",
            "entered_by": submitter.pk,
            "collected_at_0": "2026-11-01",
            "collected_at_1": "12:00:00",
        },
    )
    assert response.status_code == 302
    snapshot.refresh_from_db()
    assert (snapshot.followers, snapshot.posts) == (1300, None)
