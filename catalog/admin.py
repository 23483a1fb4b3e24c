"""Admin for catalog managers. Content of published or retired versions is shown
read-only: the permission checks below mirror the model-layer guard, which stays the
real protection."""

import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from catalog.models import (
    CODE_PATTERN,
    CatalogVersion,
    Manufacturer,
    ManufacturerStaff,
    Option,
    OptionGroup,
    OptionPart,
    Part,
    PriceRule,
    ProductionLine,
    ProductModel,
    Rule,
    Station,
)
from catalog.services import (
    PublishRefused,
    version_new_draft,
    version_problems,
    version_publish,
    version_retire,
)


class CommaListField(forms.CharField):
    """Edits a JSON list of strings as comma-separated text."""

    def __init__(self, *, codes: bool = False, **kwargs):
        self.codes = codes
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        items = [item.strip() for item in (super().to_python(value) or "").split(",")]
        items = [item.upper() if self.codes else item for item in items if item]
        if self.codes:
            bad = [item for item in items if not re.fullmatch(CODE_PATTERN, item)]
            if bad:
                raise ValidationError(f"Not valid codes: {', '.join(bad)}.")
        return items


# ------------------------------------------------------------------ frozen versions


class FrozenVersionMixin:
    """Rows of a non-draft version are viewable but not changeable, deletable or addable."""

    def version_of(self, obj) -> CatalogVersion | None:
        return obj.version if obj is not None else None

    def _frozen(self, obj) -> bool:
        version = self.version_of(obj)
        return version is not None and not version.is_editable

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)

    def has_add_permission(self, request, obj=None):
        args = (request, obj) if isinstance(self, admin.options.InlineModelAdmin) else (request,)
        return super().has_add_permission(*args) and not self._frozen(obj)


