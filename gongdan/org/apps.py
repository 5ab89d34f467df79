from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "gongdan.org"
    label = "org"
    verbose_name = "组织"
