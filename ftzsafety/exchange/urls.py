from django.urls import path

from ftzsafety.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<int:job_id>/", views.job_detail, name="job"),
    path("resolution/", views.resolution_queue, name="resolution"),
    path("resolution/<int:case_id>/confirm/", views.resolution_confirm, name="confirm"),
]
