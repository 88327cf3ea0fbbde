from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    name = "mutua.entities"
    label = "entities"
    verbose_name = "Entities"
