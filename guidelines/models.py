"""The organisation's social media guidelines, versioned, who acknowledged which version,
and site notices (a crisis notice reaches every owner of a live channel).

A guideline's text lives in its versions, which are never changed once published;
publishing an edit adds a version. Acknowledgements point at a version, so a new
version asks everyone again.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core import roles
from core.append_only import AppendOnlyModel
from core.caching import rows_changed
from core.notifications import notify
from core.person_facts import forget_person
from guidelines import audience
from guidelines.bilingual import BilingualText, as_arguments
from guidelines.caching import NOTICES, OWNER_VERSIONS
from guidelines.markdown import render_markdown

# --- Guidelines --------------------------------------------------------------------


class GuidelineQuerySet(models.QuerySet):
    def published(self):
        return self.filter(current_version__isnull=False).select_related("current_version")

    def create_with_version(self, *, by, slug, ordering=0, applies_to_owners=True, **text):
        """A new guideline and its first version (``text``: as for Guideline.publish),
        published by ``by``, or neither: a refused publication (not the communications
        office, an invalid text) leaves no guideline behind."""
        with transaction.atomic():
            guideline = self.create(
                slug=slug, ordering=ordering, applies_to_owners=applies_to_owners
            )
            guideline.publish(by=by, **text)
        return guideline


class Guideline(models.Model):
    slug = models.SlugField(_("address"), unique=True, help_text=_("Used in the page's address."))
    ordering = models.PositiveIntegerField(_("order"), default=0)
    applies_to_owners = models.BooleanField(
        _("owners must acknowledge it"),
        default=True,
        help_text=_(
            "Responsible owners and deputies of channels must have acknowledged the current "
            "version."
        ),
    )
    current_version = models.OneToOneField(
        "GuidelineVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = GuidelineQuerySet.as_manager()

    class Meta:
        ordering = ["ordering", "slug"]
        verbose_name = _("guideline")
        verbose_name_plural = _("guidelines")

    def __str__(self):
        return self.current_version.title if self.current_version else self.slug

    def get_absolute_url(self):
        return reverse("guidelines:detail", args=[self.slug])

    def publish(
        self,
        *,
        by,
        title="",
        summary="",
        body="",
        title_sv="",
        summary_sv="",
        body_sv="",
        change_note="",
    ):
        """Publish a new version (the first, or an edit): ``title``, ``summary`` and
        ``body`` in English, the ``_sv`` ones in Swedish (either may be left empty).
        Owners and deputies of running channels are asked to acknowledge it when it
        applies to them, once for the version whatever language they read it in."""
        text = {
            "title_en": title,
            "summary_en": summary,
            "body_en": body,
            "title_sv": title_sv,
            "summary_sv": summary_sv,
            "body_sv": body_sv,
        }
        if not roles.is_reviewer(by):
            raise PermissionDenied(_("Only the communications office publishes guidelines."))
        with transaction.atomic():
            guideline = Guideline.objects.select_for_update().get(pk=self.pk)
            previous = guideline.current_version
            if previous is not None:
                if not (change_note or "").strip():
                    raise ValidationError({"change_note": _("Say what changed in this version.")})
                if all(getattr(previous, name) == value for name, value in text.items()):
                    raise ValidationError(_("Nothing changed: there is no new version to publish."))
            version = GuidelineVersion(
                guideline=guideline,
                number=previous.number + 1 if previous else 1,
                **text,
                change_note=(change_note or "").strip(),
                published_by=by,
            )
            try:
                version.full_clean()
            except ValidationError as error:
                raise as_arguments(error) from None
            version.save()
            guideline.current_version = version
            guideline.save(update_fields=["current_version"])
        self.current_version = version
        if guideline.applies_to_owners:
            notify(
                audience.people(audience.RUNNING),
                "guidelines/email/new_version",
                {"version": version, "first": previous is None},
            )
        return version


class GuidelineVersion(BilingualText, AppendOnlyModel):
    """One published text of a guideline, in English, Swedish or both; never changed,
    never deleted. One acknowledgement covers the version in either language."""

    TEXT_FIELDS = ("title", "summary", "body")

    guideline = models.ForeignKey(
        Guideline, verbose_name=_("guideline"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary (English)"), max_length=1000, blank=True)
    body_en = models.TextField(_("text (English)"), blank=True, help_text=_("Markdown."))
    title_sv = models.CharField(_("title (Swedish)"), max_length=200, blank=True)
    summary_sv = models.TextField(_("summary (Swedish)"), max_length=1000, blank=True)
    body_sv = models.TextField(_("text (Swedish)"), blank=True, help_text=_("Markdown."))
    change_note = models.TextField(_("what changed"), blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["guideline", "-number"]
        verbose_name = _("guideline version")
        verbose_name_plural = _("guideline versions")
        constraints = [
            models.UniqueConstraint(
                fields=["guideline", "number"], name="guidelineversion_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.title} (v{self.number})"

    def get_absolute_url(self):
        return reverse("guidelines:version", args=[self.guideline.slug, self.number])

    def clean(self):
        self.clean_languages()

    # The text in the reader's language (or the other, when theirs is missing).
    @property
    def title(self):
        return self.text("title")

    @property
    def summary(self):
        return self.text("summary")

    @property
    def body(self):
        return self.text("body")

    @property
    def html(self):
        return render_markdown(self.body)

    @property
    def is_current(self):
        return self.guideline.current_version_id == self.pk


class Principle(models.Model):
    """A short rule that the guideline pages show as a list."""

    text = models.CharField(_("principle"), max_length=200)
    explanation = models.TextField(_("explanation"), blank=True)
    guideline = models.ForeignKey(
        Guideline,
        verbose_name=_("explained in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="principles",
    )
    ordering = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["ordering", "pk"]
        verbose_name = _("principle")
        verbose_name_plural = _("principles")

    def __str__(self):
        return self.text


# --- Acknowledgements --------------------------------------------------------------


class AcknowledgementQuerySet(models.QuerySet):
    def owner_versions_pending(self, user):
        """Current versions of the guidelines owners must acknowledge that ``user`` has
        not acknowledged."""
        return (
            GuidelineVersion.objects.filter(
                pk__in=Guideline.objects.filter(
                    applies_to_owners=True, current_version__isnull=False
                ).values("current_version")
            )
            .exclude(acknowledgements__user=user)
            .select_related("guideline")
        )


class Acknowledgement(models.Model):
    """``user`` has read and accepted ``version``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="guideline_acknowledgements",
    )
    version = models.ForeignKey(
        GuidelineVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)

    objects = AcknowledgementQuerySet.as_manager()

    class Meta:
        ordering = ["-acknowledged_at"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="acknowledgement_once")
        ]

    def __str__(self):
        return f"{self.user} · {self.version}"


