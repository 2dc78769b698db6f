from django.urls import path

from ftzsafety.dangerous_goods import views

app_name = "dangerous_goods"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("un/<str:number>/", views.entry, name="entry"),
    path("segregation/", views.segregation, name="segregation"),
    path("reference/", views.reference, name="reference"),
    path("catalogue/import/", views.catalogue_import, name="catalogue_import"),
    path("major-hazards/<str:uscc>/", views.major_hazards, name="major_hazards"),
    path("major-hazards/<str:uscc>/units/", views.unit_create, name="unit_create"),
    path("major-hazard-units/<int:unit_id>/assess/", views.unit_assess, name="unit_assess"),
]
