"""The working-day calendar kept in the database (D1)."""

from __future__ import annotations

from django.db import models


class CalendarYear(models.Model):
    """A year whose holidays and make-up days are known."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=100)
    added_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = verbose_name_plural = "日历年份"

    def __str__(self) -> str:
        return str(self.year)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日"  # a weekday off
    MAKEUP = "makeup", "调休上班"  # a weekend day worked


class CalendarDay(models.Model):
    """A day that differs from the plain Monday-to-Friday week."""

    day = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=8, choices=DayKind.choices)
    name = models.CharField("名称", max_length=50, blank=True)
    changed_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        ordering = ["day"]
        verbose_name = verbose_name_plural = "节假日与调休"

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()} {self.name}"
