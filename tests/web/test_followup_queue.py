"""待回访: the follow-up queue of the hotline (R6.1, R6.2, D5, D8, R5.6)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongdan.followups.models import FollowUp, Notice
from gongdan.orders import actions
from gongdan.orders.models import CallerView, Order
from gongdan.org.models import Membership, Unit

from .steps import (
    PASSWORD,
    beside,
    followed_up,
    handling,
    login,
    plan_approved,
)

REPLY = {
    "investigation": "现场核实为小区门口DN100供水管接口渗漏。",
    "result": "当日更换接口并恢复路面，已不再冒水。",
    "acceptance": "来电人表示认可，对处理结果满意。",
}
REACHED = {
    "reached": "yes",
    "contacted": "yes",
    "consistent": "yes",
    "process": "satisfied",
    "result": "basically_satisfied",
    "feedback": "yes",
    "false_report": "no",
}


def completed(cast: dict, received: datetime, replied: datetime, **kw) -> Order:  # type: ignore[no-untyped-def]
    """An order of EAST whose reply, submitted at ``replied``, was judged
    valid an hour later."""
    order = actions.do_register(
        cast["agent"],
        {
            "source": "water_hotline",
            "kind": "help",
            "category": "漏水",
            "content": "小区门口路面冒水，已经流了一上午。",
            "address": "东城区东门大街33号",
            "district": "东城区",
            "caller_name": "林女士",
            "caller_phone": "13912345678",
            "received_at": received,
            **kw,
        },
        at=received,
    )
    actions.do_dispatch(
        order, cast["agent"], Unit.objects.get(code="EAST"), at=received
    )
    actions.do_accept(order, cast["east_designee"], at=received + timedelta(minutes=5))
    actions.do_record_contact(
        order,
        cast["east_designee"],
        method="phone",
        outcome="电话联系来电人说明安排",
        contacted_at=received + timedelta(minutes=10),
        at=received + timedelta(minutes=10),
    )
    actions.do_submit_reply(
        order, cast["east_designee"], kind="resolved", elements=REPLY, at=replied
    )
    actions.do_judge_reply(
        order, cast["ops"], valid=True, at=replied + timedelta(hours=1)
    )
    order.refresh_from_db()
    return order


def card(page: str, order: Order) -> str:
    """The queue's card of one order."""
    start = page.index(f'id="order-{order.pk}"')
    return page[start : page.index("</section>", start)]


def test_r6_1_queue_oldest_first_and_shows_reply(cast: dict) -> None:
    now = timezone.now()
    # Registered first, but completed last: it must come last.
    later = completed(
        cast, now - timedelta(hours=6), now - timedelta(hours=2), content="后办结"
    )
    earlier = completed(
        cast, now - timedelta(hours=8), now - timedelta(hours=5), content="先办结"
    )
    plan = plan_approved(cast, handling(cast), 20)

    page = login("agent").get("/followups/").content.decode()

    # Completion times: earlier -5 h, later -2 h, the plan now (its request).
    assert page.index(f'id="order-{earlier.pk}"') < page.index(f'id="order-{later.pk}"')
    assert page.index(f'id="order-{later.pk}"') < page.index(f'id="order-{plan.pk}"')
    shown = card(page, earlier)
    assert "单位回复：已解决" in shown
    assert "当日更换接口并恢复路面，已不再冒水。" in shown
    assert "第 1 次回访（最多 3 次）" in shown
    assert f'id="id_follow_up_{earlier.pk}_reached"' in shown
    assert f'id="id_follow_up_{earlier.pk}_threatened"' in shown
    planned = card(page, plan)
    assert "方案解决（已获批准）" in planned
    assert "将该路段DN100老管更换为DN200" in planned


def test_r6_1_queue_lists_this_rounds_failed_calls(cast: dict, settings) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    order = completed(cast, now - timedelta(days=2), now - timedelta(days=1, hours=5))
    first, second = now - timedelta(hours=6), now - timedelta(hours=3)
    for at, reason in ((first, "电话无人接听"), (second, "号码停机")):
        actions.do_follow_up(
            order, cast["agent"], reached=False, failure_reason=reason, at=at
        )

    shown = card(login("agent").get("/followups/").content.decode(), order)

    assert "第 3 次回访（最多 3 次）" in shown
    assert "电话无人接听" in shown and "号码停机" in shown
    assert timezone.localtime(first).strftime("%Y-%m-%d %H:%M") in shown
    assert timezone.localtime(second).strftime("%Y-%m-%d %H:%M") in shown


def test_d5_failed_calls_of_an_earlier_round_not_listed(cast: dict) -> None:
    now = timezone.now()
    order = completed(cast, now - timedelta(days=3), now - timedelta(days=2))
    actions.do_follow_up(
        order,
        cast["agent"],
        reached=False,
        failure_reason="电话无人接听",
        at=now - timedelta(days=1, hours=6),
    )
    redo = {k: v == "yes" if v in ("yes", "no") else v for k, v in REACHED.items()}
    actions.do_follow_up(
        order,
        cast["agent"],
        **{**redo, "consistent": False},
        at=now - timedelta(days=1, hours=5),
    )
    actions.do_submit_reply(
        order,
        cast["east_designee"],
        kind="resolved",
        elements=REPLY,
        at=now - timedelta(hours=4),
    )
    actions.do_judge_reply(order, cast["ops"], valid=True, at=now - timedelta(hours=3))

    shown = card(login("agent").get("/followups/").content.decode(), order)

    assert "第 1 次回访（最多 3 次）" in shown
    assert "电话无人接听" not in shown
    assert "已重办 1 次" in shown


