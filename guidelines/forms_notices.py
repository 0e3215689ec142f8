"""The form the communications office publishes a site notice with. Publishing itself
is SiteNotice.publish(); this form reads and checks what was typed, and keeps it when
something is wrong."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import validate_plausible_year
from guidelines.forms import check_languages
from guidelines.models import SiteNotice

# What a datetime-local input sends and shows (no seconds).
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _now_to_the_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_LOCAL)


class NoticeForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level"),
        choices=SiteNotice.Level.choices,
        initial=SiteNotice.Level.INFO,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Message in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        # The model's limit, message and help text (the admin shows the same).
        validators=SiteNotice._meta.get_field("body_en").validators,
        help_text=SiteNotice._meta.get_field("body_en").help_text,
    )
    title_sv = forms.CharField(label=_("Title in Swedish"), max_length=200, required=False)
    body_sv = forms.CharField(
        label=_("Message in Swedish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=SiteNotice._meta.get_field("body_sv").validators,
        help_text=SiteNotice._meta.get_field("body_sv").help_text,
    )
    starts_at = forms.DateTimeField(
        validators=[validate_plausible_year],
        label=_("Shown from"),
        required=False,
        initial=_now_to_the_minute,
        widget=DateTimeLocalInput(),
        help_text=_("Leave as it is to show the notice at once."),
    )
    ends_at = forms.DateTimeField(
        validators=[validate_plausible_year],
        label=_("Shown until"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Optional: leave empty to show it until someone ends it."),
    )
    confirm_crisis = forms.BooleanField(
        label=_(
            "I understand that a crisis notice is shown to everyone and e-mailed at once to "
            "every owner and deputy of a live channel"
        ),
        required=False,
    )

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_title_sv(self):
        return self.cleaned_data["title_sv"].strip()

    def clean_body(self):
        return self.cleaned_data["body"].strip()

    def clean_body_sv(self):
        return self.cleaned_data["body_sv"].strip()

    def clean(self):
        cleaned = super().clean()
        check_languages(self, {"en": ["title", "body"], "sv": ["title_sv", "body_sv"]})
        starts_at = cleaned.get("starts_at")
        ends_at = cleaned.get("ends_at")
        if ends_at is not None and "starts_at" not in self.errors:
            now = timezone.now()
            if ends_at <= (starts_at or now):
                self.add_error("ends_at", _("The notice must end after it starts."))
            elif ends_at <= now:
                self.add_error("ends_at", _("The end must be in the future."))
        if cleaned.get("level") == SiteNotice.Level.CRISIS and not cleaned.get("confirm_crisis"):
            self.add_error(
                "confirm_crisis",
                _("A crisis notice reaches everyone: tick the box to confirm that you mean it."),
            )
        return cleaned

    @property
    def is_crisis(self):
        return self.is_bound and self.data.get("level") == SiteNotice.Level.CRISIS

    def notice(self):
        """Keyword arguments for SiteNotice.publish()."""
        return {
            name: self.cleaned_data[name]
            for name in ["level", "title", "body", "title_sv", "body_sv", "starts_at", "ends_at"]
        }
