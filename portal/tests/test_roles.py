import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from accounts import access
from core import roles
from portal.tests.factories import make_user

PREDICATES = {
    "is_staff_member": roles.is_staff_member,
    "is_unit_head": access.is_unit_head,
    "is_communications": roles.is_communications,
    "is_reviewer": roles.is_reviewer,
    "is_portal_admin": roles.is_portal_admin,
}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("submitter", {"is_staff_member"}),
        ("unit_head", {"is_staff_member", "is_unit_head"}),
        ("reviewer", {"is_staff_member", "is_communications", "is_reviewer"}),
        ("portal_admin", {"is_staff_member", "is_reviewer", "is_portal_admin"}),
        ("inactive_user", set()),
    ],
)
def test_each_persona_holds_exactly_its_roles(request, persona, expected, unit):
    user = request.getfixturevalue(persona)
    assert {name for name, holds in PREDICATES.items() if holds(user)} == expected


def test_anonymous_visitor_holds_no_role():
    assert not any(holds(AnonymousUser()) for holds in PREDICATES.values())


def test_superuser_counts_as_portal_admin(db):
    assert roles.is_portal_admin(make_user(is_superuser=True))


def test_deactivated_member_of_the_communications_office_loses_the_role(db):
    user = make_user(groups=[roles.COMMUNICATIONS], is_active=False)
    assert not roles.is_reviewer(user)


def test_roles_are_looked_up_once_then_come_from_the_cache(
    unit_head, unit, django_assert_num_queries
):
    # The person's facts: groups, headed units, whether they run a channel, the
    # notices in force.
    with django_assert_num_queries(4):
        for _ in range(3):
            roles.is_reviewer(unit_head)
            access.is_unit_head(unit_head)
    again = get_user_model().objects.get(pk=unit_head.pk)  # as the next request has it
    with django_assert_num_queries(0):
        assert access.is_unit_head(again) and not roles.is_reviewer(again)