def pending_owner_guidelines(user):
    """The current owner guideline versions ``user`` still has to acknowledge."""
    if not user.is_authenticated:
        return GuidelineVersion.objects.none()
    return Acknowledgement.objects.owner_versions_pending(user)


def has_acknowledged_owner_guidelines(user):
    return not pending_owner_guidelines(user).exists()


def pending_owner_guidelines_of(users):
    """The pks of those of ``users`` who have not acknowledged every current owner
    guideline version (not has_acknowledged_owner_guidelines()): the versions cached
    (OWNER_VERSIONS), then one query for everyone's acknowledgements of them."""
    pks = {user.pk for user in users if user.is_authenticated}
    if not pks:
        return set()
    current = OWNER_VERSIONS.get(
        [],
        lambda: list(
            Guideline.objects.filter(
                applies_to_owners=True, current_version__isnull=False
            ).values_list("current_version", flat=True)
        ),
    )
    if not current:
        return set()
    acknowledged = set(
        Acknowledgement.objects.filter(user__in=pks, version__in=current).values_list(
            "user_id", "version_id"
        )
    )
    return {pk for pk in pks if any((pk, version) not in acknowledged for version in current)}


def acknowledge(user, versions):
    """Record that ``user`` acknowledges ``versions`` (again is harmless)."""
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(user=user, version=version) for version in versions],
        ignore_conflicts=True,
    )
    forget_person(user)  # the banner asking for them


def people_missing_acknowledgement():
    """Owners and deputies of running channels who have not acknowledged every current
    owner guideline: what the communications office follows up."""
    current = Guideline.objects.filter(
        applies_to_owners=True, current_version__isnull=False
    ).values("current_version")
    required = current.count()
    if required == 0:
        return get_user_model().objects.none()  # nothing to acknowledge, nobody missing
    complete = (
        Acknowledgement.objects.filter(version__in=current)
        .values("user")
        .annotate(count=models.Count("version", distinct=True))
        .filter(count=required)
        .values("user")
    )
    return audience.people(audience.RUNNING).exclude(pk__in=complete)


# --- Site notices ------------------------------------------------------------------


# A notice's message is shown on every page while it is in force (and e-mailed, for a
# crisis): a few paragraphs, not a document.
NOTICE_BODY_MAX_LENGTH = 2000


def _notice_body_help_text():
    return _("Plain text, at most %(limit)d characters, shown on every page and sent as it is.") % {
        "limit": NOTICE_BODY_MAX_LENGTH
    }


NOTICE_BODY_LIMIT = MaxLengthValidator(
    NOTICE_BODY_MAX_LENGTH,
    message=_(
        "The message can have at most %(limit_value)d characters; this one has %(show_value)d."
    ),
)


class SiteNoticeQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now), starts_at__lte=now)


