"""The registry of official social media accounts ("channels") and the units that own them.

Every change to a channel that matters to its history is a method here that checks who
may make it, locks the row, writes one ``ChannelEvent`` and tells the people concerned
after the transaction commits.
"""

import datetime
import unicodedata

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Length, StrIndex
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.platforms import Platform, parse_profile
from core import roles
from core.append_only import AppendOnlyModel
from core.cache_versions import CacheVersion
from core.notifications import notify


class UnitQuerySet(models.QuerySet):
    def headed_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(head=user)


class Unit(models.Model):
    """A part of the organisation (school, department, office) that owns proposals and
    channels. Its head endorses the unit's proposals."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_units",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name

    def can_read_report(self, user):
        """The unit's monthly figures report: its head and the office (metrics)."""
        return roles.is_staff_member(user) and (roles.is_reviewer(user) or self.head_id == user.pk)

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("A unit cannot be placed under itself or one of its sub-units.")}
                )
            ancestor = ancestor.parent


# The registry's warning counts (orphaned, overdue, no deputy) take ~100 ms to
# aggregate over 100,000 channels, too slow for every page view, and are the same for
# everyone; they are cached, and the cache is dropped whenever a channel event is
# written or an account is (de)activated. The timeout bounds how stale they can be after
# a change that bypasses both (a bulk update), or, with a per-process cache, after a
# change made in another process.
WARNING_COUNTS_TIMEOUT = 600
WARNING_COUNTS_VERSION = CacheVersion("registry:warning-counts:version")


def _choice_label(choices, value):
    """What Django's get_FOO_display() says: the label of ``value`` among ``choices``
    (a TextChoices), in the current language, or ``value`` itself if it is none of them."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


# The public directory's pages are the same for every visitor, and counting and
# ordering a search over 100,000 channels costs ~100 ms: each search's count and each
# page's results, rendered, are cached under a version that is bumped whenever a
# channel or a unit is saved or deleted (accounts/signals.py), so that a change shows
# at once. The timeout bounds how stale a page
# can be after a change that bypasses save() (a bulk update), or, with a per-process
# cache, after a change made in another process.
DIRECTORY_TIMEOUT = 600
# A search's results are kept a minute only: anyone can type any number of different
# searches, each a few tens of kilobytes in the cache; a popular one is asked again
# within the minute.
DIRECTORY_SEARCH_TIMEOUT = 60
DIRECTORY_VERSION = CacheVersion("directory:version")

# The registry's pages are the same for every member of staff, and a page of 50
# channels with their people costs ~30 ms of Python and 15 of SQL: each page, rendered,
# is cached under a version bumped whenever a channel, a unit, a channel's role or a
# person's name or account is saved or deleted (accounts/signals.py); kept a minute at
# most for a search or filter, ten for the plain list (as the directory's).
REGISTRY_VERSION = CacheVersion("registry:version")
REGISTRY_TIMEOUT = 600
REGISTRY_SEARCH_TIMEOUT = 60


# Reminders about the same recertification go out at most this often.
REMINDER_INTERVAL_DAYS = 7


def name_key(text):
    """``text`` for matching names: without accents, case-folded, single-spaced
    ("Högskolan  för Design" and "hogskolan for design" give the same key)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def recertification_due(from_date):
    return from_date + relativedelta(months=settings.PORTAL_RECERTIFICATION_MONTHS)


def _has_active(kind):
    """Does the channel have a current person of this kind with an active account?"""
    return Exists(
        ChannelRole.objects.current().filter(
            channel=OuterRef("pk"), kind=kind, user__is_active=True
        )
    )


class ChannelQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The registry, with its internal fields, is open to every staff member."""
        return self if roles.is_staff_member(user) else self.none()

    def metrics_visible_to(self, user):
        """Channels whose figures ``user`` may see: all for the office and portal
        admins; their unit's for a unit head; their own for an owner or deputy."""
        if not roles.is_staff_member(user):
            return self.none()
        if roles.is_reviewer(user):
            return self
        return self.filter(
            Q(unit__head=user)
            | Exists(
                ChannelRole.objects.current().filter(
                    channel=OuterRef("pk"),
                    user=user,
                    kind__in=[ChannelRole.Kind.OWNER, ChannelRole.Kind.DEPUTY],
                )
            )
        )

    def running(self):
        """Channels that speak for the organisation now or are about to."""
        return self.exclude(status=Channel.Status.CLOSED)

    def public(self):
        """What the public directory lists: official channels that are live and listed."""
        return self.filter(
            is_public=True, status__in=[Channel.Status.ACTIVE, Channel.Status.DORMANT]
        )

    def owned_or_deputised_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Exists(
                ChannelRole.objects.current().filter(
                    channel=OuterRef("pk"),
                    user=user,
                    kind__in=[ChannelRole.Kind.OWNER, ChannelRole.Kind.DEPUTY],
                )
            )
        )

    def orphaned(self):
        """Running channels without a current responsible owner who is an active user."""
        return self.running().exclude(_has_active(ChannelRole.Kind.OWNER))

    def without_deputy(self):
        return self.running().exclude(_has_active(ChannelRole.Kind.DEPUTY))

    def warning_counts(self, today=None):
        """How many running channels are orphaned, overdue or without deputy: one query."""
        today = today or timezone.localdate()
        return self.running().aggregate(
            orphaned=models.Count("pk", filter=~_has_active(ChannelRole.Kind.OWNER)),
            overdue=models.Count("pk", filter=Q(recertification_due_on__lt=today)),
            no_deputy=models.Count("pk", filter=~_has_active(ChannelRole.Kind.DEPUTY)),
        )

    def recertification_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.running().filter(recertification_due_on__lt=today)

    def due_for_reminder(self, today=None):
        """Running channels whose recertification is due within the reminder period
        (or overdue) and whose owner has not been reminded in the last week."""
        today = today or timezone.localdate()
        horizon = today + datetime.timedelta(days=settings.PORTAL_RECERTIFICATION_REMINDER_DAYS)
        recently = timezone.now() - datetime.timedelta(days=REMINDER_INTERVAL_DAYS)
        return (
            self.running()
            .filter(recertification_due_on__lte=horizon)
            .exclude(
                Exists(
                    ChannelEvent.objects.filter(
                        channel=OuterRef("pk"),
                        action=ChannelEvent.Action.REMINDED,
                        at__gt=recently,
                    )
                )
            )
        )

    def cached_warning_counts(self):
        """warning_counts() of the whole registry, from the cache when it is fresh."""
        today = timezone.localdate()
        version = WARNING_COUNTS_VERSION.current()
        key = f"registry:warning-counts:{version}:{today.isoformat()}"
        counts = cache.get(key)
        if counts is None:
            counts = Channel.objects.warning_counts(today)
            cache.set(key, counts, WARNING_COUNTS_TIMEOUT)
        return counts

    def similar_to(self, *, name="", platform="", profile="", unit=None):
        """Running channels a proposed one may duplicate: the same account (its address
        read on the platform), the same handle on any platform, a similar name (case
        and accents ignored, one containing the other), or the same unit already on
        the platform."""
        conditions = Q(pk__in=[])
        handle = (profile or "").strip().removeprefix("@")
        if platform and profile:
            try:
                parsed = parse_profile(platform, profile)
            except ValidationError:
                parsed = None
            if parsed is not None:
                conditions |= Q(platform=platform, profile_url=parsed.url)
                handle = parsed.handle or handle
        if handle and "/" not in handle:
            conditions |= Q(handle__iexact=handle)
        key = name_key(name)
        if len(key) >= 3:
            conditions |= Q(name_key__contains=key) | Q(key_length__gte=3, contains_key__gt=0)
        if unit is not None and platform:
            conditions |= Q(unit=unit, platform=platform)
        return (
            self.running()
            .annotate(
                contains_key=StrIndex(Value(key), F("name_key")), key_length=Length("name_key")
            )
            .filter(conditions)
            .select_related("unit")
            .order_by("name", "pk")
        )

    def with_people(self):
        """Fetch unit, current owner and current deputy with the channels (two queries
        in all, whatever the number of channels)."""
        current_people = ChannelRole.objects.current().filter(
            kind__in=[ChannelRole.Kind.OWNER, ChannelRole.Kind.DEPUTY]
        )
        return self.select_related("unit").prefetch_related(
            models.Prefetch(
                "roles",
                queryset=current_people.select_related("user"),
                to_attr="current_people",
            )
        )


