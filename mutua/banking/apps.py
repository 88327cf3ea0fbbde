from django.apps import AppConfig


class BankingConfig(AppConfig):
    name = "mutua.banking"
    label = "banking"
    verbose_name = "Banking"
