from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from analytics import views as analytics_views
from c2b.rest import api_not_found
from c2b.site_views import favicon, healthz, ping
from catalog import views as catalog_views
from configurator import views as configurator_views
from orders import plan_views
from orders import views as order_views

handler500 = "c2b.middleware.server_error"

admin.site.site_header = "C2B catalog administration"
admin.site.site_title = "C2B admin"

api_patterns = [
    path("", include("catalog.api_urls")),
    path("", include("orders.api_urls")),
    path("", include("analytics.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets style attributes as it renders: inline styles (never scripts) are
    # allowed on this one page.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="schema")
        ),
        name="api-docs",
    ),
    re_path(r"^(?P<path>[\s\S]*)$", api_not_found),  # [\s\S]: newlines too
]

urlpatterns = [
    # First, and under one prefix: an API call (placing an order is the hot path) is
    # matched without trying every page's pattern, and a page skips the API's at once.
    path("api/", include(api_patterns)),
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
    path("order/<slug:slug>/", order_views.order_new, name="order-new"),
    path("orders/", order_views.my_orders, name="my-orders"),
    path("orders/<str:reference>/", order_views.order_detail, name="order-detail"),
    path("orders/<str:reference>/pay/", order_views.order_pay, name="order-pay"),
    path("orders/<str:reference>/cancel/", order_views.order_cancel_page, name="order-cancel"),
    path("orders/<str:reference>/swap/", order_views.order_swap_page, name="order-swap"),
    path(
        "sandbox/checkout/<str:checkout_id>/",
        order_views.sandbox_checkout,
        name="sandbox-checkout",
    ),
    path("staff/batches/", order_views.batch_list, name="batch-list"),
    path("staff/batches/<int:pk>/", order_views.batch_detail, name="batch-detail"),
    path("staff/plans/", plan_views.plan_list, name="plan-list"),
    path("staff/plans/request/", plan_views.plan_request, name="plan-request"),
    path("staff/plans/jobs/<int:pk>/", plan_views.job_detail, name="planning-job"),
    path("staff/plans/jobs/<int:pk>/cancel/", plan_views.job_cancel, name="planning-job-cancel"),
    path("staff/plans/<int:pk>/", plan_views.plan_detail, name="plan-detail"),
    path("staff/plans/<int:pk>/plan.csv", plan_views.plan_csv, name="plan-csv"),
    path("staff/plans/<int:pk>/materials.csv", plan_views.materials_csv, name="plan-materials-csv"),
    path("staff/plans/<int:pk>/<str:action>/", plan_views.plan_decide, name="plan-decide"),
    path("staff/insights/", analytics_views.insights_home, name="insights"),
    path(
        "staff/insights/<slug:slug>/<slug:view>/",
        analytics_views.dashboard,
        name="insights-dashboard",
    ),
    path(
        "staff/insights/<slug:slug>/<slug:view>/<slug:table>.csv",
        analytics_views.dashboard_csv,
        name="insights-csv",
    ),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", order_views.signup, name="signup"),
    path("accounts/profile/", order_views.profile, name="profile"),
    path("accounts/password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("healthz/", healthz, name="healthz"),
    path("ping/", ping, name="ping"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
]
