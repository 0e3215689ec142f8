"""The registry of official social media accounts ("channels"): what is recorded about
each, who may see and change it, and the queries over many (``ChannelQuerySet``).

What may happen to a channel is in ``accounts/models/operations.py``.
"""

import datetime
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Length, StrIndex, Upper
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, Lookup
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.caching import WARNING_COUNTS
from accounts.models.events import ChannelEvent
from accounts.models.operations import ChannelOperations, _communications_office
from accounts.models.people import ChannelRole, responsibility_problem
from accounts.models.units import Unit
from accounts.models.verification import METHODS, ChannelVerification
from accounts.platforms import Platform, parse_profile
from core import roles
from core.choices import choice_label
from core.notifications import notify

# Reminders about the same recertification go out at most this often.
REMINDER_INTERVAL_DAYS = 7


def name_key(text):
    """``text`` for matching names: without accents, case-folded, single-spaced
    ("Högskolan  för Design" and "hogskolan for design" give the same key)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


# A proposed name's key of up to this many characters is matched against the channels'
# whole keys through their index (every part of it at least 3 long: 1,711 at most);
# a longer one, rare, with a scan of the registry.
_NAMES_WITHIN_LIMIT = 60


class _AnyOf(Lookup):
    """``lhs`` is one of the values of the list ``rhs``: on PostgreSQL one array
    parameter (``= ANY(%s)``), which Django does not prepare value by value as it does
    ``__in``'s (3.4 ms of Python for the 500 parts of a name of 34 characters)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            # The array as its literal, built here: psycopg's adaptation of a list of
            # strings escapes each one with a regular expression (~2 ms of Python for
            # the ~300 parts of a name of 25 characters).
            return f"{lhs} = ANY(%s)", [*lhs_params, _array_literal(values)]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


def _array_literal(values):
    """PostgreSQL's text form of the array of the strings ``values``: each one quoted,
    its backslashes and double quotes escaped (all at once: joined by a NUL, which no
    PostgreSQL text holds, then escaped, then the NULs made separators)."""
    if not values:
        return "{}"
    joined = "\0".join(values).replace("\\", "\\\\").replace('"', '\\"')
    return '{"' + joined.replace("\0", '","') + '"}'


