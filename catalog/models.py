"""The option catalog: manufacturers, product models, versioned catalogs and the
production lines that build them.

A catalog version is edited as a draft and then published. Everything that belongs to a
published (or retired) version is immutable: saving or deleting it raises
PublishedVersionImmutable, whichever path the change comes from (admin, import, shell).
Changes mean a new draft copied from the published version.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from catalog.rulelang import RuleSyntaxError, Symbol, SymbolKind, parse_rule

CODE_PATTERN = r"^[A-Z][A-Z0-9_]*$"
code_validator = RegexValidator(
    CODE_PATTERN, "Use capital letters, digits and underscores, starting with a letter."
)
colour_validator = RegexValidator(r"^#[0-9A-Fa-f]{6}$", "Use a hex colour such as #1A2B3C.")
MONEY = {"max_digits": 12, "decimal_places": 2}


class PublishedVersionImmutable(Exception):
    """Raised on any attempt to change a published or retired catalog version."""


class Manufacturer(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ManufacturerStaff(models.Model):
    """Binds a user to the one manufacturer whose data they may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="manufacturer_staff"
    )
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.CASCADE, related_name="staff")

    class Meta:
        verbose_name_plural = "manufacturer staff"

    def __str__(self) -> str:
        return f"{self.user} @ {self.manufacturer}"


class Part(models.Model):
    """A manufacturer's part: the unit of bills of materials and material requirements."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.PROTECT, related_name="parts")
    number = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=12, default="pcs")

    class Meta:
        ordering = ["manufacturer", "number"]
        constraints = [
            models.UniqueConstraint(fields=["manufacturer", "number"], name="part_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class ProductModel(models.Model):
    class Preview(models.TextChoices):
        SUV = "suv", "SUV"
        PURIFIER = "purifier", "Air purifier"
        LAPTOP = "laptop", "Laptop"
        GENERIC = "generic", "Generic box"

    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.PROTECT, related_name="product_models"
    )
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    tagline = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    preview = models.CharField(
        max_length=12,
        choices=Preview.choices,
        default=Preview.GENERIC,
        help_text="Which product picture the configurator tints with the chosen paint.",
    )
    image = models.FileField(upload_to="products/", blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["manufacturer__name", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def preview_path(self) -> str:
        return f"c2b/preview-{self.preview}.svg"

    def published_version(self) -> CatalogVersion | None:
        return self.versions.filter(status=CatalogVersion.Status.PUBLISHED).first()


class CatalogVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    product_model = models.ForeignKey(
        ProductModel, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(editable=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    base_price = models.DecimalField(
        **MONEY, validators=[MinValueValidator(Decimal("0"))], help_text="CNY"
    )
    notes = models.TextField(blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Fields a status change may write on a version that is no longer a draft.
    LIFECYCLE_FIELDS = frozenset({"status", "published_at", "retired_at"})

    class Meta:
        ordering = ["product_model", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["product_model", "number"], name="catalog_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["product_model"],
                condition=Q(status="published"),
                name="one_published_version_per_product",
            ),
            models.CheckConstraint(
                condition=Q(base_price__gte=0), name="catalog_version_base_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_model} v{self.number} ({self.get_status_display()})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is None and not self.number:
            last = self.product_model.versions.aggregate(models.Max("number"))["number__max"]
            self.number = (last or 0) + 1
        elif self.pk is not None:
            self._refuse_content_change(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def _refuse_content_change(self, update_fields) -> None:
        stored = CatalogVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored in (None, self.Status.DRAFT):
            return
        if update_fields is not None and set(update_fields) <= self.LIFECYCLE_FIELDS:
            return
        raise PublishedVersionImmutable(f"{self} is {stored}; create a new draft to change it.")

    def delete(self, *args, **kwargs):
        if not self.is_editable:
            raise PublishedVersionImmutable(f"{self} is {self.status} and cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def symbol_table(self) -> dict[str, Symbol]:
        return symbol_table_for(self.groups.prefetch_related("options"))


def symbol_table_for(groups) -> dict[str, Symbol]:
    """The codes rules may name, from OptionGroup rows with their options."""
    symbols: dict[str, Symbol] = {}
    for group in groups:
        options = [option.code for option in group.options.all()]
        symbols[group.code] = Symbol(kind=group.symbol_kind, options=tuple(options))
        for code in options:
            symbols[code] = Symbol(kind=SymbolKind.OPTION, group=group.code)
    return symbols


class VersionContentQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused when they touch a non-draft version."""

    version_path = "version"

    def _touches_frozen_versions(self) -> bool:
        lookup = {f"{self.version_path}__status__in": ["published", "retired"]}
        return self.filter(**lookup).exists()

    def update(self, **kwargs):
        if self._touches_frozen_versions():
            raise PublishedVersionImmutable("These rows belong to a published catalog version.")
        return super().update(**kwargs)

    def delete(self):
        if self._touches_frozen_versions():
            raise PublishedVersionImmutable("These rows belong to a published catalog version.")
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        version_ids = {obj.owning_version().pk for obj in objs}
        frozen = CatalogVersion.objects.filter(pk__in=version_ids).exclude(
            status=CatalogVersion.Status.DRAFT
        )
        if frozen.exists():
            raise PublishedVersionImmutable("Rows cannot be added to a published catalog version.")
        return super().bulk_create(objs, *args, **kwargs)


