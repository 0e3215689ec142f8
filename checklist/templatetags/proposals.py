"""The proposals' part of other apps' pages, resolved by the template engine so that
those apps import nothing of checklist (docs/architecture.md, "The layers")."""

from django import template

from checklist.models import Proposal

register = template.Library()


@register.inclusion_tag("checklist/_origin_proposal.html", takes_context=True)
def origin_proposal(context, channel):
    """The registry page's link to the proposal ``channel`` was approved from, for a
    reader who may see that proposal (Proposal.objects.visible_to: one query); for
    anyone else, only the fact that it came from one."""
    proposal_id = channel.origin_proposal_id
    if proposal_id is None:
        return {"proposal": None}
    user = context["request"].user
    visible = Proposal.objects.visible_to(user).filter(pk=proposal_id).only("pk", "name").first()
    return {"from_proposal": True, "proposal": visible}
