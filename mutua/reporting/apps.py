from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "mutua.reporting"
    label = "reporting"
    verbose_name = "Reporting"
