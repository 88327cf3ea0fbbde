from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "mutua.engagements"
    label = "engagements"
    verbose_name = "Engagements"
