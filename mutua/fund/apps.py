from django.apps import AppConfig


class FundConfig(AppConfig):
    name = "mutua.fund"
    label = "fund"
    verbose_name = "Guarantee fund"
