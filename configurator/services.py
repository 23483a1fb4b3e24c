"""Writes of the configurator: saving and deleting configurations."""

from __future__ import annotations

from django.db import transaction

from catalog.models import CatalogVersion
from configurator.engine.pricing import Selection
from configurator.models import SavedConfiguration


def configuration_save(
    *,
    version: CatalogVersion,
    selection: Selection,
    total,
    owner=None,
    session_key: str = "",
    name: str = "",
) -> SavedConfiguration:
    """Save a normalised selection; the caller has checked it against the version."""
    return SavedConfiguration.objects.create(
        version=version,
        owner=owner,
        session_key="" if owner else session_key,
        name=name.strip()[:80],
        options=sorted(selection.options),
        numbers={code: str(value) for code, value in selection.numbers.items()},
        texts=dict(selection.texts),
        total=total,
    )


@transaction.atomic
def configuration_delete(*, configuration: SavedConfiguration) -> None:
    configuration.delete()
