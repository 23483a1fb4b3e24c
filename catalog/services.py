"""Writes on catalog versions: publish, retire, copy into a new draft."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from catalog.interchange import catalog_export
from catalog.models import (
    CatalogVersion,
    Option,
    OptionGroup,
    OptionPart,
    PriceRule,
    Rule,
)
from catalog.rulelang import RuleSyntaxError, parse_rule
from configurator.engine.evaluate import Engine
from configurator.engine.lint import lint
from configurator.engine.spec import spec_from_document


class PublishRefused(Exception):
    def __init__(self, version: CatalogVersion, problems: list[str]):
        self.version = version
        self.problems = problems
        super().__init__(f"{version} cannot be published: " + "; ".join(problems))


def version_problems(version: CatalogVersion) -> list[str]:
    """Everything that stops a draft from being published, in words an admin can act on."""
    groups = list(version.groups.prefetch_related("options"))
    if not groups:
        return ["The version has no option groups."]
    problems: list[str] = []
    codes = [group.code for group in groups] + [o.code for g in groups for o in g.options.all()]
    for code in sorted({code for code in codes if codes.count(code) > 1}):
        problems.append(f"Code {code} is used by both a group and an option.")
    for group in groups:
        problems.extend(_group_problems(group, list(group.options.all())))
    symbols = version.symbol_table()
    for rule in version.rules.all():
        problems.extend(_expression_problems(f"Rule {rule.code}", rule.expression, symbols))
    for price_rule in version.price_rules.all():
        label = f"Price rule {price_rule.code}"
        problems.extend(_expression_problems(label, price_rule.condition, symbols))
    if problems:  # the lint needs a well-formed catalog
        return problems
    return [f"Lint: {problem}" for problem in version_lint(version)]


def version_lint(version: CatalogVersion):
    """The configurator's lint on this version: dead, forced, never-firing, unsatisfiable."""
    engine = Engine(spec_from_document(catalog_export(version=version)))
    return lint(engine)


def _group_problems(group: OptionGroup, options: list[Option]) -> list[str]:
    try:
        group.clean()
    except ValidationError as exc:
        return [f"Group {group.code}: {m}" for ms in exc.message_dict.values() for m in ms]
    if not group.is_choice:
        return []
    if group.kind == OptionGroup.Kind.ONE and not options:
        return [f"Group {group.code} must offer at least one option."]
    if group.kind == OptionGroup.Kind.ONE and sum(o.is_default for o in options) > 1:
        return [f"Group {group.code} has more than one default option."]
    if group.kind == OptionGroup.Kind.SEVERAL and group.min_choices > len(options):
        return [
            f"Group {group.code} asks for {group.min_choices} choices but offers {len(options)}."
        ]
    return []


def _expression_problems(label: str, text: str, symbols) -> list[str]:
    try:
        parse_rule(text, symbols)
    except RuleSyntaxError as exc:
        return [f"{label}: {error}" for error in exc.errors]
    return []


def version_publish(*, version: CatalogVersion) -> CatalogVersion:
    """Publish a draft, retiring the product's previously published version.

    1. Lock the product's versions, in pk order, so two publishes cannot both win.
    2. Refuse unless the draft is still a draft and has no problems.
    3. Retire the current published version, then publish the draft.
    """
    with transaction.atomic():
        locked = list(
            CatalogVersion.objects.select_for_update()
            .filter(product_model_id=version.product_model_id)
            .order_by("pk")
        )
        version = next(v for v in locked if v.pk == version.pk)
        if version.status != CatalogVersion.Status.DRAFT:
            raise PublishRefused(version, [f"it is {version.get_status_display().lower()}"])
        problems = version_problems(version)
        if problems:
            raise PublishRefused(version, problems)
        now = timezone.now()
        for current in locked:
            if current.status == CatalogVersion.Status.PUBLISHED:
                _retire(current, now)
        version.status = CatalogVersion.Status.PUBLISHED
        version.published_at = now
        version.save(update_fields=["status", "published_at"])
        # Option states and counts want a learned BDD variable order; a broker outage must
        # not undo the publish, and engine_for() asks again when the order is missing.
        transaction.on_commit(lambda: _learn_order_later(version.pk), robust=True)
    return version


def _learn_order_later(version_id: int) -> None:
    from configurator.tasks import version_learn_order_task  # tasks import catalog models

    version_learn_order_task.delay(version_id)


def version_retire(*, version: CatalogVersion) -> CatalogVersion:
    with transaction.atomic():
        version = CatalogVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != CatalogVersion.Status.PUBLISHED:
            raise ValidationError("Only a published version can be retired.")
        _retire(version, timezone.now())
    return version


def _retire(version: CatalogVersion, when) -> None:
    version.status = CatalogVersion.Status.RETIRED
    version.retired_at = when
    version.save(update_fields=["status", "retired_at"])


@transaction.atomic
def version_new_draft(*, source: CatalogVersion) -> CatalogVersion:
    """Copy a version (of any status) into a new draft of the same product."""
    draft = CatalogVersion.objects.create(
        product_model=source.product_model,
        base_price=source.base_price,
        notes=source.notes,
        based_on=source,
    )
    groups = list(source.groups.all())
    new_groups = OptionGroup.objects.bulk_create([_copy(group, version=draft) for group in groups])
    group_map = {old.pk: new for old, new in zip(groups, new_groups, strict=True)}
    options = list(source.options.all())
    new_options = Option.objects.bulk_create(
        [_copy(o, version=draft, group=group_map[o.group_id]) for o in options]
    )
    option_map = {old.pk: new for old, new in zip(options, new_options, strict=True)}
    OptionPart.objects.bulk_create(
        [
            _copy(
                line,
                option=option_map[line.option_id],
                per_group=group_map.get(line.per_group_id),
            )
            for line in OptionPart.objects.filter(option__version=source)
        ]
    )
    Rule.objects.bulk_create([_copy(rule, version=draft) for rule in source.rules.all()])
    PriceRule.objects.bulk_create([_copy(pr, version=draft) for pr in source.price_rules.all()])
    return draft


def _copy(instance, **changes):
    """An unsaved copy of a model instance with some fields replaced."""
    values = {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if not field.primary_key
    }
    for name, value in changes.items():
        values.pop(f"{name}_id", None)
        values[name] = value
    return type(instance)(**values)
