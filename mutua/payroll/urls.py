from django.urls import URLPattern

app_name = "payroll"
urlpatterns: list[URLPattern] = []
