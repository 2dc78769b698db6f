from django.urls import path

from ftzsafety.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.record_list, name="list"),
    path("verify/", views.trail_verify, name="verify"),
    path("export/", views.record_export, name="export"),
]
