from django.contrib import admin

from mutua.members.models import Membership, Person, StaffRole


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
