"""A form renderer that writes the plainest widgets (a text or date input, a textarea)
in Python, as Django's own templates write them, and leaves every other template to
Django.

Django renders each widget through two or three templates (``text.html`` includes
``input.html``, which includes ``attrs.html``): the review meeting form's three fields
cost about 0.7 ms of CPU on every page the office reads (bench/README.md, "Load").
Every value goes through ``conditional_escape``, as the templates' autoescaping does;
Django marks the result safe (``Widget._render``), as it does the templates' output.
``portal/tests/test_form_rendering.py`` holds it to Django's templates, character for
character, for each widget it writes."""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

# The widgets' templates written here: those that only include input.html, and the
# textarea (Django's django/forms/templates/django/forms/widgets/).
INPUTS = {f"django/forms/widgets/{name}.html" for name in ["input", "text", "date", "datetime"]}
TEXTAREA = "django/forms/widgets/textarea.html"


def _attrs(attrs):
    """attrs.html: each attribute but the False ones, a True one without a value."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


class PlainWidgets(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUTS:
            widget = context["widget"]
            value = widget["value"]
            shown = "" if value is None else f' value="{conditional_escape(value)}"'
            return (
                f'<input type="{conditional_escape(widget["type"])}" '
                f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
            )
        if template_name == TEXTAREA:
            widget = context["widget"]
            value = conditional_escape(widget["value"]) if widget["value"] else ""
            return (
                f'<textarea name="{conditional_escape(widget["name"])}"'
                f"{_attrs(widget['attrs'])}>\n{value}</textarea>"
            )
        return super().render(template_name, context, request)
