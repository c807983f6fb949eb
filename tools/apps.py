from django.apps import AppConfig


class ToolsConfig(AppConfig):
    """Registers the bench and seed_demo management commands; no models."""

    name = "tools"
    verbose_name = "Tools (bench, demo)"
