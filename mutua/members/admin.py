from __future__ import annotations

from typing import Any

from allauth.account.utils import get_next_redirect_url
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import urlencode

from mutua.members.middleware import barrier_response
from mutua.members.models import Membership, Person, StaffRole
from mutua.members.second_factor import second_factor_barrier


def secure_admin_site(site: admin.AdminSite) -> None:
    """The admin has no sign-in of its own: its login page sends to allauth's (password, then
    the second factor) and comes back; and it opens only for a session the second-factor rule
    lets through, so a session opened any other way never reaches it. (Call before the site's
    URLs are built: `site.urls` reads `site.login`.)"""
    plain_permission = site.has_permission

    def has_permission(request: HttpRequest) -> bool:
        return bool(plain_permission(request)) and (
            second_factor_barrier(request, request.user) is None
        )

    def login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        back = get_next_redirect_url(request) or reverse("admin:index", current_app=site.name)
        if not request.user.is_authenticated:
            return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': back})}")
        barrier = second_factor_barrier(request, request.user)
        if barrier is not None:
            return barrier_response(request, barrier)
        if not has_permission(request):
            raise PermissionDenied
        return redirect(back)

    site.has_permission = has_permission  # type: ignore[method-assign]
    site.login = login  # type: ignore[method-assign]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    readonly_fields = ["number", "status", "applied_at", "decided_at", "decided_by"]
    can_delete = False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "country", "marital_status", "dependent_children"]
    search_fields = ["last_name", "first_name", "user__email"]
    inlines = [MembershipInline]

    # Member files change only through actions (audited); the admin shows them read-only.
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "entity"]
    list_filter = ["role", "entity"]
