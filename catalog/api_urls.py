from django.urls import path

from catalog import api
from configurator import api as configurator_api

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
    path("products/<str:slug>/evaluate/", configurator_api.evaluate, name="api-evaluate"),
    path("products/<str:slug>/choose/", configurator_api.choose, name="api-choose"),
    path("products/<str:slug>/complete/", configurator_api.complete, name="api-complete"),
    path("production-lines/", api.ProductionLineList.as_view(), name="api-line-list"),
    path("production-lines/<int:pk>/", api.ProductionLineDetail.as_view(), name="api-line-detail"),
]
