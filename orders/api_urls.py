from django.urls import path

from orders import api, plan_api

urlpatterns = [
    path("auth/token/", api.TokenObtain.as_view(), name="api-token"),
    path("orders/", api.OrderList.as_view(), name="api-order-list"),
    path("orders/<str:reference>/", api.OrderDetail.as_view(), name="api-order-detail"),
    path("orders/<str:reference>/cancel/", api.order_cancel_view, name="api-order-cancel"),
    path(
        "orders/<str:reference>/accept-swap/",
        api.order_accept_swap_view,
        name="api-order-accept-swap",
    ),
    path("payments/<str:provider>/callback/", api.payment_callback_view, name="payment-callback"),
    path("batches/", api.BatchList.as_view(), name="api-batch-list"),
    path("batches/<int:pk>/", api.BatchDetail.as_view(), name="api-batch-detail"),
    path("planning-jobs/", plan_api.JobList.as_view(), name="api-planning-jobs"),
    path("planning-jobs/<int:pk>/", plan_api.JobDetail.as_view(), name="api-planning-job"),
    path(
        "planning-jobs/<int:pk>/cancel/",
        plan_api.job_cancel_view,
        name="api-planning-job-cancel",
    ),
    path("plans/", plan_api.PlanList.as_view(), name="api-plans"),
    path("plans/<int:pk>/", plan_api.PlanDetail.as_view(), name="api-plan"),
    path("plans/<int:pk>/approve/", plan_api.plan_approve_view, name="api-plan-approve"),
    path("plans/<int:pk>/reject/", plan_api.plan_reject_view, name="api-plan-reject"),
    path("plans/<int:pk>/release/", plan_api.plan_release_view, name="api-plan-release"),
]
