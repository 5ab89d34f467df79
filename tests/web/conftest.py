"""The cast of the page tests: a hotline agent, two units with their people,
the operations dept, a member of each committee and an administrator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from gongdan.orders.models import Category
from gongdan.org.models import Membership, Unit
from gongdan.workdays.queries import seed_from_package

from .browser import launch
from .steps import PASSWORD

HANDLES = ["漏水", "水质", "二次供水", "其他"]
CAST = {
    # username: (unit code, role, display name)
    "agent": ("HOTLINE", "agent", "坐席 王晓"),
    "ops": ("OPS", "ops", "运营 李明"),
    "admin": ("OPS", "admin", "管理员 周"),
    "committee": ("QUALITY", "committee", "小组 赵红"),
    "review": ("REVIEW", "committee", "审查 钱进"),
    "appeal": ("APPEAL", "committee", "申诉 孙立"),
    "east_designee": ("EAST", "designee", "东城 专员"),
    "east_staff": ("EAST", "staff", "东城 办理人员"),
    "east_head": ("EAST", "head", "东城 负责人"),
    "west_designee": ("WEST", "designee", "西城 专员"),
    "west_head": ("WEST", "head", "西城 负责人"),
}


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium for the browser tests (see ``browser.launch``)."""
    yield from launch()


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cast(db: None) -> dict[str, Any]:
    """Units, categories, the calendar and one user per role."""
    for code, name, kind, districts in (
        ("HOTLINE", "客户服务中心", "hotline", []),
        ("OPS", "运营管理部", "operations", []),
        ("QUALITY", "服务质量提升小组", "committee", []),
        ("REVIEW", "审查小组", "committee", []),
        ("APPEAL", "申诉审查小组", "committee", []),
        ("EAST", "东城供水分公司", "unit", ["东城区"]),
        ("WEST", "西城供水分公司", "unit", ["西城区"]),
    ):
        handles = HANDLES if kind == "unit" else []
        Unit.objects.create(
            code=code, name=name, kind=kind, handles=handles, districts=districts
        )
    for name, parent, dispute, hazard in (
        ("漏水", "管网设施", False, False),
        ("水质", "水质", False, True),
        ("二次供水", "供水保障", True, False),
        ("其他", "非供水事项", False, False),
    ):
        Category.objects.create(
            name=name, parent=parent, dispute=dispute, hazard=hazard
        )
    seed_from_package()

    users: dict[str, Any] = {}
    for username, (code, role, display) in CAST.items():
        user = get_user_model().objects.create_user(
            username, password=PASSWORD, first_name=display
        )
        Membership.objects.create(
            user=user, unit=Unit.objects.get(code=code), role=role
        )
        users[username] = user
    return users
