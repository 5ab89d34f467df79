from django.contrib.auth import views as auth_views
from django.urls import path

from . import exports, queue, views

# Each action on an order posts to /orders/<id>/<action in kebab case>/.
ORDER_ACTIONS = [
    ("confirm-category", views.confirm_category),
    ("dispatch", views.dispatch),
    ("mark-duplicate", views.mark_duplicate),
    ("accept", views.accept),
    ("transfer", views.transfer),
    ("record-contact", views.record_contact),
    ("record-site-visit", views.record_site_visit),
    ("attach-evidence", views.attach_evidence),
    ("submit-reply", views.submit_reply),
    ("judge-reply", views.judge_reply),
    ("follow-up", views.follow_up),
    ("request-extension", views.request_extension),
    ("request-return", views.request_return),
    ("request-plan", views.request_plan),
    ("request-unresolvable", views.request_unresolvable),
    ("request-statement", views.request_statement),
    ("decide-request", views.decide_request),
    ("review-plan", views.review_plan),
    ("rule-cannot-satisfy", views.rule_cannot_satisfy),
    ("progress-reply", views.progress_reply),
    ("extend-plan-step", views.extend_plan_step),
    ("keep-commitment", views.keep_commitment),
    ("confirm-commitment", views.confirm_commitment),
    ("decide-notice", views.decide_notice),
]

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("orders/", views.order_list, name="orders"),
    path("orders/new/", views.register, name="register"),
    path("orders/xlsx/", exports.orders_xlsx, name="orders_xlsx"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    *[
        path(f"orders/<int:pk>/{slug}/", view, name=slug.replace("-", "_"))
        for slug, view in ORDER_ACTIONS
    ],
    path("queue/", queue.queue, name="queue"),
    path("inbox/", views.inbox, name="inbox"),
    path("review/", views.review, name="review"),
    path("followups/", views.followups, name="followups"),
    path(
        "followups/<int:pk>/follow-up/",
        views.queue_follow_up,
        name="queue_follow_up",
    ),
    path("report/", views.report, name="report"),
    path("report/orders/", views.report_orders, name="report_orders"),
    path("report/xlsx/", exports.report_xlsx, name="report_xlsx"),
    path("report/orders/xlsx/", exports.report_orders_xlsx, name="report_orders_xlsx"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
