"""Site notices. To be written."""

from django.http import Http404


def notice_list(request):
    raise Http404


def notice_new(request):
    raise Http404


def notice_detail(request, pk):
    raise Http404


def notice_rate(request, pk):
    raise Http404


def notice_acknowledge(request, pk):
    raise Http404


def notice_end(request, pk):
    raise Http404
