from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "mutua.portal"
    label = "portal"
    verbose_name = "Member portal"
