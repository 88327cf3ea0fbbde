from django.urls import URLPattern, URLResolver, path

from mutua.fund import views

app_name = "fund"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("<int:entity_id>/", views.dashboard, name="entity"),
    path("<int:entity_id>/feed/", views.feed, name="feed"),
    path("invoices/<int:invoice_id>/write-off/", views.write_off, name="write_off"),
    path("advances/", views.my_advances, name="my_advances"),
    path("<int:entity_id>/advances/", views.advance_queue, name="advance_queue"),
    path("advances/<int:request_id>/decide/", views.decide_advance, name="decide_advance"),
]
