from django.urls import path

from mutua.banking import views

app_name = "banking"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:entity_id>/", views.entity_bank, name="entity"),
    path("<int:entity_id>/queue/", views.queue, name="queue"),
    path("lines/<int:line_id>/match/", views.match, name="match"),
]
