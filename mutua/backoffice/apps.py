from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "mutua.backoffice"
    label = "backoffice"
    verbose_name = "Back office"
