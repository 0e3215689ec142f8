import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.filters import ChannelFilter
from metrics.figures import GoalStatus


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Sorting in which a channel without a figure comes last both ways: "unknown" is
    neither the most nor the least."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = self.param_map[param.lstrip("-")]
        expression = F(field)
        return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)


class PortfolioFilter(ChannelFilter):
    """The registry's search and filters, plus goal status and the channels that need
    attention; sorting by the figures. The CSV export reads the same parameters."""

    goal_status = django_filters.ChoiceFilter(
        label=_("Goals"),
        field_name="summary__goal_status",
        choices=list(GoalStatus.LABELS.items()),
        empty_label=_("All"),
    )
    attention = django_filters.BooleanFilter(
        label=_("Dormant or behind plan"), method="needs_attention", widget=forms.CheckboxInput
    )
    behind_plan = django_filters.BooleanFilter(
        label=_("Behind plan"), method="only_behind_plan", widget=forms.CheckboxInput
    )
    sort = NullsLastOrderingFilter(
        label=_("Sort by"),
        fields=[
            ("name", "name"),
            ("platform", "platform"),
            ("unit__name", "unit"),
            ("summary__followers", "followers"),
            ("summary__followers_growth_30d", "growth"),
            ("summary__posts_per_week", "posts"),
            ("summary__engagement_rate", "engagement"),
            ("summary__last_post_on", "last_post"),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.select_choices["goal_status"] = [("", _("All")), *GoalStatus.LABELS.items()]

    def needs_attention(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(status="dormant") | Q(summary__behind_plan=True))

    def only_behind_plan(self, queryset, name, value):
        return queryset.filter(summary__behind_plan=True) if value else queryset
