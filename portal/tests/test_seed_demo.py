import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from accounts.models import Unit
from portal import roles


@pytest.fixture
def debug_on(settings):
    # pytest-django runs with DEBUG off; the demo is for DEBUG on.
    settings.DEBUG = True


def counts():
    return get_user_model().objects.count(), Unit.objects.count()


def test_seed_demo_creates_the_demo_university_and_logins(db, debug_on, capsys):
    call_command("seed_demo")
    assert counts() == (7, 5)
    for username in ["demo-staff", "demo-staff2", "demo-head", "demo-comms", "demo-admin"]:
        assert authenticate(username=username, password="demo") is not None
    out = capsys.readouterr().out
    assert "demo-staff   password: demo" in out


def test_seed_demo_gives_each_demo_person_their_role(db, debug_on):
    call_command("seed_demo")
    user = get_user_model().objects.get
    assert roles.is_unit_head(user(username="demo-head"))
    assert roles.is_communications(user(username="demo-comms"))
    assert roles.is_portal_admin(user(username="demo-admin"))
    staff = user(username="demo-staff")
    assert (roles.is_unit_head(staff), roles.is_reviewer(staff)) == (False, False)
    engineering = Unit.objects.get(name="School of Engineering")
    assert (engineering.head.username, engineering.parent.name) == (
        "demo-head",
        "Fictional University",
    )


def test_running_seed_demo_twice_duplicates_nothing(db, debug_on):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first


def test_seed_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert counts() == (0, 0)


def test_seed_demo_runs_with_debug_off_when_forced(db, settings):
    settings.DEBUG = False
    call_command("seed_demo", force=True)
    assert counts() == (7, 5)
