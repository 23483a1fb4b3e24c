from django.db import models
from django.utils import timezone

from catalog.models import CatalogVersion


class CountingOrder(models.Model):
    """The BDD variable order learned for a published catalog version (see
    configurator/engine/counting.py). Kept apart from the version itself, which is
    immutable: the order is a derived artefact that can be relearned at any time."""

    version = models.OneToOneField(
        CatalogVersion, on_delete=models.CASCADE, related_name="counting_order"
    )
    variables = models.JSONField()
    nodes = models.PositiveIntegerField(help_text="BDD size with this order.")
    learned_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Counting order of {self.version} ({self.nodes} nodes)"
