"""Public pages, mounted at /verify/ (no sign-in)."""

from django.urls import path

from ftzsafety.certificates import views

app_name = "verify"

urlpatterns = [
    path("", views.verify_page, name="page"),
    path("public-key.pem", views.public_key, name="public_key"),
]
