"""Small helpers the apps' views share."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe

from core import roles

FAILED = object()


class CountedPaginator(Paginator):
    """A paginator given its count (from the cache, or from totals the page computes
    anyway) instead of counting."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self._count = count

    @property
    def count(self):
        return self._count


# Where render_with_part puts the part: a comment no escaped text can contain ("<" is
# escaped everywhere else), once in the page.
_PART = "<!--portal:cached-part-->"


def render_with_part(request, template, context, name, part):
    """``render()``, with ``part``, a large piece of HTML already encoded as UTF-8 (a
    cached report), where the template shows the variable ``name``. The part is spliced
    into the encoded page as bytes: as text it would be decoded from the cache, joined
    into the page and encoded again: half of the 30 ms of CPU a 3.9 MB unit report took."""
    marker = mark_safe(_PART)  # nosec B308 B703  # a constant
    response = render(request, template, {**context, name: marker})
    response.content = response.content.replace(_PART.encode(), part, 1)
    return response


def apply_to_form(form, operation, **arguments):
    """Run a model operation, ``operation(**arguments)``, and return its result, or
    FAILED when the model refuses: its ValidationError lands on the form (on the field
    it names, else on the form), so the page re-renders with the message next to the
    field and everything typed kept."""
    try:
        return operation(**arguments)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
        return FAILED


def render_form(request, template, context, form):
    """The form page: 400 when a submitted form has errors, 200 otherwise."""
    status = 400 if form.is_bound and form.errors else 200
    return render(request, template, {**context, "form": form}, status=status)


def safe_next(request, fallback):
    """The posted ``next`` when it is a path on this site, else ``fallback``."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def require_reviewer(request):
    """403 unless the communications office (or a portal admin) asks."""
    if not roles.is_reviewer(request.user):
        raise PermissionDenied
