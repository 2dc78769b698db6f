from django.urls import path

from ftzsafety.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("upload/<str:uscc>/", views.document_upload, name="upload"),
    path("<int:document_id>/", views.document_detail, name="detail"),
    path("<int:document_id>/file/", views.document_file, name="file"),
    path("<int:document_id>/replace/", views.document_replace, name="replace"),
    path("<int:document_id>/withdraw/", views.document_withdraw, name="withdraw"),
]
