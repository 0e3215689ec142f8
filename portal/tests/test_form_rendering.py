"""core.form_rendering.PlainWidgets writes its widgets exactly as Django's templates do:
the same HTML, character for character, escaped the same way."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html

from checklist.forms import MeetingForm
from checklist.models import Proposal
from core.form_rendering import INPUTS, TEXTAREA, PlainWidgets

HOSTILE = "<script>alert(\"x\")</script> & 'quotes' {{ braces }} %s"


def both(make_form):
    """Each field of the form as PlainWidgets and as Django's templates render it."""
    plain, django = make_form(PlainWidgets()), make_form(DjangoTemplates())
    return [(str(a), str(b)) for a, b in zip(plain, django, strict=True)]


@pytest.mark.parametrize(
    "instance",
    [
        Proposal(),
        Proposal(
            meeting_at=timezone.make_aware(datetime.datetime(2026, 12, 24, 9, 5)),
            meeting_place=HOSTILE,
            meeting_notes=f"{HOSTILE}\nsecond line\n\n",
        ),
    ],
)
def test_the_meeting_form_renders_as_with_djangos_templates(instance):
    rendered = both(lambda renderer: MeetingForm(instance=instance, renderer=renderer))
    assert len(rendered) == 3
    for plain, django in rendered:
        assert plain == django


def test_a_refused_meeting_form_renders_as_with_djangos_templates():
    data = {"meeting_at": "not a date", "meeting_place": HOSTILE, "meeting_notes": HOSTILE}

    def refused(renderer):
        form = MeetingForm(data, instance=Proposal(), renderer=renderer)
        assert not form.is_valid()
        return form

    for plain, django in both(refused):
        assert plain == django
    assert 'aria-invalid="true"' in both(refused)[0][0]


class Widgets(forms.Form):
    text = forms.CharField(
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "disabled": False,
                "size": 12,
                "data-safe": format_html("<b>{}</b>", "kept"),
                "placeholder": lazy(lambda: "Search <all>", str)(),  # as gettext_lazy
                "title": HOSTILE,
            }
        )
    )
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.DateTimeField(widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M"))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    plain = forms.CharField(widget=forms.widgets.Input(attrs={"maxlength": 5}), required=False)


@pytest.mark.parametrize(
    "initial",
    [
        {},
        {"text": "", "notes": ""},
        {
            "text": HOSTILE,
            "day": datetime.date(2026, 1, 2),
            "at": datetime.datetime(2026, 1, 2, 3, 4),
            "notes": f"\n{HOSTILE}\n",
            "plain": format_html("<i>{}</i>", "safe"),
        },
    ],
)
def test_each_widget_it_writes_renders_as_with_djangos_templates(initial):
    rendered = both(lambda renderer: Widgets(initial=initial, renderer=renderer))
    for plain, django in rendered:
        assert plain == django


def test_it_writes_only_the_templates_it_knows_and_leaves_the_rest_to_django():
    assert {forms.TextInput.template_name, forms.DateInput.template_name} <= INPUTS
    assert forms.DateTimeInput.template_name in INPUTS and forms.Textarea.template_name == TEXTAREA
    select = forms.Form(renderer=PlainWidgets())
    select.fields["choice"] = forms.ChoiceField(choices=[("a", HOSTILE)])
    django = forms.Form(renderer=DjangoTemplates())
    django.fields["choice"] = forms.ChoiceField(choices=[("a", HOSTILE)])
    assert str(select["choice"]) == str(django["choice"])
    assert str(select) == str(django)