class DraftVersionChoiceMixin:
    """New content can only be attached to draft versions."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = CatalogVersion.objects.filter(
                status=CatalogVersion.Status.DRAFT
            ).select_related("product_model")
        if db_field.name == "group":
            kwargs["queryset"] = OptionGroup.objects.filter(
                version__status=CatalogVersion.Status.DRAFT
            ).select_related("version__product_model")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# ------------------------------------------------------------ makers and products


class ManufacturerStaffInline(admin.TabularInline):
    model = ManufacturerStaff
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Manufacturer)
class ManufacturerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ManufacturerStaffInline]


@admin.register(Part)
class PartAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "unit", "manufacturer"]
    list_filter = ["manufacturer"]
    search_fields = ["number", "name"]


class VersionSummaryInline(admin.TabularInline):
    model = CatalogVersion
    fields = ["number", "status", "base_price", "published_at", "retired_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProductModel)
class ProductModelAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "manufacturer", "preview", "published"]
    list_filter = ["manufacturer", "preview"]
    search_fields = ["name", "slug", "tagline"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["manufacturer"]
    inlines = [VersionSummaryInline]

    @admin.display(description="Published version")
    def published(self, product: ProductModel) -> str:
        version = product.published_version()
        return f"v{version.number}" if version else "—"


# ---------------------------------------------------------------- catalog versions


class OptionGroupInline(FrozenVersionMixin, admin.TabularInline):
    model = OptionGroup
    fields = [
        "position",
        "code",
        "name",
        "section",
        "kind",
        "min_choices",
        "max_choices",
        "required",
    ]
    extra = 0
    show_change_link = True

    def version_of(self, obj):
        return obj


class RuleInline(FrozenVersionMixin, admin.TabularInline):
    model = Rule
    fields = ["position", "code", "expression", "message"]
    extra = 0

    def version_of(self, obj):
        return obj

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "expression":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 1, "cols": 70})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class PriceRuleInline(RuleInline):
    model = PriceRule
    fields = ["position", "code", "label", "condition", "kind", "value"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "condition":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 1, "cols": 50})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(CatalogVersion)
class CatalogVersionAdmin(FrozenVersionMixin, admin.ModelAdmin):
    list_display = ["product_model", "number", "status", "base_price", "published_at", "based_on"]
    list_filter = ["status", "product_model__manufacturer", "product_model"]
    search_fields = ["product_model__name", "product_model__slug", "notes"]
    list_select_related = ["product_model", "based_on__product_model"]
    readonly_fields = ["number", "status", "based_on", "published_at", "retired_at", "problems"]
    fields = ["product_model", "base_price", "notes", *readonly_fields]
    inlines = [OptionGroupInline, RuleInline, PriceRuleInline]
    actions = ["publish_selected", "new_draft_from_selected", "retire_selected"]
    change_form_template = "admin/catalog/catalogversion/change_form.html"

    def version_of(self, obj):
        return obj

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["product_model", *self.readonly_fields]
        return self.readonly_fields

    @admin.display(description="Before publishing")
    def problems(self, version: CatalogVersion) -> str:
        if version.pk is None or not version.is_editable:
            return "—"
        problems = version_problems(version)
        if not problems:
            return "Ready to publish."
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p,) for p in problems))
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        own = [
            path("<int:pk>/publish/", view(self.publish_view), name="catalog_version_publish"),
            path(
                "<int:pk>/new-draft/", view(self.new_draft_view), name="catalog_version_new_draft"
            ),
            path("<int:pk>/retire/", view(self.retire_view), name="catalog_version_retire"),
        ]
        return own + super().get_urls()

    def publish_view(self, request, pk: int):
        version = get_object_or_404(CatalogVersion, pk=pk)
        if request.method == "POST" and self._can_publish(request):
            self._publish(request, version)
        return HttpResponseRedirect(reverse("admin:catalog_catalogversion_change", args=[pk]))

    def new_draft_view(self, request, pk: int):
        version = get_object_or_404(CatalogVersion, pk=pk)
        if request.method == "POST" and self.has_add_permission(request):
            draft = version_new_draft(source=version)
            self.message_user(request, f"Created {draft} from v{version.number}.", messages.SUCCESS)
            return HttpResponseRedirect(
                reverse("admin:catalog_catalogversion_change", args=[draft.pk])
            )
        return HttpResponseRedirect(reverse("admin:catalog_catalogversion_change", args=[pk]))

    def retire_view(self, request, pk: int):
        version = get_object_or_404(CatalogVersion, pk=pk)
        if request.method == "POST" and self._can_publish(request):
            self._retire(request, version)
        return HttpResponseRedirect(reverse("admin:catalog_catalogversion_change", args=[pk]))

    def _can_publish(self, request) -> bool:
        return request.user.has_perm("catalog.change_catalogversion")

    def _publish(self, request, version: CatalogVersion) -> None:
        try:
            version_publish(version=version)
        except PublishRefused as exc:
            for problem in exc.problems:
                self.message_user(request, f"{version}: {problem}", messages.ERROR)
            return
        self.message_user(request, f"Published {version}.", messages.SUCCESS)

    def _retire(self, request, version: CatalogVersion) -> None:
        try:
            version_retire(version=version)
        except ValidationError as exc:
            self.message_user(request, f"{version}: {exc.messages[0]}", messages.ERROR)
            return
        self.message_user(request, f"Retired {version}.", messages.SUCCESS)

    @admin.action(description="Publish the selected drafts", permissions=["change"])
    def publish_selected(self, request, queryset):
        for version in queryset.order_by("pk"):
            self._publish(request, version)

    @admin.action(description="New draft from the selected versions", permissions=["add"])
    def new_draft_from_selected(self, request, queryset):
        for version in queryset.order_by("pk"):
            draft = version_new_draft(source=version)
            self.message_user(request, f"Created {draft}.", messages.SUCCESS)

    @admin.action(description="Retire the selected published versions", permissions=["change"])
    def retire_selected(self, request, queryset):
        for version in queryset.order_by("pk"):
            self._retire(request, version)


# ----------------------------------------------------------- groups, options, rules


class OptionInlineFormSet(forms.BaseInlineFormSet):
    """New options take the version of the group they are added to."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.version = self.instance.version
        return form


class OptionInline(FrozenVersionMixin, admin.TabularInline):
    model = Option
    fields = [
        "position",
        "code",
        "label",
        "price_delta",
        "is_default",
        "paint_colour",
        "minimum_per_batch",
    ]
    formset = OptionInlineFormSet
    extra = 0
    show_change_link = True

    def version_of(self, obj):
        return obj.version if obj is not None else None


class OptionGroupForm(forms.ModelForm):
    blocked_words = CommaListField(
        help_text="Comma-separated words a free-text value may not contain."
    )

    class Meta:
        model = OptionGroup
        fields = [
            "version", "code", "name", "section", "description", "kind", "position",
            "min_choices", "max_choices", "required", "max_length", "allowed_pattern",
            "blocked_words", "price_per_character", "min_value", "max_value", "step",
            "default_value", "unit",
        ]  # fmt: skip


