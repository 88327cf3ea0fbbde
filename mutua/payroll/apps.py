from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "mutua.payroll"
    label = "payroll"
    verbose_name = "Payroll"

    def ready(self) -> None:
        # The net of approved copyright payments is paid by SEPA like net pay.
        from mutua.banking.models import PayoutSource
        from mutua.banking.payouts import register_collector
        from mutua.payroll.copyright import collect_copyright_payouts

        register_collector(PayoutSource.COPYRIGHT, collect_copyright_payouts)
