from django.urls import path

from ftzsafety.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("login/code/", views.totp_step, name="totp"),
    path("login/enrol/", views.totp_enrol, name="totp_enrol"),
    path("logout/", views.sign_out, name="logout"),
    path("password/", views.password_change, name="password_change"),
]
