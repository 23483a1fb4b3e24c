from django.contrib import admin
from django_fsm import TransitionNotAllowed

from orders.models import (
    BatchPolicy,
    ConsumerProfile,
    DemandBatch,
    OptionMinimum,
    Order,
    OrderEvent,
    OutboxMessage,
    Payment,
    PlanningJob,
    PlanningSettings,
    ProductionPlan,
    SandboxCheckout,
)
from orders.services import order_advance


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the system writes through its services; admins look, never edit."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BatchPolicy)
class BatchPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "product_model", "minimum_quantity", "cutoff_days", "below_minimum", "deposit_percent",
        "lead_days_min", "lead_days_max",
    ]  # fmt: skip


@admin.register(OptionMinimum)
class OptionMinimumAdmin(admin.ModelAdmin):
    list_display = ["product_model", "option_code", "minimum_units", "shortfall", "swap_to"]
    list_filter = ["product_model"]


@admin.register(ConsumerProfile)
class ConsumerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "province", "city", "analytics_consent"]
    search_fields = ["user__username", "user__email"]


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "kind", "state", "params"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "provider", "provider_ref", "amount", "status", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


def _advance(step: str, label: str):
    def action(modeladmin, request, queryset):
        moved, refused = 0, 0
        for order in queryset:
            try:
                order_advance(order, step)
                moved += 1
            except TransitionNotAllowed:
                refused += 1
        modeladmin.message_user(request, f"{moved} moved; {refused} were not at the step before.")

    action.__name__ = f"mark_{step}"
    return admin.action(description=label)(action)


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["reference", "product_model", "consumer", "quantity", "total", "state", "batch"]
    list_filter = ["state", "product_model"]
    search_fields = ["reference", "consumer__username"]
    inlines = [OrderEventInline, PaymentInline]
    actions = [
        _advance("in_production", "Mark scheduled orders as in production"),
        _advance("completed", "Mark orders in production as completed"),
        _advance("delivered", "Mark completed orders as delivered"),
    ]

    def has_change_permission(self, request, obj=None) -> bool:
        # Actions need it; the form itself shows every field read-only.
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(DemandBatch)
class DemandBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "product_model",
        "number",
        "plant",
        "status",
        "units",
        "minimum_quantity",
        "cutoff_at",
    ]
    list_filter = ["status", "product_model"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["pk", "topic", "created_at", "published_at", "processed_at", "attempts"]
    list_filter = ["topic"]


@admin.register(SandboxCheckout)
class SandboxCheckoutAdmin(ReadOnlyAdmin):
    list_display = ["checkout_id", "merchant_ref", "amount", "status", "create_calls"]


@admin.register(PlanningSettings)
class PlanningSettingsAdmin(admin.ModelAdmin):
    """Each manufacturer's planning priorities: the cost of one of each objective."""

    list_display = [
        "manufacturer", "high_station_weight", "colour_change_weight", "low_station_weight",
        "lateness_day_weight", "delivery_days", "solver_seconds",
    ]  # fmt: skip


@admin.register(PlanningJob)
class PlanningJobAdmin(ReadOnlyAdmin):
    list_display = ["pk", "manufacturer", "state", "phase", "progress", "attempts", "created_at"]
    list_filter = ["state", "manufacturer"]


@admin.register(ProductionPlan)
class ProductionPlanAdmin(ReadOnlyAdmin):
    list_display = ["pk", "manufacturer", "state", "start_date", "last_day", "created_at"]
    list_filter = ["state", "manufacturer"]
    exclude = ["metrics", "first_metrics"]
