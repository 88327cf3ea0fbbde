from django.apps import AppConfig


class CountriesConfig(AppConfig):
    name = "mutua.countries"
    label = "countries"
    verbose_name = "Country rules"
