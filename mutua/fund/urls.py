from django.urls import URLPattern, URLResolver

app_name = "fund"
urlpatterns: list[URLPattern | URLResolver] = []
