from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gongdan.api"
    label = "api"
    verbose_name = "接口"
