from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "mutua.governance"
    label = "governance"
    verbose_name = "Governance"
