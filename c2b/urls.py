from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from c2b.rest import api_not_found
from c2b.site_views import favicon, healthz
from catalog import views as catalog_views
from configurator import views as configurator_views

admin.site.site_header = "C2B catalog administration"
admin.site.site_title = "C2B admin"

urlpatterns = [
    path("", catalog_views.home, name="home"),
    path("products/<slug:slug>/", catalog_views.product_detail, name="product-detail"),
    path("configure/<slug:slug>/", configurator_views.configure, name="configure"),
    path(
        "configure/<slug:slug>/save/",
        configurator_views.configuration_save_view,
        name="configuration-save",
    ),
    path(
        "c/<str:share_code>/", configurator_views.configuration_detail, name="configuration-detail"
    ),
    path(
        "c/<str:share_code>/delete/",
        configurator_views.configuration_delete_view,
        name="configuration-delete",
    ),
    path("my/configurations/", configurator_views.my_configurations, name="my-configurations"),
    path("compare/", configurator_views.compare, name="compare"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz/", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("api/", include("catalog.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets style attributes as it renders: inline styles (never scripts) are
    # allowed on this one page.
    path(
        "api/docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="schema")
        ),
        name="api-docs",
    ),
    re_path(r"^api/(?P<path>.*)$", api_not_found),
]
