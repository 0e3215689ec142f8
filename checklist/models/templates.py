"""The checklist a proposal is written against: ``ChecklistTemplate``, versioned, and
its ``ChecklistItem`` questions.

A changed checklist is a new template version, so a submitted proposal always reads as
it was written.
"""

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ANSWER_MAX_LENGTH = 5000
# The key of the measurable goals' problems (the checklist has an item keyed "goals").
MEASURABLE_GOALS = "measurable_goals"
# The checklist items whose answers become an approved channel's purpose and target
# audience in the registry.
PURPOSE_ITEM = "goals"
AUDIENCE_ITEM = "audience"


class ChecklistTemplateQuerySet(models.QuerySet):
    def current(self):
        return self.order_by("-version").first()


class ChecklistTemplate(models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ChecklistTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")

    def __str__(self):
        return f"{self.name} (v{self.version})"

    @property
    def is_in_use(self):
        return self.proposals.exists()

    def new_version(self):
        """A copy of this template, with its items, as the next version: what an edit
        of a template that proposals were written against becomes."""
        with transaction.atomic():
            latest = ChecklistTemplate.objects.select_for_update().order_by("-version").first()
            copy = ChecklistTemplate.objects.create(version=latest.version + 1, name=self.name)
            ChecklistItem.objects.bulk_create(
                ChecklistItem(
                    template=copy,
                    key=item.key,
                    title=item.title,
                    help_text=item.help_text,
                    required=item.required,
                    guideline_slug=item.guideline_slug,
                    ordering=item.ordering,
                )
                for item in self.items.all()
            )
        return copy


class ChecklistItem(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    key = models.SlugField(_("key"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    help_text = models.TextField(_("help"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    guideline_slug = models.SlugField(
        _("guideline"),
        blank=True,
        help_text=_("The address of the guideline that explains this item, if any."),
    )
    ordering = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["template", "ordering", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="checklistitem_unique_key")
        ]

    def __str__(self):
        return self.title
