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
    FOLLOWUP = "followup", "回访坐席"  # follows up completed orders (R6.1)
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
    """One role of a person in the unit they act for.

    A person may hold several roles, all in one unit (a designee who is
    also the unit's head, a hotline agent who also follows up).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="members")
    role = models.CharField("角色", max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = verbose_name_plural = "人员"
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_role_once"),
            # R5.1: each unit names exactly one designee.
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(role="designee"),
                name="one_designee_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.user.get_username()} ({self.unit.code} {self.get_role_display()})"
        )

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        other = Membership.objects.filter(user=self.user_id).exclude(pk=self.pk)
        if other.exclude(unit=self.unit_id).exists():
            raise ValidationError("一个人的各个角色须属于同一单位。")


class Person:
    """What a user may do: the unit they act for and the roles they hold."""

    def __init__(self, unit: Unit | None, roles: frozenset[str]) -> None:
        self.unit = unit
        self.roles = roles

    @classmethod
    def of(cls, user) -> Person:  # type: ignore[no-untyped-def]
        if user is None or not getattr(user, "pk", None):
            return cls(None, frozenset())
        rows = list(Membership.objects.filter(user=user.pk).select_related("unit"))
        return cls(rows[0].unit if rows else None, frozenset(r.role for r in rows))

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))
