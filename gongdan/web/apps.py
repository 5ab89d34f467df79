from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "gongdan.web"
    label = "web"
    verbose_name = "页面"
