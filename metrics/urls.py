from django.urls import path

from metrics import views

app_name = "metrics"

urlpatterns = [
    path("metrics/channels/<int:pk>/token/", views.token, name="token"),
    path("metrics/channels/<int:pk>/token/delete/", views.delete_token, name="delete_token"),
    path("metrics/channels/<int:pk>/figures/", views.figures, name="figures"),
]
