"""Configurator API: evaluate a selection, choose an option (resolving conflicts), complete.

Every answer carries everything the configurator page shows. A selection made in an older
catalog version gets 409 with the current version; input the catalog cannot hold gets 400
naming each offending field.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    parser_classes,
    permission_classes,
)
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from c2b.rest import BAD_REQUEST, NOT_FOUND
from catalog import queries
from catalog.models import CatalogVersion
from configurator.compiled import engine_for, still_open
from configurator.engine.evaluate import Engine, Evaluation
from configurator.engine.pricing import Selection
from configurator.serializers import (
    ChooseAnswerSerializer,
    ChooseSerializer,
    CompleteSerializer,
    EvaluationSerializer,
    SelectionSerializer,
    VersionConflictSerializer,
)

CONFLICT = OpenApiResponse(
    VersionConflictSerializer, description="The catalog has a newer version."
)
CANNOT_COMPLETE = OpenApiResponse(
    VersionConflictSerializer, description="The current choices conflict; resolve them first."
)
COMMON = {400: BAD_REQUEST, 404: NOT_FOUND, 409: CONFLICT}


class VersionConflict(Exception):
    def __init__(self, current: CatalogVersion):
        self.current = current


def _version_and_input(request, slug: str, serializer_class):
    """1. The product's published version (404). 2. The body (400). 3. The version the
    selection was made in must be the current one (409)."""
    product = queries.product_get_published(slug)
    version = product.published[0]
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    if data.get("version", version.number) != version.number:
        raise VersionConflict(version)
    selection = Selection(frozenset(data["options"]), dict(data["numbers"]), dict(data["texts"]))
    return version, data, selection


def _checked(engine: Engine, selection: Selection) -> Selection:
    normalised, errors = engine.normalise(selection)
    if errors:
        raise ValidationError({error.field: [error.message] for error in errors})
    return selection


def _evaluation_data(version: CatalogVersion, evaluation: Evaluation) -> dict:
    remaining, prices = still_open(version, evaluation)
    selection = evaluation.selection
    missing = [e for e in evaluation.errors if e.field in evaluation.incomplete_groups]
    return EvaluationSerializer(
        {
            "version": version.number,
            "selection": {
                "options": sorted(selection.options),
                "numbers": selection.numbers,
                "texts": selection.texts,
            },
            "valid": evaluation.valid,
            "complete": evaluation.complete,
            "missing": missing,
            "conflict": evaluation.conflict,
            "states": list(evaluation.states.values()),
            "price": {
                "lines": evaluation.price.lines,
                "total": evaluation.price.total,
                "currency": "CNY",
            },
            "remaining": str(remaining),
            "distinct_prices": prices,
        }
    ).data


def _conflict_response(error: VersionConflict) -> Response:
    body = {
        "detail": "This selection was made in an older catalog version; re-check it "
        "against the current one.",
        "current_version": error.current.number,
    }
    return Response(body, status=status.HTTP_409_CONFLICT)


@extend_schema(request=SelectionSerializer, responses={200: EvaluationSerializer, **COMMON})
@api_view(["POST"])
@authentication_classes([])  # a pure computation on public data: no session, no CSRF
@permission_classes([AllowAny])
@parser_classes([JSONParser])
def evaluate(request, slug: str):
    """Every option's state with reasons, what is missing, the price and the count."""
    try:
        version, _, selection = _version_and_input(request, slug, SelectionSerializer)
    except VersionConflict as error:
        return _conflict_response(error)
    engine = engine_for(version)
    return Response(_evaluation_data(version, engine.evaluate(_checked(engine, selection))))


@extend_schema(request=ChooseSerializer, responses={200: ChooseAnswerSerializer, **COMMON})
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@parser_classes([JSONParser])
def choose(request, slug: str):
    """Choose an option; if it is excluded, give up the fewest current choices to allow it."""
    try:
        version, data, selection = _version_and_input(request, slug, ChooseSerializer)
    except VersionConflict as error:
        return _conflict_response(error)
    engine = engine_for(version)
    selection = _checked(engine, selection)
    if data["option"] not in engine.spec.options:
        raise ValidationError({"option": [f"There is no option {data['option']} in this catalog."]})
    gave_up = engine.resolve(selection, data["option"])
    chosen = engine.choose(selection, data["option"])
    body = {
        "gave_up": list(gave_up),
        "evaluation": _evaluation_data(version, engine.evaluate(chosen)),
    }
    return Response(body)


@extend_schema(
    request=CompleteSerializer,
    responses={200: EvaluationSerializer, **COMMON, 422: CANNOT_COMPLETE},
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@parser_classes([JSONParser])
def complete(request, slug: str):
    """Fill every remaining group: the cheapest valid completion, or the closest to the defaults."""
    try:
        version, data, selection = _version_and_input(request, slug, CompleteSerializer)
    except VersionConflict as error:
        return _conflict_response(error)
    engine = engine_for(version)
    completed = engine.complete(_checked(engine, selection), prefer=data["prefer"])
    if completed is None:
        body = {"detail": "These choices cannot be completed; resolve the conflict first.",
                "current_version": version.number}  # fmt: skip
        return Response(body, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    return Response(_evaluation_data(version, engine.evaluate(completed)))
