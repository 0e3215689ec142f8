from django.urls import path

from metrics.views import collect, connect, dashboards, owner

app_name = "metrics"

urlpatterns = [
    path("metrics/", dashboards.portfolio, name="portfolio"),
    path("metrics/export.csv", dashboards.export_csv, name="export"),
    path("metrics/export.xlsx", dashboards.export_xlsx, name="export_xlsx"),
    path("metrics/channels/<int:pk>/", dashboards.channel, name="channel"),
    path("metrics/units/<int:pk>/report/", dashboards.unit_report, name="unit_report"),
    path("metrics/channels/<int:pk>/token/", owner.token, name="token"),
    path("metrics/channels/<int:pk>/token/delete/", owner.delete_token, name="delete_token"),
    path("metrics/channels/<int:pk>/figures/", owner.figures, name="figures"),
    path("metrics/channels/<int:pk>/connect/", connect.connect, name="connect"),
    path("metrics/oauth/callback/", connect.callback, name="oauth_callback"),
    path("metrics/channels/<int:pk>/collect/", collect.collect_now, name="collect"),
]
