import re

import pytest

from portal.tests.factories import make_channel, make_unit, make_user


def test_home_shows_a_staff_member_their_proposals_and_channels(client, submitter):
    client.force_login(submitter)
    html = client.get("/").content.decode()
    assert "My proposals" in html
    assert "My channels" in html
    assert "Awaiting my review" not in html
    assert "Needs attention" not in html
    assert "Proposals by stage" not in html


def test_an_unnamed_draft_shows_as_untitled_on_home_and_in_my_proposals(client, submitter):
    # A submit refused at once (nothing typed) still saves a draft, without a name.
    from checklist.tests.factories import make_proposal

    make_proposal(submitter=submitter)
    client.force_login(submitter)

    for url in ["/", "/proposals/"]:
        response = client.get(url)
        assert (response.status_code, "Untitled proposal" in response.content.decode()) == (
            200,
            True,
        )


@pytest.mark.parametrize("persona", ["reviewer", "unit_head", "portal_admin"])
def test_home_shows_reviewers_and_unit_heads_what_awaits_them(client, request, persona, unit):
    client.force_login(request.getfixturevalue(persona))
    assert "Awaiting my review" in client.get("/").content.decode()


def test_my_channels_are_those_i_own_or_deputise_and_still_run(client, submitter, colleague, unit):
    make_channel(unit=unit, owner=submitter, name="Owned")
    make_channel(unit=unit, owner=colleague, deputy=submitter, name="Deputised")
    make_channel(unit=unit, owner=colleague, name="Someone else's")
    make_channel(unit=unit, owner=submitter, name="Closed one", status="closed")
    client.force_login(submitter)
    channels = client.get("/").context["my_channels"]
    assert [c.name for c in channels] == ["Deputised", "Owned"]


def test_the_office_sees_the_registry_warnings_with_links(client, reviewer, unit, submitter):
    make_channel(unit=unit, owner=make_user(is_active=False), name="Orphan")
    client.force_login(reviewer)
    html = client.get("/").content.decode()
    assert re.search(r'href="/registry/\?orphaned=true"[^>]*>1 orphaned channel<', html)
    assert re.search(r'href="/registry/\?no_deputy=true"[^>]*>1 channel without a deputy<', html)


def test_home_page_makes_the_same_number_of_queries_however_many_units_and_channels(
    client, unit_head, django_assert_num_queries
):
    make_channel(unit=make_unit(head=unit_head), owner=unit_head)
    client.force_login(unit_head)
    client.get("/")  # warm up anything cached per process
    # user (session, roles and banners from the cache), my proposals, my channels,
    # awaiting my review and how many
    with django_assert_num_queries(5):
        client.get("/")
    for _ in range(20):
        make_channel(unit=make_unit(head=unit_head), owner=unit_head)
        make_user()
    client.get("/")  # my facts again, after the new channels
    with django_assert_num_queries(5):
        client.get("/")


def test_a_unit_head_sees_how_many_proposals_await_them_and_the_queue(
    client, submitter, unit, unit_head
):
    from checklist.tests.factories import make_proposal

    for name in ["First", "Second"]:
        make_proposal(submitter=submitter, unit=unit, complete=True, name=name).submit(by=submitter)
    client.force_login(unit_head)
    html = client.get("/").content.decode()
    assert '<span class="badge text-bg-primary" data-testid="awaiting-count">2</span>' in html
    assert 'href="/review/"' in html
