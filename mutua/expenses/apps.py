from django.apps import AppConfig


class ExpensesConfig(AppConfig):
    name = "mutua.expenses"
    label = "expenses"
    verbose_name = "Expense claims"
