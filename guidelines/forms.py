"""Forms of the guideline pages. Publishing is Guideline.publish(); these forms read
what the communications office types and keep it when something is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

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


class GuidelineTextForm(forms.Form):
    """The text of a version: title, summary and Markdown body."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences, shown in the list of guidelines and in e-mails."),
    )
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 20}), help_text=MARKDOWN_HELP
    )

    TEXT_FIELDS = ["title", "summary", "body"]

    def clean_summary(self):
        return _normalise(self.cleaned_data["summary"])

    def clean_body(self):
        return _normalise(self.cleaned_data["body"])

    def text(self):
        """Keyword arguments for Guideline.publish()."""
        return {name: self.cleaned_data[name] for name in self.TEXT_FIELDS}


class NewGuidelineForm(GuidelineTextForm, forms.ModelForm):
    """A new guideline and the text of its first version."""

    class Meta:
        model = Guideline
        fields = ["slug", "ordering", "applies_to_owners"]

    field_order = ["slug", "ordering", "applies_to_owners", "title", "summary", "body"]

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
                {"title": current.title, "summary": current.summary, "body": current.body},
            )
        super().__init__(*args, **kwargs)
        if current is None:
            # The first version of a guideline added in the admin: nothing changed yet.
            self.fields["change_note"].required = False

    def _unchanged_or(self, name, value):
        # Text that differs from the current version only in line endings or
        # surrounding space is the current text: publishing it is "nothing changed".
        stored = getattr(self.current, name, None)
        if stored is not None and _normalise(stored) == _normalise(value):
            return stored
        return value

    def clean_title(self):
        return self._unchanged_or("title", self.cleaned_data["title"])

    def clean_summary(self):
        return self._unchanged_or("summary", super().clean_summary())

    def clean_body(self):
        return self._unchanged_or("body", super().clean_body())

    def publication(self):
        """Keyword arguments for Guideline.publish()."""
        return {**self.text(), "change_note": self.cleaned_data["change_note"]}
