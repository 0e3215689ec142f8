import pytest

from portal.tests.factories import make_unit, make_user


def test_home_shows_a_staff_member_their_proposals_and_channels(client, submitter):
    client.force_login(submitter)
    html = client.get("/").content.decode()
    assert "My proposals" in html
    assert "My channels" in html
    assert "Awaiting my review" not in html


@pytest.mark.parametrize("persona", ["reviewer", "unit_head", "portal_admin"])
def test_home_shows_reviewers_and_unit_heads_what_awaits_them(client, request, persona, unit):
    client.force_login(request.getfixturevalue(persona))
    assert "Awaiting my review" in client.get("/").content.decode()


def test_home_page_makes_the_same_number_of_queries_however_many_units(
    client, unit_head, django_assert_num_queries
):
    make_unit(head=unit_head)
    client.force_login(unit_head)
    client.get("/")  # warm up anything cached per process
    # session, user, groups, headed units
    with django_assert_num_queries(4):
        client.get("/")
    for _ in range(20):
        make_unit(head=unit_head)
        make_user()
    with django_assert_num_queries(4):
        client.get("/")
