"""Administrators set an entity's dated expense rules and approval limits here (like fee
rates); claims change only through the audited actions, so the admin shows them read-only."""

from typing import Any

from django.contrib import admin

from mutua.expenses.models import ApprovalLimit, Claim, ExpenseRules


@admin.register(ExpenseRules)
class ExpenseRulesAdmin(admin.ModelAdmin):
    list_display = [
        "entity",
        "valid_from",
        "mileage_rate",
        "per_diem_full",
        "per_diem_travel",
        "accommodation_ceiling",
        "refund_only_collected",
        "self_approval_allowed",
        "retention_years",
    ]
    list_filter = ["entity"]


@admin.register(ApprovalLimit)
class ApprovalLimitAdmin(admin.ModelAdmin):
    list_display = ["entity", "role", "limit", "valid_from"]
    list_filter = ["entity", "role"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["id", "entity", "person", "activity", "status", "total", "submitted_at"]
    list_filter = ["entity", "status"]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
