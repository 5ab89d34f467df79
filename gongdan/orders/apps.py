from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "gongdan.orders"
    label = "orders"
    verbose_name = "工单"
