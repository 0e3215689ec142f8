"""Guideline versions and site notices get a text in English and one in Swedish.

The existing fields become the English ones (``title`` -> ``title_en`` ...), then each
existing text moves to the language it was written in: a text with more common
Swedish words (och, att, är, för, ...) and letters å, ä, ö than common English
words is Swedish, and moves to the ``_sv`` fields; any other stays English. The
portal wrote no language down, so the words are the only witness; the office can
publish a version with the other language's text afterwards. Acknowledgements
point at versions and are untouched.
"""

import re

import django.core.validators
from django.db import migrations, models

SWEDISH = set(["och", "att", "är", "för", "som", "det", "en", "ett", "på", "med", "inte", "av", "till", "har", "ska", "vi", "du", "om"])
ENGLISH = set(["and", "the", "is", "for", "that", "it", "a", "an", "on", "with", "not", "of", "to", "has", "should", "we", "you", "if"])


def written_in(*texts):
    words = re.findall(r"[^\W\d_]+", " ".join(texts).lower())
    swedish = sum(word in SWEDISH for word in words)
    swedish += sum(word.count(c) for word in words for c in "åäö")
    english = sum(word in ENGLISH for word in words)
    return "sv" if swedish > english else "en"


def move_swedish_texts(apps, schema_editor):
    for model, fields in [
        ("GuidelineVersion", ["title", "summary", "body"]),
        ("SiteNotice", ["title", "body"]),
    ]:
        Model = apps.get_model("guidelines", model)
        for row in Model.objects.all():
            if written_in(*(getattr(row, f"{name}_en") for name in fields)) != "sv":
                continue
            moved = {}
            for name in fields:
                moved[f"{name}_sv"] = getattr(row, f"{name}_en")
                moved[f"{name}_en"] = ""
            # The historical model has the plain manager: an update by primary key.
            Model.objects.filter(pk=row.pk).update(**moved)


def move_back(apps, schema_editor):
    for model, fields in [
        ("GuidelineVersion", ["title", "summary", "body"]),
        ("SiteNotice", ["title", "body"]),
    ]:
        Model = apps.get_model("guidelines", model)
        for row in Model.objects.all():
            if row.title_en:
                continue
            Model.objects.filter(pk=row.pk).update(
                **{f"{name}_en": getattr(row, f"{name}_sv") for name in fields}
            )


LIMIT = django.core.validators.MaxLengthValidator(
    2000,
    message="The message can have at most %(limit_value)d characters; this one has %(show_value)d.",
)
NOTICE_HELP = "Plain text, at most 2000 characters, shown on every page and sent as it is."


class Migration(migrations.Migration):
    dependencies = [
        ("guidelines", "0002_notice_body_limit"),
    ]

    operations = [
        migrations.RenameField("guidelineversion", "title", "title_en"),
        migrations.RenameField("guidelineversion", "summary", "summary_en"),
        migrations.RenameField("guidelineversion", "body", "body_en"),
        migrations.RenameField("sitenotice", "title", "title_en"),
        migrations.RenameField("sitenotice", "body", "body_en"),
        migrations.AlterField(
            model_name="guidelineversion",
            name="title_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="title (English)"),
        ),
        migrations.AlterField(
            model_name="guidelineversion",
            name="summary_en",
            field=models.TextField(blank=True, max_length=1000, verbose_name="summary (English)"),
        ),
        migrations.AlterField(
            model_name="guidelineversion",
            name="body_en",
            field=models.TextField(blank=True, help_text="Markdown.", verbose_name="text (English)"),
        ),
        migrations.AddField(
            model_name="guidelineversion",
            name="title_sv",
            field=models.CharField(blank=True, max_length=200, verbose_name="title (Swedish)"),
        ),
        migrations.AddField(
            model_name="guidelineversion",
            name="summary_sv",
            field=models.TextField(blank=True, max_length=1000, verbose_name="summary (Swedish)"),
        ),
        migrations.AddField(
            model_name="guidelineversion",
            name="body_sv",
            field=models.TextField(blank=True, help_text="Markdown.", verbose_name="text (Swedish)"),
        ),
        migrations.AlterField(
            model_name="sitenotice",
            name="title_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="title (English)"),
        ),
        migrations.AlterField(
            model_name="sitenotice",
            name="body_en",
            field=models.TextField(
                blank=True,
                help_text=NOTICE_HELP,
                validators=[LIMIT],
                verbose_name="message (English)",
            ),
        ),
        migrations.AddField(
            model_name="sitenotice",
            name="title_sv",
            field=models.CharField(blank=True, max_length=200, verbose_name="title (Swedish)"),
        ),
        migrations.AddField(
            model_name="sitenotice",
            name="body_sv",
            field=models.TextField(
                blank=True,
                help_text=NOTICE_HELP,
                validators=[LIMIT],
                verbose_name="message (Swedish)",
            ),
        ),
        migrations.RunPython(move_swedish_texts, move_back),
    ]
