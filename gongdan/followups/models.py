"""Follow-up calls to the caller after completion (R6.1, R6.2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongdan.orders.models import Order, Reply
from gongdan.org.models import Unit


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class Cause(models.TextChoices):
    NONE = "", "—"
    UNIT = "unit", "单位原因"  # leads to a redo (R5.5, D8)
    OBJECTIVE = "objective", "客观原因"  # recorded, no redo (D8)


class FollowUp(models.Model):
    """One follow-up attempt; only those that reached the caller count (D5)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="followups")
    # The reply followed up; none when a plan, ruling or statement completed
    # the order.
    reply = models.ForeignKey(
        Reply, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField("回访时间")
    reached = models.BooleanField("回访到")
    failure_reason = models.CharField("未回访到原因", max_length=200, blank=True)
    contacted = models.BooleanField("单位联系了来电人", null=True)
    consistent = models.BooleanField("回复与用户所述一致", null=True)
    process = models.CharField(
        "过程评价", max_length=24, choices=Rating.choices, blank=True
    )
    result = models.CharField(
        "结果评价", max_length=24, choices=Rating.choices, blank=True
    )
    feedback = models.BooleanField("单位已反馈", null=True)
    false_report = models.BooleanField("虚报瞒报", null=True)
    threatened = models.BooleanField("威胁来电人", default=False)
    cause = models.CharField(
        "不满意原因", max_length=16, choices=Cause.choices, blank=True
    )
    redo = models.BooleanField("重办", default=False)
    note = models.TextField("备注", blank=True)

    class Meta:
        ordering = ["order", "at"]
        verbose_name = verbose_name_plural = "回访"

    def __str__(self) -> str:
        return f"{self.order_id} 回访 {self.at:%Y-%m-%d %H:%M}"


class NoticeState(models.TextChoices):
    PENDING = "pending", "待确认"  # raised by the follow-up, not yet confirmed
    CONFIRMED = "confirmed", "已确认"  # a notice against the unit (R5.6)
    DISMISSED = "dismissed", "不予通报"  # the operations dept found no ground


class Notice(models.Model):
    """A notice against a unit whose people threatened the caller (R5.6).

    The follow-up that hears of the threat raises it; the operations dept
    confirms or dismisses it. Only a confirmed notice counts in the
    assessment, in the quarter of the follow-up that found it.
    """

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="notices")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    followup = models.OneToOneField(
        FollowUp, on_delete=models.PROTECT, related_name="notice"
    )
    raised_at = models.DateTimeField("发现时间")
    state = models.CharField(
        "状态", max_length=16, choices=NoticeState.choices, default="pending"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    reason = models.TextField("确认意见", blank=True)

    class Meta:
        ordering = ["raised_at", "pk"]
        verbose_name = verbose_name_plural = "通报"

    def __str__(self) -> str:
        return f"{self.order_id} 通报 {self.get_state_display()}"
