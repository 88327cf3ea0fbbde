from django.contrib import admin

from mutua.entities.models import Entity, FeeRate


class FeeRateInline(admin.TabularInline):
    model = FeeRate
    extra = 0


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country", "currency", "vat_number"]
    search_fields = ["code", "name", "vat_number"]
    inlines = [FeeRateInline]