@admin.register(OptionGroup)
class OptionGroupAdmin(DraftVersionChoiceMixin, FrozenVersionMixin, admin.ModelAdmin):
    form = OptionGroupForm
    list_display = ["code", "name", "kind", "section", "version", "position"]
    list_filter = ["kind", "version__status", "version__product_model", "section"]
    search_fields = ["code", "name", "options__code", "options__label"]
    list_select_related = ["version__product_model"]
    inlines = [OptionInline]
    fieldsets = [
        (
            None,
            {"fields": ["version", "code", "name", "section", "description", "kind", "position"]},
        ),
        ("Several", {"fields": ["min_choices", "max_choices"]}),
        ("Free text and number", {"fields": ["required"]}),
        (
            "Free text",
            {"fields": ["max_length", "allowed_pattern", "blocked_words", "price_per_character"]},
        ),
        ("Number", {"fields": ["min_value", "max_value", "step", "default_value", "unit"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["version"] if obj is not None else []


class OptionPartInline(FrozenVersionMixin, admin.TabularInline):
    model = OptionPart
    fields = ["part", "quantity", "per_group"]
    autocomplete_fields = ["part"]
    extra = 0

    def version_of(self, obj):
        return obj.version if obj is not None else None


class OptionForm(forms.ModelForm):
    station_codes = CommaListField(
        codes=True, help_text="Comma-separated station codes, e.g. ROOF, PAINT."
    )

    class Meta:
        model = Option
        fields = [
            "version", "group", "code", "label", "description", "price_delta", "position",
            "is_default", "paint_colour", "station_codes", "minimum_per_batch",
        ]  # fmt: skip


@admin.register(Option)
class OptionAdmin(DraftVersionChoiceMixin, FrozenVersionMixin, admin.ModelAdmin):
    form = OptionForm
    list_display = [
        "code",
        "label",
        "group",
        "price_delta",
        "is_default",
        "paint_colour",
        "version",
    ]
    list_filter = ["version__status", "version__product_model", "group__section"]
    search_fields = ["code", "label", "group__code"]
    list_select_related = ["group", "version__product_model"]
    inlines = [OptionPartInline]

    def get_readonly_fields(self, request, obj=None):
        return ["version", "group"] if obj is not None else []


class ExpressionAdmin(DraftVersionChoiceMixin, FrozenVersionMixin, admin.ModelAdmin):
    list_select_related = ["version__product_model"]

    def get_readonly_fields(self, request, obj=None):
        return ["version"] if obj is not None else []


@admin.register(Rule)
class RuleAdmin(ExpressionAdmin):
    list_display = ["code", "expression", "message", "version"]
    list_filter = ["version__status", "version__product_model"]
    search_fields = ["code", "expression", "message"]
    fields = ["version", "code", "expression", "message", "position"]


@admin.register(PriceRule)
class PriceRuleAdmin(ExpressionAdmin):
    list_display = ["code", "label", "condition", "kind", "value", "version"]
    list_filter = ["kind", "version__status", "version__product_model"]
    search_fields = ["code", "label", "condition"]
    fields = ["version", "code", "label", "condition", "kind", "value", "position"]


# ------------------------------------------------------------------ production lines


class StationInline(admin.TabularInline):
    model = Station
    fields = ["code", "name", "capacity_p", "capacity_q", "priority", "options_served_list"]
    readonly_fields = ["options_served_list"]
    extra = 0

    @admin.display(description="Options it serves (published catalogs)")
    def options_served_list(self, station: Station) -> str:
        if station.pk is None:
            return "—"
        return ", ".join(option.code for option in station.options_served()) or "none yet"


WEEKDAYS = [(1, "Mon"), (2, "Tue"), (3, "Wed"), (4, "Thu"), (5, "Fri"), (6, "Sat"), (7, "Sun")]


class ProductionLineForm(forms.ModelForm):
    working_days = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ProductionLine
        fields = [
            "manufacturer", "code", "name", "plant", "product_models", "daily_capacity",
            "working_days", "paint_batch_limit", "colour_change_cost",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        manufacturer = cleaned.get("manufacturer")
        foreign = [
            p.name for p in cleaned.get("product_models", []) if p.manufacturer != manufacturer
        ]
        if manufacturer and foreign:
            self.add_error(
                "product_models", f"Not {manufacturer}'s products: {', '.join(foreign)}."
            )
        return cleaned


@admin.register(ProductionLine)
class ProductionLineAdmin(admin.ModelAdmin):
    form = ProductionLineForm
    list_display = [
        "code",
        "name",
        "plant",
        "manufacturer",
        "daily_capacity",
        "paint_batch_limit",
        "days",
    ]
    list_filter = ["manufacturer", "plant"]
    search_fields = ["code", "name", "plant"]
    filter_horizontal = ["product_models"]
    list_select_related = ["manufacturer"]
    inlines = [StationInline]

    @admin.display(description="Working days")
    def days(self, line: ProductionLine) -> str:
        names = dict(WEEKDAYS)
        return " ".join(names[day] for day in sorted(line.working_days) if day in names)
