from django.urls import path

from orders import api

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
]
