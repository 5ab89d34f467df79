"""The group's organisation: units and the people who act for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class UnitKind(models.TextChoices):
    HOTLINE = "hotline", "热线"  # records orders and follows them up
    OPERATIONS = "operations", "运营管理部"  # decides requests, judges replies
    COMMITTEE = "committee", "评审小组"  # quality, review and appeal groups
    UNIT = "unit", "责任单位"  # handles orders


class Role(models.TextChoices):
    AGENT = "agent", "热线坐席"  # registers, dispatches, follows up
    DESIGNEE = "designee", "热线工单专员"  # the one receiver per unit (R5.1)
    STAFF = "staff", "办理人员"  # contacts, visits, evidence
    HEAD = "head", "单位负责人"  # confirms categories (R1.2)
    OPS = "ops", "运营管理部"  # judges replies, decides requests (D6)
    COMMITTEE = "committee", "小组成员"  # quality / review / appeal group
    ADMIN = "admin", "系统管理员"  # calendar, time limits, accounts


class Unit(models.Model):
    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=UnitKind.choices)
    # Category names and districts this unit handles; "*" means every district.
    handles = models.JSONField("负责分类", default=list, blank=True)
    districts = models.JSONField("负责区域", default=list, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "单位"

    def __str__(self) -> str:
        return self.name

    def covers(self, category: str, district: str) -> bool:
        """Say whether this unit handles ``category`` in ``district``."""
        if category not in self.handles:
            return False
        return "*" in self.districts or district in self.districts


class Membership(models.Model):
    """One person's place: the unit they act for and their role there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="membership"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="members")
    role = models.CharField("角色", max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = verbose_name_plural = "人员"
        constraints = [
            # R5.1: each unit names exactly one designee.
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(role="designee"),
                name="one_designee_per_unit",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.user.get_username()} ({self.unit.code} {self.get_role_display()})"
        )
