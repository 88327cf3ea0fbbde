from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "mutua.contracts"
    label = "contracts"
    verbose_name = "Contracts"
