from django.urls import path

from mutua.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("applications/", views.applications, name="applications"),
    path("memberships/<int:membership_id>/", views.membership_detail, name="membership"),
    path("memberships/<int:membership_id>/approve/", views.approve, name="approve"),
    path("memberships/<int:membership_id>/reject/", views.reject, name="reject"),
]
