"""Forms of the checklist. Submitting is Proposal.submit(); these forms read and check
what people type, and keep it when something is wrong. A draft may be incomplete, but
never malformed (a target that is not a number, an answer over the limit, an unknown
person)."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.forms import PersonField
from accounts.models import Unit
from accounts.platforms import check_address
from checklist.models import ANSWER_MAX_LENGTH, Goal, Proposal
from core.form_rendering import PlainWidgets
from core.validators import validate_plausible_year

ANSWER_ROWS = 5

# The inputs the registry's matches depend on: htmx refreshes the matches as they change.
MATCH_FIELDS = ["name", "profile", "unit", "platform"]

LIMIT_MESSAGE = _("Keep the answer under %(limit_value)s characters (it has %(show_value)s).")
COMMENT_LIMIT_MESSAGE = _(
    "Keep the comment under %(limit_value)s characters (it has %(show_value)s)."
)


def _textarea(rows=ANSWER_ROWS):
    return forms.Textarea(
        attrs={"rows": rows, "class": "form-control", "maxlength": ANSWER_MAX_LENGTH}
    )


class ProposalForm(forms.ModelForm):
    """The channel part of a proposal: everything but the answers and the goals."""

    proposed_owner = PersonField(label=_("Proposed responsible owner"), required=False)
    proposed_deputy = PersonField(label=_("Proposed deputy"), required=False)

    class Meta:
        model = Proposal
        fields = [
            "unit",
            "platform",
            "name",
            "profile",
            "proposed_owner",
            "proposed_deputy",
            "languages",
            "why_new_channel",
        ]
        widgets = {
            "unit": forms.Select(attrs={"class": "form-select"}),
            "platform": forms.Select(attrs={"class": "form-select"}),
            "name": forms.TextInput(attrs={"class": "form-control"}),
            "profile": forms.TextInput(attrs={"class": "form-control"}),
            "languages": forms.TextInput(attrs={"class": "form-control"}),
            "why_new_channel": _textarea(),
        }
        help_texts = {"languages": _("For example: English, Swedish")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("name")
        self.fields["why_new_channel"].error_messages["max_length"] = LIMIT_MESSAGE
        live = {
            "hx-get": reverse("checklist:matches"),
            "hx-include": ", ".join(f"#id_{name}" for name in MATCH_FIELDS),
            "hx-trigger": "change, keyup changed delay:500ms",
            "hx-target": "#matches",
        }
        for name in MATCH_FIELDS:
            self.fields[name].widget.attrs.update(live)
        for name in ["proposed_owner", "proposed_deputy"]:
            self.fields[name].widget.attrs.update({"class": "form-control", "autocomplete": "off"})
            person = getattr(self.instance, name)
            if person is not None:
                self.initial[name] = person.get_username()

    def clean_profile(self):
        # Any handle will do in a draft (the platform may not be chosen yet), but an
        # address must be one that can be read: Proposal.problems() reads it again.
        profile = self.cleaned_data["profile"]
        check_address(profile)
        return profile


class AnswersForm(forms.Form):
    """One textarea per checklist item, named ``answer-<key>``."""

    def __init__(self, *args, items, **kwargs):
        kwargs.setdefault("prefix", "answer")
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[item.key] = forms.CharField(
                label=_(item.title),
                required=False,
                max_length=ANSWER_MAX_LENGTH,
                widget=_textarea(),
                error_messages={"max_length": LIMIT_MESSAGE},
            )

    def texts(self):
        """{item: typed text} for every item."""
        return {item: self.cleaned_data.get(item.key, "") for item in self.items}


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["metric", "target_value", "target_date"]
        widgets = {
            "metric": forms.Select(attrs={"class": "form-select"}),
            "target_value": forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
            "target_date": forms.DateInput(
                attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"
            ),
        }
        error_messages = {
            "target_value": {"invalid": _("The target must be a number.")},
            "target_date": {"invalid": _("Give the date as YYYY-MM-DD.")},
        }


class BaseGoalFormSet(forms.BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


GoalFormSet = forms.modelformset_factory(
    Goal,
    form=GoalForm,
    formset=BaseGoalFormSet,
    extra=1,
    can_delete=True,
    max_num=50,
    validate_max=True,
    # A posted goal count beyond the limit builds no more than 50 forms (Django's
    # default would build and render a thousand more before refusing them).
    absolute_max=50,
)


class DecisionForm(forms.Form):
    """The comment posted with a decision on a proposal (the decision itself is the
    proposal's: whether a comment is required is its rule)."""

    comment = forms.CharField(
        required=False,
        max_length=ANSWER_MAX_LENGTH,
        error_messages={"max_length": COMMENT_LIMIT_MESSAGE},
    )


class ItemCommentForm(forms.Form):
    """A reviewer's comment on one answer (the item is named by its key)."""

    item = forms.CharField(max_length=50)
    text = forms.CharField(
        required=False,
        max_length=ANSWER_MAX_LENGTH,
        error_messages={"max_length": COMMENT_LIMIT_MESSAGE},
    )


class MeetingForm(forms.ModelForm):
    # Shown on every page the office reads: its inputs written in Python (as Django's
    # templates write them), not through three templates each.
    default_renderer = PlainWidgets()

    class Meta:
        model = Proposal
        fields = ["meeting_at", "meeting_place", "meeting_notes"]
        widgets = {
            "meeting_at": forms.DateTimeInput(
                attrs={"type": "datetime-local", "class": "form-control"},
                format="%Y-%m-%dT%H:%M",
            ),
            "meeting_place": forms.TextInput(attrs={"class": "form-control"}),
            "meeting_notes": forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        }

    def clean_meeting_at(self):
        meeting_at = self.cleaned_data["meeting_at"]
        validate_plausible_year(meeting_at)
        return meeting_at

    def meeting(self):
        """Keyword arguments for Proposal.record_meeting()."""
        return {
            "at": self.cleaned_data["meeting_at"],
            "place": self.cleaned_data["meeting_place"],
            "notes": self.cleaned_data["meeting_notes"],
        }