class Channel(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    # name_key(name), kept by save(): for finding similar names whatever their
    # accents and case (the duplicate check of proposals).
    name_key = models.CharField(max_length=200, editable=False, default="", db_index=True)
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    profile_url = models.URLField(
        _("profile address"),
        max_length=500,
        blank=True,
        help_text=_(
            "The address of the account's page; it is tidied to one standard form. A planned "
            "channel may not have one yet."
        ),
    )
    handle = models.CharField(_("handle"), max_length=200, blank=True)
    platform_id = models.CharField(
        _("platform id"),
        max_length=200,
        blank=True,
        help_text=_("The account's id in the platform's API, used to collect figures."),
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="channels"
    )
    purpose = models.TextField(_("purpose"), blank=True)
    audience = models.TextField(_("target audience"), blank=True)
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("For example: English, Swedish")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    is_public = models.BooleanField(
        _("listed in the public directory"),
        default=True,
        help_text=_("Untick for internal channels that should not be listed publicly."),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.TextField(_("reason for closing"), blank=True)
    last_recertified_on = models.DateField(_("last recertified on"), null=True, blank=True)
    recertification_due_on = models.DateField(_("recertification due"), null=True, blank=True)
    credentials_location = models.CharField(
        _("where the credentials are kept"),
        max_length=200,
        blank=True,
        help_text=_(
            "The name of the entry in the password manager or vault; never the password itself."
        ),
    )
    two_factor_enabled = models.BooleanField(_("two-factor authentication is on"), default=False)
    recovery_contact = models.CharField(
        _("recovery contact"),
        max_length=200,
        blank=True,
        help_text=_(
            "Who or which shared mailbox can recover the account, e.g. a function address."
        ),
    )
    origin_proposal = models.OneToOneField(
        "checklist.Proposal",
        verbose_name=_("approved proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="channel",
        editable=False,
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "profile_url"],
                condition=~Q(profile_url=""),
                name="channel_unique_profile_per_platform",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_on__isnull=False),
                name="channel_closed_has_date",
            ),
        ]
        indexes = [
            # The registry's default order: ORDER BY name, id LIMIT 50.
            models.Index(fields=["name", "id"], name="channel_name_idx"),
            # The registry sorted by platform: ORDER BY platform, id LIMIT 50 OFFSET n, an
            # index scan of n + 50 rows instead of sorting every channel (0.5 instead of
            # 50 ms on 100,000 channels); also its filter by platform.
            models.Index(fields=["platform", "id"], name="channel_platform_idx"),
            # Filters on the registry: WHERE status = ... / recertification_due_on < today.
            models.Index(fields=["status"], name="channel_status_idx"),
            models.Index(fields=["recertification_due_on"], name="channel_recert_due_idx"),
            # The public directory's total on every page view: SELECT COUNT(*) ... WHERE
            # is_public AND status IN ('active', 'dormant'), an index-only scan of this
            # instead of reading every row (6 instead of 30 ms on 100,000 channels).
            models.Index(
                fields=["unit"],
                condition=Q(is_public=True, status__in=["active", "dormant"]),
                name="channel_public_idx",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_platform_display()})"

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("accounts:detail", args=[self.pk])

    # Django's get_FOO_display() builds a dict of the field's choices on every call (7
    # and 20 microseconds); the enums look the label up directly. They are called for
    # every row of the directory and of the registry's and the portfolio's CSV files.
    def get_platform_display(self):
        return _choice_label(Platform, self.platform)

    def get_status_display(self):
        return _choice_label(Channel.Status, self.status)

    # --- Validation --------------------------------------------------------------

    def clean(self):
        if self.status != self.Status.PLANNED and not self.profile_url:
            raise ValidationError(
                {"profile_url": _("A channel that is open needs its profile address.")}
            )

    def clean_fields(self, exclude=None):
        # The address is read and tidied before URLField's own check, so that what
        # people paste (an @handle, an address without https://) is accepted.
        exclude = set(exclude or ())
        errors = {}
        if "profile_url" not in exclude and self.platform in Platform.values and self.profile_url:
            try:
                profile = parse_profile(self.platform, self.profile_url)
            except ValidationError as error:
                errors["profile_url"] = error.messages
                exclude.add("profile_url")
            else:
                self.profile_url = profile.url
                if profile.handle and not self.handle:
                    self.handle = profile.handle
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = {**error.message_dict, **errors}
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # Name the existing entry when the same account is registered twice.
        if self.profile_url and (exclude is None or not {"platform", "profile_url"} & set(exclude)):
            existing = (
                Channel.objects.filter(platform=self.platform, profile_url=self.profile_url)
                .exclude(pk=self.pk)
                .first()
            )
            if existing is not None:
                raise ValidationError(
                    {
                        "profile_url": _(
                            "This account is already in the registry as “%(name)s” (%(unit)s)."
                        )
                        % {"name": existing.name, "unit": existing.unit}
                    }
                )
        super().validate_constraints(exclude=exclude)

    # --- People ------------------------------------------------------------------

    def current_role(self, kind):
        return self.roles.current().filter(kind=kind).select_related("user").first()

    @property
    def owner(self):
        return self._current_person(ChannelRole.Kind.OWNER)

    @property
    def deputy(self):
        return self._current_person(ChannelRole.Kind.DEPUTY)

    def _current_person(self, kind):
        if hasattr(self, "current_people"):  # fetched by ChannelQuerySet.with_people()
            return next((r.user for r in self.current_people if r.kind == kind), None)
        role = self.current_role(kind)
        return role.user if role else None

    @property
    def is_orphaned(self):
        owner = self.owner
        return self.status != self.Status.CLOSED and (owner is None or not owner.is_active)

    @property
    def has_deputy(self):
        deputy = self.deputy
        return deputy is not None and deputy.is_active

    def recertification_is_overdue(self, today=None):
        today = today or timezone.localdate()
        return (
            self.status != self.Status.CLOSED
            and self.recertification_due_on is not None
            and self.recertification_due_on < today
        )

    # --- Who may do what ---------------------------------------------------------

    def is_run_by(self, user):
        """Is ``user`` the channel's current responsible owner or deputy?"""
        if not user.is_authenticated:
            return False
        if hasattr(self, "current_people"):  # fetched by ChannelQuerySet.with_people()
            return any(role.user_id == user.pk for role in self.current_people)
        return (
            self.roles.current()
            .filter(user=user, kind__in=[ChannelRole.Kind.OWNER, ChannelRole.Kind.DEPUTY])
            .exists()
        )

    def can_edit(self, user):
        """Edit, recertify and hand over: its owner and deputy, and the office."""
        if not roles.is_staff_member(user) or self.status == self.Status.CLOSED:
            return False
        return roles.is_reviewer(user) or self.is_run_by(user)

    def can_close(self, user):
        return self.status != self.Status.CLOSED and roles.is_reviewer(user)

    def can_see_metrics(self, user):
        """The figures: the office, the unit's head, the owner and deputy."""
        if not roles.is_staff_member(user):
            return False
        return roles.is_reviewer(user) or self.unit.head_id == user.pk or self.is_run_by(user)

    def can_see_credentials(self, user):
        return roles.is_reviewer(user) or self.is_run_by(user)

    # --- Operations --------------------------------------------------------------

    @classmethod
    def register(cls, *, by, owner, deputy=None, comment="", **fields):
        """Enter a channel in the registry with its responsible owner (and deputy)."""
        if not roles.is_reviewer(by):
            raise PermissionDenied(_("Only the communications office registers channels."))
        _check_person(owner, _("The responsible owner"))
        if deputy is not None:
            _check_person(deputy, _("The deputy"))
            if deputy == owner:
                raise ValidationError(
                    {"deputy": _("The deputy must be someone else than the owner.")}
                )
        channel = cls(**fields)
        if channel.status == cls.Status.ACTIVE and channel.recertification_due_on is None:
            channel.recertification_due_on = recertification_due(
                channel.approved_on or timezone.localdate()
            )
        channel.full_clean()
        with transaction.atomic():
            channel._save_profile_unique(force_insert=True)
            ChannelRole.objects.create(channel=channel, user=owner, kind=ChannelRole.Kind.OWNER)
            if deputy is not None:
                ChannelRole.objects.create(
                    channel=channel, user=deputy, kind=ChannelRole.Kind.DEPUTY
                )
            channel._log(
                by,
                ChannelEvent.Action.CREATED,
                comment,
                owner=owner.pk,
                deputy=deputy.pk if deputy else None,
            )
        notify(
            [owner, deputy],
            "accounts/email/registered",
            {"channel": channel, "owner": owner, "deputy": deputy},
        )
        return channel

    @classmethod
    def create_from_proposal(cls, proposal, *, by):
        """The registry entry of an approved proposal: planned, with the proposed owner
        and deputy. Called inside the approval's transaction. The people's guideline
        acknowledgement is not required here; the channel cannot be handed on, and they
        are asked to acknowledge, until they have."""
        for person, who in [
            (proposal.proposed_owner, _("The proposed responsible owner")),
            (proposal.proposed_deputy, _("The proposed deputy")),
        ]:
            if person is not None and not person.is_active:
                raise ValidationError(_("%(who)s no longer has an active account.") % {"who": who})
        profile = proposal.normalised_profile()
        channel = cls(
            name=proposal.name,
            platform=proposal.platform,
            profile_url=profile.url if profile else "",
            handle=profile.handle if profile else "",
            unit=proposal.unit,
            languages=proposal.languages,
            status=cls.Status.PLANNED,
            approved_on=timezone.localdate(),
            origin_proposal=proposal,
        )
        channel.full_clean()
        channel._save_profile_unique(force_insert=True)
        ChannelRole.objects.create(
            channel=channel, user=proposal.proposed_owner, kind=ChannelRole.Kind.OWNER
        )
        if proposal.proposed_deputy is not None:
            ChannelRole.objects.create(
                channel=channel, user=proposal.proposed_deputy, kind=ChannelRole.Kind.DEPUTY
            )
        channel._log(by, ChannelEvent.Action.CREATED, "", proposal=proposal.pk)
        return channel

    def hand_over(self, *, to, by, comment=""):
        """Make ``to`` the responsible owner; the previous owner's role ends."""
        with transaction.atomic():
            channel = self._lock()
            if not channel.can_edit(by):
                raise PermissionDenied(_("You may not hand over this channel."))
            _check_person(to, _("The new responsible owner"), field="to")
            previous = channel.current_role(ChannelRole.Kind.OWNER)
            if previous is not None and previous.user_id == to.pk:
                raise ValidationError(
                    {"to": _("%(name)s is already the responsible owner.") % {"name": _name(to)}}
                )
            now = timezone.now()
            if previous is not None:
                previous.end(now)
            deputy_role = channel.current_role(ChannelRole.Kind.DEPUTY)
            if deputy_role is not None and deputy_role.user_id == to.pk:
                deputy_role.end(now)  # the deputy steps up; a new deputy is needed
            ChannelRole.objects.create(
                channel=channel, user=to, kind=ChannelRole.Kind.OWNER, started_at=now
            )
            channel._log(
                by,
                ChannelEvent.Action.HANDED_OVER,
                comment,
                previous_owner=previous.user_id if previous else None,
                new_owner=to.pk,
            )
        previous_owner = previous.user if previous else None
        notify(
            [previous_owner, to],
            "accounts/email/handed_over",
            {"channel": channel, "previous": previous_owner, "new": to, "by": by},
        )
        self.refresh_from_db()

    def set_deputy(self, *, to, by, comment=""):
        """Make ``to`` the deputy (``to=None`` leaves the channel without one)."""
        with transaction.atomic():
            channel = self._lock()
            if not channel.can_edit(by):
                raise PermissionDenied(_("You may not change this channel's deputy."))
            current = channel.current_role(ChannelRole.Kind.DEPUTY)
            if to is not None:
                _check_person(to, _("The deputy"), field="to")
                owner = channel.current_role(ChannelRole.Kind.OWNER)
                if owner is not None and owner.user_id == to.pk:
                    raise ValidationError(
                        {"to": _("The deputy must be someone else than the owner.")}
                    )
                if current is not None and current.user_id == to.pk:
                    raise ValidationError(
                        {"to": _("%(name)s is already the deputy.") % {"name": _name(to)}}
                    )
            now = timezone.now()
            if current is not None:
                current.end(now)
            if to is not None:
                ChannelRole.objects.create(
                    channel=channel, user=to, kind=ChannelRole.Kind.DEPUTY, started_at=now
                )
            channel._log(
                by,
                ChannelEvent.Action.DEPUTY_CHANGED,
                comment,
                previous_deputy=current.user_id if current else None,
                new_deputy=to.pk if to else None,
            )
        notify(
            [current.user if current else None, to],
            "accounts/email/deputy_changed",
            {"channel": channel, "previous": current.user if current else None, "new": to},
        )

    def update_details(self, *, by, **changes):
        """Change descriptive fields (not status, people or recertification)."""
        editable = set(CHANNEL_EDITABLE_FIELDS)
        unknown = set(changes) - editable
        if unknown:
            raise ValueError(f"Not editable here: {sorted(unknown)}")
        with transaction.atomic():
            channel = self._lock()
            if not channel.can_edit(by):
                raise PermissionDenied(_("You may not edit this channel."))
            before = {field: getattr(channel, field) for field in changes}
            for field, value in changes.items():
                setattr(channel, field, value)
            channel.full_clean()
            changed = sorted(f for f in changes if getattr(channel, f) != before[f])
            if not changed:
                return []
            channel._save_profile_unique(update_fields=[*changed, "updated_at"])
            channel._log(by, ChannelEvent.Action.EDITED, "", fields=changed)
        self.refresh_from_db()
        return changed

    def recertify(self, *, by, outcome, answers, comment=""):
        """The owner's yearly confirmation that the channel is still right."""
        with transaction.atomic():
            channel = self._lock()
            if not channel.can_edit(by):
                raise PermissionDenied(_("You may not recertify this channel."))
            today = timezone.localdate()
            channel.last_recertified_on = today
            channel.recertification_due_on = recertification_due(today)
            channel.save(
                update_fields=["last_recertified_on", "recertification_due_on", "updated_at"]
            )
            channel._log(
                by,
                ChannelEvent.Action.RECERTIFIED,
                comment,
                outcome=outcome,
                answers=answers,
                next_due=channel.recertification_due_on,
            )
        if outcome != Recertification.KEEP:
            notify(
                _communications_office(),
                "accounts/email/recertified_with_request",
                {
                    "channel": channel,
                    "outcome": Recertification(outcome).label,
                    "by": by,
                    "comment": comment,
                },
            )
        self.refresh_from_db()

    def open(self, *, by, on=None):
        """The planned account is live: the channel becomes active (and, when it is
        listed, appears in the public directory). Its owner and deputy must have
        acknowledged the guidelines, and an open channel needs its profile address."""
        today = timezone.localdate()
        on = on or today
        if on > today:
            raise ValidationError({"opened_on": _("The date cannot be in the future.")})
        with transaction.atomic():
            channel = self._lock()
            if not channel.can_edit(by):
                raise PermissionDenied(_("You may not change this channel."))
            if channel.status != self.Status.PLANNED:
                raise ValidationError(
                    _("Only a planned channel can be opened; this one is %(status)s.")
                    % {"status": channel.get_status_display().lower()}
                )
            owner = channel.owner
            _check_person(owner, _("The responsible owner"))
            if channel.deputy is not None:
                _check_person(channel.deputy, _("The deputy"))
            channel.status = self.Status.ACTIVE
            channel.opened_on = on
            channel.recertification_due_on = channel.recertification_due_on or (
                recertification_due(channel.approved_on or on)
            )
            channel.full_clean()
            channel.save(
                update_fields=["status", "opened_on", "recertification_due_on", "updated_at"]
            )
            channel._log(
                by,
                ChannelEvent.Action.STATUS_CHANGED,
                "",
                previous_status=self.Status.PLANNED,
                status=self.Status.ACTIVE,
                opened_on=on,
            )
        self.refresh_from_db()

    def close(self, *, by, reason, on=None):
        """Close the channel: it leaves the public directory; its history stays."""
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Say why the channel is closed.")})
        with transaction.atomic():
            channel = self._lock()
            if not channel.can_close(by):
                if channel.status == self.Status.CLOSED:
                    raise ValidationError(_("This channel is already closed."))
                raise PermissionDenied(_("Only the communications office closes channels."))
            previous_status = channel.status
            channel.status = self.Status.CLOSED
            channel.closed_on = on or timezone.localdate()
            channel.close_reason = reason.strip()
            channel.save(update_fields=["status", "closed_on", "close_reason", "updated_at"])
            people = list(channel.roles.current().select_related("user"))
            now = timezone.now()
            for role in people:
                role.end(now)
            channel._log(
                by, ChannelEvent.Action.CLOSED, reason.strip(), previous_status=previous_status
            )
        notify(
            [role.user for role in people],
            "accounts/email/closed",
            {"channel": channel, "reason": channel.close_reason},
        )
        self.refresh_from_db()

    def report_orphaned(self):
        """Record, once per owner, that the channel has no active owner, and tell the
        unit head and the office. Returns whether this was news."""
        with transaction.atomic():
            channel = self._lock()
            if not channel.is_orphaned:
                return False
            owner_role = channel.current_role(ChannelRole.Kind.OWNER)
            since = owner_role.started_at if owner_role else channel.created_at
            already = channel.events.filter(
                action=ChannelEvent.Action.ORPHANED, at__gte=since
            ).exists()
            if already:
                return False
            channel._log(
                None,
                ChannelEvent.Action.ORPHANED,
                "",
                owner=owner_role.user_id if owner_role else None,
            )
        notify(
            [channel.unit.head, *_communications_office()],
            "accounts/email/orphaned",
            {"channel": channel, "owner": owner_role.user if owner_role else None},
        )
        return True

    def remind_recertification(self, today=None):
        """Remind the owner and deputy that recertification is due (and the unit head
        once it is long overdue). Returns False when a reminder went out recently."""
        today = today or timezone.localdate()
        with transaction.atomic():
            channel = self._lock()
            if not Channel.objects.filter(pk=channel.pk).due_for_reminder(today).exists():
                return False
            due = channel.recertification_due_on
            escalated = (today - due).days > settings.PORTAL_RECERTIFICATION_ESCALATION_DAYS
            channel._log(None, ChannelEvent.Action.REMINDED, "", due=due, escalated=escalated)
        recipients = [channel.owner, channel.deputy]
        if escalated:
            recipients.append(channel.unit.head)
        notify(
            recipients,
            "accounts/email/recertification_due",
            {"channel": channel, "due": due, "overdue": due < today, "escalated": escalated},
        )
        return True

    def mark_dormant(self, *, quiet_since, days):
        """An active channel quiet since ``quiet_since`` (``days`` days or more) becomes
        dormant, and its owner and deputy are told. Compare-and-set: a second run the
        same day changes nothing. Returns whether the status changed."""
        return self._change_activity(
            self.Status.ACTIVE,
            self.Status.DORMANT,
            ChannelEvent.Action.WENT_DORMANT,
            "accounts/email/went_dormant",
            quiet_since=quiet_since,
            days=days,
        )

    def mark_active_again(self, *, last_post_on):
        """A dormant channel that posted again is active again; its people are told."""
        return self._change_activity(
            self.Status.DORMANT,
            self.Status.ACTIVE,
            ChannelEvent.Action.REACTIVATED,
            "accounts/email/reactivated",
            last_post_on=last_post_on,
        )

    # --- Internals ---------------------------------------------------------------

    def _change_activity(self, old, new, action, template, **facts):
        with transaction.atomic():
            changed = Channel.objects.filter(pk=self.pk, status=old).update(
                status=new, updated_at=timezone.now()
            )
            if not changed:
                return False
            self.status = new
            # update() sends no signal
            DIRECTORY_VERSION.changed()
            REGISTRY_VERSION.changed()
            self._log(
                None,
                action,
                "",
                **{
                    key: value.isoformat() if hasattr(value, "isoformat") else value
                    for key, value in facts.items()
                },
            )
        notify([self.owner, self.deputy], template, {"channel": self, **facts})
        return True

    def _save_profile_unique(self, **kwargs):
        """save(), turning a lost race for the same profile address (another request
        registered it between our check and our write) into the same message the
        check gives, instead of a database error."""
        try:
            with transaction.atomic():
                self.save(**kwargs)
        except IntegrityError:
            self.validate_constraints()  # names the channel that won the race
            raise

    def _lock(self):
        return Channel.objects.select_for_update().get(pk=self.pk)

    def _log(self, actor, action, comment="", **payload):
        transaction.on_commit(WARNING_COUNTS_VERSION.bump)
        return ChannelEvent.objects.create(
            channel=self, actor=actor, action=action, comment=comment, payload=payload
        )


