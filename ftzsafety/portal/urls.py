from django.contrib.auth import views as auth_views
from django.urls import path

from ftzsafety.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
