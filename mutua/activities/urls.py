from django.urls import path

from mutua.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("open/", views.open_activity, name="open"),
    path("<int:activity_id>/", views.activity_detail, name="detail"),
    path("<int:activity_id>/share/", views.share, name="share"),
]
