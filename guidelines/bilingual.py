"""Guideline versions and site notices carry their text in English and in Swedish
(``<field>_en``, ``<field>_sv``); either may be missing, never both. Each reader gets
the text in their language (the active one: the page's, or the e-mail recipient's),
and the other language's when theirs is missing, with a note saying so."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The languages a text is written in, in the order a missing one falls back.
TEXT_LANGUAGES = ("en", "sv")
INCOMPLETE = {
    "en": _("Fill this in too, or leave the English text empty."),
    "sv": _("Fill this in too, or leave the Swedish text empty."),
}


def reader_language(language=None):
    """``language``, or the active one, as one of TEXT_LANGUAGES."""
    code = (language or get_language() or settings.LANGUAGE_CODE)[:2].lower()
    return code if code in TEXT_LANGUAGES else settings.LANGUAGE_CODE


def language_for(available, language=None):
    """The language to show a text in: the reader's when ``available``, else the first
    available one."""
    wanted = reader_language(language)
    if wanted in available or not available:
        return wanted
    return next(code for code in TEXT_LANGUAGES if code in available)


class BilingualText:
    """For a model with ``<name>_en`` and ``<name>_sv`` for each of ``TEXT_FIELDS``."""

    TEXT_FIELDS = ()

    def has_language(self, language):
        return all(getattr(self, f"{name}_{language}") for name in self.TEXT_FIELDS)

    @property
    def languages(self):
        """The languages the whole text is in."""
        return [code for code in TEXT_LANGUAGES if self.has_language(code)]

    @property
    def shown_language(self):
        """The language the reader gets it in."""
        return language_for(self.languages)

    @property
    def is_fallback(self):
        """The reader's language is missing: they get the other."""
        return self.shown_language != reader_language()

    def text(self, name, language=None):
        return getattr(self, f"{name}_{language_for(self.languages, language)}")

    def clean_languages(self):
        """Each language complete or empty, and at least one complete."""
        errors = {}
        for code in TEXT_LANGUAGES:
            names = [f"{name}_{code}" for name in self.TEXT_FIELDS]
            filled = [name for name in names if (getattr(self, name) or "").strip()]
            if filled and len(filled) < len(names):
                for name in set(names) - set(filled):
                    errors[name] = INCOMPLETE[code]
        if errors:
            raise ValidationError(errors)
        if not self.languages:
            raise ValidationError(_("Write the text in English, in Swedish, or in both."))


def as_arguments(error):
    """A model's ValidationError about ``<name>_en`` / ``<name>_sv`` as one about the
    publishing arguments (and form fields) ``<name>`` / ``<name>_sv``."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {name.removesuffix("_en"): messages for name, messages in error.error_dict.items()}
    )


@dataclass(frozen=True)
class LocalisedLink:
    """A title in each language it has, and where it leads: kept in a cache for any
    reader, it shows the title in the language of whoever reads it."""

    titles: dict = field(default_factory=dict)
    url: str = ""

    @property
    def title(self):
        return self.titles.get(language_for(list(self.titles)), "")
