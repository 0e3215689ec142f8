"""Every URL pattern of the project, the admin's included, each with a path that
resolves back to its own view: the walk behind test_url_access.py (deny by default)
and test_permission_matrix.py (who gets what)."""

import itertools

from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

# Values tried for URL arguments until the URL resolves back to its own view.
SAMPLE_ARGUMENTS = ["1", "sample", "auth", "user", "00000000-0000-4000-8000-000000000001"]


def _strip(regex):
    return regex.removeprefix("^")


def walk(patterns, prefix="", namespace=""):
    """(name, regex, view) of every pattern; a pattern without a name is named by its
    repr, e.g. ``<URLPattern '<path:object_id>/'>``."""
    for entry in patterns:
        regex = prefix + _strip(entry.pattern.regex.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from walk(entry.url_patterns, regex, inner)
        else:
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name or repr(entry), regex, entry.callback


def sample_path(regex, callback, arguments=SAMPLE_ARGUMENTS):
    """A path that matches ``regex`` and resolves to ``callback``, or None."""
    for template, params in normalize(regex):
        for values in itertools.product(arguments, repeat=len(params)):
            path = "/" + template % dict(zip(params, values, strict=True))
            try:
                if resolve(path).func is callback:
                    return path
            except Resolver404:
                continue
    return None


def all_urls():
    """(name, sample path) of every URL pattern of the project."""
    patterns = walk(get_resolver().url_patterns)
    return [(name, sample_path(regex, callback)) for name, regex, callback in patterns]
