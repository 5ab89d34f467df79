"""Notices on the order page and in the operations dept's 待办 (R5.6, D6)."""

from __future__ import annotations

import pytest

from gongdan.followups.models import Notice
from gongdan.orders import actions

from .steps import beside, followed_up, handling, login, section

REASON = "调取通话录音核实，单位人员未有威胁言语。"


def threatened(cast: dict) -> Notice:
    """A follow-up hears of a threat: the order closes, a notice waits."""
    order = followed_up(cast, handling(cast))
    actions.do_follow_up(
        order,
        cast["agent"],
        reached=True,
        contacted=True,
        consistent=True,
        process="basically_satisfied",
        result="satisfied",
        feedback=True,
        false_report=False,
        threatened=True,
        note="来电人称维修人员扬言不让其家中用水。",
    )
    return Notice.objects.get(order=order)


def test_r5_6_ops_confirms_a_notice_on_the_page(cast: dict) -> None:
    notice = threatened(cast)
    url = f"/orders/{notice.order_id}/"
    ops = login("ops")

    form = section(ops.get(url).content.decode(), "decide_notice")
    response = ops.post(f"{url}decide-notice/", {"item": notice.pk, "confirm": "yes"})

    notice.refresh_from_db()
    assert "东城供水分公司" in form and "维修人员扬言" in form
    assert f'name="item" value="{notice.pk}"' in form
    assert response.status_code == 302
    assert notice.state == "confirmed"
    page = ops.get(url).content.decode()
    assert 'id="decide_notice"' not in page
    notices = page[page.index('id="notices"') :]
    assert '<span class="bad">已确认</span>' in notices
    history = page[page.index("办理记录") :]
    assert "确认通报" in history and "确认通报：是" in history


def test_r5_6_ops_dismisses_with_a_reason(cast: dict) -> None:
    notice = threatened(cast)
    url = f"/orders/{notice.order_id}/"
    ops = login("ops")

    ops.post(
        f"{url}decide-notice/", {"item": notice.pk, "confirm": "no", "reason": REASON}
    )

    notice.refresh_from_db()
    assert (notice.state, notice.reason) == ("dismissed", REASON)
    page = ops.get(url).content.decode()
    assert "不予通报" in page and REASON in page


def test_d6_dismiss_without_reason_refused_on_the_page(cast: dict) -> None:
    notice = threatened(cast)
    events = notice.order.events.count()

    response = login("ops").post(
        f"/orders/{notice.order_id}/decide-notice/",
        {"item": notice.pk, "confirm": "no", "reason": ""},
    )

    page = response.content.decode()
    assert response.status_code == 400
    reason = f"id_decide_notice_{notice.pk}_reason"
    assert beside(page, reason, "【D6】驳回时须写明理由。")
    notice.refresh_from_db()
    assert notice.state == "pending"
    assert notice.order.events.count() == events


@pytest.mark.parametrize("who", ["east_head", "east_designee", "agent"])
def test_r5_6_others_cannot_decide_a_notice_on_the_page(cast: dict, who: str) -> None:
    notice = threatened(cast)
    url = f"/orders/{notice.order_id}/"
    person = login(who)
    events = notice.order.events.count()

    before = person.get(url).content.decode()
    decision = {"item": notice.pk, "confirm": "yes"}
    response = person.post(f"{url}decide-notice/", decision)

    assert 'id="decide_notice"' not in before
    assert response.status_code == 403
    assert "【R5.6】当前角色不能执行“确认通报”。" in response.content.decode()
    notice.refresh_from_db()
    assert (notice.state, notice.decided_by) == ("pending", None)
    assert notice.order.events.count() == events


@pytest.mark.parametrize("who", ["east_head", "east_designee", "agent", "ops"])
def test_r5_6_everyone_who_sees_the_order_sees_its_notices(
    cast: dict, who: str
) -> None:
    notice = threatened(cast)

    page = login(who).get(f"/orders/{notice.order_id}/").content.decode()

    notices = page[page.index('id="notices"') :]
    assert "通报（R5.6）" in notices
    assert "东城供水分公司" in notices and "待确认" in notices


def test_r5_6_other_unit_does_not_see_the_order(cast: dict) -> None:
    notice = threatened(cast)

    response = login("west_head").get(f"/orders/{notice.order_id}/")

    assert response.status_code == 404


def test_r5_6_ops_queue_lists_notices_to_decide(cast: dict) -> None:
    notice = threatened(cast)
    ops = login("ops")

    before = ops.get("/queue/").content.decode()
    ops.post(
        f"/orders/{notice.order_id}/decide-notice/",
        {"item": notice.pk, "confirm": "no", "reason": REASON},
    )
    after = ops.get("/queue/").content.decode()

    listed = before[before.index('id="notices"') :]
    listed = listed[: listed.index("</section>")]
    assert "待确认通报" in listed
    assert notice.order.number in listed and "维修人员扬言" in listed
    remaining = after[after.index('id="notices"') :]
    assert notice.order.number not in remaining[: remaining.index("</section>")]
