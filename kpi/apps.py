from django.apps import AppConfig


class KpiConfig(AppConfig):
    name = "kpi"
    verbose_name = "KPI"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the tasks that services enqueue by name)
        from .api import schema  # noqa: F401  (registers the OpenAPI auth extension)
        from .services import board_cache

        board_cache.connect()
