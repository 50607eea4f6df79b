from django.contrib import admin

from rent.models import CoOwnedItem, RentCalculation, RentConfig, RentLedger, Tenant


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "start_date", "departure_date", "room_adjustment"]
    search_fields = ["name", "email"]


@admin.register(RentConfig)
class RentConfigAdmin(admin.ModelAdmin):
    list_display = ["period", "key", "value"]
    list_filter = ["key"]
    date_hierarchy = "period"


@admin.register(RentCalculation)
class RentCalculationAdmin(admin.ModelAdmin):
    list_display = ["config_month", "version", "status", "title", "calculated_at"]
    list_filter = ["status"]
    date_hierarchy = "config_month"


@admin.register(RentLedger)
class RentLedgerAdmin(admin.ModelAdmin):
    list_display = ["rent_month", "tenant", "amount_due", "amount_paid", "paid_on"]
    list_select_related = ["tenant"]
    date_hierarchy = "rent_month"


@admin.register(CoOwnedItem)
class CoOwnedItemAdmin(admin.ModelAdmin):
    list_display = ["name", "purchase_date", "value"]
    filter_horizontal = ["owners"]
