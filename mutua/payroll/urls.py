from django.urls import URLPattern, path

from mutua.payroll import views

app_name = "payroll"
urlpatterns: list[URLPattern] = [
    path("simulator/", views.simulator, name="simulator"),
]
