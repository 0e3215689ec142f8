"""The banner every page shows signed-in people: notices in force, a crisis first, until
each person says they have read it."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guidelines.models import SiteNotice

EVERYONE = ["submitter", "colleague", "outsider", "unit_head", "reviewer", "portal_admin"]
PAGES = ["/", "/registry/", "/guidelines/"]

BANNER = re.compile(r'data-testid="site-notice">\s*<div>\s*<strong>(.*?)</strong>', re.S)


def banners(response):
    """The titles the banner shows, in order (a crisis is prefixed "Crisis: ")."""
    return BANNER.findall(response.content.decode())


@pytest.fixture
def crisis(reviewer):
    # Published first: the information published after it is newer, yet comes second.
    return SiteNotice.publish(by=reviewer, level="crisis", title="Fire", body="Pause posts.")


@pytest.fixture
def information(reviewer, crisis):
    return SiteNotice.publish(by=reviewer, level="info", title="New intranet", body="Soon.")


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("persona", EVERYONE)
def test_a_crisis_notice_shows_first_on_every_page_for_everyone(
    client, request, persona, path, crisis, information
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(path)
    assert banners(response) == ["Crisis: Fire", "New intranet"]
    page = response.content.decode()
    assert f'action="/notices/{crisis.pk}/acknowledge/"' in page
    assert f'<input type="hidden" name="next" value="{path}">' in page


def test_after_i_have_read_it_the_notice_no_longer_shows_for_me_but_still_for_others(
    client, submitter, colleague, crisis, information
):
    client.force_login(submitter)
    response = client.post(
        f"/notices/{crisis.pk}/acknowledge/", {"next": "/registry/"}, follow=True
    )
    assert response.redirect_chain == [("/registry/", 302)]
    assert banners(response) == ["New intranet"]
    assert "Thank you: you have read “Fire”." in response.content.decode()
    for path in PAGES:
        assert banners(client.get(path)) == ["New intranet"]
    client.force_login(colleague)
    assert banners(client.get("/")) == ["Crisis: Fire", "New intranet"]


def test_a_notice_not_yet_started_or_already_ended_does_not_show(client, reviewer, submitter):
    now = timezone.now()
    SiteNotice.publish(
        by=reviewer,
        level="crisis",
        title="Tomorrow",
        body="B",
        starts_at=now + datetime.timedelta(days=1),
    )
    SiteNotice.publish(
        by=reviewer,
        level="warning",
        title="Yesterday",
        body="B",
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(days=1),
    )
    ended = SiteNotice.publish(by=reviewer, level="crisis", title="Over", body="B")
    ended.end(by=reviewer)
    SiteNotice.publish(by=reviewer, level="info", title="Now", body="B")
    client.force_login(submitter)
    for path in PAGES:
        assert banners(client.get(path)) == ["Now"]


def test_anonymous_visitors_see_no_notice(client, crisis, information):
    response = client.get("/login/")
    assert response.status_code == 200
    assert banners(response) == []
    assert 'data-testid="site-notice"' not in response.content.decode()


def test_the_banner_costs_the_same_queries_for_one_or_ten_notices(
    client, reviewer, submitter, crisis, django_assert_num_queries
):
    client.force_login(submitter)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    with_one = len(captured)  # now: the next request empties Django's query log
    for n in range(9):
        SiteNotice.publish(by=reviewer, level="warning", title=f"Notice {n}", body="B")
    client.get("/")  # the notices in force, read again after the change
    with django_assert_num_queries(with_one):
        response = client.get("/")
    assert len(banners(response)) == 10
