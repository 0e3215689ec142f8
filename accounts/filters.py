import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Channel, Unit
from accounts.platforms import Platform


class ChannelFilter(django_filters.FilterSet):
    """The registry's search, filters and sorting, read from the query string; the CSV
    export reads the same parameters, so it exports exactly what the page shows."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, handle or address")}
        ),
    )
    platform = django_filters.ChoiceFilter(
        label=_("Platform"), choices=Platform.choices, empty_label=_("All")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=Unit.objects.all(), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Channel.Status.choices, empty_label=_("All")
    )
    orphaned = django_filters.BooleanFilter(
        label=_("Orphaned"), method="flag", widget=forms.CheckboxInput
    )
    overdue = django_filters.BooleanFilter(
        label=_("Recertification overdue"), method="flag", widget=forms.CheckboxInput
    )
    no_deputy = django_filters.BooleanFilter(
        label=_("No deputy"), method="flag", widget=forms.CheckboxInput
    )
    link_broken = django_filters.BooleanFilter(
        label=_("No longer links back"), method="flag", widget=forms.CheckboxInput
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[
            ("name", "name"),
            ("platform", "platform"),
            ("unit__name", "unit"),
            ("status", "status"),
            ("recertification_due_on", "due"),
        ],
    )

    FLAGS = {
        "orphaned": "orphaned",
        "overdue": "recertification_overdue",
        "no_deputy": "without_deputy",
        "link_broken": "verification_broken",
    }

    class Meta:
        model = Channel
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page renders these selects' options itself from a plain list (one query
        # for the units; Django's per-option widget templates were a tenth of the page).
        self.select_choices = {
            "platform": [("", _("All")), *Platform.choices],
            "unit": [("", _("All")), *Unit.objects.values_list("pk", "name")],
            "status": [("", _("All")), *Channel.Status.choices],
        }

    def selects(self):
        """(bound field, [(value, label, selected)]) for the platform, unit and status
        filters."""
        for name, choices in self.select_choices.items():
            field = self.form[name]
            current = str(field.value() or "")
            yield field, [(value, label, str(value) == current) for value, label in choices]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        value = value.removeprefix("@")
        return queryset.filter(
            Q(name__icontains=value) | Q(handle__icontains=value) | Q(profile_url__icontains=value)
        )

    def flag(self, queryset, name, value):
        return getattr(queryset, self.FLAGS[name])() if value else queryset

    @property
    def qs(self):
        # A stable order under every sort, so that pages never overlap.
        queryset = super().qs
        ordering = list(queryset.query.order_by) or ["name"]
        return queryset.order_by(*ordering, "pk")
