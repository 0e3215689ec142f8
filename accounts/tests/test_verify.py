import datetime
import re

import pytest

from portal.tests.factories import make_channel

URL = "/directory/verify/"


@pytest.fixture
def news(unit):
    return make_channel(unit=unit, name="Engineering News", platform="instagram", handle="eng_news")


def answer(response):
    html = response.content.decode()
    if 'data-testid="answer"' not in html:
        return None
    return html[html.index('data-testid="answer"') :]


def test_without_an_address_the_page_shows_only_the_form(client, db):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<label\s+for="id_url"[^>]*>\s*Profile address or handle', html)
    assert '<input type="text" name="url" maxlength="500"' in html
    assert answer(response) is None


@pytest.mark.parametrize(
    "typed",
    [
        "https://www.instagram.com/eng_news/",
        "http://www.instagram.com/eng_news/",
        "https://instagram.com/eng_news",
        "instagram.com/eng_news",
        "HTTPS://WWW.INSTAGRAM.COM/Eng_News/",
        "https://m.instagram.com/eng_news/?hl=en",
        "  https://www.instagram.com/eng_news/  ",
    ],
)
def test_an_official_address_is_confirmed_in_any_spelling(client, news, typed):
    response = client.get(URL, {"url": typed})
    assert response.status_code == 200
    text = answer(response)
    assert "Official, run by School of Engineering." in text
    assert "Engineering News (Instagram)" in text
    assert '<a href="https://www.instagram.com/eng_news/" rel="noopener">' in text
    assert "not in our registry" not in text


@pytest.mark.parametrize("typed", ["@eng_news", "eng_news", "@ENG_NEWS"])
def test_an_official_bare_handle_is_confirmed(client, news, typed):
    text = answer(client.get(URL, {"url": typed}))
    assert "Official, run by School of Engineering." in text
    assert "Engineering News (Instagram)" in text


def test_a_bare_handle_finds_the_official_channels_on_every_platform(client, unit):
    make_channel(unit=unit, name="On Instagram", platform="instagram", handle="same_name")
    make_channel(unit=unit, name="On X", platform="x", handle="same_name")
    text = answer(client.get(URL, {"url": "@same_name"}))
    assert text.count('data-testid="official"') == 2
    assert "On Instagram (Instagram)" in text
    assert "On X (X)" in text


@pytest.mark.parametrize("handle", ["東京架空大学", "दिल्ली-विश्वविद्यालय", "universitat·fictícia"])
def test_a_non_latin_youtube_handle_is_confirmed(client, unit, handle):
    make_channel(unit=unit, name="Overseas", platform="youtube", handle=f"@{handle}")
    text = answer(client.get(URL, {"url": f"@{handle}"}))
    assert "Official, run by School of Engineering." in text
    assert "Overseas (YouTube)" in text


@pytest.mark.parametrize(
    "typed", ["@news@mastodon.social", "news@Mastodon.Social", "https://mastodon.social/@news"]
)
def test_a_mastodon_handle_or_address_is_confirmed(client, unit, typed):
    make_channel(unit=unit, name="Engineering Toots", platform="mastodon", handle="news")
    text = answer(client.get(URL, {"url": typed}))
    assert "Official, run by School of Engineering." in text
    assert "Engineering Toots (Mastodon)" in text


def test_a_dormant_channel_is_still_official(client, unit):
    make_channel(unit=unit, name="Quiet", handle="quiet_one", status="dormant")
    assert "Official, run by School of Engineering." in answer(
        client.get(URL, {"url": "@quiet_one"})
    )


@pytest.mark.parametrize("typed", ["https://www.instagram.com/old_news/", "@old_news"])
def test_a_closed_channel_is_said_to_be_formerly_official(client, unit, typed):
    make_channel(
        unit=unit,
        name="Old News",
        handle="old_news",
        status="closed",
        closed_on=datetime.date(2025, 3, 14),
    )
    response = client.get(URL, {"url": typed})
    text = answer(response)
    assert response.status_code == 200
    assert (
        "Formerly official: this account was closed on 14 March 2025 "
        "and no longer speaks for the organisation."
    ) in text
    assert "Official, run by" not in text
    assert "not in our registry" not in text


@pytest.mark.parametrize(
    "fields",
    [{"status": "planned"}, {"is_public": False}, {"status": "closed", "is_public": False}],
    ids=["planned", "unlisted", "closed-unlisted"],
)
def test_planned_and_unlisted_channels_are_not_revealed(client, unit, fields):
    make_channel(unit=unit, name="Secret Plans", handle="secret_plans", **fields)
    text = answer(client.get(URL, {"url": "https://www.instagram.com/secret_plans/"}))
    assert "is not in our registry of official accounts." in text
    assert "Secret Plans" not in text


def test_an_unknown_account_is_not_in_the_registry_and_can_be_reported(client, news):
    typed = "https://www.instagram.com/eng_news_official/"
    response = client.get(URL, {"url": typed})
    text = answer(response)
    assert response.status_code == 200
    assert f"“{typed}” is not in our registry of official accounts." in text
    assert (
        'href="/directory/report/?url=https%3A%2F%2Fwww.instagram.com%2Feng_news_official%2F"'
    ) in text
    assert "Official, run by" not in text


