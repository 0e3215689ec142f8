"""The checklist in the Django admin: a template that proposals use is never changed,
it is copied to a new version that is edited instead."""

import pytest

from checklist.models import Answer, ChecklistTemplate, Proposal, Transition


@pytest.fixture
def v1(db):
    return ChecklistTemplate.objects.get(version=1)


@pytest.fixture
def old_proposal(submitter, unit, v1):
    proposal = Proposal.objects.create(
        template=v1, submitter=submitter, unit=unit, platform="instagram", name="Old one"
    )
    Answer.objects.create(proposal=proposal, item=v1.items.get(key="need"), text="We need it.")
    return proposal


def change_url(template):
    return f"/admin/checklist/checklisttemplate/{template.pk}/change/"


def form_data(template, **changes):
    """The POST of the template's change form with its items, ``changes`` applied to
    the item "need"."""
    items = list(template.items.all())
    data = {
        "version": template.version,
        "name": template.name,
        "items-TOTAL_FORMS": len(items),
        "items-INITIAL_FORMS": len(items),
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    for index, item in enumerate(items):
        values = {
            "id": item.pk,
            "template": template.pk,
            "ordering": item.ordering,
            "key": item.key,
            "title": item.title,
            "help_text": item.help_text,
            "guideline_slug": item.guideline_slug,
        }
        if item.required:
            values["required"] = "on"
        if item.key == "need":
            values.update(changes)
        data |= {f"items-{index}-{name}": value for name, value in values.items()}
    return data


def test_portal_admin_opens_the_checklist_and_proposal_pages(
    portal_admin_client, old_proposal, submitter
):
    transition = Transition.objects.create(
        proposal=old_proposal,
        actor=submitter,
        action="proposal.submitted",
        from_state="draft",
        to_state="awaiting_unit_head",
    )
    pages = [
        "/admin/checklist/checklisttemplate/",
        change_url(old_proposal.template),
        "/admin/checklist/proposal/",
        "/admin/checklist/proposal/?state__exact=draft",
        f"/admin/checklist/proposal/{old_proposal.pk}/change/",
        "/admin/checklist/transition/",
        f"/admin/checklist/transition/{transition.pk}/change/",
    ]
    assert {page: portal_admin_client.get(page).status_code for page in pages} == dict.fromkeys(
        pages, 200
    )


def test_staff_who_are_not_portal_admins_cannot_open_the_admin(client, reviewer, v1):
    client.force_login(reviewer)
    assert client.get(change_url(v1)).status_code in (302, 403)
    response = client.post(change_url(v1), {"_new_version": "1"})
    assert response.status_code in (302, 403)
    assert ChecklistTemplate.objects.count() == 1


def test_a_template_no_proposal_uses_is_edited_in_place(portal_admin_client, v1):
    response = portal_admin_client.post(change_url(v1), form_data(v1, title="Need, and research"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert v1.items.get(key="need").title == "Need, and research"
    assert ChecklistTemplate.objects.count() == 1


def test_a_template_in_use_is_read_only_with_a_new_version_button(
    portal_admin_client, old_proposal, v1
):
    html = portal_admin_client.get(change_url(v1)).content.decode()
    assert 'name="_new_version"' in html and "Create a new version to edit" in html
    assert 'name="items-0-title"' not in html  # no editable item
    # A forged save changes nothing.
    response = portal_admin_client.post(
        change_url(v1), form_data(v1, title="Changed behind our back")
    )
    assert response.status_code == 403
    assert v1.items.get(key="need").title == "Need and research"


def test_editing_a_new_version_leaves_the_old_proposal_as_written(
    portal_admin_client, client, old_proposal, submitter, v1
):
    response = portal_admin_client.post(change_url(v1), {"_new_version": "1"})
    v2 = ChecklistTemplate.objects.get(version=2)
    assert response.status_code == 302 and response["Location"] == change_url(v2)
    assert v2.items.count() == v1.items.count() == 10

    # The new version is not in use: it is edited in place.
    response = portal_admin_client.post(
        change_url(v2), form_data(v2, title="Is a new channel needed?")
    )
    assert response.status_code == 302
    assert v2.items.get(key="need").title == "Is a new channel needed?"
    assert v1.items.get(key="need").title == "Need and research"

    # New proposals are written against the new version...
    assert ChecklistTemplate.objects.current() == v2
    # ...and the old one still reads as it was written.
    old_proposal.refresh_from_db()
    assert old_proposal.template == v1
    client.force_login(submitter)
    html = client.get(f"/proposals/{old_proposal.pk}/").content.decode()
    assert "Need and research" in html and "Is a new channel needed?" not in html
    assert "Checklist v1" in html and "We need it." in html


def test_the_list_action_creates_a_new_version_of_one_template(
    portal_admin_client, old_proposal, v1
):
    response = portal_admin_client.post(
        "/admin/checklist/checklisttemplate/",
        {"action": "create_new_version", "_selected_action": [v1.pk]},
    )
    v2 = ChecklistTemplate.objects.get(version=2)
    assert response.status_code == 302 and response["Location"] == change_url(v2)


def test_a_template_that_came_into_use_while_being_edited_is_not_changed(
    portal_admin_client, submitter, v1
):
    data = form_data(v1, title="Changed too late")
    Proposal.objects.create(template=v1, submitter=submitter)  # meanwhile
    response = portal_admin_client.post(change_url(v1), data)
    assert response.status_code == 403
    assert v1.items.get(key="need").title == "Need and research"


def test_proposals_and_transitions_are_read_only_in_the_admin(portal_admin_client, old_proposal):
    response = portal_admin_client.post(
        f"/admin/checklist/proposal/{old_proposal.pk}/change/", {"name": "Renamed"}
    )
    assert response.status_code == 403
    assert (
        portal_admin_client.post(f"/admin/checklist/proposal/{old_proposal.pk}/delete/").status_code
        == 403
    )
    old_proposal.refresh_from_db()
    assert old_proposal.name == "Old one"
