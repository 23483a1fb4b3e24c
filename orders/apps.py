from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"

    def ready(self) -> None:
        # outbox handlers register on import; a worker must know them all before it relays
        from orders import plans, services  # noqa: F401