def test_an_unknown_bare_handle_is_not_in_the_registry(client, news):
    text = answer(client.get(URL, {"url": "@someone_else"}))
    assert "“@someone_else” is not in our registry of official accounts." in text
    assert 'href="/directory/report/?url=%40someone_else"' in text


def test_an_address_on_another_site_is_not_in_the_registry(client, news):
    text = answer(client.get(URL, {"url": "https://example.com/eng_news"}))
    assert "is not in our registry of official accounts." in text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "https://www.instagram.com/p/C0ffee/",
            "This Instagram address is not a profile: open the profile and copy its address.",
        ),
        ("https://x.com/this-is-far-too-long-for-x", "is not a valid X account name."),
        ("two words", "is neither a web address nor a handle."),
        ("@name@not a server", "is neither a web address nor a handle."),
        ("", "This field is required."),
    ],
)
def test_input_that_names_no_profile_is_refused_with_a_message_and_kept(client, db, typed, message):
    response = client.get(URL, {"url": typed})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="invalid-feedback"' in html
    assert message in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert f'name="url" value="{typed}"' in html or typed == ""
    assert answer(response) is None


def test_a_check_makes_one_query_however_many_channels(client, unit, django_assert_num_queries):
    make_channel(unit=unit, handle="checked_one")
    with django_assert_num_queries(1):
        client.get(URL, {"url": "@checked_one"})
    for number in range(30):
        make_channel(unit=unit, handle=f"other_{number}")
    with django_assert_num_queries(1):
        response = client.get(URL, {"url": "https://www.instagram.com/checked_one/"})
    assert "Official, run by School of Engineering." in answer(response)


def test_a_cached_answer_changes_at_once_when_the_channel_does(
    client, news, reviewer, django_assert_num_queries
):
    address = "https://www.instagram.com/eng_news/"
    assert 'data-testid="official"' in answer(client.get(URL, {"url": address}))
    with django_assert_num_queries(0):  # the same check again: from the cache
        assert 'data-testid="official"' in answer(client.get(URL, {"url": address}))
    news.close(by=reviewer, reason="Merged into the faculty account.")
    again = answer(client.get(URL, {"url": address}))
    assert 'data-testid="closed"' in again and 'data-testid="official"' not in again
    assert 'data-testid="not-found"' in answer(client.get(URL, {"url": "instagram.com/new_one"}))
    make_channel(unit=news.unit, name="New One", platform="instagram", handle="new_one")
    assert 'data-testid="official"' in answer(client.get(URL, {"url": "instagram.com/new_one"}))


@pytest.mark.parametrize(
    ("state", "wording"),
    [
        ("verified", "Official, run by School of Engineering, and the account links back to us."),
        (
            "broken",
            "Official, run by School of Engineering, but the account no longer links back to us"
            " (since 1 February 2026).",
        ),
        ("not_yet", "Official, run by School of Engineering.</strong>"),
    ],
)
def test_the_answer_says_whether_the_account_links_back(client, unit, state, wording):
    from accounts.models import ChannelVerification

    channel = make_channel(unit=unit, name="Engineering Toots", platform="mastodon", handle="news")
    ChannelVerification.objects.create(
        channel=channel,
        state=state,
        since=datetime.datetime(2026, 2, 1, 9, tzinfo=datetime.UTC),
    )
    text = answer(client.get(URL, {"url": "@news@mastodon.social"}))
    assert wording in text
    assert f'<a href="/c/{channel.pk}/" data-testid="channel-page">' in text


def test_an_account_that_cannot_link_back_is_plainly_official(client, news):
    text = answer(client.get(URL, {"url": "@eng_news"}))
    assert "Official, run by School of Engineering.</strong>" in text
    assert "links back" not in text
    assert f'<a href="/c/{news.pk}/" data-testid="channel-page">' in text


def test_a_closed_channel_has_no_page_to_link_to(client, unit):
    channel = make_channel(unit=unit, name="Gone", platform="x", handle="gone", status="closed")
    text = answer(client.get(URL, {"url": "@gone"}))
    assert "Formerly official" in text
    assert f"/c/{channel.pk}/" not in text


@pytest.mark.parametrize("language", ["en", "sv"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"url": "https://www.instagram.com/eng_news/"},
        {"url": "@eng_news"},
        {"url": ""},
        {"url": "   "},
        {"url": "not an address at all!"},
        {"url": "x" * 501},
        {"url": "<script>\"&'</script>"},
        {"url": "nul\x00char"},
        {"url": "https://exämple.org/ünïcode"},
        {"url": "ftp://example.org/"},
    ],
)
def test_the_form_is_written_as_crispy_forms_writes_it(db, language, data):
    """accounts/templatetags/verify_form.py stands in for {{ form|crispy }} (a fifth of
    the CPU of an answer): byte for byte the same, in every state of the form."""
    from django.template import Context, Template
    from django.utils import translation

    from accounts.forms_public import VerifyForm

    with translation.override(language):
        form = VerifyForm(data) if data is not None else VerifyForm()
        if data is not None:
            form.is_valid()
        crispy = Template("{% load crispy_forms_tags %}{{ form|crispy }}")
        ours = Template("{% load verify_form %}{{ form|verify_form }}")
        expected = crispy.render(Context({"form": form}))
        assert ours.render(Context({"form": form})) == expected
        assert ("is-invalid" in expected) == bool(data is not None and form.errors)
