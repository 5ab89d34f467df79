from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "gongdan.followups"
    label = "followups"
    verbose_name = "回访"
