import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from catalog.models import CatalogVersion

SHARE_CODE_BYTES = 6  # 8 URL-safe characters, 2**48 codes: not guessable by enumeration


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


def new_share_code() -> str:
    return secrets.token_urlsafe(SHARE_CODE_BYTES)


class SavedConfiguration(models.Model):
    """A consumer's configuration, pinned to the catalog version it was made in. Owned by
    a signed-in user or, for anonymous consumers, by their session. Anyone holding the
    share code may open it read-only."""

    version = models.ForeignKey(CatalogVersion, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_configurations",
    )
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    name = models.CharField(max_length=80, blank=True)
    options = models.JSONField(default=list)
    numbers = models.JSONField(default=dict)
    texts = models.JSONField(default=dict)
    total = models.DecimalField(max_digits=14, decimal_places=2, help_text="CNY when saved")
    share_code = models.CharField(max_length=16, unique=True, default=new_share_code)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(session_key=""),
                name="saved_configuration_has_an_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name or f"Configuration {self.share_code}"
