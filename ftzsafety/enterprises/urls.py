from django.urls import path

from ftzsafety.enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("<str:uscc>/", views.enterprise_detail, name="detail"),
    path("<str:uscc>/edit/", views.enterprise_edit, name="edit"),
]
