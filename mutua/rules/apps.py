from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "mutua.rules"
    label = "rules"
    verbose_name = "Legal parameter sets"

    def ready(self) -> None:
        from django.core import checks

        from mutua.countries import parameters
        from mutua.rules.checks import tables_ending_soon
        from mutua.rules.loaded import loaded_sets, refresh_if_stale

        parameters.register_loaded_sets(loaded_sets)
        parameters.register_freshness_check(refresh_if_stale)
        checks.register(tables_ending_soon)
