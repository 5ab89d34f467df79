"""待办: what each role finds waiting on /queue/, and in what order."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gongdan.orders import actions, procedures
from gongdan.orders.models import Commitment, Order, Unit

from .steps import (
    attach,
    cannot_satisfy,
    handling,
    login,
    plan_approved,
    plan_proposed,
    promised,
    register,
    submitted,
)

REASON = "需协调交警占道施工，须等待审批。"


def set_due(order: Order, hours: float) -> None:
    Order.objects.filter(pk=order.pk).update(
        due_at=timezone.now() + timedelta(hours=hours)
    )


def part(page: str, key: str) -> str:
    """One section of the queue page."""
    start = page.index(f'<section class="card queue" id="{key}">')
    return page[start : page.index("</section>", start)]


def test_queue_linked_in_header_for_work_roles(cast: dict) -> None:
    for username in ("ops", "east_designee", "east_head", "review"):
        page = login(username).get("/queue/").content.decode()
        assert '<a href="/queue/">待办</a>' in page, username


def test_ops_queue(cast: dict) -> None:
    older, newer = handling(cast), handling(cast)
    procedures.do_request_extension(older, cast["east_designee"], days=1, reason=REASON)
    procedures.do_request_extension(newer, cast["east_designee"], days=2, reason=REASON)
    judged = submitted(cast, handling(cast))
    ruled = cannot_satisfy(cast, handling(cast))
    claimed = promised(cast, handling(cast))
    attach(cast, claimed, "proof")
    procedures.do_keep_commitment(
        claimed,
        cast["east_designee"],
        commitment=claimed.commitments.get().pk,
        note="管道已整段更换，水压恢复正常。",
    )
    soon, late = handling(cast), handling(cast)
    set_due(soon, 3)
    set_due(late, -5)

    page = login("ops").get("/queue/").content.decode()

    requests = part(page, "requests")
    assert requests.index(older.number) < requests.index(newer.number)
    assert "单据延时 1 个工作日" in requests
    replies = part(page, "replies")
    assert judged.number in replies and ruled.number not in replies
    assert claimed.number in part(page, "commitments_claimed")
    assert soon.number in part(page, "due_soon")
    assert late.number not in part(page, "due_soon")
    assert late.number in part(page, "overdue")
    assert f'<a href="/orders/{late.pk}/">{late.number}</a>' in page


def test_review_group_queue_holds_long_plans_after_ops(cast: dict) -> None:
    waiting, short, not_yet = handling(cast), handling(cast), handling(cast)
    request = plan_proposed(cast, waiting, 30, 150)
    procedures.do_decide_request(waiting, cast["ops"], request=request.pk, approve=True)
    plan_proposed(cast, short, 30)
    plan_proposed(cast, not_yet, 150)

    page = login("review").get("/queue/").content.decode()

    plans = part(page, "plans")
    assert waiting.number in plans
    assert short.number not in plans and not_yet.number not in plans
    assert "超过 3 个月" in plans


def test_quality_group_queue_holds_cannot_satisfy_replies(cast: dict) -> None:
    ruled = cannot_satisfy(cast, handling(cast))
    judged = submitted(cast, handling(cast))

    page = login("committee").get("/queue/").content.decode()

    section = part(page, "cannot_satisfy")
    assert ruled.number in section and judged.number not in section
    assert "诉求超出供水服务标准" in section


def test_appeal_group_queue_holds_open_steps(cast: dict) -> None:
    order = plan_approved(cast, handling(cast), 20)

    page = login("appeal").get("/queue/").content.decode()

    assert order.number in part(page, "steps")
    assert "第1段管道更换" in part(page, "steps")


def test_unit_queue(cast: dict) -> None:
    soon, late = handling(cast), handling(cast)
    set_due(soon, 3)
    set_due(late, -5)
    west = register(cast, district="西城区")
    actions.do_dispatch(west, cast["agent"], Unit.objects.get(code="WEST"))
    set_due(west, 3)
    later_plan = plan_approved(cast, handling(cast), 60)
    sooner_plan = plan_approved(cast, handling(cast), 20)
    broken = promised(cast, handling(cast))
    Commitment.objects.filter(order=broken).update(
        due_at=timezone.now() - timedelta(days=1)
    )

    page = login("east_staff").get("/queue/").content.decode()

    assert soon.number in part(page, "due_soon")
    assert west.number not in page
    assert late.number in part(page, "overdue")
    steps = part(page, "steps")
    assert steps.index(sooner_plan.number) < steps.index(later_plan.number)
    commitments = part(page, "commitments_open")
    assert broken.number in commitments and "已逾期未兑现" in commitments
    assert 'id="categories"' not in page


def test_head_queue_lists_categories_to_confirm(cast: dict) -> None:
    mine = register(
        cast, category="", category_undetermined=True, candidate_unit="EAST"
    )
    theirs = register(
        cast, category="", category_undetermined=True, candidate_unit="WEST"
    )

    page = login("east_head").get("/queue/").content.decode()

    categories = part(page, "categories")
    assert mine.number in categories and theirs.number not in categories
    assert login("east_head").get(f"/orders/{mine.pk}/").status_code == 200
    assert login("east_head").get(f"/orders/{theirs.pk}/").status_code == 404


def test_r5_1_unit_queue_lists_orders_to_accept_and_replies_sent_back(
    cast: dict,
) -> None:
    from gongdan.orders import actions

    from .steps import register

    waiting = register(cast)
    actions.do_dispatch(waiting, cast["agent"], Unit.objects.get(code="EAST"))
    judged = submitted(cast, handling(cast))
    actions.do_judge_reply(judged, cast["ops"], valid=False, reason="调查情况不实")

    page = login("east_designee").get("/queue/").content.decode()

    accept = page.index('id="accept"')
    back = page.index('id="sent_back"')
    assert f"/orders/{waiting.pk}/" in page[accept:back]
    assert f"/orders/{judged.pk}/" in page[back:]
