from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "mutua.governance"
    label = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from mutua.banking.models import PayoutSource
        from mutua.banking.payouts import register_collector
        from mutua.governance.exit_actions import collect_share_repayments

        register_collector(PayoutSource.SHARES, collect_share_repayments)
