from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "mutua.ledger"
    label = "ledger"
    verbose_name = "Ledger"
