from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "mutua.invoicing"
    label = "invoicing"
    verbose_name = "Invoicing"
