"""Sortable column headers of the cached listings (the registry's, the portfolio's).

They read the page's query from ``params`` (the request's GET parameters), not from
the request: a cached listing is rendered without its reader."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context, key):
    """The query string that sorts by ``key``, or by ``-key`` when already sorted by it;
    other parameters are kept and the page is reset."""
    query = context["params"].copy()
    query.pop("page", None)
    query["sort"] = f"-{key}" if query.get("sort") == key else key
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def aria_sort(context, key):
    current = context["params"].get("sort", "name")
    if current == key:
        return "ascending"
    if current == f"-{key}":
        return "descending"
    return "none"
