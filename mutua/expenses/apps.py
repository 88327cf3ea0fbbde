from django.apps import AppConfig


class ExpensesConfig(AppConfig):
    name = "mutua.expenses"
    label = "expenses"
    verbose_name = "Expense claims"

    def ready(self) -> None:
        from mutua.banking.models import PayoutSource
        from mutua.banking.payouts import register_collector
        from mutua.expenses.payouts import collect_expense_refunds

        register_collector(PayoutSource.EXPENSE, collect_expense_refunds)
