from django.apps import AppConfig


class ConfiguratorConfig(AppConfig):
    name = "configurator"

    def ready(self) -> None:
        from django.utils.translation import gettext

        from configurator.engine import i18n

        i18n.use(gettext)
