"""Forms of the public directory (no login): checking an account and reporting one."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Channel, SuspiciousAccountReport
from accounts.platforms import Platform, check_address, detect_platform, parse_profile
from core.prepared import PreparedQueries

# A bare handle (without its leading @): letters, digits and the punctuation platforms
# allow in names (dots for Bluesky handles, % in LinkedIn slugs, the Catalan middle dot
# in YouTube handles), once combining marks are set aside (see _is_handle).
_HANDLE = re.compile(r"^[\w.\-%\u00b7]{1,200}$")
# @user@server, the only bare handle that names its platform (Mastodon).
_MASTODON_HANDLE = re.compile(r"^@?[^@\s]+@[^@\s]+$")
# The check's query, built once per shape of lookup.
_QUERIES = PreparedQueries()


def _lookup(text):
    """The condition on Channel that finds the account ``text`` names (an address or a
    bare handle); ValidationError when ``text`` is neither."""
    check_address(text)  # an address that cannot be read says why, not "neither"
    platform = detect_platform(text)
    if platform is not None:
        profile = parse_profile(platform, text)
        return Q(platform=platform, profile_url=profile.url)
    if _MASTODON_HANDLE.match(text):
        profile = parse_profile(Platform.MASTODON, text)
        return Q(platform=Platform.MASTODON, profile_url=profile.url)
    handle = text.removeprefix("@")
    if not _is_handle(handle):
        raise ValidationError(
            _("“%(value)s” is neither a web address nor a handle."),
            code="invalid",
            params={"value": text},
        )
    return Q(handle__iexact=handle)


def channels_named_by(text):
    """Every channel of the registry, in any state, that the address or handle ``text``
    names (the check's own reading of addresses); ValidationError when ``text`` names no
    account. For the office: the public check shows listed and closed channels only."""
    return Channel.objects.filter(_lookup(text))


def _is_handle(text):
    """Is ``text`` a bare handle? Combining marks count as part of their letter: a
    YouTube handle in Devanagari has vowel signs, which are not word characters."""
    if len(text) > 200:
        return False
    letters = "".join(char for char in text if unicodedata.category(char)[0] != "M")
    return _HANDLE.match(letters) is not None


class VerifyForm(forms.Form):
    url = forms.CharField(
        label=_("Profile address or handle"),
        max_length=500,
        help_text=_("For example https://www.instagram.com/name/ or @name."),
    )

    def clean_url(self):
        text = self.cleaned_data["url"]
        self.lookup = _lookup(text)
        return text

    def matching_channels(self):
        """(official, closed): the listed channels the input names that speak for the
        organisation, and those that did until they were closed. Planned and unlisted
        channels are never revealed. One query, verification states included."""
        # The lookup is one of _lookup's few shapes (the field names), each query built
        # once per process and run with the values (core.prepared).
        names = tuple(name for name, _value in self.lookup.children)

        def build(*values):
            matches = Channel.objects.filter(**dict(zip(names, values, strict=True)))
            listed_or_closed = matches.public() | matches.filter(
                status=Channel.Status.CLOSED, is_public=True
            )
            return listed_or_closed.select_related("unit", "verification").order_by(
                "unit__name", "platform", "name"
            )

        values = [value for _name, value in self.lookup.children]
        channels = _QUERIES.run(("verify", names), build, *values)
        official = [c for c in channels if c.status != Channel.Status.CLOSED]
        closed = [c for c in channels if c.status == Channel.Status.CLOSED]
        return official, closed


class ReportForm(forms.ModelForm):
    class Meta:
        model = SuspiciousAccountReport
        fields = ["reported_url", "description", "contact_email"]
        labels = {
            "reported_url": _("The account you are reporting (address or handle)"),
            "description": _("What looks wrong?"),
            "contact_email": _("Your e-mail address (optional)"),
        }
        help_texts = {
            "description": _("For example: it uses our logo but is not in our directory."),
            "contact_email": _("Only if you would like us to get back to you."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Optional in the model (a look-alike found automatically has no description),
        # not from the public.
        self.fields["description"].required = True

    def clean_reported_url(self):
        # An address that can be read, on any platform (a post on Instagram is worth a
        # look too), or a handle as the check page reads one.
        text = self.cleaned_data["reported_url"]
        check_address(text)
        if detect_platform(text) is None:
            _lookup(text)
        return text

    def report(self):
        """Keyword arguments for SuspiciousAccountReport.objects.submit()."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
