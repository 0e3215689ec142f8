"""The owner's two metrics forms: the platform's API token, and figures entered by
hand where the portal cannot collect them."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from metrics.models import Snapshot
from metrics.providers.base import Reading

#: No account has a trillion followers: a larger number is a typing mistake.
LARGEST_FIGURE = 10**12


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Access token"),
        min_length=20,
        max_length=4000,
        # Never rendered back, not even after an error: the page asks to paste it again.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Paste the token from the platform's developer settings. It is stored "
            "encrypted and never shown again."
        ),
        error_messages={
            "required": _("Paste the token."),
            "min_length": _(
                "This is too short for a token (at least %(limit_value)d characters): "
                "check that you copied all of it."
            ),
            "max_length": _(
                "This is too long for a token (at most %(limit_value)d characters): "
                "check that you copied only the token."
            ),
        },
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("If the platform told you; you get a reminder before it expires."),
    )

    def clean_token(self):
        token = self.cleaned_data["token"]
        if any(char.isspace() for char in token):
            raise ValidationError(
                _("A token has no spaces or line breaks: check that you copied only the token."),
                code="whitespace",
            )
        return token

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is not None and day < timezone.localdate():
            raise ValidationError(_("This date has passed."), code="past")
        return day


def _figure(name, *, required=False, help_text=""):
    return forms.IntegerField(
        label=capfirst(Snapshot._meta.get_field(name).verbose_name),
        required=required,
        min_value=0,
        max_value=LARGEST_FIGURE,
        help_text=help_text,
    )


# The same meaning as collected figures, so that the two compare (metrics/figures.py).
IN_30_DAYS = _("Over the posts of the last 30 days.")


class FiguresForm(forms.Form):
    """One day's figures of a channel that the portal does not collect."""

    date = forms.DateField(
        label=_("Date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the figures are from. Entering a day again replaces its figures."),
    )
    followers = _figure("followers", required=True)
    posts = _figure("posts", help_text=_("All the posts the account has published so far."))
    engagement_posts = _figure(
        "engagement_posts",
        help_text=_("How many posts it published in the last 30 days."),
    )
    likes = _figure("likes", help_text=IN_30_DAYS)
    comments = _figure("comments", help_text=IN_30_DAYS)
    shares = _figure("shares", help_text=IN_30_DAYS)
    views = _figure("views", help_text=IN_30_DAYS)

    OPTIONAL = ["posts", "engagement_posts", "likes", "comments", "shares", "views"]

    def __init__(self, *args, channel, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise ValidationError(_("Figures cannot be entered for a future day."), code="future")
        start = self.channel.opened_on or self.channel.approved_on
        if start is not None and day < start:
            raise ValidationError(
                _("The channel started on %(date)s: choose that day or a later one."),
                code="before_start",
                params={"date": date_format(start, "SHORT_DATE_FORMAT")},
            )
        return day

    def reading(self):
        """The typed figures; a blank one is None (unknown), not 0."""
        return Reading(**{name: self.cleaned_data[name] for name in ["followers", *self.OPTIONAL]})
