from django.apps import AppConfig


class FundConfig(AppConfig):
    name = "mutua.fund"
    label = "fund"
    verbose_name = "Guarantee fund"

    def ready(self) -> None:
        from mutua.banking.models import PayoutSource
        from mutua.banking.payouts import register_collector
        from mutua.fund.advances import collect_advances

        register_collector(PayoutSource.ADVANCE, collect_advances)
