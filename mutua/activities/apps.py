from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "mutua.activities"
    label = "activities"
    verbose_name = "Activities"
