from django.urls import path

from checklist.views import decisions, exports, proposals, reading, review

app_name = "checklist"

urlpatterns = [
    path("proposals/", reading.proposal_list, name="list"),
    path("proposals/export.csv", reading.export_csv, name="export"),
    path("proposals/export.xlsx", reading.export_xlsx, name="export_xlsx"),
    path("proposals/new/", proposals.new, name="new"),
    path("proposals/matches/", proposals.matches, name="matches"),
    path("proposals/<int:pk>/", reading.detail, name="detail"),
    path("proposals/<int:pk>/edit/", proposals.edit, name="edit"),
    path("proposals/<int:pk>/proposal.md", exports.export_markdown, name="export_markdown"),
    path("proposals/<int:pk>/proposal.html", exports.export_html, name="export_html"),
    path("proposals/<int:pk>/decide/<str:action>/", decisions.decide, name="decide"),
    path("proposals/<int:pk>/comment/", decisions.comment, name="comment"),
    path("proposals/<int:pk>/meeting/", decisions.meeting, name="meeting"),
    path("review/", review.queue, name="review"),
]
