"""The "is this official?" form, written as crispy-forms' Bootstrap 5 layout writes it.

``{{ form|crispy }}`` cost a fifth of the CPU of a check the cache did not hold (0.35
ms for one field: crispy renders a dozen nested templates); the same HTML written here
costs about a twentieth of that. accounts/tests/test_verify.py holds the two equal for
every state of the form (empty, filled in, each error) in English and Swedish: if
crispy-forms changes its layout, that test says so.
"""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.filter
def verify_form(form):
    """accounts.forms_public.VerifyForm, as ``{{ form|crispy }}`` renders it."""
    field = form["url"]
    errors = field.errors
    value = field.value()
    return format_html(
        '\n\n<div id="div_{id}" class="mb-3"> <label\n                for="{id}" '
        'class="form-label requiredField">\n                {label}<span '
        'class="asteriskField">*</span> </label> <input type="text" name="{name}"{value} '
        'maxlength="{max_length}" class="textinput form-control{invalid}" required{aria} '
        'aria-describedby="{id}_helptext{error_id}" id="{id}"> {errors}<div '
        'id="{id}_helptext" class="form-text">{help_text}</div> </div>\n',
        id=field.auto_id,
        name=field.html_name,
        label=field.label,
        value=format_html(' value="{}"', value) if value not in ("", None) else "",
        max_length=field.field.max_length,
        invalid=format_html(" {}", "is-invalid") if errors else "",
        aria=format_html(' aria-invalid="{}"', "true") if errors else "",
        error_id=format_html(" {}_error", field.auto_id) if errors else "",
        errors=format_html(
            '<div id="{}_error" class="invalid-feedback"> {} </div> ',
            field.auto_id,
            format_html_join(
                " ",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((n, field.auto_id, error) for n, error in enumerate(errors, start=1)),
            ),
        )
        if errors
        else "",
        help_text=field.help_text,
    )
