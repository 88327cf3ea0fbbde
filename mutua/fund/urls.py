from django.urls import URLPattern, URLResolver, path

from mutua.fund import views

app_name = "fund"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("<int:entity_id>/", views.dashboard, name="entity"),
    path("<int:entity_id>/feed/", views.feed, name="feed"),
    path("invoices/<int:invoice_id>/write-off/", views.write_off, name="write_off"),
]
