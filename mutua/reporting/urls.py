from django.urls import path

from mutua.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.home, name="home"),
    path("federation/", views.federation, name="federation"),
    path("rates/", views.upload_rates, name="rates"),
    path("<int:entity_id>/", views.entity_report, name="entity"),
    path("<int:entity_id>/export.<str:fmt>", views.export, name="export"),
]
