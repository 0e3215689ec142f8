"""Forms of the internal registry. The operations themselves are Channel methods; these
forms read and check what people type, and keep it when something is wrong."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import spreadsheets
from accounts.models import CHANNEL_EDITABLE_FIELDS, Channel, Recertification
from core.names import person_name
from core.validators import validate_plausible_year

# --- Credentials: where they are kept, never what they are -------------------------

_PASSWORD_WORDS = re.compile(
    r"\b(password|passwd|pwd|passcode|pin|lösenord|losenord|salasana|passord)\b\s*[:=]",
    re.IGNORECASE,
)


def _character_class(char):
    if char.islower():
        return "lower"
    if char.isupper():
        return "upper"
    return "digit" if char.isdigit() else "symbol"


def looks_like_password(value):
    """Does ``value`` look like a secret rather than the name of where one is kept?

    Caught: "password: ...", "pwd=..." (in several languages), and a single word of 8
    or more characters, without the separators entry names use (space, slash, dot,
    hyphen, underscore), that mixes three kinds of character (lower and upper case,
    digits, symbols) and either has a symbol or changes kind at least every third
    character, as generated passwords do ("Kx82jdLq0Z"), where names do not
    ("SharedVault2026").
    """
    value = value.strip()
    if _PASSWORD_WORDS.search(value):
        return True
    if len(value) < 8 or re.search(r"[\s/._\-]", value):
        return False
    kinds = [_character_class(char) for char in value]
    if len(set(kinds)) < 3:
        return False
    changes = sum(1 for before, after in zip(kinds, kinds[1:], strict=False) if before != after)
    return "symbol" in kinds or changes * 3 >= len(value)


def refuse_passwords(value):
    if value and looks_like_password(value):
        raise ValidationError(
            _(
                "This looks like a password. Never write passwords here: give the name of "
                "the entry in the password manager where the credentials are kept."
            ),
            code="password",
        )
    return value


# --- People ------------------------------------------------------------------------


class PersonField(forms.CharField):
    """A person named by user name or e-mail address; the field cleans to the user."""

    default_error_messages = {
        "unknown": _("Nobody with the user name or e-mail address “%(value)s” was found."),
        "ambiguous": _("Several people have the e-mail address “%(value)s”: use the user name."),
        "inactive": _("%(name)s no longer has an active account."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("help_text", _("Their user name or e-mail address in the organisation."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        people = list(
            get_user_model().objects.filter(Q(username__iexact=value) | Q(email__iexact=value))[:2]
        )
        exact = [person for person in people if person.username.lower() == value.lower()]
        if exact:
            people = exact
        if not people:
            raise ValidationError(self.error_messages["unknown"], "unknown", {"value": value})
        if len(people) > 1:
            raise ValidationError(self.error_messages["ambiguous"], "ambiguous", {"value": value})
        person = people[0]
        if not person.is_active:
            raise ValidationError(
                self.error_messages["inactive"], "inactive", {"name": person_name(person)}
            )
        return person


# --- Channel forms -----------------------------------------------------------------


class ChannelForm(forms.ModelForm):
    """The channel's description, as its owner or the office edits it."""

    # A plain text field: the model reads @handles and addresses without https://.
    profile_url = forms.CharField(
        label=Channel._meta.get_field("profile_url").verbose_name,
        max_length=500,
        help_text=_("Paste the profile's address; an @handle works on most platforms."),
    )

    class Meta:
        model = Channel
        fields = [f for f in CHANNEL_EDITABLE_FIELDS if f != "platform_id"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "audience": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_credentials_location(self):
        return refuse_passwords(self.cleaned_data["credentials_location"])

    def clean_recovery_contact(self):
        return refuse_passwords(self.cleaned_data["recovery_contact"])

    def changes(self):
        """The typed values of the fields that differ from the stored channel."""
        return {field: self.cleaned_data[field] for field in self.changed_data}


class RegisterChannelForm(ChannelForm):
    """The communications office enters an existing or newly opened channel."""

    owner = PersonField(label=_("Responsible owner"))
    deputy = PersonField(label=_("Deputy"), required=False)

    class Meta(ChannelForm.Meta):
        fields = [
            "name",
            "platform",
            "profile_url",
            "unit",
            "status",
            "approved_on",
            "purpose",
            "audience",
            "languages",
            "is_public",
            "credentials_location",
            "two_factor_enabled",
            "recovery_contact",
        ]
        widgets = {
            **ChannelForm.Meta.widgets,
            "approved_on": forms.DateInput(attrs={"type": "date"}),
        }

    field_order = ["name", "platform", "profile_url", "unit", "owner", "deputy", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (value, label)
            for value, label in Channel.Status.choices
            if value in (Channel.Status.PLANNED, Channel.Status.ACTIVE)
        ]

    def clean_approved_on(self):
        approved_on = self.cleaned_data["approved_on"]
        validate_plausible_year(approved_on)
        return approved_on

    def clean(self):
        cleaned = super().clean()
        owner, deputy = cleaned.get("owner"), cleaned.get("deputy")
        if owner and deputy and owner == deputy:
            self.add_error("deputy", _("The deputy must be someone else than the owner."))
        return cleaned

    def registration(self):
        """Keyword arguments for Channel.register()."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return {
            "owner": self.cleaned_data["owner"],
            "deputy": self.cleaned_data["deputy"],
            **fields,
        }


class HandOverForm(forms.Form):
    to = PersonField(label=_("New responsible owner"))
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeputyForm(forms.Form):
    to = PersonField(
        label=_("New deputy"),
        required=False,
        help_text=_("Their user name or e-mail address. Leave empty to remove the deputy."),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RecertifyForm(forms.Form):
    """The yearly confirmation. Each statement is one fact, shown beside what the
    registry records about it, so that what the owner confirms and what the registry
    says cannot silently disagree: confirming that two-factor is on records it as on
    (Channel.recertify)."""

    still_needed = forms.BooleanField(
        label=_("The channel is still needed and is used as planned"), required=False
    )
    people_right = forms.BooleanField(
        label=_("The responsible owner and deputy shown here are right"), required=False
    )
    credentials_right = forms.BooleanField(
        label=_("The credentials are kept where the registry says"), required=False
    )
    two_factor_on = forms.BooleanField(
        label=_("Two-factor authentication is on for the account"), required=False
    )
    guidelines_followed = forms.BooleanField(
        label=_("The channel follows the organisation's social media guidelines"),
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Recertification.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required unless you keep the channel as it is: say what should change."),
    )

    CONFIRMATIONS = [
        "still_needed",
        "people_right",
        "credentials_right",
        "two_factor_on",
        "guidelines_followed",
    ]

    def __init__(self, *args, channel, **kwargs):
        super().__init__(*args, **kwargs)
        self.records_two_factor = channel.two_factor_enabled
        location = channel.credentials_location
        self.fields["credentials_right"].help_text = (
            _("The registry says: %(location)s.") % {"location": location}
            if location
            else _("The registry does not say where they are kept: choose another outcome.")
        )
        self.fields["two_factor_on"].help_text = (
            _("The registry says two-factor authentication is on.")
            if channel.two_factor_enabled
            else _(
                "The registry says two-factor authentication is off. Tick this only if it "
                "is on now: the registry will then record it as on."
            )
        )

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == Recertification.KEEP:
            unconfirmed = [name for name in self.CONFIRMATIONS if not cleaned.get(name)]
            if unconfirmed:
                raise ValidationError(
                    _(
                        "To keep the channel as it is, confirm every statement; otherwise "
                        "choose another outcome and say what should change."
                    )
                )
        elif outcome and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Say what should change."))
        return cleaned

    def answers(self):
        return {name: self.cleaned_data[name] for name in self.CONFIRMATIONS}

    def turns_two_factor_on(self):
        """Whether this recertification records two-factor as on (it was off)."""
        return self.cleaned_data["two_factor_on"] and not self.records_two_factor


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    closed_on = forms.DateField(
        label=_("Closed on"),
        validators=[validate_plausible_year],
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class OpenForm(forms.Form):
    opened_on = forms.DateField(
        label=_("Opened on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the account went live on the platform."),
    )


# --- Importing a registry ----------------------------------------------------------

IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 5000


class ImportForm(forms.Form):
    """A CSV or XLSX file with the registry export's columns; ``rows`` holds its cells
    once valid (the view checks the header: accounts.imports)."""

    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "An XLSX or CSV file (UTF-8, separated by semicolons or commas) with the columns "
            "of the registry's export, at most 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is larger than 2 MB: split it into smaller files."))
        name = upload.name.lower()
        if name.endswith(".xlsx"):
            read, kind = spreadsheets.read_xlsx, "XLSX"
        elif name.endswith(".csv"):
            read, kind = spreadsheets.read_csv, "CSV"
        else:
            raise ValidationError(
                _("Upload an XLSX or CSV file; other kinds of file cannot be read.")
            )
        try:
            self.rows = read(upload.read(), max_rows=IMPORT_MAX_ROWS + 1)
        except spreadsheets.UnreadableSpreadsheet as error:
            raise ValidationError(
                _("This file cannot be read as %(kind)s: is it saved in that format?")
                % {"kind": kind}
            ) from error
        return upload
