"""Figures for people: grouped digits, "—" for unknown (never 0), signs on growth, and
goal statuses as badges that do not rely on colour alone."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from metrics.figures import GoalStatus

register = template.Library()

DASH = "—"

BADGES = {
    GoalStatus.MET: "text-bg-success",
    GoalStatus.ON_TRACK: "text-bg-success",
    GoalStatus.BEHIND: "text-bg-warning",
    GoalStatus.MISSED: "text-bg-danger",
    GoalStatus.NO_DATA: "text-bg-secondary",
    GoalStatus.NOT_MEASURED: "text-bg-light",
}


@register.filter
def figure(value, digits=0):
    if value is None or value == "":
        return DASH
    value = round(float(value), int(digits)) if digits else round(value)
    return number_format(value, decimal_pos=int(digits) or None, force_grouping=True)


@register.filter
def signed(value):
    if value is None or value == "":
        return DASH
    text = number_format(abs(round(value)), force_grouping=True)
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else "0")


@register.simple_tag
def goal_badge(status):
    """The status in words, in a badge whose colour only repeats what the words say."""
    label = GoalStatus.LABELS.get(status)
    if label is None:
        return DASH
    return format_html('<span class="badge {}">{}</span>', BADGES[status], label)
