"""Whether a channel's account links back to the organisation: its verification state
and the evidence of every check.

The registry keeps the state (the directory and the channel page show it); the daily
checks that feed it live in metrics (metrics/verification.py), beside the platform
clients they use, and call ``ChannelVerification.record``.

Which platforms can prove the link at all is ``METHODS``; a channel on any other
platform is "not possible on this platform" and has no row.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models.events import ChannelEvent
from accounts.platforms import Platform
from core.append_only import AppendOnlyModel
from core.notifications import notify

#: The platforms on which an account can point back to the organisation in a way the
#: portal checks, and how. Mastodon (and fediverse servers that verify links the same
#: way) marks a profile field verified once the page it links to links back with
#: rel="me". On "profile-link" platforms the portal reads the profile itself, from the
#: answer its daily collection of figures already gets (metrics/verification.py
#: ``check_profile``): the website field or the bio must hold the page's address.
METHODS = {
    Platform.MASTODON: "rel-me",
    Platform.YOUTUBE: "profile-link",
    Platform.X: "profile-link",
    Platform.FACEBOOK: "profile-link",
    Platform.INSTAGRAM: "profile-link",
    # Bluesky: the account's handle is a host under one of the organisation's domains
    # (PORTAL_HANDLE_DOMAINS) that resolves to the account's DID, by DNS or HTTPS.
    Platform.BLUESKY: "atproto-handle",
}


def verification_possible(platform):
    return platform in METHODS


def bluesky_handle(channel):
    """The Bluesky handle of ``channel`` to check, in lower case ("" when the channel
    names its account by DID only)."""
    handle = (channel.handle or "").strip().removeprefix("@").lower()
    return "" if handle.startswith("did:") else handle


def registered_did(channel):
    """The DID the registry holds for a Bluesky ``channel``: its platform id, or a DID
    given as its handle; "" when it has none yet."""
    for value in (channel.platform_id, channel.handle):
        value = (value or "").strip().removeprefix("@")
        if value.startswith("did:"):
            return value
    return ""


def handle_domain(handle):
    """The organisation's domain (PORTAL_HANDLE_DOMAINS) that the Bluesky ``handle`` is
    or lies under, or None: only such a handle links an account to the organisation."""
    handle = (handle or "").strip().lower().rstrip(".")
    return next(
        (
            domain
            for domain in settings.PORTAL_HANDLE_DOMAINS
            if handle == domain or handle.endswith(f".{domain}")
        ),
        None,
    )


def page_url(channel):
    """The absolute address of ``channel``'s public page: the address its account links
    to, and the one a platform's check of that link fetches."""
    return settings.PORTAL_BASE_URL + reverse("accounts:channel_page", args=[channel.pk])


