from django.urls import path

from ftzsafety.credit import views

app_name = "credit"

urlpatterns = [
    path("", views.grade_list, name="list"),
    path("public/", views.publication, name="public"),
    path("policy/", views.policy_view, name="policy"),
    path("applications/", views.application_list, name="applications"),
    path("applications/<int:application_id>/", views.application_detail, name="application"),
    path("peer-zones/", views.peer_zones, name="peer_zones"),
    path("enterprises/<str:uscc>/", views.enterprise_credit, name="enterprise"),
    path("enterprises/<str:uscc>/panel/", views.enterprise_panel, name="panel"),
    path("enterprises/<str:uscc>/export/", views.enterprise_export, name="export"),
]
