import pytest
from django.contrib.auth.models import Group

from accounts.models import Unit


def test_anonymous_visitor_is_sent_to_the_portal_login(client, db):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1] == ("/login/?next=/admin/", 302)


@pytest.mark.parametrize("persona", ["submitter", "unit_head", "reviewer"])
def test_people_who_are_not_portal_admins_are_refused(client, request, persona, unit):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_portal_admin_group_opens_the_admin_and_maintains_units(client, portal_admin, unit):
    client.force_login(portal_admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/unit/").status_code == 200
    response = client.post(
        f"/admin/accounts/unit/{unit.pk}/change/", {"name": "School of Technology", "head": ""}
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.name, unit.head) == ("School of Technology", None)


def test_the_role_groups_exist_after_migrating(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {"communications", "portal-admins"}


def test_admin_refuses_to_put_a_unit_under_its_own_sub_unit(client, portal_admin):
    parent = Unit.objects.create(name="Faculty")
    child = Unit.objects.create(name="Department", parent=parent)
    client.force_login(portal_admin)
    response = client.post(
        f"/admin/accounts/unit/{parent.pk}/change/", {"name": "Faculty", "parent": child.pk}
    )
    assert response.status_code == 200
    assert "cannot be placed under itself" in response.content.decode()
    parent.refresh_from_db()
    assert parent.parent is None
