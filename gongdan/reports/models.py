"""The countable facts of the assessment, one row per fact.

Each row says: this order counts in this figure, for this unit, at this
moment, and why. The rows are what the order's history implies — the
actions write them in the same transaction as the event, from
``reports.facts.derive_facts`` — and, like the order's own columns, they
hold nothing the history does not. ``gongdan facts --rebuild`` derives
them again from the history.
"""

from __future__ import annotations

from django.db import models

from gongdan.orders.models import Order
from gongdan.org.models import Unit


class Fact(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="facts")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("指标", max_length=24)
    # When the fact happened (Beijing time decides its month and quarter).
    at = models.DateTimeField("发生时间")
    # A measure of the fact: seconds of dispatch delay, days of extension.
    value = models.BigIntegerField("数值", null=True, blank=True)
    # Why the order counts, in words a unit head can check.
    note = models.CharField("说明", max_length=200, blank=True)
    # The order's category (its upper level) and district, for the
    # breakdowns: copied from the order like the rest, "" when blank.
    category = models.CharField("诉求分类", max_length=50, blank=True)
    district = models.CharField("区域", max_length=50, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "考核事实"
        indexes = [
            # The assessment: every fact of a period, by unit and kind.
            models.Index(fields=["at", "kind", "unit", "value"], name="fact_period"),
            # A drill-down: one unit's facts of one kind in a period.
            models.Index(fields=["unit", "kind", "at"], name="fact_drill"),
            # The breakdowns by category and district, from the index alone.
            models.Index(
                fields=["kind", "at", "category", "district"], name="fact_groups"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind} {self.at:%Y-%m-%d}"

    @property
    def shown_at(self) -> str:
        """When the fact counted, in Beijing time; a deadline, kept at the
        instant before it, is shown as the deadline itself ("24:00")."""
        from gongdan.rules.workdays import TZ, format_due

        from .facts import INSTANT

        if self.at.microsecond == 999999:
            return format_due(self.at + INSTANT)
        return self.at.astimezone(TZ).strftime("%Y-%m-%d %H:%M")
