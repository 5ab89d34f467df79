"""The follow-up queue in headless Chromium: the form shows the part the
answer needs, a refusal comes back beside its field, and a threat raised
in the queue reaches the operations dept (R6.1, D5, R5.6)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from gongdan.followups.models import Notice
from gongdan.orders.models import Order

from .browser import sign_in
from .steps import followed_up, handling

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r6_1_follow_up_from_the_queue_in_browser(
    cast: dict[str, Any], live_server: Any, browser: Browser
) -> None:
    base = live_server.url
    order = followed_up(cast, handling(cast))
    field = f"#id_follow_up_{order.pk}_%s"
    item = f"#order-{order.pk}"

    # Until the agent says whether the call got through, neither part shows.
    agent = sign_in(browser, base, "agent")
    agent.goto(f"{base}/followups/")
    expect(agent.locator(field % "failure_reason")).to_be_hidden()
    expect(agent.locator(field % "contacted")).to_be_hidden()

    # A call that did not get through asks for its reason only.
    agent.select_option(field % "reached", "no")
    expect(agent.locator(field % "failure_reason")).to_be_visible()
    expect(agent.locator(field % "contacted")).to_be_hidden()
    agent.click(f"{item} button[type=submit]")
    expect(agent.locator(f"{item} .field.has-error")).to_contain_text(
        "【R6.1】请填写“未回访到原因”"
    )
    agent.fill(field % "failure_reason", "电话无人接听")
    agent.click(f"{item} button[type=submit]")
    expect(agent.locator(".messages")).to_contain_text("本轮第 1 次")
    expect(agent.locator(f"{item} .call-no")).to_have_text("第 2 次回访（最多 3 次）")

    # The second call reaches the caller, who reports a threat.
    agent.select_option(field % "reached", "yes")
    expect(agent.locator(field % "failure_reason")).to_be_hidden()
    for name in ("contacted", "consistent", "feedback"):
        agent.select_option(field % name, "yes")
    agent.select_option(field % "false_report", "no")
    agent.select_option(field % "process", "basically_satisfied")
    agent.select_option(field % "result", "satisfied")
    agent.check(field % "threatened")
    agent.click(f"{item} button[type=submit]")
    expect(agent.locator(".messages")).to_contain_text("待运营管理部确认（R5.6）")
    expect(agent.locator(item)).to_have_count(0)
    assert Order.objects.get(pk=order.pk).state == "closed"

    # The operations dept finds it in 待办 and confirms it on the order.
    ops = sign_in(browser, base, "ops")
    ops.goto(f"{base}/queue/")
    ops.click(f"#notices >> text={order.number}")
    ops.select_option("#decide_notice select[name=confirm]", "yes")
    ops.click("#decide_notice button[type=submit]")
    expect(ops.locator(".messages")).to_contain_text("已处理通报")
    expect(ops.locator("#notices")).to_contain_text("已确认")
    assert Notice.objects.get(order=order).state == "confirmed"
