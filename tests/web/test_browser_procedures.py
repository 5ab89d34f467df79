"""The special procedures through the pages, in headless Chromium: a
transfer, a plan over 3 months, an unresolvable ruling, a late return
(R4.3, R4.4, R5.3, R5.4, D6)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from gongdan.orders import actions, procedures
from gongdan.orders.models import Commitment, Order, Request, Unit

from .browser import act, sign_in, upload
from .steps import (
    attach,
    cannot_satisfy,
    contacted,
    day,
    handling,
    intake,
    promised,
    submitted,
    tiny_png,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r5_3_transfer_between_units_in_browser(
    cast: dict, live_server: Any, browser: Browser
) -> None:
    base = live_server.url
    order = handling(
        cast, address="西城区河西路1号", district="西城区", source="citizen_hotline"
    )

    # The east unit finds the order is the west unit's duty and passes it on.
    east = sign_in(browser, base, "east_designee")
    east.goto(f"{base}/orders/{order.pk}/")
    east.select_option("#id_transfer_unit", "WEST")
    east.click("#transfer button[type=submit]")
    expect(east.locator("#transfer .has-error")).to_contain_text(
        "【R5.3】请填写“转办原因”"
    )
    east.fill("#id_transfer_reason", "地址属西城区，由西城供水分公司负责。")
    act(east, "transfer", "已内部转办")
    expect(east.locator(".order-head .state")).to_have_text("待签收")

    # The west designee finds it in the inbox and accepts it.
    west = sign_in(browser, base, "west_designee")
    expect(west.locator("table.list")).to_contain_text(order.number)
    west.click(f"text={order.number}")
    act(west, "accept", "已签收")
    expect(west.locator(".order-head .state")).to_have_text("办理中")
    expect(west.locator("table.history")).to_contain_text("转出：东城供水分公司")
    expect(west.locator(".return-window")).to_be_visible()
    west.screenshot(path="/tmp/gongdan-handling-order.png", full_page=True)

    # The east unit still sees the order it acted on, with nothing to do.
    east.reload()
    expect(east.locator(".side-col")).to_contain_text("没有可执行的操作")


def test_r4_3_long_plan_through_both_approvals_in_browser(
    cast: dict, live_server: Any, browser: Browser
) -> None:
    base = live_server.url
    order = contacted(cast, handling(cast))

    # The unit proposes a plan whose last step is 5 months away.
    unit = sign_in(browser, base, "east_designee")
    unit.goto(f"{base}/orders/{order.pk}/")
    unit.fill(
        "#id_request_plan_measures", "将该路段DN100老管整段更换为DN200，分三段施工。"
    )
    for n, (title, offset) in enumerate(
        (("勘察设计", 20), ("第一段施工", 60), ("全线通水", 150)), start=1
    ):
        unit.fill(f"#id_request_plan_step_{n}_title", title)
        unit.fill(f"#id_request_plan_step_{n}_date", day(offset))
    unit.fill(
        "#id_request_plan_acceptance", "已上门说明改造计划，来电人签字同意按计划办理。"
    )
    act(unit, "request_plan", "已申请方案解决")
    request = Request.objects.get(order=order)

    # The operations dept approves it from its queue; it waits for review.
    ops = sign_in(browser, base, "ops")
    ops.goto(f"{base}/queue/")
    ops.locator("#requests").get_by_text(order.number).click()
    ops.select_option(f"#id_decide_request_{request.pk}_approve", "yes")
    act(ops, "decide_request", "已审批")
    expect(ops.locator("#requests")).to_contain_text("待审查小组审核")
    expect(ops.locator("#decide_request")).to_have_count(0)

    # The review group approves it too; the order waits for its follow-up.
    review = sign_in(browser, base, "review")
    expect(review).to_have_url(f"{base}/queue/")
    review.locator("#plans").get_by_text(order.number).click()
    review.select_option(f"#id_review_plan_{request.pk}_approve", "yes")
    act(review, "review_plan", "已审核方案")
    expect(review.locator(".order-head .state")).to_have_text("待回访")
    plan = review.locator("#plan")
    expect(plan).to_contain_text("全线通水")
    expect(plan).to_contain_text("3个月进展节点")

    # The unit replies the first step's progress.
    unit.goto(f"{base}/orders/{order.pk}/")
    first = order.plan_steps.order_by("due_at").first()
    unit.fill(f"#id_progress_reply_{first.pk}_progress", "勘察完成，设计图已报审。")
    act(unit, "progress_reply", "已回复方案进展")
    expect(unit.locator("#plan")).to_contain_text("勘察完成，设计图已报审。")
    unit.screenshot(path="/tmp/gongdan-plan-order.png", full_page=True)


def test_r4_4_unresolvable_with_signed_statement_in_browser(
    cast: dict, live_server: Any, browser: Browser
) -> None:
    base = live_server.url
    order = contacted(cast, handling(cast))

    # Proof first; the request is refused until the signed statement is in.
    unit = sign_in(browser, base, "east_designee")
    unit.goto(f"{base}/orders/{order.pk}/")
    upload(unit, "proof", "调解记录.png", tiny_png())
    unit.select_option("#id_request_unresolvable_reason_code", "no_policy")
    explanation = "来电人要求免收二次供水加压费，现行收费政策无减免依据。"
    unit.fill("#id_request_unresolvable_explanation", explanation)
    unit.click("#request_unresolvable button[type=submit]")
    expect(unit.locator("#request_unresolvable .errors")).to_contain_text(
        "【R4.4】须上传单位负责人签字的工单情况说明（扫描件）。"
    )
    expect(unit.locator("#id_request_unresolvable_explanation")).to_have_value(
        explanation
    )
    upload(unit, "statement", "负责人签字说明.png", tiny_png())
    unit.select_option("#id_request_unresolvable_reason_code", "no_policy")
    unit.fill("#id_request_unresolvable_explanation", explanation)
    act(unit, "request_unresolvable", "已申请无法解决")
    expect(unit.locator("#requests")).to_contain_text("暂无政策依据")

    # The operations dept rules it; the order completes as unresolvable.
    ops = sign_in(browser, base, "ops")
    ops.goto(f"{base}/orders/{order.pk}/")
    request = Request.objects.get(order=order)
    ops.select_option(f"#id_decide_request_{request.pk}_approve", "yes")
    act(ops, "decide_request", "已审批")
    expect(ops.locator(".order-head .state")).to_have_text("待回访")
    expect(ops.locator("dl.facts")).to_contain_text("无法解决")
    expect(ops.locator("table.list").first).to_contain_text("签字情况说明")


def test_r5_4_late_return_in_browser(
    cast: dict, live_server: Any, browser: Browser
) -> None:
    base = live_server.url
    # The unit received the order 20 hours ago (times set through actions).
    received = timezone.now() - timedelta(hours=20)
    order = actions.do_register(
        cast["agent"],
        intake(source="citizen_hotline", received_at=received),
        at=received,
    )
    actions.do_dispatch(
        order, cast["agent"], Unit.objects.get(code="EAST"), at=received
    )
    actions.do_accept(order, cast["east_designee"], at=received + timedelta(hours=1))
    fill_ops_queue(cast)

    # The window has passed; the return is still taken, and marked late.
    unit = sign_in(browser, base, "east_designee")
    unit.goto(f"{base}/orders/{order.pk}/")
    expect(unit.locator(".return-window .mark")).to_contain_text("已超期")
    upload(unit, "evidence", "现场.png", tiny_png())
    unit.fill(
        "#id_request_return_site_check",
        "现场核实：漏水点位于小区内部楼栋间管道，属物业管理的二次供水设施。",
    )
    unit.fill("#id_request_return_reason", "属物业产权设施维修，非供水集团管辖。")
    unit.fill(
        "#id_request_return_legal_basis",
        "《城市供水条例》第二十八条：自建供水设施由产权单位负责维护。",
    )
    act(unit, "request_return", "已申请回退")
    expect(unit.locator("#requests .mark")).to_have_text("超过12小时")

    # The operations dept finds it first in its queue and approves it.
    ops = sign_in(browser, base, "ops")
    ops.goto(f"{base}/queue/")
    expect(ops.locator("#requests tbody tr").first).to_contain_text(order.number)
    expect(ops.locator("#replies")).to_contain_text("已解决")
    ops.screenshot(path="/tmp/gongdan-ops-queue.png", full_page=True)
    ops.locator("#requests").get_by_text(order.number).click()
    request = Request.objects.get(order=order)
    ops.select_option(f"#id_decide_request_{request.pk}_approve", "yes")
    act(ops, "decide_request", "已审批")
    expect(ops.locator(".order-head .state")).to_have_text("已回退")
    expect(ops.locator("dl.facts")).to_contain_text("超时回退")
    assert Order.objects.get(pk=order.pk).return_late


def fill_ops_queue(cast: dict) -> None:
    """Something in each of the operations dept's lists."""
    submitted(cast, handling(cast))
    cannot_satisfy(cast, handling(cast))
    claimed = promised(cast, handling(cast))
    attach(cast, claimed, "proof")
    procedures.do_keep_commitment(
        claimed,
        cast["east_designee"],
        commitment=Commitment.objects.get(order=claimed).pk,
        note="管道已整段更换，水压恢复正常。",
    )
    soon, late = handling(cast), handling(cast)
    now = timezone.now()
    Order.objects.filter(pk=soon.pk).update(due_at=now + timedelta(hours=5))
    Order.objects.filter(pk=late.pk).update(due_at=now - timedelta(hours=30))
