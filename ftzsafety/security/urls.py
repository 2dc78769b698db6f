from django.urls import path

from ftzsafety.security import views

app_name = "security"

urlpatterns = [
    path("", views.security_home, name="home"),
    path("requests/new/", views.access_request_new, name="request_new"),
    path("requests/queue/", views.access_request_queue, name="queue"),
    path("requests/<int:request_id>/", views.access_request_detail, name="request_detail"),
    path("requests/<int:request_id>/approve/", views.access_request_approve, name="request_approve"),
    path("requests/<int:request_id>/refuse/", views.access_request_refuse, name="request_refuse"),
    path("requests/<int:request_id>/withdraw/", views.access_request_withdraw, name="request_withdraw"),
    path("grants/", views.grant_list, name="grants"),
    path("grants/<int:grant_id>/revoke/", views.grant_revoke, name="grant_revoke"),
]