class OptionPartQuerySet(VersionContentQuerySet):
    version_path = "option__version"


class VersionContent(models.Model):
    """Rows owned by a catalog version: writable only while the version is a draft."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def owning_version(self) -> CatalogVersion:
        return self.version

    def _refuse_if_frozen(self) -> None:
        """Refuse when the row's new version, or the version it is stored under, is frozen
        (moving a row out of a published version changes that version too)."""
        statuses = set(
            CatalogVersion.objects.filter(pk=self.owning_version().pk).values_list(
                "status", flat=True
            )
        )
        if self.pk is not None:
            version_path = type(self)._default_manager.get_queryset().version_path
            stored = type(self)._default_manager.filter(pk=self.pk)
            statuses.update(stored.values_list(f"{version_path}__status", flat=True))
        frozen = statuses - {CatalogVersion.Status.DRAFT}
        if frozen:
            raise PublishedVersionImmutable(
                f"This row belongs to a {frozen.pop()} catalog version; "
                "create a new draft to change it."
            )


class OptionGroup(VersionContent):
    class Kind(models.TextChoices):
        ONE = "one", "Exactly one"
        SEVERAL = "several", "Several (min..max)"
        TEXT = "text", "Free text"
        NUMBER = "number", "Number"

    version = models.ForeignKey(CatalogVersion, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(max_length=40, validators=[code_validator])
    name = models.CharField(max_length=120)
    section = models.CharField(
        max_length=60, blank=True, help_text="Step of the configurator the group appears in."
    )
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    position = models.PositiveIntegerField(default=0)
    # Several: how many options may be chosen.
    min_choices = models.PositiveIntegerField(default=0)
    max_choices = models.PositiveIntegerField(null=True, blank=True)
    # Free text.
    required = models.BooleanField(
        default=False, help_text="Text and number fields: must the consumer fill it in?"
    )
    max_length = models.PositiveIntegerField(null=True, blank=True)
    allowed_pattern = models.CharField(
        max_length=200, blank=True, help_text="Regular expression every value must match fully."
    )
    blocked_words = models.JSONField(default=list, blank=True)
    price_per_character = models.DecimalField(**MONEY, default=Decimal("0"))
    # Number.
    min_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    step = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    default_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=20, blank=True)

    objects = VersionContentQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="group_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def is_choice(self) -> bool:
        return self.kind in (self.Kind.ONE, self.Kind.SEVERAL)

    @property
    def symbol_kind(self) -> SymbolKind:
        return {
            self.Kind.ONE: SymbolKind.SINGLE_GROUP,
            self.Kind.SEVERAL: SymbolKind.CHOICE_GROUP,
            self.Kind.TEXT: SymbolKind.TEXT_GROUP,
            self.Kind.NUMBER: SymbolKind.NUMBER_GROUP,
        }[self.kind]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        several = self.kind == self.Kind.SEVERAL
        if several and self.max_choices is not None and self.max_choices < self.min_choices:
            errors["max_choices"] = "Must be at least the minimum number of choices."
        if self.kind == self.Kind.TEXT:
            if not self.max_length:
                errors["max_length"] = "A free-text field needs a maximum length."
            if self.allowed_pattern:
                try:
                    re.compile(self.allowed_pattern)
                except re.error as exc:
                    errors["allowed_pattern"] = f"Not a valid regular expression: {exc}."
            if not isinstance(self.blocked_words, list) or not all(
                isinstance(word, str) and word.strip() for word in self.blocked_words
            ):
                errors["blocked_words"] = "Give a list of non-empty words."
        if self.kind == self.Kind.NUMBER:
            errors.update(self._number_errors())
        if errors:
            raise ValidationError(errors)

    def _number_errors(self) -> dict[str, str]:
        if self.min_value is None or self.max_value is None or self.step is None:
            return {"step": "A number field needs a minimum, a maximum and a positive step."}
        if self.step <= 0:
            return {"step": "The step must be positive."}
        if self.max_value < self.min_value:
            return {"max_value": "Must be at least the minimum."}
        if (self.max_value - self.min_value) % self.step:
            return {
                "max_value": "The range from minimum to maximum must be a whole number of steps."
            }
        if self.default_value is not None and (
            not self.min_value <= self.default_value <= self.max_value
            or (self.default_value - self.min_value) % self.step
        ):
            return {"default_value": "Must be one of the allowed values."}
        return {}


class Option(VersionContent):
    version = models.ForeignKey(CatalogVersion, on_delete=models.CASCADE, related_name="options")
    group = models.ForeignKey(OptionGroup, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(max_length=40, validators=[code_validator])
    label = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    price_delta = models.DecimalField(**MONEY, default=Decimal("0"), help_text="CNY")
    position = models.PositiveIntegerField(default=0)
    is_default = models.BooleanField(default=False)
    paint_colour = models.CharField(
        max_length=7, blank=True, validators=[colour_validator], help_text="e.g. #1F3A5F"
    )
    station_codes = models.JSONField(
        default=list,
        blank=True,
        help_text="Codes of the production-line stations this option loads.",
    )
    minimum_per_batch = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Units a demand batch needs before this option is produced (optional).",
    )

    objects = VersionContentQuerySet.as_manager()

    class Meta:
        ordering = ["group__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="option_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.label}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        group = related_or_none(self, "group")
        if group is not None and self.version_id and group.version_id != self.version_id:
            errors["group"] = "The group belongs to another catalog version."
        if group is not None and not group.is_choice:
            errors["group"] = "Only exactly-one and several groups have options."
        if not isinstance(self.station_codes, list) or not all(
            isinstance(code, str) and re.fullmatch(CODE_PATTERN, code)
            for code in self.station_codes
        ):
            errors["station_codes"] = "Give a list of station codes such as PAINT or SUNROOF."
        if errors:
            raise ValidationError(errors)


class OptionPart(VersionContent):
    """One bill-of-materials line: choosing the option consumes quantity x part.

    With `per_group` set, the quantity is per unit of that number field's value (one seat
    cover per seat, one child-seat anchor per child seat).
    """

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="parts")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="option_uses")
    quantity = models.DecimalField(
        max_digits=10, decimal_places=3, validators=[MinValueValidator(Decimal("0.001"))]
    )
    per_group = models.ForeignKey(
        OptionGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    objects = OptionPartQuerySet.as_manager()

    class Meta:
        ordering = ["option", "part__number"]
        constraints = [
            models.UniqueConstraint(fields=["option", "part"], name="option_part_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="option_part_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        per = f" per {self.per_group.code}" if self.per_group_id else ""
        return f"{self.quantity} x {self.part.number}{per}"

    def owning_version(self) -> CatalogVersion:
        return self.option.version

    def clean(self) -> None:
        per_group = related_or_none(self, "per_group")
        option = related_or_none(self, "option")
        part = related_or_none(self, "part")
        if per_group is not None and per_group.kind != OptionGroup.Kind.NUMBER:
            raise ValidationError({"per_group": "The quantity can only follow a number field."})
        if (
            per_group is not None
            and option is not None
            and per_group.version_id != option.version_id
        ):
            raise ValidationError({"per_group": "The group belongs to another catalog version."})
        maker_id = option.version.product_model.manufacturer_id if option is not None else None
        if part is not None and option is not None and part.manufacturer_id != maker_id:
            raise ValidationError({"part": "The part belongs to another manufacturer."})


class Rule(VersionContent):
    """A constraint in the rule language (catalog/rulelang/README.md)."""

    version = models.ForeignKey(CatalogVersion, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField(max_length=40, validators=[code_validator])
    expression = models.TextField()
    message = models.CharField(
        max_length=240, blank=True, help_text="Why, in words a consumer understands."
    )
    position = models.PositiveIntegerField(default=0)

    objects = VersionContentQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="rule_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}: {self.expression}"

    def clean(self) -> None:
        if self.version_id:
            check_expression(self.expression, self.version.symbol_table(), "expression")


class PriceRule(VersionContent):
    """A conditional price adjustment, such as a bundle discount."""

    class Kind(models.TextChoices):
        AMOUNT = "amount", "Fixed amount (CNY)"
        PERCENT = "percent", "Percent of the options subtotal"

    version = models.ForeignKey(
        CatalogVersion, on_delete=models.CASCADE, related_name="price_rules"
    )
    code = models.CharField(max_length=40, validators=[code_validator])
    label = models.CharField(max_length=120, help_text="Shown in the price breakdown.")
    condition = models.TextField(help_text="When the adjustment applies, in the rule language.")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.AMOUNT)
    value = models.DecimalField(
        max_digits=12, decimal_places=2, help_text="Negative for a discount."
    )
    position = models.PositiveIntegerField(default=0)

    objects = VersionContentQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="price_rule_code_unique"),
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(value__gte=-100, value__lte=100),
                name="price_rule_percent_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.PERCENT and not Decimal(-100) <= (self.value or 0) <= 100:
            errors["value"] = "A percentage must lie between -100 and 100."
        if self.version_id:
            try:
                check_expression(self.condition, self.version.symbol_table(), "condition")
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)


def related_or_none(instance: models.Model, name: str):
    """The related object behind a foreign key, or None where none is set yet (model
    validation runs on half-filled admin forms and on unsaved import rows)."""
    descriptor = getattr(type(instance), name)
    if descriptor.is_cached(instance) or getattr(instance, f"{name}_id") is not None:
        return getattr(instance, name)
    return None


def check_expression(text: str, symbols: dict[str, Symbol], field_name: str) -> None:
    """Raise a ValidationError on `field_name` listing every problem in the rule text."""
    try:
        parse_rule(text, symbols)
    except RuleSyntaxError as exc:
        raise ValidationError({field_name: [str(error) for error in exc.errors]}) from None


class ProductionLine(models.Model):
    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.PROTECT, related_name="production_lines"
    )
    code = models.CharField(max_length=40, validators=[code_validator])
    name = models.CharField(max_length=120)
    plant = models.CharField(max_length=120)
    product_models = models.ManyToManyField(ProductModel, related_name="production_lines")
    daily_capacity = models.PositiveIntegerField(
        validators=[MinValueValidator(1)], help_text="Units per working day."
    )
    working_days = models.JSONField(
        default=list, help_text="ISO weekdays the line works: 1 = Monday ... 7 = Sunday."
    )
    paint_batch_limit = models.PositiveIntegerField(
        validators=[MinValueValidator(1)],
        help_text="Most consecutive units of one colour before the paint guns are purged.",
    )
    colour_change_cost = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        help_text="Cost of one colour change (CNY of solvent and lost time).",
    )

    class Meta:
        ordering = ["manufacturer", "code"]
        constraints = [
            models.UniqueConstraint(fields=["manufacturer", "code"], name="line_code_unique"),
            models.CheckConstraint(
                condition=Q(daily_capacity__gte=1), name="line_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name} ({self.plant})"

    def clean(self) -> None:
        days = self.working_days
        if (
            not isinstance(days, list)
            or not days
            or len(set(days)) != len(days)
            or not all(isinstance(day, int) and 1 <= day <= 7 for day in days)
        ):
            raise ValidationError(
                {"working_days": "Give distinct ISO weekdays from 1 (Monday) to 7 (Sunday)."}
            )


class Station(models.Model):
    """A station on a line that fits its options to at most p of any q consecutive units."""

    class Priority(models.TextChoices):
        HIGH = "high", "High"
        LOW = "low", "Low"

    line = models.ForeignKey(ProductionLine, on_delete=models.CASCADE, related_name="stations")
    code = models.CharField(max_length=40, validators=[code_validator])
    name = models.CharField(max_length=120)
    capacity_p = models.PositiveIntegerField("p", validators=[MinValueValidator(1)])
    capacity_q = models.PositiveIntegerField("q", validators=[MinValueValidator(1)])
    priority = models.CharField(max_length=4, choices=Priority.choices, default=Priority.HIGH)

    class Meta:
        ordering = ["line", "code"]
        constraints = [
            models.UniqueConstraint(fields=["line", "code"], name="station_code_unique"),
            models.CheckConstraint(
                condition=Q(capacity_p__gte=1) & Q(capacity_q__gte=models.F("capacity_p")),
                name="station_p_within_q",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.capacity_p}/{self.capacity_q})"

    def clean(self) -> None:
        if self.capacity_p and self.capacity_q and self.capacity_p > self.capacity_q:
            raise ValidationError({"capacity_p": "p cannot exceed q."})

    def options_served(self):
        """Options of the line's products' current catalogs that load this station."""
        options = Option.objects.filter(
            version__product_model__production_lines=self.line_id,
            version__status=CatalogVersion.Status.PUBLISHED,
        ).select_related("version__product_model")
        return [option for option in options if self.code in option.station_codes]
