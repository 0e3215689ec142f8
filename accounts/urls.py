from django.urls import path

from accounts.views import api, imports, public, registry, reports

app_name = "accounts"

urlpatterns = [
    # The internal registry (signed-in staff).
    path("registry/", registry.channel_list, name="registry"),
    path("registry/export.csv", registry.export_csv, name="export"),
    path("registry/export.xlsx", registry.export_xlsx, name="export_xlsx"),
    path("registry/new/", registry.register, name="register"),
    path("registry/import/", imports.upload, name="import"),
    path("registry/import/<int:pk>/", imports.preview, name="import_preview"),
    path("registry/import/<int:pk>/confirm/", imports.confirm, name="import_confirm"),
    path("registry/import/<int:pk>/cancel/", imports.cancel, name="import_cancel"),
    path("registry/<int:pk>/", registry.detail, name="detail"),
    path("registry/<int:pk>/edit/", registry.edit, name="edit"),
    path("registry/<int:pk>/hand-over/", registry.hand_over, name="hand_over"),
    path("registry/<int:pk>/take-over/", registry.take_over, name="take_over"),
    path("registry/<int:pk>/deputy/", registry.change_deputy, name="deputy"),
    path("registry/<int:pk>/recertify/", registry.recertify, name="recertify"),
    path("registry/<int:pk>/open/", registry.open_channel, name="open"),
    path("registry/<int:pk>/close/", registry.close, name="close"),
    # The communications office's triage of suspicious accounts.
    path("reports/", reports.report_list, name="reports"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/decide/", reports.report_decide, name="report_decide"),
    path("reports/<int:pk>/note/", reports.report_note, name="report_note"),
    path("reports/<int:pk>/reopen/", reports.report_reopen, name="report_reopen"),
    # The public directory (no login).
    path("directory/", public.directory, name="directory"),
    path("directory/verify/", public.verify, name="verify"),
    path("directory/report/", public.report, name="report"),
    path("directory.json", public.directory_json, name="directory_json"),
    # A public channel's own page, the address its account links to (rel="me").
    path("c/<int:pk>/", public.channel_page, name="channel_page"),
    # The public API for other systems (accounts/views/api.py) and its description.
    path("api/verify", api.verify, name="api_verify"),
    path("api/openapi.json", api.openapi, name="api_openapi"),
    # Bluesky's handle check for handles under the organisation's domains (the request's
    # host is the handle).
    path(".well-known/atproto-did", public.atproto_did, name="atproto_did"),
]
