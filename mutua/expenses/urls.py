from django.urls import URLPattern, URLResolver

app_name = "expenses"
urlpatterns: list[URLPattern | URLResolver] = []
