"""Forms of the office's triage of suspicious accounts: the queue's filters, an outcome,
a note. The decisions themselves are SuspiciousAccountReport methods."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import SuspiciousAccountReport
from accounts.platforms import Platform
from core.validators import validate_plausible_year

Report = SuspiciousAccountReport
NOTE_MAX_LENGTH = 2000


def _any(label):
    return [("", label)]


class ReportFilterForm(forms.Form):
    """The queue's filters, read from the query string. A value that is not one of the
    choices is an error shown above the list (400), never a 500."""

    OPEN, CLOSED, ALL = "open", "closed", "all"

    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[(OPEN, _("Open")), (CLOSED, _("Closed")), (ALL, _("All"))],
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=_any(_("Any outcome")) + Report.Outcome.choices,
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=_any(_("Any source")) + Report.Source.choices
    )
    platform = forms.ChoiceField(
        label=_("Platform"),
        required=False,
        choices=_any(_("Any platform")) + Platform.choices,
    )

    def filter(self, reports):
        """``reports`` narrowed by the valid filters (open ones when none is given)."""
        data = self.cleaned_data
        state = data.get("state") or self.OPEN
        if state == self.OPEN:
            reports = reports.open()
        elif state == self.CLOSED:
            reports = reports.closed()
        if data.get("outcome"):
            reports = reports.filter(outcome=data["outcome"])
        if data.get("source"):
            reports = reports.filter(source=data["source"])
        if data.get("platform"):
            reports = reports.filter(detected_platform=data["platform"])
        # The open ones oldest first (who has waited longest); the others newest first.
        if state == self.OPEN:
            return reports.order_by("reported_at", "pk")
        return reports.order_by("-reported_at", "-pk")


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Report.Outcome.choices, widget=forms.RadioSelect
    )
    reported_on = forms.DateField(
        label=_("Reported to the platform on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only for an impostor: the day you sent the platform's form."),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_reported_on(self):
        reported_on = self.cleaned_data["reported_on"]
        validate_plausible_year(reported_on)
        return reported_on

    def decision(self):
        """Keyword arguments for SuspiciousAccountReport.decide()."""
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "reported_on": data["reported_on"],
            "note": data["note"],
        }


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(forms.Form):
    note = forms.CharField(
        label=_("Why reopen? (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
