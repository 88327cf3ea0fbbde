from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "mutua.clients"
    label = "clients"
    verbose_name = "Clients"
