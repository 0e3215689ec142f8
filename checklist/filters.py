import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from accounts.platforms import Platform
from checklist.models import Proposal
from checklist.review_queue import over_service_level_q, with_waiting_since


class ProposalFilter(django_filters.FilterSet):
    """The proposals list's search and filters, read from the query string; the exports
    read the same parameters, so they hold exactly what the page lists."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, address or submitter")}
        ),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Proposal.State.choices, empty_label=_("All")
    )
    platform = django_filters.ChoiceFilter(
        label=_("Platform"), choices=Platform.choices, empty_label=_("All")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=Unit.objects.order_by("name"), empty_label=_("All")
    )

    overdue = django_filters.BooleanFilter(
        label=_("Waiting longer than the review target"),
        method="past_service_level",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Proposal
        fields = []

    def selects(self):
        """(bound field, [(value, label, selected)]) for the state, platform and unit
        filters, rendered by the page itself (one query for the units)."""
        choices = {
            "state": Proposal.State.choices,
            "platform": Platform.choices,
            "unit": list(Unit.objects.order_by("name").values_list("pk", "name")),
        }
        for name, options in choices.items():
            field = self.form[name]
            current = str(field.value() or "")
            yield (
                field,
                [("", _("All"), current == "")]
                + [(value, label, str(value) == current) for value, label in options],
            )

    def search(self, queryset, name, value):
        value = value.strip().removeprefix("@")
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(profile__icontains=value)
            | Q(submitter__username__icontains=value)
            | Q(submitter__first_name__icontains=value)
            | Q(submitter__last_name__icontains=value)
        )

    def past_service_level(self, queryset, name, value):
        """Waiting at the unit head or in review for longer than the review target: the
        review queue's rule (checklist.review_queue)."""
        if not value:
            return queryset
        return with_waiting_since(queryset).filter(over_service_level_q(timezone.localdate()))
