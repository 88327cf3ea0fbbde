from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mutua.demo"
    label = "demo"
    verbose_name = "Demo federation"
