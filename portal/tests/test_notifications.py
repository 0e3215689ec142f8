import pytest

from core.notifications import notify
from portal.tests.factories import make_user


class _ChannelLike:
    """What the orphaned-channel notice reads of a channel."""

    pk = 1

    def __init__(self, name, unit):
        self.name, self.unit = name, unit

    def __str__(self):
        return f"{self.name} (Instagram)"

    def get_absolute_url(self):
        return "/registry/1/"


@pytest.fixture
def mail_orphaned(db, mailoutbox, django_capture_on_commit_callbacks):
    """Sends the orphaned-channel notice about a channel called ``name``, of the unit
    "Arts & <Letters>", to one person; returns the one message sent."""

    def send(name):
        from accounts.models import Unit

        unit = Unit.objects.create(name="Arts & <Letters>")
        channel_like = _ChannelLike(name, unit)
        with django_capture_on_commit_callbacks(execute=True):
            notify(
                [make_user(username="owner")],
                "accounts/email/orphaned",
                {
                    "channels": [channel_like],
                    "as_office": [channel_like],
                    "names": str(channel_like),
                },
            )
        (message,) = mailoutbox
        return message

    return send


def test_plain_text_mail_is_not_html_escaped(mail_orphaned):
    message = mail_orphaned("News & Views")
    assert message.subject == "No responsible owner: News & Views (Instagram)"
    assert "Arts & <Letters>" in message.body


def test_nobody_without_an_active_account_and_address_is_mailed(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    people = [
        make_user(username="a"),
        make_user(username="b", is_active=False),
        make_user(username="c"),
        None,
    ]
    people[2].email = ""
    with django_capture_on_commit_callbacks(execute=True):
        notify([*people, people[0]], "accounts/email/orphaned", {"channel": {"name": "N"}})
    assert [m.to for m in mailoutbox] == [["a@example.org"]]


def test_every_message_has_an_escaped_html_part_with_clickable_links(mail_orphaned):
    message = mail_orphaned("<b>News</b>")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "&lt;b&gt;News&lt;/b&gt;" in html
    assert "<b>News</b>" not in html
    assert '<a href="http://127.0.0.1:8000/registry/1/"' in html


def _orphaned(people):
    news = _ChannelLike("News", None)
    notify(people, "accounts/email/orphaned", {"channels": [news], "names": str(news)})


def test_each_recipient_is_written_to_in_their_own_language(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    from django.utils import translation

    from core.models import Preference

    swede, english, unknown = (make_user(username=name) for name in ("sv", "en", "none"))
    Preference.choose_language(swede, "sv")
    Preference.choose_language(english, "en")

    # Whoever causes the message reads the portal in Swedish: it does not matter.
    with translation.override("sv"), django_capture_on_commit_callbacks(execute=True):
        _orphaned([swede, english, unknown])

    subjects = {message.to[0]: message.subject for message in mailoutbox}
    assert subjects == {
        "sv@example.org": "Ingen kontoansvarig: News (Instagram)",
        "en@example.org": "No responsible owner: News (Instagram)",
        "none@example.org": "No responsible owner: News (Instagram)",
    }
    html = {message.to[0]: message.alternatives[0][0] for message in mailoutbox}
    assert '<html lang="sv">' in html["sv@example.org"]
    assert '<html lang="en">' in html["en@example.org"]


def test_recipients_languages_are_read_in_one_query(
    db, mailoutbox, django_capture_on_commit_callbacks, django_assert_num_queries
):
    people = [make_user(username=f"p{n}") for n in range(5)]
    with django_assert_num_queries(1 + 5):  # the languages, then one outbox row each
        _orphaned(people)
