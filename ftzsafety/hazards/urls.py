from django.urls import path

from ftzsafety.hazards import views

app_name = "hazards"

urlpatterns = [
    path("", views.hazard_list, name="list"),
    path("report/", views.public_report, name="public_report"),
    path("new/", views.report, name="report"),
    path("<int:hazard_id>/", views.hazard_detail, name="detail"),
    path("<int:hazard_id>/assign/", views.hazard_assign, name="assign"),
    path("<int:hazard_id>/reroute/", views.hazard_reroute, name="reroute"),
    path("<int:hazard_id>/dispatch/", views.hazard_dispatch, name="dispatch"),
    path("<int:hazard_id>/verify/", views.hazard_verify, name="verify"),
    path("<int:hazard_id>/rectify/", views.hazard_rectify, name="rectify"),
    path("<int:hazard_id>/accept/", views.hazard_accept, name="accept"),
    path("<int:hazard_id>/photos/<int:photo_id>/", views.hazard_photo, name="photo"),
    path("self-checks/", views.self_check_home, name="self_checks"),
    path("self-checks/run/<int:template_id>/", views.self_check_run, name="self_check_run"),
    path("self-checks/<int:self_check_id>/", views.self_check_detail, name="self_check_detail"),
    path("routing/", views.routing, name="routing"),
    path("notifications/", views.notifications, name="notifications"),
    path("enterprise/<str:uscc>/panel/", views.enterprise_panel, name="enterprise_panel"),
]