# The fields owners and the office may change through Channel.update_details().
CHANNEL_EDITABLE_FIELDS = [
    "name",
    "profile_url",
    "handle",
    "platform_id",
    "purpose",
    "audience",
    "languages",
    "is_public",
    "credentials_location",
    "two_factor_enabled",
    "recovery_contact",
]


class Recertification(models.TextChoices):
    KEEP = "keep", _("Keep the channel as it is")
    CHANGE = "change", _("Keep it, but something needs changing")
    CLOSE = "close", _("Ask to close the channel")


def _name(user):
    return user.get_full_name() or user.get_username()


def _check_person(user, who, field=None):
    """A responsible owner or deputy must have an active account and have acknowledged
    the current guidelines for owners."""
    from guidelines.models import has_acknowledged_owner_guidelines

    if user is None or not user.is_active:
        message = _("%(who)s must be a person with an active account.") % {"who": who}
    elif not has_acknowledged_owner_guidelines(user):
        message = _(
            "%(name)s has not acknowledged the current social media guidelines. They must "
            "read and acknowledge them in the portal (Guidelines) before they can be "
            "responsible for a channel."
        ) % {"name": _name(user)}
    else:
        return
    raise ValidationError({field: message} if field else message)


def _communications_office():
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(groups__name=roles.COMMUNICATIONS, is_active=True))


class ChannelRoleQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class ChannelRole(models.Model):
    class Kind(models.TextChoices):
        OWNER = "owner", _("Responsible owner")
        DEPUTY = "deputy", _("Deputy")
        EDITOR = "editor", _("Editor")

    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="roles"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="channel_roles",
    )
    kind = models.CharField(_("role"), max_length=10, choices=Kind.choices)
    started_at = models.DateTimeField(_("from"), default=timezone.now)
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)

    objects = ChannelRoleQuerySet.as_manager()

    class Meta:
        ordering = ["channel", "kind", "-started_at"]
        verbose_name = _("channel role")
        verbose_name_plural = _("channel roles")
        constraints = [
            # At most one current owner and one current deputy per channel; that an
            # active channel has one owner is kept by Channel's operations.
            models.UniqueConstraint(
                fields=["channel"],
                condition=Q(kind="owner", ended_at__isnull=True),
                name="channelrole_one_current_owner",
            ),
            models.UniqueConstraint(
                fields=["channel"],
                condition=Q(kind="deputy", ended_at__isnull=True),
                name="channelrole_one_current_deputy",
            ),
            models.UniqueConstraint(
                fields=["channel", "user", "kind"],
                condition=Q(ended_at__isnull=True),
                name="channelrole_no_duplicate_current_role",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="channelrole_ends_after_start",
            ),
        ]
        indexes = [
            # "My channels" and orphan checks: WHERE user_id = ... AND ended_at IS NULL.
            models.Index(
                fields=["user", "kind"],
                condition=Q(ended_at__isnull=True),
                name="channelrole_current_user_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user} ({self.channel})"

    @property
    def is_current(self):
        return self.ended_at is None

    def end(self, when):
        self.ended_at = when
        self.save(update_fields=["ended_at"])


class ChannelEvent(AppendOnlyModel):
    """Append-only history of a channel: never updated, never deleted by the portal."""

    class Action(models.TextChoices):
        CREATED = "channel.created", _("Registered")
        EDITED = "channel.edited", _("Details changed")
        HANDED_OVER = "channel.handed_over", _("Responsibility handed over")
        DEPUTY_CHANGED = "channel.deputy_changed", _("Deputy changed")
        RECERTIFIED = "channel.recertified", _("Recertified")
        REMINDED = "channel.recertification_reminded", _("Recertification reminder sent")
        ORPHANED = "channel.orphaned", _("Owner left: channel orphaned")
        STATUS_CHANGED = "channel.status_changed", _("Status changed")
        WENT_DORMANT = "channel.went_dormant", _("No recent posts: marked dormant")
        REACTIVATED = "channel.reactivated", _("Posting again: active")
        CLOSED = "channel.closed", _("Closed")

    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the portal itself acted (a scheduled job)."),
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("channel event")
        verbose_name_plural = _("channel events")
        indexes = [
            # A channel's history, newest first: WHERE channel_id = ... ORDER BY at DESC.
            models.Index(fields=["channel", "-at"], name="channelevent_history_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.channel} · {self.at:%Y-%m-%d}"


class SuspiciousAccountReport(models.Model):
    """A member of the public's report of an account that may be impersonating the
    organisation, sent from the public directory's check page."""

    reported_url = models.CharField(_("reported account"), max_length=500)
    detected_platform = models.CharField(
        _("platform"), max_length=20, choices=Platform.choices, blank=True
    )
    description = models.TextField(_("what looks wrong"), max_length=2000)
    contact_email = models.EmailField(_("reporter's e-mail"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("suspicious account report")
        verbose_name_plural = _("suspicious account reports")

    def __str__(self):
        return self.reported_url
