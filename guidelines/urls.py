from django.urls import path

from guidelines.views import guidelines, notices

app_name = "guidelines"

urlpatterns = [
    path("guidelines/", guidelines.guideline_list, name="list"),
    path("guidelines/new/", guidelines.new, name="new"),
    path("guidelines/status/", guidelines.status, name="status"),
    path("guidelines/<slug:slug>/", guidelines.detail, name="detail"),
    path("guidelines/<slug:slug>/edit/", guidelines.edit, name="edit"),
    path("guidelines/<slug:slug>/acknowledge/", guidelines.acknowledge, name="acknowledge"),
    path("guidelines/<slug:slug>/v/<int:number>/", guidelines.version, name="version"),
    path("guidelines/<slug:slug>/diff/<int:old>/<int:new>/", guidelines.diff, name="diff"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/new/", notices.notice_new, name="notice_new"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice"),
    path("notices/<int:pk>/rate/", notices.notice_rate, name="notice_rate"),
    path("notices/<int:pk>/acknowledge/", notices.notice_acknowledge, name="notice_acknowledge"),
    path("notices/<int:pk>/end/", notices.notice_end, name="notice_end"),
]
