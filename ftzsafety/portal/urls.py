from django.urls import path

from ftzsafety.accounts import views as accounts_views
from ftzsafety.portal import views

app_name = "portal"

# Sign-in and sign-out are the accounts app's (password, then a one-time code for government and platform roles);
# the portal's names point at the same pages, so LOGIN_URL = "portal:login" and older links keep working.
urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", accounts_views.sign_in, name="login"),
    path("accounts/logout/", accounts_views.sign_out, name="logout"),
]
