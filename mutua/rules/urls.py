from django.urls import path

from mutua.rules import views

app_name = "rules"
urlpatterns = [
    path("", views.upload_list, name="list"),
    path("load/", views.load, name="load"),
    path("<int:upload_id>/", views.detail, name="detail"),
    path("<int:upload_id>/approve/", views.approve, name="approve"),
    path("<int:upload_id>/refuse/", views.refuse, name="refuse"),
]