class ChannelVerification(models.Model):
    """A channel's verification state and its latest check's evidence; every check,
    one a day, is a ``VerificationCheck``."""

    class State(models.TextChoices):
        VERIFIED = "verified", _("Verified")
        NOT_YET = "not_yet", _("Not yet verified")
        BROKEN = "broken", _("Verification broken")
        NOT_POSSIBLE = "not_possible", _("Not possible on this platform")

    channel = models.OneToOneField(
        "accounts.Channel",
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        related_name="verification",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.NOT_YET
    )
    since = models.DateTimeField(_("in this state since"), default=timezone.now)
    checked_on = models.DateField(_("last checked on"), null=True, blank=True)
    # The latest check's, as in its VerificationCheck: the channel's page shows them
    # without reading the history.
    checked_at = models.DateTimeField(_("last checked at"), null=True, blank=True)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("channel verification")
        verbose_name_plural = _("channel verifications")
        indexes = [models.Index(fields=["state"], name="verification_state_idx")]

    def __str__(self):
        return f"{self.channel} · {self.get_state_display()}"

    @classmethod
    def state_of(cls, channel):
        """The state to show for ``channel`` (with ``verification`` fetched or absent)."""
        if not verification_possible(channel.platform):
            return cls.State.NOT_POSSIBLE
        try:
            return cls.State(channel.verification.state)
        except cls.DoesNotExist:
            return cls.State.NOT_YET

    @classmethod
    def record(cls, channel, *, day, linked, evidence):
        """Record the check of ``channel`` for ``day``: ``linked`` True (the account
        links back and its platform confirmed it), False (it does not), or None (the
        check could not be made: the state stays as it was). ``evidence`` says what
        was checked and found. Idempotent per day: a second check of the same day
        changes nothing and answers None. Otherwise answers the state after the check;
        a verified channel whose link is gone becomes broken, and its owner and deputy
        are told, once."""
        with transaction.atomic():
            verification, _created = cls.objects.get_or_create(channel=channel)
            verification = cls.objects.select_for_update().get(pk=verification.pk)
            if verification.checked_on is not None and verification.checked_on >= day:
                return None
            before = verification.state
            if linked is True:
                after = cls.State.VERIFIED
            elif linked is False:
                broke = before in (cls.State.VERIFIED, cls.State.BROKEN)
                after = cls.State.BROKEN if broke else cls.State.NOT_YET
            else:
                after = before
            check = VerificationCheck.objects.create(
                channel=channel, day=day, state=after, linked=linked, evidence=evidence
            )
            verification.checked_on, verification.checked_at = day, check.at
            verification.evidence = evidence
            fields = ["checked_on", "checked_at", "evidence"]
            if after != before:
                verification.state = after
                verification.since = timezone.now()
                fields += ["state", "since"]
            verification.save(update_fields=fields)
            if before == cls.State.VERIFIED and after == cls.State.BROKEN:
                notify(
                    [channel.owner, channel.deputy],
                    "accounts/email/verification_broken",
                    {"channel": channel, "evidence": evidence},
                )
        return after

    @classmethod
    def record_profile(cls, channel, *, day, linked, evidence):
        """``record``, for a check that read the account's profile: ``evidence["profile"]``
        holds the ``handle`` and ``display_name`` the platform gave. Where either differs
        from what the previous check read (a handle in another case is the same
        handle), each change is a ChannelEvent and the owner and deputy get one message
        about them; the registry's own handle stays as it is, for the owner to correct
        if the change was theirs. Idempotent per day, as ``record``."""
        with transaction.atomic():
            verification, _created = cls.objects.get_or_create(channel=channel)
            verification = cls.objects.select_for_update().get(pk=verification.pk)
            if verification.checked_on is not None and verification.checked_on >= day:
                return None
            changes = profile_changes(verification.evidence.get("profile"), evidence["profile"])
            for action, before, after in changes:
                channel.events.create(
                    action=action,
                    comment=f"{before} → {after}",
                    payload={
                        "day": day.isoformat(),
                        "before": before,
                        "after": after,
                        "registry": channel.handle,
                    },
                )
            if changes:
                notify(
                    [channel.owner, channel.deputy],
                    "accounts/email/profile_changed",
                    {
                        "channel": channel,
                        "changes": [
                            {
                                "handle": action == ChannelEvent.Action.HANDLE_CHANGED,
                                "before": before,
                                "after": after,
                            }
                            for action, before, after in changes
                        ],
                    },
                )
            return cls.record(channel, day=day, linked=linked, evidence=evidence)

    @classmethod
    def register_did(cls, channel, did):
        """Keep ``did`` as ``channel``'s platform id if it has none yet: the DID that
        Bluesky confirmed for the channel's handle the first time the handle was
        checked. From then on the handle must keep resolving to that DID; a later
        change is the office's to make (the admin). Answers whether it was kept."""
        with transaction.atomic():
            locked = channel._lock()
            if locked.platform_id.strip():
                return False
            locked.platform_id = did
            locked.save(update_fields=["platform_id", "updated_at"])
            locked._log(None, ChannelEvent.Action.EDITED, "", fields=["platform_id"])
        channel.platform_id = did
        return True


def profile_changes(seen, now):
    """[(ChannelEvent action, before, after)] of the handle and display name that
    changed between two profiles read (``Profile`` fields, as kept in the evidence);
    none when there is no earlier one."""
    if not isinstance(seen, dict) or not isinstance(now, dict):
        return []
    changes = []
    before, after = seen.get("handle") or "", now.get("handle") or ""
    if before and after and before.casefold() != after.casefold():
        changes.append((ChannelEvent.Action.HANDLE_CHANGED, before, after))
    before, after = seen.get("display_name") or "", now.get("display_name") or ""
    if before and after and before != after:
        changes.append((ChannelEvent.Action.NAME_CHANGED, before, after))
    return changes


class VerificationCheck(AppendOnlyModel):
    """One day's check of a channel: what was asked, what was found, and the state it
    left. Never changed, never deleted by the portal."""

    channel = models.ForeignKey(
        "accounts.Channel",
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        related_name="verification_checks",
    )
    day = models.DateField(_("day"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    state = models.CharField(
        _("state after the check"), max_length=20, choices=ChannelVerification.State.choices
    )
    linked = models.BooleanField(_("links back"), null=True)
    evidence = models.JSONField(_("evidence"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = _("verification check")
        verbose_name_plural = _("verification checks")
        constraints = [
            models.UniqueConstraint(fields=["channel", "day"], name="verification_check_per_day")
        ]

    def __str__(self):
        return f"{self.channel} · {self.day} · {self.get_state_display()}"
