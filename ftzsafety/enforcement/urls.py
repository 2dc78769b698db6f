from django.urls import path

from ftzsafety.enforcement import views

app_name = "enforcement"

urlpatterns = [
    path("me/location/", views.my_location, name="my_location"),
]
