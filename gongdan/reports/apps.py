from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongdan.reports"
    label = "reports"
    verbose_name = "考核"
