"""The shared cast: a hotline agent, a follow-up agent, the operations
dept, and two units (东城, 西城) each with designee, staff and head."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

TZ = ZoneInfo("Asia/Shanghai")


def pytest_configure(config):  # type: ignore[no-untyped-def]
    from django.conf import settings

    # Hashing is not under test; the fast hasher keeps fixtures quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def bj(*args: int) -> datetime:
    """A Beijing-time moment: bj(2026, 7, 6, 9, 0)."""
    return datetime(*args, tzinfo=TZ)


@pytest.fixture
def media_root(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def cast(db, media_root):  # type: ignore[no-untyped-def]
    return build_cast()


@pytest.fixture
def transactional_cast(transactional_db, media_root):  # type: ignore[no-untyped-def]
    """The cast, committed for real: for tests with concurrent connections."""
    return build_cast()


@pytest.fixture
def committee(cast):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from gongdan.org.models import Membership, Unit

    def member(name, code):  # type: ignore[no-untyped-def]
        user = get_user_model().objects.create_user(name)
        Membership.objects.create(
            user=user, unit=Unit.objects.get(code=code), role="committee"
        )
        return user

    return (
        member("review", "REVIEW"),
        member("appeal", "APPEAL"),
        member("quality", "QUALITY"),
    )


def build_cast():  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from gongdan.orders.demo import load_categories, load_org, seed_limits
    from gongdan.org.models import Membership, Unit
    from gongdan.workdays.queries import seed_from_package

    load_org()
    load_categories()
    seed_limits()
    seed_from_package()
    users = get_user_model().objects

    def person(username: str, code: str, role: str):  # type: ignore[no-untyped-def]
        user = users.create_user(username, password="pw-" + username)
        Membership.objects.create(
            user=user, unit=Unit.objects.get(code=code), role=role
        )
        return user

    return SimpleNamespace(
        agent=person("agent", "HOTLINE", "agent"),
        follower=person("follower", "HOTLINE", "agent"),
        ops=person("ops", "OPS", "ops"),
        east=Unit.objects.get(code="EAST"),
        west=Unit.objects.get(code="WEST"),
        lab=Unit.objects.get(code="LAB"),
        east_designee=person("east.designee", "EAST", "designee"),
        east_staff=person("east.staff", "EAST", "staff"),
        east_head=person("east.head", "EAST", "head"),
        west_designee=person("west.designee", "WEST", "designee"),
        west_staff=person("west.staff", "WEST", "staff"),
        west_head=person("west.head", "WEST", "head"),
        lab_designee=person("lab.designee", "LAB", "designee"),
    )


def order_data(**overrides: object) -> dict[str, object]:
    """A complete water-hotline leak report from 东城区."""
    data: dict[str, object] = {
        "source": "water_hotline",
        "kind": "report",
        "category": "漏水",
        "content": "东门大街33号门口人行道有自来水往外冒，已经流了一上午。",
        "address": "东城区东门大街33号",
        "district": "东城区",
        "caller_name": "江女士",
        "caller_phone": "13912345678",
        "received_at": bj(2026, 7, 6, 9, 0),
    }
    data.update(overrides)
    return data


GOOD_REPLY = {
    "investigation": "7月6日10时管网班到现场核查，确认人行道下DN50支管接口渗漏。",
    "result": "当日14时更换接口并回填恢复路面，漏水已停止。",
    "acceptance": "已电话告知来电人处理结果，来电人表示满意。",
}


@pytest.fixture
def flow(cast):  # type: ignore[no-untyped-def]
    """Steps that bring an order to a state, with times an hour apart."""
    return make_flow(cast)


def make_flow(cast):  # type: ignore[no-untyped-def]
    from gongdan.orders import actions

    class Flow:
        def register(self, **overrides):  # type: ignore[no-untyped-def]
            data = order_data(**overrides)
            return actions.do_register(
                cast.agent, data, at=data["received_at"] + timedelta(minutes=2)
            )

        def handling(self, unit=None, **overrides):  # type: ignore[no-untyped-def]
            order = self.register(**overrides)
            unit = unit or cast.east
            designee = cast.east_designee if unit == cast.east else cast.west_designee
            t = order.received_at
            actions.do_dispatch(order, cast.agent, unit, at=t + timedelta(minutes=5))
            actions.do_accept(order, designee, at=t + timedelta(minutes=30))
            order.refresh_from_db()
            return order

        def ready(self, **overrides):  # type: ignore[no-untyped-def]
            """Handling, with contact, site visit and (if needed) evidence."""
            order = self.handling(**overrides)
            t = order.received_at
            actions.do_record_contact(
                order,
                cast.east_staff,
                method="phone",
                outcome="约定上门时间",
                at=t + timedelta(hours=1),
            )
            actions.do_record_site_visit(
                order,
                cast.east_staff,
                findings="现场确认支管接口渗漏。",
                at=t + timedelta(hours=2),
            )
            if order.needs_evidence:
                from gongdan.orders.demo import tiny_png

                actions.do_attach_evidence(
                    order,
                    cast.east_staff,
                    name="现场.png",
                    content=tiny_png(1),
                    at=t + timedelta(hours=2, minutes=5),
                )
            order.refresh_from_db()
            return order

        def submitted(self, **overrides):  # type: ignore[no-untyped-def]
            order = self.ready(**overrides)
            actions.do_submit_reply(
                order,
                cast.east_designee,
                kind="resolved",
                elements=GOOD_REPLY,
                at=order.received_at + timedelta(hours=3),
            )
            order.refresh_from_db()
            return order

        def follow_up(self, **overrides):  # type: ignore[no-untyped-def]
            order = self.submitted(**overrides)
            actions.do_judge_reply(
                order, cast.ops, valid=True, at=order.received_at + timedelta(hours=4)
            )
            order.refresh_from_db()
            return order

        def caller_delayed(self, *, accepted: bool, **overrides):  # type: ignore[no-untyped-def]
            """A reply three days late for the caller's reasons, with its
            recording, judged valid; the delay accepted or not (R4.5, D4)."""
            from gongdan.orders.demo import WAV

            order = self.ready(**overrides)
            actions.do_attach_evidence(
                order, cast.east_staff, name="录音.wav", content=WAV, purpose="proof"
            )
            late = order.due_at + timedelta(days=3)
            actions.do_submit_reply(
                order,
                cast.east_designee,
                kind="resolved",
                caller_delay=True,
                at=late,
                elements={**GOOD_REPLY, "delay_reason": "来电人出差，要求推迟上门。"},
            )
            actions.do_judge_reply(
                order,
                cast.ops,
                valid=True,
                caller_delay_accepted=accepted,
                at=late + timedelta(hours=1),
            )
            order.refresh_from_db()
            return order

    return Flow()
