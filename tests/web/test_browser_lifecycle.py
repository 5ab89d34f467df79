"""One order's whole way through the pages, in headless Chromium.

Playwright's sync API runs an event loop in this thread, so Django's
async-safety check is switched off for this module; the live server runs
in its own thread against the same test database.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from gongdan.orders.models import Order

from .browser import act, sign_in
from .steps import tiny_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r1_1_to_r6_2_order_lifecycle_in_browser(
    cast: dict[str, Any], live_server: Any, browser: Browser
) -> None:
    base = live_server.url

    # The agent registers a citizen-hotline order, first with a bad phone.
    agent = sign_in(browser, base, "agent")
    expect(agent).to_have_url(f"{base}/orders/new/")
    agent.select_option("#id_source", "citizen_hotline")
    agent.select_option("#id_kind", "help")
    agent.select_option("#id_category", "水质")
    agent.fill("#id_content", "自来水发黄有异味，烧开后有沉淀，家里老人小孩不敢喝。")
    agent.fill("#id_address", "东城区东门大街33号朝阳里小区25栋")
    agent.fill("#id_district", "东城区")
    agent.fill("#id_caller_name", "江女士")
    agent.fill("#id_caller_phone", "12345")
    agent.click("form.register button[type=submit]")
    expect(agent.locator(".field.has-error")).to_contain_text(
        "【R1.1】来电号码格式不正确"
    )
    expect(agent.locator("#id_content")).to_have_value(
        "自来水发黄有异味，烧开后有沉淀，家里老人小孩不敢喝。"
    )
    agent.fill("#id_caller_phone", "139 1234 5678")
    agent.click("form.register button[type=submit]")
    expect(agent.locator(".messages")).to_contain_text("已登记工单")
    order = Order.objects.get()

    # It is dispatched to the unit suggested for 水质 in 东城区.
    expect(agent.locator("#id_dispatch_unit")).to_have_value("EAST")
    act(agent, "dispatch", "已转办")

    # The designee finds it in the inbox and handles it.
    unit = sign_in(browser, base, "east_designee")
    expect(unit).to_have_url(f"{base}/inbox/")
    unit.click(f"text={order.number}")
    act(unit, "accept", "已签收")
    unit.select_option("#id_record_contact_method", "phone")
    unit.fill("#id_record_contact_outcome", "电话联系江女士，约定当天上门取样检测。")
    act(unit, "record_contact", "已记录联系")
    unit.fill(
        "#id_record_site_visit_findings", "到场取样，水龙头出水浑浊，楼顶水箱锈蚀。"
    )
    act(unit, "record_site_visit", "已记录现场核实")
    unit.set_input_files(
        "#id_attach_evidence_file",
        {"name": "水箱.png", "mimeType": "image/png", "buffer": tiny_png()},
    )
    act(unit, "attach_evidence", "已上传附件")

    # A filler reply is refused with the rule's words, a real one goes through.
    unit.select_option("#id_submit_reply_kind", "resolved")
    for element in ("investigation", "result", "acceptance"):
        unit.fill(f"#id_submit_reply_resolved-{element}", "已处理")
    unit.click("#submit_reply button[type=submit]")
    expect(unit.locator("#submit_reply")).to_contain_text("【R3.6】")
    expect(unit.locator("#submit_reply")).to_contain_text(
        "【R3.6】“处理结果”没有实质内容"
    )
    unit.screenshot(path="/tmp/gongdan-reply-refused.png", full_page=True)
    unit.fill(
        "#id_submit_reply_resolved-investigation",
        "现场取样检测，浊度超标，原因是楼顶水箱内壁锈蚀。",
    )
    unit.fill(
        "#id_submit_reply_resolved-result",
        "当日清洗消毒水箱并更换出水管，复检水质合格。",
    )
    unit.fill("#id_submit_reply_resolved-acceptance", "江女士查看复检报告后表示认可。")
    act(unit, "submit_reply", "已提交回复")

    # The operations dept judges the reply valid from its queue.
    ops = sign_in(browser, base, "ops")
    expect(ops).to_have_url(f"{base}/review/")
    expect(ops.locator(".review-item")).to_contain_text("楼顶水箱内壁锈蚀")
    ops.select_option(f"#id_judge_{order.pk}_valid", "yes")
    ops.click(".review-item button[type=submit]")
    expect(ops.locator(".messages")).to_contain_text("已审核")

    # The agent follows up and rates the unit.
    agent.goto(f"{base}/followups/")
    agent.click("a.button")
    agent.select_option("#id_follow_up_reached", "yes")
    agent.select_option("#id_follow_up_contacted", "yes")
    agent.select_option("#id_follow_up_consistent", "yes")
    agent.select_option("#id_follow_up_process", "satisfied")
    agent.select_option("#id_follow_up_result", "basically_satisfied")
    agent.select_option("#id_follow_up_feedback", "yes")
    agent.select_option("#id_follow_up_false_report", "no")
    act(agent, "follow_up", "已记录回访")
    expect(agent.locator(".order-head .state")).to_have_text("已办结")
    agent.screenshot(path="/tmp/gongdan-order.png", full_page=True)

    # The report shows the unit's figures for this quarter.
    agent.goto(f"{base}/report/")
    row = agent.locator("table.report tbody tr", has_text="东城供水分公司")
    expect(row.locator("td").nth(0)).to_have_text("1")  # received
    expect(row.locator("td").nth(3)).to_have_text("1")  # completed
    # N = 1, feedback given, satisfied and basically satisfied: all 100%.
    expect(row.locator("td").last).to_have_text("100.00%")
    agent.screenshot(path="/tmp/gongdan-report.png", full_page=True)
