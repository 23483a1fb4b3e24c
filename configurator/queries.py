"""Reads of saved configurations, each with its access rule."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404

from configurator.engine.pricing import Selection
from configurator.models import SavedConfiguration


def selection_of(configuration: SavedConfiguration) -> Selection:
    return Selection(
        frozenset(configuration.options),
        {code: Decimal(value) for code, value in configuration.numbers.items()},
        dict(configuration.texts),
    )


def configurations_of(request) -> QuerySet[SavedConfiguration]:
    """The signed-in user's configurations, or those of this anonymous session."""
    mine = SavedConfiguration.objects.select_related("version__product_model")
    if request.user.is_authenticated:
        return mine.filter(owner=request.user)
    if not request.session.session_key:
        return mine.none()
    return mine.filter(owner__isnull=True, session_key=request.session.session_key)


def configuration_get_for_owner(request, share_code: str) -> SavedConfiguration:
    configuration = configurations_of(request).filter(share_code=share_code).first()
    if configuration is None:
        raise Http404("No configuration of yours has that code.")
    return configuration


def configuration_by_share_code(share_code: str) -> SavedConfiguration:
    """Share links are readable by anyone who has them."""
    configuration = (
        SavedConfiguration.objects.select_related("version__product_model__manufacturer")
        .filter(share_code=share_code)
        .first()
    )
    if configuration is None:
        raise Http404("No configuration has that share code.")
    return configuration


def configurations_by_share_codes(codes: list[str]) -> list[SavedConfiguration]:
    found = {
        c.share_code: c
        for c in SavedConfiguration.objects.select_related("version__product_model").filter(
            Q(share_code__in=codes)
        )
    }
    return [found[code] for code in codes if code in found]
