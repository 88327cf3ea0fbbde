from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "mutua.payroll"
    label = "payroll"
    verbose_name = "Payroll"
