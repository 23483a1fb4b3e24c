from django.urls import path

from catalog import api

urlpatterns = [
    path("products/", api.ProductList.as_view(), name="api-product-list"),
    path("products/<str:slug>/", api.ProductDetail.as_view(), name="api-product-detail"),
    path("products/<str:slug>/catalog/", api.PublishedCatalog.as_view(), name="api-catalog"),
    path("products/<str:slug>/versions/", api.VersionList.as_view(), name="api-version-list"),
    path(
        "products/<str:slug>/versions/<int:number>/",
        api.VersionDetail.as_view(),
        name="api-version-detail",
    ),
    path("production-lines/", api.ProductionLineList.as_view(), name="api-line-list"),
    path("production-lines/<int:pk>/", api.ProductionLineDetail.as_view(), name="api-line-detail"),
]
