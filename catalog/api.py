"""Read-only REST API of the catalog."""

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated

from c2b.rest import BAD_REQUEST, FORBIDDEN, NOT_FOUND
from catalog import queries
from catalog.models import CatalogVersion, ProductionLine, ProductModel
from catalog.serializers import (
    CatalogSerializer,
    ProductionLineSerializer,
    ProductSerializer,
    VersionSummarySerializer,
)


@extend_schema(responses={200: ProductSerializer(many=True), 400: BAD_REQUEST})
class ProductList(generics.ListAPIView):
    """Products that have a published catalog."""

    serializer_class = ProductSerializer

    def get_queryset(self) -> QuerySet[ProductModel]:
        return queries.published_products()


@extend_schema(responses={200: ProductSerializer, 404: NOT_FOUND})
class ProductDetail(generics.RetrieveAPIView):
    serializer_class = ProductSerializer

    def get_object(self) -> ProductModel:
        return queries.product_get_published(self.kwargs["slug"])


@extend_schema(responses={200: CatalogSerializer, 404: NOT_FOUND})
class PublishedCatalog(generics.RetrieveAPIView):
    """The product's current published catalog: groups, options, rules and price rules."""

    serializer_class = CatalogSerializer

    def get_object(self) -> CatalogVersion:
        product = queries.product_get_published(self.kwargs["slug"])
        return queries.version_get_for_user(
            self.request.user, product.slug, product.published[0].number
        )


@extend_schema(
    responses={200: VersionSummarySerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND}
)
class VersionList(generics.ListAPIView):
    """The product's catalog versions you may see: published and retired ones for everyone,
    drafts for admins and the maker's own staff."""

    serializer_class = VersionSummarySerializer

    def get_queryset(self) -> QuerySet[CatalogVersion]:
        versions = queries.versions_visible_to(self.request.user, self.kwargs["slug"])
        if not versions.exists():
            raise Http404("No product with visible catalog versions has that slug.")
        return versions.order_by("-number")


@extend_schema(responses={200: CatalogSerializer, 404: NOT_FOUND})
class VersionDetail(generics.RetrieveAPIView):
    serializer_class = CatalogSerializer

    def get_object(self) -> CatalogVersion:
        return queries.version_get_for_user(
            self.request.user, self.kwargs["slug"], self.kwargs["number"]
        )


@extend_schema(
    responses={200: ProductionLineSerializer(many=True), 400: BAD_REQUEST, 403: FORBIDDEN}
)
class ProductionLineList(generics.ListAPIView):
    """Your manufacturer's production lines (staff) or every line (admins)."""

    serializer_class = ProductionLineSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[ProductionLine]:
        return queries.lines_for_user(self.request.user).order_by("manufacturer__name", "code")


@extend_schema(responses={200: ProductionLineSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
class ProductionLineDetail(generics.RetrieveAPIView):
    serializer_class = ProductionLineSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[ProductionLine]:
        return queries.lines_for_user(self.request.user)
