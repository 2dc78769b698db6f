from django.urls import path

from ftzsafety.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("login/code/", views.totp_step, name="totp"),
    path("login/enrol/", views.totp_enrol, name="totp_enrol"),
    path("logout/", views.sign_out, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("users/", views.user_list, name="users"),
    path("users/<int:user_id>/unlock/", views.user_unlock, name="user_unlock"),
    path("users/<int:user_id>/disable/", views.user_disable, name="user_disable"),
    path("users/<int:user_id>/roles/", views.user_roles, name="user_roles"),
]
