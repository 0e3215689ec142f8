"""The internal registry of official channels, for every signed-in staff member."""

from django.http import Http404


def channel_list(request):
    raise Http404


def export_csv(request):
    raise Http404


def register(request):
    raise Http404


def detail(request, pk):
    raise Http404


def edit(request, pk):
    raise Http404


def hand_over(request, pk):
    raise Http404


def change_deputy(request, pk):
    raise Http404


def recertify(request, pk):
    raise Http404


def close(request, pk):
    raise Http404
