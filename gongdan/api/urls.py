from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("orders", views.OrderViewSet, basename="order")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("report/", views.report, name="api-report"),
    path("report/facts/", views.report_facts, name="api-report-facts"),
    *router.urls,
]
