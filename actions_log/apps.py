from django.apps import AppConfig


class ActionsLogConfig(AppConfig):
    name = "actions_log"
    verbose_name = "Action logs"
