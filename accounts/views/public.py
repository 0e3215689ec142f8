"""The public directory of official accounts (no login). To be written."""

from django.http import Http404


def directory(request):
    raise Http404


def verify(request):
    raise Http404


def report(request):
    raise Http404


def directory_json(request):
    raise Http404
