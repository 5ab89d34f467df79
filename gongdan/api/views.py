"""The REST API: one endpoint per workflow action, each calling its action."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from gongdan.orders import actions, procedures
from gongdan.orders.models import Order
from gongdan.orders.queries import caller_of, due_soon_q, overdue_q, visible_orders
from gongdan.org.models import Unit
from gongdan.reports.queries import (
    PeriodError,
    drill_down,
    may_see_report,
    period_from,
    report_json,
)
from gongdan.rules.intake import check_moment

from . import serializers as s
from .pagination import Pages


class BoundedDateTimeField(forms.DateTimeField):
    """An ISO 8601 moment between 2000 and 2100 (D1); others are invalid."""

    def to_python(self, value):  # type: ignore[no-untyped-def]
        moment = super().to_python(value)
        if moment is not None and check_moment(moment, "received_at") is not None:
            raise forms.ValidationError("时间应在2000年至2100年之间，且带时区。")
        return moment


class BoundedDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedDateTimeField


class OrderFilter(django_filters.FilterSet):
    state = django_filters.CharFilter()
    unit = django_filters.CharFilter(field_name="unit__code")
    source = django_filters.CharFilter()
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    due_within_hours = django_filters.NumberFilter(
        method="filter_due_within", min_value=0, max_value=24 * 366
    )
    received_after = BoundedDateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = BoundedDateTimeFilter(field_name="received_at", lookup_expr="lt")

    class Meta:
        model = Order
        fields = ["state", "unit", "source", "overdue"]

    def filter_due_within(self, queryset, name, value):  # type: ignore[no-untyped-def]
        """Open orders still in time but due within ``value`` hours."""
        return queryset.filter(
            due_soon_q(timezone.now(), timedelta(hours=float(value)))
        )

    def filter_overdue(self, queryset, name, value):  # type: ignore[no-untyped-def]
        condition = overdue_q(timezone.now())
        return queryset.filter(condition) if value else queryset.exclude(condition)


# Every action answers the order as it now stands, or one refusal.
ACTION_RESPONSES = {
    200: s.OrderDetailSerializer,
    400: s.RefusalSerializer,
    403: s.RefusalSerializer,
    404: s.RefusalSerializer,
    409: s.RefusalSerializer,
}

DETAIL_PREFETCH = (
    "events__actor",
    "events__unit",
    "replies__unit",
    "attachments",
    "requests__unit",
    "plan_steps",
    "commitments__unit",
    "notices__unit",
)


def unit_by_code(code: str) -> Unit:
    return get_object_or_404(Unit, code=code)


class OrderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Orders: record, list, read, and act on them."""

    filterset_class = OrderFilter
    queryset = Order.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):  # type: ignore[no-untyped-def]
        orders = visible_orders(self.request.user).order_by("-received_at", "-pk")
        if self.action == "retrieve":
            orders = orders.prefetch_related(*DETAIL_PREFETCH)
        return orders

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        if self.action == "retrieve":
            return s.OrderDetailSerializer
        return s.OrderSerializer

    def done(self, order: Order, code: int = status.HTTP_200_OK) -> Response:
        """Answer the order as it now stands, as this reader may see it."""
        order = self.get_queryset().prefetch_related(*DETAIL_PREFETCH).get(pk=order.pk)
        caller = caller_of(self.request.user, order, "api")
        detail = s.OrderDetailSerializer(order, context={"caller": caller})
        return Response(detail.data, status=code)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.done(self.get_object())

    def inputs(self, serializer_class, request: Request) -> dict:  # type: ignore[no-untyped-def]
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def run(self, request: Request, pk: str, inputs, action_fn) -> Response:  # type: ignore[no-untyped-def]
        """Validate the body with ``inputs`` and call one action with it."""
        data = self.inputs(inputs, request)
        order = self.get_object()
        action_fn(order, request.user, **data)
        return self.done(order)

    @extend_schema(request=s.RegisterInput, responses={201: s.OrderDetailSerializer})
    def create(self, request: Request) -> Response:
        data = self.inputs(s.RegisterInput, request)
        order = actions.do_register(request.user, data)
        return self.done(order, status.HTTP_201_CREATED)

    @extend_schema(request=s.CategoryInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="confirm-category")
    def confirm_category(self, request: Request, pk: str) -> Response:
        data = self.inputs(s.CategoryInput, request)
        order = self.get_object()
        actions.do_confirm_category(order, request.user, data["category"])
        return self.done(order)

    @extend_schema(request=s.UnitInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_order(self, request: Request, pk: str) -> Response:
        data = self.inputs(s.UnitInput, request)
        order = self.get_object()
        actions.do_dispatch(order, request.user, unit_by_code(data["unit"]))
        return self.done(order)

    @extend_schema(request=s.DuplicateInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="mark-duplicate")
    def mark_duplicate(self, request: Request, pk: str) -> Response:
        data = self.inputs(s.DuplicateInput, request)
        order = self.get_object()
        original = get_object_or_404(self.get_queryset(), pk=data["original"])
        actions.do_mark_duplicate(order, request.user, original)
        return self.done(order)

    @extend_schema(request=None, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        order = self.get_object()
        actions.do_accept(order, request.user)
        return self.done(order)

    @extend_schema(request=s.TransferInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str) -> Response:
        data = self.inputs(s.TransferInput, request)
        order = self.get_object()
        actions.do_transfer(
            order, request.user, unit_by_code(data["unit"]), data["reason"]
        )
        return self.done(order)

    @extend_schema(request=s.ContactInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="record-contact")
    def record_contact(self, request: Request, pk: str) -> Response:
        return self.run(request, pk, s.ContactInput, actions.do_record_contact)

    @extend_schema(request=s.SiteVisitInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="record-site-visit")
    def record_site_visit(self, request: Request, pk: str) -> Response:
        return self.run(request, pk, s.SiteVisitInput, actions.do_record_site_visit)

    @extend_schema(request=s.AttachmentInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def attachments(self, request: Request, pk: str) -> Response:
        data = self.inputs(s.AttachmentInput, request)
        order = self.get_object()
        upload = data["file"]
        actions.do_attach_evidence(
            order,
            request.user,
            name=upload.name,
            content=upload.read(),
            description=data.get("description", ""),
            purpose=data["purpose"],
        )
        return self.done(order, status.HTTP_201_CREATED)

    @extend_schema(request=s.SubmitReplyInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="submit-reply")
    def submit_reply(self, request: Request, pk: str) -> Response:
        return self.run(request, pk, s.SubmitReplyInput, actions.do_submit_reply)

    @extend_schema(request=s.JudgeReplyInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="judge-reply")
    def judge_reply(self, request: Request, pk: str) -> Response:
        return self.run(request, pk, s.JudgeReplyInput, actions.do_judge_reply)

    @extend_schema(request=s.ExtensionInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="request-extension")
    def request_extension(self, request: Request, pk: str) -> Response:
        return self.run(request, pk, s.ExtensionInput, procedures.do_request_extension)

    @extend_schema(request=s.ReturnInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="return")
    def request_return(self, request: Request, pk: str) -> Response:
        return self.run(request, pk, s.ReturnInput, procedures.do_request_return)

    @extend_schema(request=s.DecideInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="decide-request")
    def decide_request(self, request: Request, pk: str) -> Response:
        return self.run(request, pk, s.DecideInput, procedures.do_decide_request)

    @extend_schema(request=s.FollowUpInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, pk: str) -> Response:
        return self.run(request, pk, s.FollowUpInput, actions.do_follow_up)

    @extend_schema(request=s.PlanInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="request-plan")
    def request_plan(self, request: Request, pk: str) -> Response:
        return self.run(request, pk, s.PlanInput, procedures.do_request_plan)

    @extend_schema(request=s.ReviewInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="review-plan")
    def review_plan(self, request: Request, pk: str) -> Response:
        return self.run(request, pk, s.ReviewInput, procedures.do_review_plan)

    @extend_schema(request=s.UnresolvableInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="request-unresolvable")
    def request_unresolvable(self, request: Request, pk: str) -> Response:
        return self.run(
            request, pk, s.UnresolvableInput, procedures.do_request_unresolvable
        )

    @extend_schema(request=s.StatementInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="request-statement")
    def request_statement(self, request: Request, pk: str) -> Response:
        return self.run(request, pk, s.StatementInput, procedures.do_request_statement)

    @extend_schema(request=s.RulingInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="rule-cannot-satisfy")
    def rule_cannot_satisfy(self, request: Request, pk: str) -> Response:
        return self.run(request, pk, s.RulingInput, procedures.do_rule_cannot_satisfy)

    @extend_schema(request=s.ProgressInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="progress-reply")
    def progress_reply(self, request: Request, pk: str) -> Response:
        return self.run(request, pk, s.ProgressInput, procedures.do_progress_reply)

    @extend_schema(request=s.StepExtensionInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="extend-plan-step")
    def extend_plan_step(self, request: Request, pk: str) -> Response:
        return self.run(
            request, pk, s.StepExtensionInput, procedures.do_extend_plan_step
        )

    @extend_schema(request=s.KeepCommitmentInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="keep-commitment")
    def keep_commitment(self, request: Request, pk: str) -> Response:
        return self.run(
            request, pk, s.KeepCommitmentInput, procedures.do_keep_commitment
        )

    @extend_schema(request=s.ConfirmCommitmentInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="confirm-commitment")
    def confirm_commitment(self, request: Request, pk: str) -> Response:
        return self.run(
            request, pk, s.ConfirmCommitmentInput, procedures.do_confirm_commitment
        )

    @extend_schema(request=s.DecideNoticeInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="decide-notice")
    def decide_notice(self, request: Request, pk: str) -> Response:
        return self.run(request, pk, s.DecideNoticeInput, procedures.do_decide_notice)


PERIOD_FIELDS = ("quarter", "start", "end")
REPORT_PARAMETERS = [
    OpenApiParameter("quarter", str, description="季度，如 2026Q3"),
    OpenApiParameter("start", OpenApiTypes.DATE, description="开始日期（含）"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="结束日期（含）"),
]


@extend_schema(parameters=REPORT_PARAMETERS, responses=dict)
@api_view(["GET"])
def report(request: Request) -> Response:
    """The quarterly assessment, as ``gongdan report --format json``."""
    if not may_see_report(request.user):
        return Response(
            {
                "rule": None,
                "code": "role_not_allowed",
                "field": None,
                "message": "当前角色不能查看季度考核。",
            },
            status=status.HTTP_403_FORBIDDEN,
        )
    try:
        period = period_from(request.query_params)
    except PeriodError as error:
        return Response(
            {
                "rule": None,
                "code": "period_invalid",
                "field": error.field,
                "message": str(error),
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    return Response(report_json(period))


def refusal(code: str, field: str | None, message: str, status_code: int) -> Response:
    return Response(
        {"rule": None, "code": code, "field": field, "message": message},
        status=status_code,
    )


@extend_schema(
    parameters=[
        *REPORT_PARAMETERS,
        OpenApiParameter("figure", str, required=True, description="指标，如 overdue"),
        OpenApiParameter("unit", str, description="单位代码；TOTAL 或省略为集团"),
        OpenApiParameter("limit", int),
        OpenApiParameter("offset", int),
    ],
    responses={
        200: s.FactSerializer(many=True),
        400: s.RefusalSerializer,
        403: s.RefusalSerializer,
    },
)
@api_view(["GET"])
def report_facts(request: Request) -> Response:
    """The orders behind one figure, oldest first, each with why it counts;
    orders the user may not see are left out (R4.6, D5)."""
    if not may_see_report(request.user):
        return refusal(
            "role_not_allowed",
            None,
            "当前角色不能查看季度考核。",
            status.HTTP_403_FORBIDDEN,
        )
    try:
        drill = drill_down(request.query_params)
    except PeriodError as error:
        code = "period_invalid" if error.field in PERIOD_FIELDS else None
        return refusal(code or f"{error.field}_invalid", error.field, str(error), 400)
    key, every = drill.figure.key, drill.facts
    facts = every.filter(
        order__in=visible_orders(request.user)  # type: ignore[arg-type]
    )
    pages = Pages()
    page = pages.paginate_queryset(facts, request)
    for fact in page or ():
        fact.figure = key
    answer = pages.get_paginated_response(s.FactSerializer(page, many=True).data)
    # The figure counts them all; the list leaves out what the user may not
    # see, and says how many.
    answer.data["hidden"] = every.count() - pages.count
    return answer