class SiteNotice(BilingualText, models.Model):
    """A message shown on every page while it is in force, in English, Swedish or
    both; one acknowledgement whatever language it was read in."""

    TEXT_FIELDS = ("title", "body")

    class Level(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Warning")
        CRISIS = "crisis", _("Crisis")

    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_en = models.TextField(
        _("message (English)"),
        blank=True,
        # A validator, not max_length: a textarea's maxlength would cut a pasted
        # message short without a word.
        validators=[NOTICE_BODY_LIMIT],
        help_text=lazy(_notice_body_help_text, str)(),
    )
    title_sv = models.CharField(_("title (Swedish)"), max_length=200, blank=True)
    body_sv = models.TextField(
        _("message (Swedish)"),
        blank=True,
        validators=[NOTICE_BODY_LIMIT],
        help_text=lazy(_notice_body_help_text, str)(),
    )
    starts_at = models.DateTimeField(_("shown from"), default=timezone.now)
    ends_at = models.DateTimeField(_("shown until"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SiteNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("site notice")
        verbose_name_plural = _("site notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="sitenotice_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guidelines:notice", args=[self.pk])

    def clean(self):
        self.clean_languages()

    # The text in the reader's language (or the other, when theirs is missing).
    @property
    def title(self):
        return self.text("title")

    @property
    def body(self):
        return self.text("body")

    @property
    def is_crisis(self):
        return self.level == self.Level.CRISIS

    def is_active(self, now=None):
        now = now or timezone.now()
        return self.starts_at <= now and (self.ends_at is None or self.ends_at > now)

    @classmethod
    def publish(
        cls,
        *,
        by,
        level,
        title="",
        body="",
        title_sv="",
        body_sv="",
        starts_at=None,
        ends_at=None,
    ):
        """Publish a notice (``title`` and ``body`` in English, the ``_sv`` ones in
        Swedish; either language may be left empty). A crisis notice is e-mailed, once
        each and after commit, to every current responsible owner and deputy of a live
        channel, each in their language, who are recorded as its recipients (the office
        follows their acknowledgements)."""
        if not roles.is_reviewer(by):
            raise PermissionDenied(_("Only the communications office publishes notices."))
        notice = cls(
            level=level,
            title_en=title,
            body_en=body,
            title_sv=title_sv,
            body_sv=body_sv,
            starts_at=starts_at or timezone.now(),
            ends_at=ends_at,
            published_by=by,
        )
        try:
            notice.full_clean()
        except ValidationError as error:
            raise as_arguments(error) from None
        with transaction.atomic():
            notice.save()
            if notice.is_crisis:
                recipients = list(audience.people(audience.LIVE))
                NoticeRecipient.objects.bulk_create(
                    NoticeRecipient(notice=notice, user=person) for person in recipients
                )
                notify(recipients, "guidelines/email/crisis_notice", {"notice": notice})
        return notice

    def end(self, *, by):
        if not roles.is_reviewer(by):
            raise PermissionDenied(_("Only the communications office ends notices."))
        now = timezone.now()
        updated = SiteNotice.objects.filter(pk=self.pk).active(now).update(ends_at=now)
        rows_changed(SiteNotice)  # update() sends no signal
        if not updated:
            raise ValidationError(_("This notice is no longer shown."))
        self.refresh_from_db()

    def acknowledge(self, user):
        """``user`` has read the notice (again is harmless)."""
        NoticeAcknowledgement.objects.get_or_create(notice=self, user=user)
        forget_person(user)  # the banner showing it

    def acknowledgement_rate(self):
        """(acknowledged recipients, recipients): one query."""
        counts = self.recipients.aggregate(
            total=models.Count("pk"),
            acknowledged=models.Count(
                "pk",
                filter=models.Exists(
                    NoticeAcknowledgement.objects.filter(
                        notice=models.OuterRef("notice"), user=models.OuterRef("user")
                    )
                ),
            ),
        )
        return counts["acknowledged"], counts["total"]


class NoticeRecipient(models.Model):
    """Who a crisis notice was sent to, as the registry stood when it was published."""

    notice = models.ForeignKey(SiteNotice, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="noticerecipient_once")
        ]

    def __str__(self):
        return f"{self.user} · {self.notice}"


class NoticeAcknowledgement(models.Model):
    notice = models.ForeignKey(
        SiteNotice, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="noticeacknowledgement_once")
        ]

    def __str__(self):
        return f"{self.user} · {self.notice}"


def notices_in_force():
    """The notices shown now, a crisis first, then the newest: from the cache until a
    notice changes, starts or ends."""
    now = timezone.now()

    def compute():
        current = list(SiteNotice.objects.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now)))
        changes = [n.starts_at for n in current if n.starts_at > now]
        changes += [n.ends_at for n in current if n.ends_at is not None]
        until = min([*changes, now + datetime.timedelta(seconds=NOTICES.timeout)])
        shown = sorted(
            (notice for notice in current if notice.starts_at <= now),
            key=lambda notice: (not notice.is_crisis, -notice.starts_at.timestamp()),
        )
        return (shown, until)

    shown, _until = NOTICES.get([], compute, fresh=lambda entry: entry[1] > now)
    return shown


def dismissed_notices(user):
    """Uncached: the ids of the notices in force ``user`` has dismissed (a person's fact,
    core.person_facts)."""
    return frozenset(
        NoticeAcknowledgement.objects.filter(
            user=user, notice__in=[notice.pk for notice in notices_in_force()]
        ).values_list("notice_id", flat=True)
    )
