"""Writing proposals: the checklist form. To be written."""

from django.http import Http404


def new(request):
    raise Http404


def edit(request, pk):
    raise Http404


def matches(request):
    raise Http404
