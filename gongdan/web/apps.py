from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "gongdan.web"
    label = "web"
