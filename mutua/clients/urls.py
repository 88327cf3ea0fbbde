from django.urls import path

from mutua.clients import views

app_name = "clients"
urlpatterns = [
    path("", views.client_list, name="list"),
    path("add/", views.client_add, name="add"),
    path("<int:client_id>/", views.client_detail, name="detail"),
]