def test_r6_1_queue_form_records_the_call(cast: dict) -> None:
    order = followed_up(cast, handling(cast))
    agent = login("agent")

    response = agent.post(
        f"/followups/{order.pk}/follow-up/",
        {**REACHED, "threatened": "on", "next": "/followups/?page=1"},
    )

    order.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == "/followups/?page=1"
    assert order.state == "closed"
    call = FollowUp.objects.get(order=order)
    assert (call.reached, call.process, call.threatened) == (
        True,
        "satisfied",
        True,
    )
    assert Notice.objects.get(order=order).state == "pending"
    page = agent.get("/followups/").content.decode()
    assert "已对责任单位发起通报，待运营管理部确认（R5.6）" in page
    assert f'id="order-{order.pk}"' not in page


def test_r6_1_queue_refusal_beside_the_field_naming_the_rule(cast: dict) -> None:
    order = followed_up(cast, handling(cast))
    agent = login("agent")

    checks = agent.post(
        f"/followups/{order.pk}/follow-up/", {"reached": "yes", "process": "satisfied"}
    )
    reason = agent.post(f"/followups/{order.pk}/follow-up/", {"reached": "no"})
    nothing = agent.post(f"/followups/{order.pk}/follow-up/", {})
    cause = agent.post(
        f"/followups/{order.pk}/follow-up/", {**REACHED, "result": "dissatisfied"}
    )

    field = f"id_follow_up_{order.pk}_%s"
    page = checks.content.decode()
    assert checks.status_code == 400
    assert "<h1>待回访" in page and "“回访”未完成" in page
    assert beside(page, field % "feedback", "【R6.1】请填写“是否对用户进行了反馈”。")
    assert beside(page, field % "result", "【R6.2】“结果评价”须为满意、基本满意")
    assert reason.status_code == 400
    page = reason.content.decode()
    assert beside(page, field % "failure_reason", "【R6.1】请填写“未回访到原因”")
    assert nothing.status_code == 400
    page = nothing.content.decode()
    assert beside(page, field % "reached", "【R6.1】请选择是否回访到来电人。")
    assert cause.status_code == 400
    page = cause.content.decode()
    assert beside(page, field % "cause", "【D8】用户不满意时须判断原因")
    order.refresh_from_db()
    assert order.state == "follow_up"
    assert not FollowUp.objects.filter(order=order).exists()


def test_d5_unreachable_order_leaves_the_queue(cast: dict, settings) -> None:  # type: ignore[no-untyped-def]
    settings.GONGDAN_FOLLOWUP_ATTEMPTS = 2
    order = followed_up(cast, handling(cast))
    agent = login("agent")
    missed = {"reached": "no", "failure_reason": "电话无人接听"}

    agent.post(f"/followups/{order.pk}/follow-up/", missed)
    between = agent.get("/followups/").content.decode()
    done = agent.post(f"/followups/{order.pk}/follow-up/", missed, follow=True)

    order.refresh_from_db()
    assert "第 2 次回访（最多 2 次）" in card(between, order)
    assert order.state == "closed"
    queue = done.content.decode()
    assert "本轮已 2 次未联系上来电人，工单按无法回访办结" in queue
    assert f'id="order-{order.pk}"' not in queue
    page = agent.get(f"/orders/{order.pk}/").content.decode()
    assert '<span class="tag unreachable">无法回访</span>' in page
    assert "本轮 2 次回访均未联系上来电人" in page


def test_r6_1_queue_masks_callers_until_shown(cast: dict) -> None:
    order = followed_up(cast, handling(cast))
    agent = login("agent")

    listed = card(agent.get("/followups/").content.decode(), order)
    views = CallerView.objects.filter(order=order).count()
    shown = card(
        agent.get(f"/followups/?page=1&caller={order.pk}").content.decode(), order
    )

    assert "13912345678" not in listed and "139****5678" in listed
    assert "13912345678" in shown and "林女士" in shown
    assert CallerView.objects.filter(order=order).count() == views + 1


def test_r6_1_queue_for_agents_and_followup_agents_only(cast: dict) -> None:
    order = followed_up(cast, handling(cast))
    user = get_user_model().objects.create_user("callback", password=PASSWORD)
    Membership.objects.create(
        user=user, unit=Unit.objects.get(code="HOTLINE"), role="followup"
    )

    assert order.number in login("callback").get("/followups/").content.decode()
    assert login("ops").get("/followups/").status_code == 403
    assert login("east_designee").get("/followups/").status_code == 403
    refused = login("ops").post(f"/followups/{order.pk}/follow-up/", REACHED)
    assert refused.status_code == 403
    order.refresh_from_db()
    assert order.state == "follow_up"


def test_r6_1_queue_says_when_someone_else_followed_up_first(cast: dict) -> None:
    order = followed_up(cast, handling(cast))
    agent = login("agent")
    agent.post(f"/followups/{order.pk}/follow-up/", REACHED)

    late = agent.post(f"/followups/{order.pk}/follow-up/", REACHED)

    page = late.content.decode()
    assert late.status_code == 409
    assert "该工单已不在待回访中（可能已被他人回访，请刷新）" in page
    assert "工单当前为“已办结”，不能执行“回访”" in page
    assert FollowUp.objects.filter(order=order).count() == 1
