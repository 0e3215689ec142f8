"""Forms of the guideline pages. Publishing is Guideline.publish(); these forms read
what the communications office types and keep it when something is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guidelines.bilingual import INCOMPLETE
from guidelines.models import Guideline

MARKDOWN_HELP = _(
    "Markdown: a line starting with ## is a heading, - starts a list item, "
    "[text](https://…) is a link, **bold** and *italic*. HTML is shown as typed, "
    "not run."
)


def _normalise(text):
    """Browsers send a textarea's lines ending in CR LF; the text is compared and kept
    with plain LF, without surrounding blank space."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def check_languages(form, fields):
    """Each language complete or empty, at least one complete. ``fields``:
    {language: [form field names]}."""
    complete = []
    for language, names in fields.items():
        filled = [name for name in names if form.cleaned_data.get(name)]
        if len(filled) == len(names):
            complete.append(language)
        elif filled:
            for name in names:
                if name not in filled and name not in form.errors:
                    form.add_error(name, INCOMPLETE[language])
    if not complete and not form.errors:
        form.add_error(None, _("Write the text in English, in Swedish, or in both."))


class GuidelineTextForm(forms.Form):
    """The text of a version, in English and in Swedish (either may be left empty):
    title, summary and Markdown body."""

    title = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Summary in English"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences, shown in the list of guidelines and in e-mails."),
    )
    body = forms.CharField(
        label=_("Text in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=MARKDOWN_HELP,
    )
    title_sv = forms.CharField(label=_("Title in Swedish"), max_length=200, required=False)
    summary_sv = forms.CharField(
        label=_("Summary in Swedish"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body_sv = forms.CharField(
        label=_("Text in Swedish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=MARKDOWN_HELP,
    )

    LANGUAGE_FIELDS = {
        "en": ["title", "summary", "body"],
        "sv": ["title_sv", "summary_sv", "body_sv"],
    }
    TEXT_FIELDS = LANGUAGE_FIELDS["en"] + LANGUAGE_FIELDS["sv"]
    # The version's field each form field is kept in.
    MODEL_FIELDS = {
        "title": "title_en",
        "summary": "summary_en",
        "body": "body_en",
        "title_sv": "title_sv",
        "summary_sv": "summary_sv",
        "body_sv": "body_sv",
    }

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_title_sv(self):
        return self.cleaned_data["title_sv"].strip()

    def clean_summary(self):
        return _normalise(self.cleaned_data["summary"])

    def clean_summary_sv(self):
        return _normalise(self.cleaned_data["summary_sv"])

    def clean_body(self):
        return _normalise(self.cleaned_data["body"])

    def clean_body_sv(self):
        return _normalise(self.cleaned_data["body_sv"])

    def clean(self):
        cleaned = super().clean()
        check_languages(self, self.LANGUAGE_FIELDS)
        return cleaned

    def text(self):
        """Keyword arguments for Guideline.publish()."""
        return {name: self.cleaned_data[name] for name in self.TEXT_FIELDS}


class NewGuidelineForm(GuidelineTextForm, forms.ModelForm):
    """A new guideline and the text of its first version."""

    class Meta:
        model = Guideline
        fields = ["slug", "ordering", "applies_to_owners"]

    field_order = ["slug", "ordering", "applies_to_owners", *GuidelineTextForm.TEXT_FIELDS]

    def creation(self):
        """Keyword arguments for Guideline.objects.create_with_version()."""
        return {**{name: self.cleaned_data[name] for name in self.Meta.fields}, **self.text()}


class EditGuidelineForm(GuidelineTextForm):
    """The next version of a guideline, starting from the current one's text."""

    change_note = forms.CharField(
        label=_("What changed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with the new version and in the e-mail to channel owners."),
        error_messages={"required": _("Say what changed in this version.")},
    )

    def __init__(self, *args, current=None, **kwargs):
        self.current = current
        if current is not None:
            kwargs.setdefault(
                "initial",
                {name: getattr(current, stored) for name, stored in self.MODEL_FIELDS.items()},
            )
        super().__init__(*args, **kwargs)
        if current is None:
            # The first version of a guideline added in the admin: nothing changed yet.
            self.fields["change_note"].required = False

    def _unchanged_or(self, name, value):
        # Text that differs from the current version only in line endings or
        # surrounding space is the current text: publishing it is "nothing changed".
        stored = getattr(self.current, self.MODEL_FIELDS[name], None)
        if stored is not None and _normalise(stored) == _normalise(value):
            return stored
        return value

    def clean_title(self):
        return self._unchanged_or("title", super().clean_title())

    def clean_title_sv(self):
        return self._unchanged_or("title_sv", super().clean_title_sv())

    def clean_summary(self):
        return self._unchanged_or("summary", super().clean_summary())

    def clean_summary_sv(self):
        return self._unchanged_or("summary_sv", super().clean_summary_sv())

    def clean_body(self):
        return self._unchanged_or("body", super().clean_body())

    def clean_body_sv(self):
        return self._unchanged_or("body_sv", super().clean_body_sv())

    def publication(self):
        """Keyword arguments for Guideline.publish()."""
        return {**self.text(), "change_note": self.cleaned_data["change_note"]}
