from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "mutua.services"
    label = "services"
    verbose_name = "Mutualised services"
