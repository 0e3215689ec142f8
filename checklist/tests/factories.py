import datetime
import importlib

from django.apps import apps

from checklist.models import Answer, ChecklistTemplate, Goal, Proposal


def current_template():
    """The current checklist; recreated from its migration when a transactional test's
    flush has removed what the data migration made."""
    template = ChecklistTemplate.objects.current()
    if template is None:
        default = importlib.import_module("checklist.migrations.0002_default_checklist")
        default.create_default_checklist(apps, None)
        template = ChecklistTemplate.objects.current()
    return template


def make_proposal(*, submitter, unit=None, state=Proposal.State.DRAFT, complete=False, **fields):
    """A proposal against the current checklist, written directly in ``state`` (no
    transition, no audit row, no e-mail: for tests about reading and lists; tests of
    the workflow call ``submit()`` and friends). ``complete`` answers everything and sets
    a goal, so that it can be submitted."""
    template = current_template()
    proposal = Proposal.objects.create(
        template=template, submitter=submitter, unit=unit, state=state, **fields
    )
    if complete:
        proposal.platform = proposal.platform or "mastodon"
        proposal.name = proposal.name or "Engineering on Mastodon"
        proposal.proposed_owner = proposal.proposed_owner or submitter
        proposal.save()
        for item in template.items.all():
            Answer.objects.create(proposal=proposal, item=item, text=f"About {item.key}.")
        Goal.objects.create(
            proposal=proposal,
            metric="followers",
            target_value=500,
            target_date=datetime.date.today() + datetime.timedelta(days=365),
        )
    return proposal


def add_answered_items(proposal, count):
    """Adds ``count`` items to the proposal's checklist ("Extra 0", ...), each answered
    ("Extra answer 0", ...) and with a goal of its own: for the query counts of pages
    that list them. Returns the new items."""
    items = []
    for number in range(count):
        item = proposal.template.items.create(
            key=f"extra-{number}", title=f"Extra {number}", ordering=100 + number
        )
        Answer.objects.create(proposal=proposal, item=item, text=f"Extra answer {number}")
        Goal.objects.create(
            proposal=proposal,
            metric=Goal.Metric.POSTS_PER_WEEK,
            target_value=3,
            target_date=datetime.date(2031, 1, 1),
        )
        items.append(item)
    return items
