from django.urls import path

from ftzsafety.filings import views

app_name = "filings"

urlpatterns = [
    path("", views.filing_list, name="list"),
    path("new/<slug:type_code>/", views.filing_new, name="new"),
    path("queue/", views.review_queue, name="queue"),
    path("metrics/", views.metrics, name="metrics"),
    path("reviews/<int:review_id>/decide/", views.review_decide, name="decide"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("enterprise/<str:uscc>/panel/", views.enterprise_panel, name="enterprise_panel"),
    path("<int:filing_id>/", views.filing_detail, name="detail"),
    path("<int:filing_id>/edit/", views.filing_edit, name="edit"),
    path("<int:filing_id>/attachments/", views.attachment_upload, name="upload"),
    path("<int:filing_id>/documents/", views.document_use, name="use_document"),
    path("<int:filing_id>/submit/", views.filing_submit, name="submit"),
    path("<int:filing_id>/information/", views.filing_information, name="information"),
    path("<int:filing_id>/revoke/", views.filing_revoke, name="revoke"),
    path("<int:filing_id>/false-filing/", views.false_filing, name="false_filing"),
]
