"""Plan resolution on the order page: the proposal, both approvals, the
steps and 3-month points, progress replies and appeals (R4.3)."""

from __future__ import annotations

from gongdan.orders.models import PlanStep

from .steps import (
    beside,
    contacted,
    day,
    handling,
    login,
    plan_approved,
    plan_proposed,
    section,
)

PLAN = {
    "measures": "将该路段DN100老管更换为DN200，改造前高峰时段调高出厂压力。",
    "acceptance": "已电话告知来电人改造计划，来电人表示理解并同意按计划办理。",
}


def test_r4_3_plan_proposed_with_step_rows(cast: dict) -> None:
    order = contacted(cast, handling(cast))
    typed = {
        **PLAN,
        "step_1_title": "勘察设计",
        "step_1_date": day(10),
        "step_3_title": "管道更换完成",
        "step_3_date": day(40),
    }

    response = login("east_designee").post(f"/orders/{order.pk}/request-plan/", typed)

    request = order.requests.get()
    assert response.status_code == 302
    assert [s["title"] for s in request.data["steps"]] == ["勘察设计", "管道更换完成"]
    assert request.data["long"] is False
    page = login("ops").get(f"/orders/{order.pk}/").content.decode()
    assert f"1. 勘察设计（{day(10)}）" in page
    assert f"2. 管道更换完成（{day(40)}）" in page


def test_r4_3_step_problems_shown_beside_step_rows(cast: dict) -> None:
    order = contacted(cast, handling(cast))
    typed = {**PLAN, "step_1_title": "勘察设计", "step_1_date": day(-1)}

    response = login("east_designee").post(f"/orders/{order.pk}/request-plan/", typed)

    page = section(response.content.decode(), "request_plan")
    assert response.status_code == 400
    steps = page[page.index('<fieldset class="plan-steps has-error">') :]
    assert "【R4.3】第 1 步的日期已过。" in steps[: steps.index("</fieldset>")]
    assert f'value="{day(-1)}"' in page  # what was typed is kept
    assert not order.requests.exists()


def test_r4_3_plan_without_steps_refused(cast: dict) -> None:
    order = contacted(cast, handling(cast))

    response = login("east_designee").post(
        f"/orders/{order.pk}/request-plan/", {**PLAN, "acceptance": ""}
    )

    page = section(response.content.decode(), "request_plan")
    assert response.status_code == 400
    assert "【R4.3】方案须列明解决步骤和时间节点。" in page
    assert beside(
        page, "id_request_plan_acceptance", "【R4.3】请填写“诉求人认可情况”。"
    )


def test_r4_3_long_plan_needs_review_on_page(cast: dict) -> None:
    order = contacted(cast, handling(cast))
    request = plan_proposed(cast, order, 30, 150)
    ops = login("ops")

    ops.post(
        f"/orders/{order.pk}/decide-request/", {"item": request.pk, "approve": "yes"}
    )
    ops_page = ops.get(f"/orders/{order.pk}/").content.decode()
    review = login("review")
    review_page = review.get(f"/orders/{order.pk}/").content.decode()
    quality_page = login("committee").get(f"/orders/{order.pk}/").content.decode()
    done = review.post(
        f"/orders/{order.pk}/review-plan/",
        {"item": request.pk, "approve": "yes", "reason": "资金已落实"},
    )

    order.refresh_from_db()
    assert "待审查小组审核" in ops_page
    assert "/decide-request/" not in ops_page
    assert "运营管理部已于" in section(review_page, "review_plan")
    assert "/review-plan/" not in quality_page
    assert done.status_code == 302
    assert order.state == "follow_up" and order.closure == "plan"
    page = review.get(f"/orders/{order.pk}/").content.decode()
    assert "3个月进展节点" in page and "第 1 个 3 个月进展回复" in page
    assert '审查小组：<span class="ok">批准</span>' in page


def test_r4_3_review_group_refusal_needs_reason(cast: dict) -> None:
    order = contacted(cast, handling(cast))
    request = plan_proposed(cast, order, 150)
    login("ops").post(
        f"/orders/{order.pk}/decide-request/", {"item": request.pk, "approve": "yes"}
    )

    response = login("review").post(
        f"/orders/{order.pk}/review-plan/", {"item": request.pk, "approve": "no"}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert beside(
        page, f"id_review_plan_{request.pk}_reason", "【D6】驳回时须写明理由。"
    )


def test_r4_3_progress_reply_per_open_step(cast: dict) -> None:
    order = plan_approved(cast, handling(cast), 20, 60)
    first, second = order.plan_steps.order_by("due_at")
    client = login("east_designee")

    page = section(
        client.get(f"/orders/{order.pk}/").content.decode(), "progress_reply"
    )
    response = client.post(
        f"/orders/{order.pk}/progress-reply/",
        {"item": first.pk, "progress": "第一段管道已开挖，完成约六成。"},
    )

    first.refresh_from_db()
    assert "第1段管道更换" in page and "第2段管道更换" in page
    assert f'id="id_progress_reply_{second.pk}_progress"' in page
    assert response.status_code == 302
    assert first.progress == "第一段管道已开挖，完成约六成。"
    shown = client.get(f"/orders/{order.pk}/").content.decode()
    assert "已回复" in shown and "第一段管道已开挖" in shown
    assert f'id="id_progress_reply_{first.pk}_progress"' not in shown


def test_r4_3_progress_reply_needs_content(cast: dict) -> None:
    order = plan_approved(cast, handling(cast), 20)
    step = order.plan_steps.get()

    response = login("east_designee").post(
        f"/orders/{order.pk}/progress-reply/", {"item": step.pk, "progress": "同上"}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert beside(
        page,
        f"id_progress_reply_{step.pk}_progress",
        "【R4.3】请填写“进展情况”，且须有实际内容。",
    )


def test_r4_3_appeal_group_extends_a_step(cast: dict) -> None:
    order = plan_approved(cast, handling(cast), 20)
    step = order.plan_steps.get()
    ops_page = login("ops").get(f"/orders/{order.pk}/").content.decode()
    appeal = login("appeal")

    refused = appeal.post(
        f"/orders/{order.pk}/extend-plan-step/",
        {"item": step.pk, "new_date": day(10), "reason": "台风过境，施工停工一周。"},
    )
    done = appeal.post(
        f"/orders/{order.pk}/extend-plan-step/",
        {"item": step.pk, "new_date": day(30), "reason": "台风过境，施工停工一周。"},
    )

    step = PlanStep.objects.get(pk=step.pk)
    assert "/extend-plan-step/" not in ops_page
    assert refused.status_code == 400
    assert beside(
        refused.content.decode(),
        f"id_extend_plan_step_{step.pk}_new_date",
        "【R4.3】延长后的日期须晚于原时间节点。",
    )
    assert done.status_code == 302 and step.extended_by_appeal
    assert "申诉延期" in appeal.get(f"/orders/{order.pk}/").content.decode()
