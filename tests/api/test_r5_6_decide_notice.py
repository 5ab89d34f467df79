"""R5.6, D6: the operations dept decides a notice through the API; every
refusal answers its rule and code, and changes nothing."""

import pytest

from gongdan.followups.models import Notice
from gongdan.orders import actions
from tests.api.test_api_orders import client_for
from tests.conftest import bj

THREATENED = dict(
    reached=True,
    contacted=True,
    consistent=True,
    feedback=True,
    false_report=False,
    process="satisfied",
    result="satisfied",
    threatened=True,
)


@pytest.fixture
def notice(flow, cast):  # type: ignore[no-untyped-def]
    order = flow.follow_up()
    actions.do_follow_up(order, cast.follower, at=bj(2026, 7, 8, 10, 0), **THREATENED)
    return Notice.objects.get(order=order)


def url(notice: Notice) -> str:
    return f"/api/orders/{notice.order_id}/decide-notice/"


def test_r5_6_api_confirm_notice(cast, notice):
    answer = client_for(cast.ops).post(
        url(notice), {"notice": notice.pk, "confirm": True}, format="json"
    )

    assert answer.status_code == 200, answer.json()
    body = answer.json()
    [shown] = body["notices"]
    assert shown.pop("decided_at") is not None
    assert shown == {
        "id": notice.pk,
        "unit": "EAST",
        "raised_at": "2026-07-08T10:00:00+08:00",
        "state": "confirmed",
        "reason": "",
    }
    assert body["events"][-1]["action"] == "decide_notice"


def test_r5_6_api_unit_sees_notice_state(cast, notice):
    body = client_for(cast.east_head).get(f"/api/orders/{notice.order_id}/").json()

    assert [(n["id"], n["state"]) for n in body["notices"]] == [(notice.pk, "pending")]


@pytest.mark.parametrize("who", ["east_designee", "east_head", "agent"])
def test_r5_6_api_wrong_role_refused_403(cast, notice, who):
    events = notice.order.events.count()

    answer = client_for(getattr(cast, who)).post(
        url(notice), {"notice": notice.pk, "confirm": True}, format="json"
    )

    assert answer.status_code == 403
    body = answer.json()
    assert (body["rule"], body["code"]) == ("R5.6", "role_not_allowed")
    assert "确认通报" in body["message"]
    notice.refresh_from_db()
    assert notice.state == "pending"
    assert notice.order.events.count() == events


def test_d6_api_dismiss_without_reason_refused(cast, notice):
    answer = client_for(cast.ops).post(
        url(notice), {"notice": notice.pk, "confirm": False}, format="json"
    )

    assert answer.status_code == 400
    body = answer.json()
    assert (body["rule"], body["code"], body["field"]) == (
        "D6",
        "reason_missing",
        "reason",
    )
    notice.refresh_from_db()
    assert notice.state == "pending"


def test_r5_6_api_notice_already_decided_409(cast, notice):
    ops = client_for(cast.ops)
    ops.post(
        url(notice),
        {"notice": notice.pk, "confirm": False, "reason": "录音核实无威胁言语"},
        format="json",
    )

    again = ops.post(url(notice), {"notice": notice.pk, "confirm": True}, format="json")

    assert again.status_code == 409
    assert (again.json()["rule"], again.json()["code"]) == (
        "R5.6",
        "notice_not_pending",
    )
    notice.refresh_from_db()
    assert notice.state == "dismissed"


def test_r5_6_api_notice_of_another_order_refused(flow, cast, notice):
    other = flow.follow_up()

    answer = client_for(cast.ops).post(
        f"/api/orders/{other.pk}/decide-notice/",
        {"notice": notice.pk, "confirm": True},
        format="json",
    )

    assert answer.status_code == 409
    notice.refresh_from_db()
    assert notice.state == "pending"


def test_r5_6_api_decide_notice_needs_its_inputs(cast, notice):
    answer = client_for(cast.ops).post(url(notice), {"confirm": True}, format="json")

    body = answer.json()
    assert answer.status_code == 400
    assert (body["code"], body["field"]) == ("invalid_input", "notice")
