"""Submitting a reply, judging it, following it up (R3.1–R3.6, R4.1, R5.2,
R6.1, R6.2)."""

from __future__ import annotations

from gongdan.orders.models import Order, Unit

from .steps import (
    GOOD_REPLY,
    contacted,
    day,
    followed_up,
    handling,
    login,
    submitted,
    visited,
)


def test_r3_2_submit_valid_reply(cast: dict) -> None:
    order = contacted(cast, handling(cast))

    response = login("east_designee").post(
        f"/orders/{order.pk}/submit-reply/", GOOD_REPLY
    )

    order.refresh_from_db()
    assert response.status_code == 302
    assert order.state == "submitted"
    assert (
        order.replies.get().elements["acceptance"] == "来电人表示认可，对处理结果满意。"
    )


def test_r3_2_submit_reply_refused_names_missing_element(cast: dict) -> None:
    order = contacted(cast, handling(cast))
    typed = {**GOOD_REPLY, "resolved-acceptance": ""}

    response = login("east_designee").post(f"/orders/{order.pk}/submit-reply/", typed)

    page = response.content.decode()
    assert response.status_code == 400
    assert "【R3.2】答复缺少“用户认可情况”" in page
    # Shown beside its field, and what was typed is kept.
    field = page.index('name="resolved-acceptance"')
    assert 0 < page.index("答复缺少“用户认可情况”", field) - field < 400
    assert "当日更换接口并恢复路面" in page
    assert Order.objects.get(pk=order.pk).state == "handling"


def test_r3_6_filler_reply_refused(cast: dict) -> None:
    order = contacted(cast, handling(cast))
    typed = {
        "kind": "resolved",
        "resolved-investigation": "情况属实",
        "resolved-result": "已处理",
        "resolved-acceptance": "同上",
    }

    response = login("east_designee").post(f"/orders/{order.pk}/submit-reply/", typed)

    page = response.content.decode()
    assert response.status_code == 400
    assert "【R3.6】“处理结果”没有实质内容" in page


def test_r3_3_short_term_reply_with_promised_date(cast: dict) -> None:
    order = contacted(cast, handling(cast))
    typed = {
        "kind": "short_term",
        "short_term-investigation": "现场核实为主管老化，需整段更换。",
        "short_term-follow_up_plan": "列入下月管网改造计划，先行临时加固。",
        "short_term-acceptance": "来电人表示理解，同意等待改造。",
        "short_term-promised_date": day(60),
    }

    response = login("east_designee").post(f"/orders/{order.pk}/submit-reply/", typed)

    assert response.status_code == 302
    assert order.replies.get().elements["promised_date"] == day(60)


def test_r3_1_other_unit_cannot_see_or_submit(cast: dict) -> None:
    order = contacted(cast, handling(cast))
    west = login("west_designee")

    page = west.get(f"/orders/{order.pk}/")
    post = west.post(f"/orders/{order.pk}/submit-reply/", GOOD_REPLY)
    inbox = west.get("/inbox/").content.decode()

    assert page.status_code == 404
    assert post.status_code == 404
    assert order.number not in inbox
    assert Order.objects.get(pk=order.pk).state == "handling"


def test_r3_1_unit_that_transferred_may_see_but_not_submit(cast: dict) -> None:
    order = handling(cast)
    east = login("east_designee")
    east.post(
        f"/orders/{order.pk}/transfer/",
        {"unit": "WEST", "reason": "地址属西城区，由西城供水分公司负责"},
    )
    login("west_designee").post(f"/orders/{order.pk}/accept/")

    page = east.get(f"/orders/{order.pk}/")
    post = east.post(f"/orders/{order.pk}/submit-reply/", GOOD_REPLY)

    assert page.status_code == 200
    assert "/submit-reply/" not in page.content.decode()
    assert post.status_code == 403
    assert "【R3.1】本工单不属于您的单位" in post.content.decode()


