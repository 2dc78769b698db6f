from django.urls import path

from ftzsafety.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<int:job_id>/", views.job_detail, name="job"),
    path("jobs/<int:job_id>/progress/", views.job_progress, name="job_progress"),
    path("import/", views.import_upload, name="import"),
    path("resolution/", views.resolution_queue, name="resolution"),
    path("resolution/<int:case_id>/confirm/", views.resolution_confirm, name="confirm"),
    path("resolution/pending/<int:pending_id>/link/", views.pending_link, name="pending_link"),
    path("resolution/pending/relink/", views.pending_relink, name="pending_relink"),
]
