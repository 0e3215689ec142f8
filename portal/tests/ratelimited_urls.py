"""The portal's addresses and one more, limited with django-ratelimit (block=True), for
the test of the 429 page that RATELIMIT_VIEW gives."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path
from django_ratelimit.decorators import ratelimit

from portal.urls import urlpatterns as portal_urlpatterns


@login_not_required
@ratelimit(key="ip", rate="2/m", block=True)
def limited(request):
    return HttpResponse("answered")


urlpatterns = [path("limited/", limited), *portal_urlpatterns]