def test_r4_1_hazard_without_evidence_refused_on_page(cast: dict) -> None:
    order = contacted(cast, handling(cast, category="水质"))

    response = login("east_designee").post(
        f"/orders/{order.pk}/submit-reply/", GOOD_REPLY
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert (
        "【R4.1】纠纷、隐患类工单须上传现场证据（图片、视频或录音）后才能提交。" in page
    )
    assert Order.objects.get(pk=order.pk).state == "handling"


def test_r5_2_citizen_hotline_without_site_visit_refused_on_page(cast: dict):
    order = contacted(cast, handling(cast, source="citizen_hotline"))
    client = login("east_designee")

    refused = client.post(f"/orders/{order.pk}/submit-reply/", GOOD_REPLY)
    visited(cast, order)
    accepted = client.post(f"/orders/{order.pk}/submit-reply/", GOOD_REPLY)

    assert refused.status_code == 400
    assert "【R5.2】市民热线工单必须现场排查核实后才能提交" in refused.content.decode()
    assert accepted.status_code == 302


def test_r2_1_reply_without_contact_refused(cast: dict) -> None:
    order = handling(cast)

    response = login("east_designee").post(
        f"/orders/{order.pk}/submit-reply/", GOOD_REPLY
    )

    assert response.status_code == 400
    assert "【R2.1】尚未记录与来电人的联系，不能提交。" in response.content.decode()


def test_r3_6_ops_judges_on_review_page(cast: dict) -> None:
    order = submitted(cast, handling(cast))
    ops = login("ops")

    queue = ops.get("/review/").content.decode()
    response = ops.post(
        f"/orders/{order.pk}/judge-reply/", {"valid": "yes", "next": "/review/"}
    )

    assert order.number in queue and "现场核实为小区门口DN100供水管接口渗漏。" in queue
    assert response.status_code == 302 and response["Location"] == "/review/"
    assert Order.objects.get(pk=order.pk).state == "follow_up"


def test_r3_6_invalid_verdict_needs_reason(cast: dict) -> None:
    order = submitted(cast, handling(cast))
    ops = login("ops")

    refused = ops.post(f"/orders/{order.pk}/judge-reply/", {"valid": "no"})
    done = ops.post(
        f"/orders/{order.pk}/judge-reply/",
        {"valid": "no", "reason": "处理结果与来电人所述不符，请补充核实"},
    )

    assert refused.status_code == 400
    assert "【R3.6】判定无效时须写明理由。" in refused.content.decode()
    assert done.status_code == 302
    assert Order.objects.get(pk=order.pk).state == "handling"


def test_judge_redirect_ignores_other_hosts(cast: dict) -> None:
    order = submitted(cast, handling(cast))

    response = login("ops").post(
        f"/orders/{order.pk}/judge-reply/",
        {"valid": "yes", "next": "https://example.com/"},
    )

    assert response["Location"] == f"/orders/{order.pk}/"


FOLLOW_UP = {
    "reached": "yes",
    "contacted": "yes",
    "consistent": "yes",
    "process": "satisfied",
    "result": "basically_satisfied",
    "feedback": "yes",
    "false_report": "no",
}


def test_r6_1_follow_up_closes_order(cast: dict) -> None:
    order = followed_up(cast, handling(cast))
    agent = login("agent")

    queue = agent.get("/followups/").content.decode()
    response = agent.post(f"/orders/{order.pk}/follow-up/", FOLLOW_UP)

    order.refresh_from_db()
    assert order.number in queue and "来电人表示认可，对处理结果满意。" in queue
    assert response.status_code == 302
    assert order.state == "closed"
    page = agent.get(f"/orders/{order.pk}/").content.decode()
    assert "已办结" in page and "基本满意" in page


def test_r6_1_follow_up_names_missing_answers(cast: dict) -> None:
    order = followed_up(cast, handling(cast))

    response = login("agent").post(
        f"/orders/{order.pk}/follow-up/", {"reached": "yes", "process": "satisfied"}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "【R6.1】请填写“是否对用户进行了反馈”。" in page
    assert "【R6.2】“结果评价”须为满意、基本满意或不满意。" in page


def test_d8_dissatisfied_needs_a_cause_then_redo(cast: dict) -> None:
    order = followed_up(cast, handling(cast))
    agent = login("agent")
    typed = {**FOLLOW_UP, "result": "dissatisfied"}

    refused = agent.post(f"/orders/{order.pk}/follow-up/", typed)
    redo = agent.post(f"/orders/{order.pk}/follow-up/", {**typed, "cause": "unit"})

    order.refresh_from_db()
    assert refused.status_code == 400
    assert "【D8】用户不满意时须判断原因" in refused.content.decode()
    assert redo.status_code == 302
    assert order.state == "handling" and order.redo_count == 1


def test_r6_1_unreached_follow_up_keeps_order_in_queue(cast: dict) -> None:
    order = followed_up(cast, handling(cast))
    agent = login("agent")

    response = agent.post(
        f"/orders/{order.pk}/follow-up/",
        {"reached": "no", "failure_reason": "连续三次电话无人接听"},
    )

    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).state == "follow_up"
    queue = agent.get("/followups/").content.decode()
    assert "第 2 次回访（最多 3 次）" in queue and "连续三次电话无人接听" in queue


def test_queues_are_for_their_roles(cast: dict) -> None:
    assert login("agent").get("/review/").status_code == 403
    assert login("ops").get("/followups/").status_code == 403
    assert login("ops").get("/inbox/").status_code == 403
    assert login("committee").get("/report/").status_code == 403
    assert Unit.objects.count() == 7


def test_r3_2_refusal_announced_at_the_top_of_the_page(cast: dict) -> None:
    """A refused form far down the page is named at its top, with a link."""
    order = contacted(cast, handling(cast))
    typed = {**GOOD_REPLY, "resolved-result": "已处理"}

    response = login("east_designee").post(f"/orders/{order.pk}/submit-reply/", typed)

    page = response.content.decode()
    top = page.index('class="errors refused"')
    assert top < page.index('id="submit_reply"')
    assert "“提交回复”未完成" in page
    assert 'href="#submit_reply"' in page


def test_r3_6_inbox_marks_a_reply_sent_back(cast: dict) -> None:
    from gongdan.orders import actions

    order = contacted(cast, handling(cast))
    login("east_designee").post(f"/orders/{order.pk}/submit-reply/", GOOD_REPLY)
    actions.do_judge_reply(order, cast["ops"], valid=False, reason="调查情况与实际不符")

    page = login("east_designee").get("/inbox/").content.decode()

    assert "回复被退回" in page
