from django.urls import path

from portal.oidc import views

# allauth names a provider's URLs "<provider>_login" and "<provider>_callback".
urlpatterns = [
    path("oidc/<str:provider_id>/login/", views.login, name="portal_oidc_login"),
    path("oidc/<str:provider_id>/login/callback/", views.callback, name="portal_oidc_callback"),
]
