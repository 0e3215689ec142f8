"""Reading proposals: the list, the read view and its exports. To be written."""

from django.http import Http404


def proposal_list(request):
    raise Http404


def detail(request, pk):
    raise Http404


def export_markdown(request, pk):
    raise Http404


def export_html(request, pk):
    raise Http404
