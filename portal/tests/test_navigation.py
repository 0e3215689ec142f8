import re

import pytest

from portal.tests.responses import nav_labels


@pytest.mark.parametrize(
    ("persona", "labels"),
    [
        (
            "submitter",
            ["Home", "Proposals", "Registry", "Figures", "Guidelines", "Public directory"],
        ),
        (
            "unit_head",
            [
                "Home",
                "Proposals",
                "Review",
                "Registry",
                "Figures",
                "Guidelines",
                "Public directory",
            ],
        ),
        (
            "reviewer",
            [
                "Home",
                "Proposals",
                "Review",
                "Registry",
                "Figures",
                "Guidelines",
                "Suspicious accounts",
                "Notices",
                "Public directory",
            ],
        ),
        (
            "portal_admin",
            [
                "Home",
                "Proposals",
                "Review",
                "Registry",
                "Figures",
                "Guidelines",
                "Suspicious accounts",
                "Notices",
                "Public directory",
                "Administration",
            ],
        ),
    ],
)
def test_each_role_sees_the_links_to_what_it_may_do(client, request, persona, labels, unit):
    client.force_login(request.getfixturevalue(persona))
    assert nav_labels(client.get("/").content.decode()) == labels


def test_the_current_page_is_marked_for_assistive_technology(client, submitter):
    client.force_login(submitter)
    html = client.get("/").content.decode()
    assert re.search(
        r'<a class="nav-link active" href="/" aria-current="page" data-nav-item>Home</a>', html
    )


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("submitter", "Signed in as Siri"),
        ("unit_head", "Signed in as Hedda (Unit head)"),
        ("reviewer", "Signed in as reviewer (Communications office)"),
        ("portal_admin", "Signed in as portal-admin (Portal administrators)"),
    ],
)
def test_the_header_says_who_is_signed_in_and_as_what(client, request, persona, shown, unit):
    client.force_login(request.getfixturevalue(persona))
    html = client.get("/").content.decode()
    signed_in = html.split('data-testid="signed-in-as">', 1)[1].split("</span>", 1)[0]
    assert " ".join(signed_in.split()) == shown


def test_the_page_has_a_skip_link_to_the_main_content(client, submitter):
    client.force_login(submitter)
    html = client.get("/").content.decode()
    assert 'href="#main">Skip to main content</a>' in html
    assert '<main id="main"' in html


def test_a_platforms_own_reviewer_group_sees_the_review_link(client, settings, db):
    from portal.tests.factories import make_user

    settings.PORTAL_REVIEWER_GROUPS = {"linkedin": "linkedin-working-group"}
    member = make_user(groups=["linkedin-working-group"])
    client.force_login(member)
    assert "Review" in nav_labels(client.get("/").content.decode())


@pytest.mark.parametrize(
    ("persona", "more"),
    [
        ("submitter", []),
        ("unit_head", []),
        ("reviewer", ["Notices", "Public directory"]),
        ("portal_admin", ["Notices", "Public directory", "Administration"]),
    ],
)
def test_less_used_items_share_a_more_menu_when_there_are_two_or_more(
    client, request, persona, more, unit
):
    client.force_login(request.getfixturevalue(persona))
    html = client.get("/").content.decode()
    menu = html.split(">More</button>", 1)[1].split("</ul>", 1)[0] if more else ""
    assert nav_labels(f'aria-label="Main navigation"{menu}</nav>') == more
    assert (">More</button>" in html) == bool(more)


def test_the_more_menu_is_marked_current_when_one_of_its_pages_is(client, reviewer):
    client.force_login(reviewer)
    html = client.get("/notices/").content.decode()
    assert 'class="nav-link dropdown-toggle active"' in html
    assert 'href="/notices/" aria-current="page" data-nav-item>Notices</a>' in html