def _names_within(key):
    """The channels whose name key is part of ``key`` (3 characters or more)."""
    if len(key) <= _NAMES_WITHIN_LIMIT:
        # A name key neither starts nor ends with a space (name_key()): nor do the parts.
        starts = [index for index, char in enumerate(key) if char != " "]
        ends = [index + 1 for index in starts]
        parts = {key[start:end] for start in starts for end in ends if end - start >= 3}
        return Q(_AnyOf(F("name_key"), sorted(parts)))
    return Q(
        GreaterThan(StrIndex(Value(key), F("name_key")), 0),
        GreaterThanOrEqual(Length("name_key"), 3),
    )


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

    def visible_scope(self, user):
        """The name of the set of channels ``visible_to(user)`` gives: a cached
        listing of them is shared by everyone with the same scope. Change both
        together."""
        return "staff" if roles.is_staff_member(user) else "nobody"

    def metrics_visible_to(self, user):
        """Channels whose figures ``user`` may see: all for the office and portal
        admins; their unit's for a unit head; their own for an owner or deputy."""
        if not roles.is_staff_member(user):
            return self.none()
        if roles.is_reviewer(user):
            return self
        # (metrics_scope below names these sets: change both together.)
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

    def metrics_scope(self, user):
        """The name of the set ``metrics_visible_to(user)`` gives: cached figures of
        it are shared by everyone with the same scope."""
        if not roles.is_staff_member(user):
            return "nobody"
        return "all" if roles.is_reviewer(user) else f"person:{user.pk}"

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

    def report_orphaned(self):
        """Record each of these channels that is newly orphaned
        (``Channel.record_orphaned``) and tell the people concerned, one message each
        for all of them: the deputy, who may take over; the unit's head, who may hand
        over; the office. The records and the messages commit together. Returns how
        many were news."""
        with transaction.atomic():
            news = [
                channel
                for channel in self.orphaned().select_related("unit__head").order_by("pk")
                if channel.record_orphaned()
            ]
            for digest in _orphan_digests(news):
                notify([digest["person"]], "accounts/email/orphaned", digest)
        return len(news)

    def without_deputy(self):
        return self.running().exclude(_has_active(ChannelRole.Kind.DEPUTY))

    def warning_counts(self, today=None):
        """How many running channels are orphaned, overdue or without deputy: one query."""
        today = today or timezone.localdate()

        def held(kind):
            # The channels someone active holds ``kind`` of now: NOT IN over it is one
            # hashed set in PostgreSQL (122 ms on 100,000 channels, bench/README.md),
            # where NOT EXISTS probed the roles once per channel (436 ms).
            return ChannelRole.objects.current().filter(kind=kind, user__is_active=True)

        return self.running().aggregate(
            orphaned=models.Count(
                "pk", filter=~Q(pk__in=held(ChannelRole.Kind.OWNER).values("channel_id"))
            ),
            overdue=models.Count("pk", filter=Q(recertification_due_on__lt=today)),
            no_deputy=models.Count(
                "pk", filter=~Q(pk__in=held(ChannelRole.Kind.DEPUTY).values("channel_id"))
            ),
        )

    def verification_broken(self):
        """Running channels whose account linked back to its page and no longer does
        (ChannelVerification): the office's list of links to restore."""
        return self.running().filter(verification__state=ChannelVerification.State.BROKEN)

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
        return WARNING_COUNTS.get([today], lambda: Channel.objects.warning_counts(today))

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
            conditions |= Q(name_key__contains=key) | _names_within(key)
        if unit is not None and platform:
            conditions |= Q(unit=unit, platform=platform)
        # Every condition above has its index (the name key's trigrams, its b-tree, the
        # upper-cased handle, the unit, the address), so PostgreSQL gathers the few
        # matches and sorts them. Ordered by a column with an index ("name", "pk"), it
        # walked that index instead, the whole registry when the matches sort last, for
        # the first few: 250 to 570 ms on 100,000 channels (bench/README.md, "Issue 16,
        # load target").
        return (
            self.running()
            .filter(conditions)
            .select_related("unit")
            .order_by(Upper("name"), "name", "pk")
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


def _orphan_digests(channels):
    """What each person hears about ``channels``, newly orphaned: a dict per person
    with the channels they may take over (``as_deputy``), those of a unit they head
    (``as_head``) and, for the office, the others (``as_office``). Each channel is
    named once, in the first of these parts that applies."""
    office = _communications_office()
    parts = [
        ("as_deputy", lambda channel: [channel.deputy]),
        ("as_head", lambda channel: [channel.unit.head]),
        ("as_office", lambda channel: office),
    ]
    digests = {}
    for part, people_of in parts:
        for channel in channels:
            for person in people_of(channel):
                if person is None or not person.is_active:
                    continue
                digest = digests.setdefault(
                    person.pk,
                    {"person": person, "channels": [], **{name: [] for name, _people in parts}},
                )
                if channel not in digest["channels"]:
                    digest["channels"].append(channel)
                    digest[part].append(channel)
    for digest in digests.values():
        names = [str(channel) for channel in digest["channels"]]
        digest["names"] = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
        digest["may_take_over"] = bool(digest["as_deputy"]) and (
            responsibility_problem(digest["person"], _("The deputy")) is None
        )
    return list(digests.values())


class Channel(ChannelOperations, models.Model):
    """An official account in the registry. What may happen to it (register, hand over,
    open, recertify, close...) is its ``ChannelOperations``."""

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
        return choice_label(Platform, self.platform)

    def get_status_display(self):
        return choice_label(Channel.Status, self.status)

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
    def in_directory(self):
        """Whether the public directory lists the channel (as ChannelQuerySet.public)."""
        return self.is_public and self.status in (self.Status.ACTIVE, self.Status.DORMANT)

    @property
    def verification_state(self):
        """Whether the account links back to its public page (ChannelVerification)."""
        return ChannelVerification.state_of(self)

    @property
    def verification_method(self):
        """How the account links back on its platform (``METHODS``), "" where it cannot."""
        return METHODS.get(self.platform, "")

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

    def can_hand_over(self, user):
        """Name a new responsible owner: whoever may edit it, and the head of its unit
        (who is asked to when the channel is orphaned)."""
        if self.can_edit(user):
            return True
        return (
            roles.is_staff_member(user)
            and self.status != self.Status.CLOSED
            and self.unit.head_id == user.pk
        )

    def can_take_over(self, user):
        """Become the responsible owner in one step: its current deputy. (Only while it
        is orphaned, and only with the guidelines acknowledged: Channel.take_over
        refuses otherwise, saying why.)"""
        if not roles.is_staff_member(user) or self.status == self.Status.CLOSED:
            return False
        deputy = self.deputy
        return deputy is not None and deputy.pk == user.pk

    def can_close(self, user):
        return self.status != self.Status.CLOSED and roles.is_reviewer(user)

    def can_see_metrics(self, user):
        """The figures: the office, the unit's head, the owner and deputy."""
        if not roles.is_staff_member(user):
            return False
        return roles.is_reviewer(user) or self.unit.head_id == user.pk or self.is_run_by(user)

    def can_see_credentials(self, user):
        return roles.is_reviewer(user) or self.is_run_by(user)
