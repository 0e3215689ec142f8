import datetime

from checklist.models import Answer, ChecklistTemplate, Goal, Proposal


def make_proposal(*, submitter, unit=None, complete=False, **fields):
    """A proposal against the current checklist; ``complete`` answers everything and
    sets a goal, so that it can be submitted."""
    template = ChecklistTemplate.objects.current()
    proposal = Proposal.objects.create(template=template, submitter=submitter, unit=unit, **fields)
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
