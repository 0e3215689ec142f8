"""Guideline pages. To be written."""

from django.http import Http404


def guideline_list(request):
    raise Http404


def acknowledge(request, slug):
    raise Http404


def new(request):
    raise Http404


def status(request):
    raise Http404


def detail(request, slug):
    raise Http404


def edit(request, slug):
    raise Http404


def version(request, slug, number):
    raise Http404


def diff(request, slug, old, new):
    raise Http404
