"""The browser configurator. The selection lives in the address (a GET form), so the page
works without JavaScript, can be bookmarked, and htmx only swaps the panel on each change.

Query parameters: `o` (repeated) for options of several-groups, `g_<GROUP>` for the choice
of an exactly-one group, `n_<FIELD>` for numbers, `t_<FIELD>` for free text; `choose=CODE`
asks to choose an excluded option (a confirmation shows what it gives up), `complete=
cheapest|default` fills the remaining groups.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from analytics.models import Event
from analytics.services import event_record
from catalog import queries
from configurator import queries as saved_queries
from configurator.compiled import engine_for, still_open
from configurator.engine.evaluate import Engine
from configurator.engine.pricing import Selection
from configurator.revalidation import version_diff
from configurator.services import configuration_delete, configuration_save
from orders.queries import open_batch
from orders.services import option_progress

PREVIEW_PAINT_GROUP = "PAINT"


def selection_from_query(query) -> Selection:
    options = set(query.getlist("o"))
    numbers, texts = {}, {}
    for key, value in query.items():
        if key.startswith("g_") and value:
            options.add(value)
        elif key.startswith("n_") and value != "":
            numbers[key[2:]] = value
        elif key.startswith("t_"):
            texts[key[2:]] = value
    return Selection(frozenset(options), numbers, texts)


def query_for(engine: Engine, selection: Selection) -> str:
    pairs = []
    for group in engine.spec.groups:
        chosen = [o.code for o in group.options if o.code in selection.options]
        if group.kind == "one":
            pairs += [(f"g_{group.code}", code) for code in chosen]
        elif group.kind == "several":
            pairs += [("o", code) for code in chosen]
        elif group.code in selection.numbers:
            pairs.append((f"n_{group.code}", str(selection.numbers[group.code].normalize())))
        elif selection.texts.get(group.code):
            pairs.append((f"t_{group.code}", selection.texts[group.code]))
    return urlencode(pairs)


def configure(request, slug: str):
    product = queries.product_get_published(slug)
    version = product.published[0]
    engine = engine_for(version)
    raw = selection_from_query(request.GET)
    selection, input_errors = engine.normalise(raw)
    if request.GET.get("complete") in ("cheapest", "default"):
        completed = engine.complete(selection, prefer=request.GET["complete"])
        if completed is not None:
            return redirect(f"{request.path}?{query_for(engine, completed)}")
    evaluation = engine.evaluate(raw)
    remaining, prices = still_open(version, evaluation)
    context = {
        "product": product,
        "version": version,
        "evaluation": evaluation,
        "input_errors": input_errors,
        "sections": _sections(engine, evaluation, raw),
        "query": query_for(engine, evaluation.selection),
        "proposal": _proposal(engine, evaluation.selection, request.GET.get("choose", "")),
        "remaining": remaining,
        "distinct_prices": prices,
        "missing": [e for e in evaluation.errors if e.field in evaluation.incomplete_groups],
        "paint": _paint_colour(engine, evaluation.selection),
        "cannot_complete": "complete" in request.GET,
        "option_progress": option_progress(
            product, open_batch(product), evaluation.selection.options
        ),
    }
    template = "configurator/partials/panel.html" if request.htmx else "configurator/configure.html"
    return render(request, template, context)


def _sections(engine: Engine, evaluation, raw: Selection) -> list[tuple[str, list[dict]]]:
    sections: dict[str, list[dict]] = {}
    missing = set(evaluation.incomplete_groups)
    errors = {e.field: e.message for e in evaluation.errors if e.field not in missing}
    for group in engine.spec.groups:
        sections.setdefault(group.section, []).append(
            {
                "group": group,
                "options": [(o, evaluation.states[o.code]) for o in group.options],
                "error": errors.get(group.code),
                "missing": group.code in missing,
                "value": raw.numbers.get(group.code, evaluation.selection.numbers.get(group.code))
                if group.kind == "number"
                else raw.texts.get(group.code, ""),
            }
        )
    return list(sections.items())


def _proposal(engine: Engine, selection: Selection, code: str) -> dict | None:
    """What choosing an excluded option would give up, to confirm before applying."""
    if code not in engine.spec.options:
        return None
    chosen = engine.choose(selection, code)
    give_up = engine.resolve(selection, code)
    labels = [engine.describe(c) for c in give_up]
    return {
        "option": engine.spec.options[code],
        "gives_up": labels,
        "query": query_for(engine, chosen),
    }


def _paint_colour(engine: Engine, selection: Selection) -> str:
    paint = next((g for g in engine.spec.groups if g.code == PREVIEW_PAINT_GROUP), None)
    options = paint.options if paint else engine.spec.options.values()
    chosen = [o.paint_colour for o in options if o.code in selection.options and o.paint_colour]
    return chosen[0] if chosen else "#9AA4B2"


@require_POST
def configuration_save_view(request, slug: str):
    product = queries.product_get_published(slug)
    version = product.published[0]
    engine = engine_for(version)
    query = request.POST.get("query", "")
    selection, errors = engine.normalise(selection_from_query(QueryDict(query)))
    if errors:
        messages.error(
            request,
            _("Not saved: %(problems)s") % {"problems": " ".join(e.message for e in errors)},
        )
        return redirect(f"{reverse('configure', args=[slug])}?{query}")
    if not request.user.is_authenticated and request.session.session_key is None:
        request.session.save()  # an anonymous consumer owns what they save by session
    saved = configuration_save(
        version=version,
        selection=selection,
        total=engine.evaluate(selection).price.total,
        owner=request.user if request.user.is_authenticated else None,
        session_key=request.session.session_key or "",
        name=request.POST.get("name", ""),
    )
    event_record(
        kind=Event.Kind.CONFIGURATION_SAVED,
        user=request.user,
        session_id=request.analytics_session,
        product=product,
        version=version,
    )
    messages.success(request, _("Saved. Anyone with this page's address can see it."))
    return redirect("configuration-detail", saved.share_code)


def configuration_detail(request, share_code: str):
    configuration = saved_queries.configuration_by_share_code(share_code)
    version = configuration.version
    engine = engine_for(version)
    selection = saved_queries.selection_of(configuration)
    evaluation = engine.evaluate(selection)
    current = version.product_model.published_version()
    diff = None
    if current is not None and current.pk != version.pk:
        new_engine = engine_for(current)
        diff = version_diff(engine, new_engine, evaluation.selection)
    context = {
        "diff": diff,
        "carry_query": query_for(engine_for(current), diff.carried) if diff else "",
        "configuration": configuration,
        "product": version.product_model,
        "evaluation": evaluation,
        "summary": _summary(engine, evaluation.selection),
        "start_query": query_for(engine, evaluation.selection),
        "current": current,
        "is_mine": saved_queries.configurations_of(request).filter(pk=configuration.pk).exists(),
    }
    return render(request, "configurator/saved.html", context)


@require_POST
def configuration_delete_view(request, share_code: str):
    configuration = saved_queries.configuration_get_for_owner(request, share_code)
    configuration_delete(configuration=configuration)
    messages.success(request, _("Deleted %(name)s.") % {"name": configuration})
    return redirect("my-configurations")


def my_configurations(request):
    context = {"configurations": saved_queries.configurations_of(request)[:100]}
    return render(request, "configurator/mine.html", context)


MAX_COMPARED = 3


def compare(request):
    codes = list(dict.fromkeys(request.GET.getlist("c")))[:MAX_COMPARED]
    configurations = saved_queries.configurations_by_share_codes(codes)
    columns = []
    for configuration in configurations:
        engine = engine_for(configuration.version)
        selection = saved_queries.selection_of(configuration)
        evaluation = engine.evaluate(selection)
        columns.append((configuration, dict(_summary(engine, evaluation.selection)), evaluation))
    groups = list(dict.fromkeys(name for _, summary, _ in columns for name in summary))
    rows = [(name, [summary.get(name, "—") for _, summary, _ in columns]) for name in groups]
    rows = [(name, values, len(set(values)) > 1) for name, values in rows]
    if len(configurations) > 1:
        for product in {c.version.product_model for c in configurations}:
            event_record(
                kind=Event.Kind.CONFIGURATION_COMPARED,
                user=request.user,
                session_id=request.analytics_session,
                product=product,
            )
    context = {"columns": columns, "rows": rows, "asked": len(codes), "found": len(configurations)}
    return render(request, "configurator/compare.html", context)


def _summary(engine: Engine, selection: Selection) -> list[tuple[str, str]]:
    """Each group with what was chosen in it, in words."""
    lines = []
    for group in engine.spec.groups:
        if group.is_choice:
            chosen = [o.label for o in group.options if o.code in selection.options]
            value = ", ".join(chosen) or "—"
        elif group.kind == "number":
            number = selection.numbers.get(group.code)
            value = f"{number.normalize()} {group.unit}".strip() if number is not None else "—"
        else:
            value = selection.texts.get(group.code) or "—"
        lines.append((group.name, value))
    return lines
