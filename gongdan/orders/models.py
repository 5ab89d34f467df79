"""Orders, their append-only history, replies and attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongdan.org.models import Unit
from gongdan.rules import workflow
from gongdan.rules.intake import KINDS, SOURCES, URGENCIES
from gongdan.rules.replies import REPLY_KIND_LABELS
from gongdan.rules.submission import needs_evidence


class Source(models.TextChoices):
    WATER_HOTLINE = "water_hotline", SOURCES["water_hotline"]
    CITIZEN_HOTLINE = "citizen_hotline", SOURCES["citizen_hotline"]
    CONSTRUCTION_HOTLINE = "construction_hotline", SOURCES["construction_hotline"]
    OTHER = "other", SOURCES["other"]


Kind = models.TextChoices("Kind", [(k, (k, v)) for k, v in KINDS.items()])
Urgency = models.TextChoices("Urgency", [(k, (k, v)) for k, v in URGENCIES.items()])
State = models.TextChoices(
    "State", [(k, (k, v)) for k, v in workflow.STATE_LABELS.items()]
)
ReplyKind = models.TextChoices(
    "ReplyKind", [(k, (k, v)) for k, v in REPLY_KIND_LABELS.items()]
)


class Category(models.Model):
    """A node of the category tree; flags drive the evidence rule (R4.1)."""

    name = models.CharField("分类", max_length=50, unique=True)
    parent = models.CharField("上级分类", max_length=50)
    dispute = models.BooleanField("纠纷", default=False)
    hazard = models.BooleanField("隐患", default=False)
    default_urgency = models.CharField(
        "默认紧急程度", max_length=8, choices=Urgency.choices, default="normal"
    )

    class Meta:
        ordering = ["parent", "name"]
        verbose_name = verbose_name_plural = "诉求分类"

    def __str__(self) -> str:
        return f"{self.parent} / {self.name}"


class TimeLimit(models.Model):
    """A base time limit (D3); the most specific matching row applies."""

    source = models.CharField("来源", max_length=32, blank=True, choices=Source.choices)
    kind = models.CharField("诉求类型", max_length=16, blank=True, choices=Kind.choices)
    category = models.CharField("分类", max_length=50, blank=True)
    urgency = models.CharField(
        "紧急程度", max_length=8, blank=True, choices=Urgency.choices
    )
    amount = models.PositiveIntegerField("时限")
    unit = models.CharField(
        "单位",
        max_length=8,
        choices=[("hours", "小时"), ("workdays", "工作日")],
    )
    position = models.PositiveIntegerField("优先次序", default=0)
    note = models.CharField("依据", max_length=300, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = verbose_name_plural = "办理时限"

    def __str__(self) -> str:
        scope = " ".join(
            x for x in (self.source, self.kind, self.category, self.urgency) if x
        )
        return f"{scope or '默认'}: {self.amount} {self.get_unit_display()}"


class Order(models.Model):
    """One caller request. Its columns are what its events imply."""

    external_no = models.CharField(
        "外部工单号", max_length=64, unique=True, null=True, blank=True
    )
    source = models.CharField("来源", max_length=32, choices=Source.choices)
    kind = models.CharField("诉求类型", max_length=16, choices=Kind.choices)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, verbose_name="分类"
    )
    category_undetermined = models.BooleanField("分类待确认", default=False)
    # R1.2: the unit whose head must confirm an undetermined category.
    candidate_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="待确认单位",
    )
    urgency = models.CharField(
        "紧急程度", max_length=8, choices=Urgency.choices, default="normal"
    )
    content = models.TextField("诉求内容")
    address = models.CharField("地址", max_length=300)
    district = models.CharField("区域", max_length=50, blank=True)
    caller_name = models.CharField("来电人", max_length=100)
    caller_phone = models.CharField("来电号码", max_length=32)
    received_at = models.DateTimeField("受理时间")
    registered_at = models.DateTimeField("登记时间")

    state = models.CharField("状态", max_length=16, choices=State.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name="责任单位",
    )
    dispatched_at = models.DateTimeField("转办时间", null=True, blank=True)
    accepted_at = models.DateTimeField("签收时间", null=True, blank=True)
    due_at = models.DateTimeField("办理时限", null=True, blank=True)
    due_provisional = models.BooleanField("时限待定", default=False)
    limit_label = models.CharField("时限依据", max_length=100, blank=True)
    # The base limit fixed when the order was registered (D3): a later
    # change of the time-limit table does not touch it.
    limit_amount = models.PositiveIntegerField("基础时限", null=True, blank=True)
    limit_unit = models.CharField("时限单位", max_length=8, blank=True)
    # An outside platform's own deadline; the earlier of the two applies (D3).
    platform_due_at = models.DateTimeField("平台时限", null=True, blank=True)
    # R5.4: when the current unit received the order, and when its 12-hour
    # return window ends.
    unit_received_at = models.DateTimeField("单位接收时间", null=True, blank=True)
    returned_at = models.DateTimeField("回退时间", null=True, blank=True)
    # How the order was completed: "" (a reply), "plan", "unresolvable",
    # "statement" or "duplicate".
    closure = models.CharField("办结方式", max_length=16, blank=True)
    # R4.5, D4: a caller-caused delay whose proof the operations dept accepted.
    caller_delay_accepted = models.BooleanField("来电人原因延误已认定", default=False)
    # R3.4: when the quality group ruled a cannot-satisfy request reasonable;
    # the unit must then ask for an extension before replying again.
    continue_ruled_at = models.DateTimeField("评议继续办理时间", null=True, blank=True)
    return_late = models.BooleanField("超时回退", default=False)
    # The submission time of the reply now awaiting judgement, if any.
    pending_reply_at = models.DateTimeField("待审核回复时间", null=True, blank=True)
    # The submission time of the reply judged valid (R3.6, D4).
    valid_reply_at = models.DateTimeField("有效回复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    redo_count = models.PositiveIntegerField("重办次数", default=0)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name="重复于",
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = verbose_name_plural = "工单"
        indexes = [
            models.Index(fields=["state", "unit", "due_at"]),
            models.Index(fields=["received_at"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return self.external_no or f"GD{self.pk:08d}"

    @property
    def needs_evidence(self) -> bool:
        """R4.1: dispute and hazard orders of the citizen or water hotline."""
        if self.category is None:
            return False
        return needs_evidence(self.source, self.category.dispute, self.category.hazard)


class EventQuerySet(models.QuerySet):
    """Events are appended only: no bulk update or delete (D7)."""

    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("events are append-only (D7)")

    def delete(self):  # type: ignore[no-untyped-def]
        raise ValueError("events are append-only (D7)")


class Event(models.Model):
    """One action on an order. Never changed, never deleted (D7)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField("序号")
    action = models.CharField("动作", max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="操作人"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, verbose_name="所属单位"
    )
    at = models.DateTimeField("发生时间")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    data = models.JSONField("内容", default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["order", "seq"]
        verbose_name = verbose_name_plural = "工单事件"
        constraints = [
            models.UniqueConstraint(fields=["order", "seq"], name="one_event_per_seq")
        ]

    def __str__(self) -> str:
        return f"{self.order_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise ValueError("events are append-only (D7)")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("events are append-only (D7)")

    @property
    def label(self) -> str:
        return workflow.event_label(self.action)


class Reply(models.Model):
    """A reply submitted by the owning unit, and the judgement on it."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="replies")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT)
    kind = models.CharField("回复类型", max_length=16, choices=ReplyKind.choices)
    elements = models.JSONField("回复要素")
    caller_delay = models.BooleanField("来电人原因延误", default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间")
    # "" while waiting, then "valid" or "invalid" (R3.6), or "continue" when
    # the quality group ruled a cannot-satisfy request reasonable (R3.4).
    verdict = models.CharField("审核结论", max_length=8, blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    judged_at = models.DateTimeField("审核时间", null=True, blank=True)
    judge_reason = models.TextField("审核意见", blank=True)

    class Meta:
        ordering = ["order", "submitted_at"]
        verbose_name = verbose_name_plural = "回复"

    def __str__(self) -> str:
        return f"{self.order_id} {self.get_kind_display()} {self.verdict or '待审核'}"


class RequestKind(models.TextChoices):
    EXTENSION = "extension", "单据延时"  # R4.2
    RETURN = "return", "回退"  # R5.4
    PLAN = "plan", "方案解决"  # R4.3
    UNRESOLVABLE = "unresolvable", "无法解决"  # R4.4
    STATEMENT = "statement", "情况说明"  # R5.3: cannot solve, cannot return


class UnresolvableReason(models.TextChoices):
    NO_POLICY = "no_policy", "暂无政策依据"
    NO_CONDITIONS = "no_conditions", "不具备解决条件"
    CITY_REQUIREMENTS = "city_requirements", "市里相关要求"
    MAJOR_EVENT = "major_event", "重大活动"
    KEY_PROJECT = "key_project", "重点项目"


class RequestState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "已驳回"
    LAPSED = "lapsed", "已失效"  # the round it asked time for ended first


class Request(models.Model):
    """A unit's request that waits for the operations dept's decision (D6)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="requests")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("申请类型", max_length=16, choices=RequestKind.choices)
    days = models.PositiveIntegerField("延期工作日", null=True, blank=True)
    reason = models.TextField("理由")
    data = models.JSONField("内容", default=dict, blank=True)
    late = models.BooleanField("超时", default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间")
    state = models.CharField(
        "状态", max_length=16, choices=RequestState.choices, default="pending"
    )
    # A plan over 3 months needs the review group after the operations
    # dept (R4.3); the first approval is kept here while the second waits.
    ops_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ops_approved_at = models.DateTimeField("运营管理部批准时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_reason = models.TextField("审批意见", blank=True)

    class Meta:
        ordering = ["order", "requested_at"]
        verbose_name = verbose_name_plural = "申请"

    def __str__(self) -> str:
        return f"{self.order_id} {self.get_kind_display()} {self.get_state_display()}"


class Attachment(models.Model):
    """Evidence or a document, stored under a generated name (D7)."""

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField("文件", upload_to="attachments/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=255)
    media_kind = models.CharField("类型", max_length=16)
    content_type = models.CharField("内容类型", max_length=100)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField("SHA-256", max_length=64)
    description = models.CharField("说明", max_length=300, blank=True)
    # evidence: from the site (R4.1); proof: checks, mediation, documents
    # (R4.4, R4.5); statement: the signed statement's scan (R4.4, R5.3).
    purpose = models.CharField("用途", max_length=16, default="evidence")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        ordering = ["order", "uploaded_at"]
        verbose_name = verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.original_name

    @property
    def media_label(self) -> str:
        """The kind of file in words: 图片, 视频, 录音, 文档."""
        return {"image": "图片", "video": "视频", "audio": "录音"}.get(
            self.media_kind, "文档"
        )


class PlanStep(models.Model):
    """A dated step of an approved plan, or a 3-monthly progress point (R4.3)."""

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="plan_steps"
    )
    # The approved plan the step belongs to: a redone order may have two.
    request = models.ForeignKey(
        "Request",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="steps",
    )
    seq = models.PositiveIntegerField("序号")
    # "step": a step of the plan; "checkpoint": a 3-monthly progress reply.
    kind = models.CharField("类型", max_length=16, default="step")
    title = models.CharField("内容", max_length=300)
    due_at = models.DateTimeField("进展回复时限")
    # A 3-month point that fell on a day of a year the calendar lacks (D1).
    provisional = models.BooleanField("时限待定", default=False)
    extended_by_appeal = models.BooleanField("申诉延期", default=False)
    replied_at = models.DateTimeField("进展回复时间", null=True, blank=True)
    progress = models.TextField("进展情况", blank=True)

    class Meta:
        ordering = ["order", "due_at", "seq"]
        verbose_name = verbose_name_plural = "方案步骤"
        constraints = [
            models.UniqueConstraint(
                fields=["order", "seq"], name="one_plan_step_per_seq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.title}"


class CommitmentState(models.TextChoices):
    OPEN = "open", "未兑现"
    CLAIMED = "claimed", "待确认"  # the unit says it is kept; ops confirms
    KEPT = "kept", "按期兑现"
    KEPT_LATE = "kept_late", "逾期兑现"


class Commitment(models.Model):
    """A promise made in a reply, tracked until kept (R3.7).

    "Broken" is not stored: an open or claimed commitment whose date has
    passed is broken until it is kept.
    """

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="commitments"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    promise = models.TextField("承诺事项")
    due_at = models.DateTimeField("承诺时限")
    state = models.CharField(
        "状态", max_length=16, choices=CommitmentState.choices, default="open"
    )
    made_at = models.DateTimeField("承诺时间")
    claimed_at = models.DateTimeField("兑现时间", null=True, blank=True)
    claim_note = models.TextField("兑现说明", blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        verbose_name = verbose_name_plural = "承诺事项"

    def __str__(self) -> str:
        return f"{self.order_id} {self.promise[:20]}"


class CallerView(models.Model):
    """A person saw a caller's full name and phone: who, which order, when.

    A read, not an action on the order, so it is kept apart from the
    order's history.
    """

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    channel = models.CharField("途径", max_length=8)  # "page", "api", "excel"
    at = models.DateTimeField("查看时间", auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = verbose_name_plural = "来电人信息查看记录"

    def __str__(self) -> str:
        return f"{self.user_id} {self.order_id} {self.at:%Y-%m-%d %H:%M}"
