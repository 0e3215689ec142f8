"""What a proposal says: its answer to each checklist item (``Answer``) and its
measurable goals (``Goal``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from checklist.models.templates import ChecklistItem


class Answer(models.Model):
    proposal = models.ForeignKey(
        "checklist.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="answers"
    )
    text = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "item"], name="answer_once_per_item")
        ]

    def __str__(self):
        return f"{self.item}: {self.text[:50]}"


class Goal(models.Model):
    class Metric(models.TextChoices):
        FOLLOWERS = "followers", _("Followers")
        POSTS_PER_WEEK = "posts_per_week", _("Posts per week")
        ENGAGEMENT_RATE = "engagement_rate", _("Engagement rate (%)")
        RESPONSE_TIME = "response_time_hours", _("Response time (hours)")

    proposal = models.ForeignKey(
        "checklist.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="goals",
    )
    metric = models.CharField(_("measure"), max_length=30, choices=Metric.choices)
    target_value = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    target_date = models.DateField(_("by"))

    class Meta:
        ordering = ["target_date", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return f"{self.get_metric_display()}: {self.target_value} by {self.target_date}"

    def problems(self, today):
        problems = []
        if self.target_value is not None and self.target_value <= 0:
            problems.append(_("A goal's target must be more than zero."))
        if self.target_date is not None and self.target_date <= today:
            problems.append(_("A goal's date must be in the future."))
        if (
            self.metric == self.Metric.ENGAGEMENT_RATE
            and self.target_value
            and self.target_value > 100
        ):
            problems.append(_("An engagement rate is a percentage: at most 100."))
        return problems
