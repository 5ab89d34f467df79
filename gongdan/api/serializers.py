"""API shapes: read serializers for orders, input serializers per action."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from gongdan.followups.models import Notice, Rating
from gongdan.orders.actions import CONTACT_METHODS
from gongdan.orders.models import (
    Attachment,
    Commitment,
    Event,
    Kind,
    Order,
    PlanStep,
    Reply,
    Request,
    Source,
    UnresolvableReason,
    Urgency,
)
from gongdan.orders.procedures import return_due
from gongdan.orders.queries import explain_due, order_is_overdue
from gongdan.rules.deadlines import time_left_label
from gongdan.rules.intake import mask_name, mask_phone
from gongdan.rules.replies import REPLY_KINDS
from gongdan.rules.workdays import format_due
from gongdan.rules.workflow import OPEN_STATES


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username")
    unit = serializers.CharField(source="unit.code", allow_null=True, default=None)

    class Meta:
        model = Event
        fields = ["seq", "action", "actor", "unit", "at", "recorded_at", "data"]


class ReplySerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")

    class Meta:
        model = Reply
        fields = [
            "id",
            "unit",
            "kind",
            "elements",
            "caller_delay",
            "submitted_at",
            "verdict",
            "judged_at",
            "judge_reason",
        ]


class RequestSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")

    class Meta:
        model = Request
        fields = [
            "id",
            "kind",
            "unit",
            "days",
            "reason",
            "data",
            "late",
            "requested_at",
            "state",
            "decided_at",
            "decision_reason",
        ]


class PlanStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanStep
        fields = [
            "id",
            "seq",
            "kind",
            "title",
            "due_at",
            "extended_by_appeal",
            "replied_at",
            "progress",
        ]


class CommitmentSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")

    class Meta:
        model = Commitment
        fields = [
            "id",
            "unit",
            "promise",
            "due_at",
            "state",
            "made_at",
            "claimed_at",
            "claim_note",
            "confirmed_at",
        ]


class NoticeSerializer(serializers.ModelSerializer):
    """A notice against a unit, raised by a follow-up (R5.6)."""

    unit = serializers.CharField(source="unit.code")

    class Meta:
        model = Notice
        fields = ["id", "unit", "raised_at", "state", "decided_at", "reason"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = [
            "id",
            "original_name",
            "media_kind",
            "content_type",
            "size",
            "sha256",
            "description",
            "purpose",
            "uploaded_at",
        ]


class OrderSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    category = serializers.CharField(
        source="category.name", allow_null=True, default=None
    )
    unit = serializers.CharField(source="unit.code", allow_null=True, default=None)
    overdue = serializers.SerializerMethodField()
    due_display = serializers.SerializerMethodField()
    # Lists show the caller masked; one order's detail shows what the
    # reader may see (``caller`` in the context, orders.queries.caller_of).
    caller_name = serializers.SerializerMethodField()
    caller_phone = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "external_no",
            "source",
            "kind",
            "category",
            "category_undetermined",
            "urgency",
            "content",
            "address",
            "district",
            "caller_name",
            "caller_phone",
            "received_at",
            "registered_at",
            "state",
            "unit",
            "dispatched_at",
            "accepted_at",
            "due_at",
            "due_display",
            "due_provisional",
            "limit_label",
            "pending_reply_at",
            "valid_reply_at",
            "closed_at",
            "redo_count",
            "overdue",
        ]

    def get_caller_name(self, order: Order) -> str:
        caller = self.context.get("caller")
        return caller[0] if caller else mask_name(order.caller_name)

    def get_caller_phone(self, order: Order) -> str:
        caller = self.context.get("caller")
        return caller[1] if caller else mask_phone(order.caller_phone)

    def get_overdue(self, order: Order) -> bool:
        return order_is_overdue(order, timezone.now())

    def get_due_display(self, order: Order) -> str | None:
        return format_due(order.due_at) if order.due_at else None


class OrderDetailSerializer(OrderSerializer):
    events = EventSerializer(many=True, read_only=True)
    replies = ReplySerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    requests = RequestSerializer(many=True, read_only=True)
    plan_steps = PlanStepSerializer(many=True, read_only=True)
    commitments = CommitmentSerializer(many=True, read_only=True)
    notices = NoticeSerializer(many=True, read_only=True)
    return_due_at = serializers.SerializerMethodField()
    due_explanation = serializers.SerializerMethodField()
    time_left = serializers.SerializerMethodField()

    class Meta(OrderSerializer.Meta):
        fields = [
            *OrderSerializer.Meta.fields,
            "limit_amount",
            "limit_unit",
            "platform_due_at",
            "unit_received_at",
            "return_due_at",
            "returned_at",
            "return_late",
            "due_explanation",
            "time_left",
            "events",
            "replies",
            "attachments",
            "requests",
            "plan_steps",
            "commitments",
            "notices",
            "closure",
            "caller_delay_accepted",
            "continue_ruled_at",
        ]

    def get_due_explanation(self, order: Order) -> list[str]:
        return explain_due(order)

    def get_time_left(self, order: Order) -> str | None:
        if order.due_at is None or order.state not in OPEN_STATES:
            return None
        return time_left_label(order.due_at, timezone.now())

    def get_return_due_at(self, order: Order) -> str | None:
        due = return_due(order)
        return due.isoformat() if due else None


class RegisterInput(serializers.Serializer):
    external_no = serializers.CharField(required=False, allow_blank=True, max_length=64)
    source = serializers.ChoiceField(choices=Source.choices)
    kind = serializers.ChoiceField(choices=Kind.choices)
    category = serializers.CharField(required=False, allow_blank=True, max_length=50)
    category_undetermined = serializers.BooleanField(required=False, default=False)
    candidate_unit = serializers.CharField(
        required=False, allow_blank=True, help_text="分类待确认时，负责确认的单位代码"
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    content = serializers.CharField(allow_blank=True, trim_whitespace=False)
    address = serializers.CharField(allow_blank=True, max_length=300)
    district = serializers.CharField(allow_blank=True, required=False, max_length=50)
    caller_name = serializers.CharField(allow_blank=True, max_length=100)
    caller_phone = serializers.CharField(allow_blank=True, max_length=32)
    received_at = serializers.DateTimeField()


class UnitInput(serializers.Serializer):
    unit = serializers.CharField(help_text="单位代码，如 EAST")


class TransferInput(UnitInput):
    reason = serializers.CharField()


class CategoryInput(serializers.Serializer):
    category = serializers.CharField()


class DuplicateInput(serializers.Serializer):
    original = serializers.IntegerField(help_text="原工单 id")


class ContactInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=list(CONTACT_METHODS))
    outcome = serializers.CharField(allow_blank=True)
    contacted_at = serializers.DateTimeField(required=False)
    refused_meeting = serializers.BooleanField(required=False, default=False)


class SiteVisitInput(serializers.Serializer):
    findings = serializers.CharField(allow_blank=True)
    visited_at = serializers.DateTimeField(required=False)
    face_to_face = serializers.BooleanField(required=False, default=False)


class AttachmentInput(serializers.Serializer):
    file = serializers.FileField()
    purpose = serializers.ChoiceField(
        choices=["evidence", "proof", "statement"], required=False, default="evidence"
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=300
    )


class SubmitReplyInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(REPLY_KINDS))
    elements = serializers.DictField(child=serializers.CharField(allow_blank=True))
    caller_delay = serializers.BooleanField(required=False, default=False)


class JudgeReplyInput(serializers.Serializer):
    valid = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True)
    caller_delay_accepted = serializers.BooleanField(required=False, default=False)


class FollowUpInput(serializers.Serializer):
    reached = serializers.BooleanField()
    failure_reason = serializers.CharField(required=False, allow_blank=True)
    contacted = serializers.BooleanField(required=False, allow_null=True, default=None)
    consistent = serializers.BooleanField(required=False, allow_null=True, default=None)
    process = serializers.ChoiceField(
        choices=Rating.choices, required=False, allow_blank=True, default=""
    )
    result = serializers.ChoiceField(
        choices=Rating.choices, required=False, allow_blank=True, default=""
    )
    feedback = serializers.BooleanField(required=False, allow_null=True, default=None)
    false_report = serializers.BooleanField(
        required=False, allow_null=True, default=None
    )
    threatened = serializers.BooleanField(required=False, default=False)
    cause = serializers.ChoiceField(
        choices=["", "unit", "objective"], required=False, default=""
    )
    note = serializers.CharField(required=False, allow_blank=True)


class ExtensionInput(serializers.Serializer):
    days = serializers.IntegerField(help_text="延期工作日，1–5")
    reason = serializers.CharField(allow_blank=True)


class ReturnInput(serializers.Serializer):
    site_check = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(allow_blank=True)
    legal_basis = serializers.CharField(allow_blank=True)


class DecideInput(serializers.Serializer):
    request = serializers.IntegerField(help_text="申请 id")
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True)


class PlanStepInput(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    date = serializers.DateField()


class PlanInput(serializers.Serializer):
    measures = serializers.CharField(allow_blank=True)
    steps = PlanStepInput(many=True)
    acceptance = serializers.CharField(allow_blank=True)


class ReviewInput(DecideInput):
    pass


class UnresolvableInput(serializers.Serializer):
    reason_code = serializers.ChoiceField(choices=UnresolvableReason.values)
    explanation = serializers.CharField(allow_blank=True)


class StatementInput(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)


class RulingInput(serializers.Serializer):
    reasonable = serializers.BooleanField()
    oa_ref = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(allow_blank=True)


class ProgressInput(serializers.Serializer):
    step = serializers.IntegerField()
    progress = serializers.CharField(allow_blank=True)


class StepExtensionInput(serializers.Serializer):
    step = serializers.IntegerField()
    new_date = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)


class KeepCommitmentInput(serializers.Serializer):
    commitment = serializers.IntegerField()
    note = serializers.CharField(allow_blank=True)


class ConfirmCommitmentInput(serializers.Serializer):
    commitment = serializers.IntegerField()
    confirm = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True)


class DecideNoticeInput(serializers.Serializer):
    notice = serializers.IntegerField(help_text="通报 id")
    confirm = serializers.BooleanField(help_text="true 确认通报，false 不予通报")
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="不予通报时必填（D6）"
    )


class ProblemSerializer(serializers.Serializer):
    rule = serializers.CharField(allow_null=True, help_text="规则编号，如 R4.1")
    code = serializers.CharField(help_text="稳定的错误代码")
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField(help_text="中文说明")


class RefusalSerializer(ProblemSerializer):
    """A refused request; ``problems`` lists each when several rules refused."""

    problems = ProblemSerializer(many=True, required=False)


class FactSerializer(serializers.Serializer):
    """One order behind a figure of the assessment, and why it counts."""

    order = serializers.CharField(source="order.number")
    order_id = serializers.IntegerField()
    unit = serializers.CharField(source="unit.code")
    figure = serializers.CharField()
    at = serializers.DateTimeField()
    value = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()
