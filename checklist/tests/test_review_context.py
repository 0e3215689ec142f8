"""Review with the portfolio (item 4) and a registry entry that remembers its proposal
(item 5): the review page lists the similar registry channels the submitter saw; the
approval carries the purpose and audience over; the channel and the proposal link to
each other, for the readers who may follow the link."""

import importlib

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Channel
from checklist.models import Answer
from checklist.tests.factories import make_proposal
from portal.tests.factories import make_channel


def in_review(submitter, unit, unit_head, **fields):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True, **fields)
    proposal.submit(by=submitter)
    proposal.endorse(by=unit_head)
    return proposal


def approved(submitter, unit, unit_head, reviewer):
    proposal = in_review(submitter, unit, unit_head)
    Answer.objects.filter(proposal=proposal, item__key="goals").update(
        text="Reach 500 prospective students by June."
    )
    Answer.objects.filter(proposal=proposal, item__key="audience").update(
        text="Upper-secondary pupils choosing a programme."
    )
    proposal.approve(by=reviewer)
    return proposal


def queries_of(client, url):
    """The queries of ``url`` once the caches are warm, and its HTML."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_review_page_lists_the_similar_channels_in_constant_queries(
    client, submitter, unit, unit_head, reviewer, colleague
):
    proposal = in_review(
        submitter, unit, unit_head, name="Fictional Library", why_new_channel="Another audience."
    )
    make_channel(unit=unit, owner=colleague, name="Fictional Library", handle="lib1")
    client.force_login(reviewer)
    one, html = queries_of(client, proposal.get_absolute_url())
    assert html.count('data-testid="similar-channel"') == 1
    assert "Fictional Library" in html

    for number in range(2, 6):
        make_channel(
            unit=unit, owner=colleague, name=f"Fictional Library {number}", handle=f"lib{number}"
        )
    five, html = queries_of(client, proposal.get_absolute_url())

    assert html.count('data-testid="similar-channel"') == 5
    assert five == one


def test_the_review_page_says_when_no_channel_is_similar(
    client, submitter, unit, unit_head, reviewer
):
    proposal = in_review(submitter, unit, unit_head, name="Quite unique name")
    client.force_login(reviewer)

    _count, html = queries_of(client, proposal.get_absolute_url())

    assert "No similar running channel in the registry." in html


def test_the_approval_carries_purpose_and_audience_into_the_registry(
    submitter, unit, unit_head, reviewer
):
    proposal = approved(submitter, unit, unit_head, reviewer)

    channel = Channel.objects.get(origin_proposal=proposal)
    assert channel.purpose == "Reach 500 prospective students by June."
    assert channel.audience == "Upper-secondary pupils choosing a programme."


def test_the_channel_and_its_proposal_link_to_each_other(
    client, submitter, unit, unit_head, reviewer
):
    proposal = approved(submitter, unit, unit_head, reviewer)
    channel = Channel.objects.get(origin_proposal=proposal)
    client.force_login(reviewer)

    _count, proposal_page = queries_of(client, proposal.get_absolute_url())
    _count, channel_page = queries_of(client, f"/registry/{channel.pk}/")

    assert f'href="/registry/{channel.pk}/"' in proposal_page
    assert 'data-testid="proposal-channel"' in proposal_page
    assert f'href="/proposals/{proposal.pk}/"' in channel_page
    assert "Reach 500 prospective students by June." in channel_page
    # The approved channel is not "similar" to its own proposal.
    assert 'data-testid="similar-channel"' not in proposal_page


def test_a_reader_who_may_not_see_the_proposal_gets_no_link_to_it(
    client, submitter, unit, unit_head, reviewer, outsider
):
    proposal = approved(submitter, unit, unit_head, reviewer)
    channel = Channel.objects.get(origin_proposal=proposal)
    client.force_login(outsider)

    _count, channel_page = queries_of(client, f"/registry/{channel.pk}/")

    assert f'href="/proposals/{proposal.pk}/"' not in channel_page
    assert "Approved from a proposal you cannot read" in channel_page
    assert client.get(proposal.get_absolute_url()).status_code == 404


def test_the_migration_fills_what_earlier_approvals_left_empty(
    submitter, unit, unit_head, reviewer
):
    proposal = approved(submitter, unit, unit_head, reviewer)
    Channel.objects.filter(origin_proposal=proposal).update(purpose="", audience="Kept as is.")
    migration = importlib.import_module(
        "checklist.migrations.0005_approved_channels_purpose_and_audience"
    )

    migration.carry_over(apps, None)

    channel = Channel.objects.get(origin_proposal=proposal)
    assert channel.purpose == "Reach 500 prospective students by June."
    assert channel.audience == "Kept as is."
