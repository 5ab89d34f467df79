"""Edges of the assessment: quarter ends, late dispatch, calendar changes,
roles and malformed requests (R3.7, D4, D5, docs/assessment.md)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from gongdan.orders import actions, procedures
from gongdan.org.models import Membership, Unit
from gongdan.reports.facts import check_all
from gongdan.reports.queries import (
    assess,
    date_period,
    figure_facts,
)
from gongdan.rules.errors import Conflict
from gongdan.workdays.models import CalendarDay
from tests.api.test_api_orders import client_for
from tests.conftest import GOOD_REPLY, bj
from tests.reports.test_figures import LATER, Q3, Q4, counts, promise

FOLLOWED = dict(
    contacted=True,
    consistent=True,
    false_report=False,
    feedback=True,
    process="satisfied",
    result="satisfied",
)


# --- R3.7: a commitment counts in the period of its promised DATE -------------


def test_r3_7_commitment_due_on_the_quarters_last_day_counts_in_it(flow, cast):
    """A promise for 30 September (due 24:00 that day, stored as 1 October
    00:00) falls due in Q3 (R3.7), not Q4."""
    promise(flow, cast, "2026-09-30")  # never kept: broken

    q3, q4 = counts(Q3, "EAST"), counts(Q4, "EAST")

    assert (q3["commitment_due"], q3["commitment_broken"]) == (1, 1), (q3, q4)
    assert q4["commitment_due"] == 0


def test_r3_7_commitment_counts_in_the_one_day_period_of_its_date(flow, cast):
    """A date range of the single promised day holds the commitment whose
    promised date is that day (both days included, assessment.md)."""
    promise(flow, cast, "2026-08-31")

    day = bj(2026, 8, 31).date()
    assert counts(date_period(day, day), "EAST")["commitment_due"] == 1


# --- R3.6/D4: an overdue for the unit holding the order at the due time -------


def test_d4_overdue_before_dispatch_counts_when_the_unit_receives_it(flow, cast):
    """An urgent order (24 clock hours) received 29 September 09:00 sat at
    the hotline past its due time (30 September 09:00) and was dispatched to
    东城 on 1 October: its overdue counts for 东城 when 东城 received it, in
    Q4, not in Q3 when no unit held it (D4, docs/assessment.md)."""
    order = flow.register(urgency="urgent", received_at=bj(2026, 9, 29, 9, 0))
    order.refresh_from_db()
    assert order.due_at == bj(2026, 9, 30, 9, 0)
    actions.do_dispatch(order, cast.agent, cast.east, at=bj(2026, 10, 1, 10, 0))

    q3, q4 = counts(Q3, "EAST"), counts(Q4, "EAST")

    assert q4["received"] == 1
    assert (q3["overdue"], q4["overdue"]) == (0, 1)


# --- D4: a calendar change must not re-judge a completed round -------------------


def test_d4_calendar_change_keeps_a_judged_rounds_due_time(flow, cast):
    """Two identical orders, both replied on time on 15 July 10:00 (due 24:00
    on 15 July) and judged valid; one is followed up and closed, the other
    still waits for its follow-up. The administrator then marks Saturday 11
    July a make-up working day. docs/decisions.md: "Closed and returned
    orders keep the due time they were judged by": so does the completed
    order still waiting for its follow-up; both stay on time."""
    twins = []
    for _ in range(2):
        order = flow.ready()
        actions.do_submit_reply(
            order,
            cast.east_designee,
            kind="resolved",
            elements=GOOD_REPLY,
            at=bj(2026, 7, 15, 10, 0),
        )
        actions.do_judge_reply(order, cast.ops, valid=True, at=bj(2026, 7, 15, 11, 0))
        twins.append(order)
    actions.do_follow_up(
        twins[0], cast.follower, reached=True, at=bj(2026, 7, 16, 9, 0), **FOLLOWED
    )
    assert counts(Q3, "EAST")["on_time"] == 2

    CalendarDay.objects.create(day=bj(2026, 7, 11).date(), kind="makeup", name="调休")
    actions.recompute_open_due_times(cast.ops, "日历更正", at=bj(2026, 7, 17, 9, 0))

    east = counts(Q3, "EAST")
    assert (east["on_time"], east["overdue"]) == (2, 0), east


# --- who sees the report: pages and API alike (decisions.md) -------------------


def test_report_roles_are_the_same_in_pages_and_api(cast):
    """docs/decisions.md: "Who sees the report: the hotline, the operations
    dept, administrators and unit heads, in the pages and the API alike."
    A follow-up agent (回访坐席) is of the hotline: page and API agree."""
    user = get_user_model().objects.create_user("followup1", password="pw-f")
    Membership.objects.create(
        user=user, unit=Unit.objects.get(code="HOTLINE"), role="followup"
    )
    page = Client()
    page.force_login(user)

    page_status = page.get("/report/?quarter=2026Q3").status_code
    api_status = client_for(user).get("/api/report/?quarter=2026Q3").status_code

    assert page_status == api_status, (page_status, api_status)


# --- refusals are clear errors (Chinese on pages) ----------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/report/?quarter=2026Q5",
        "/report/?start=2026-09-01&end=2026-07-01",
        "/report/orders/?quarter=2026Q3&figure=nope&unit=TOTAL",
    ],
)
def test_report_page_refusal_says_why_in_chinese(cast, path):
    """A malformed period, figure or unit is refused with its reason in
    Chinese, not Django's bare "Not Found" page."""
    client = Client()
    client.force_login(cast.ops)

    response = client.get(path)

    assert response.status_code in (400, 404)
    text = response.content.decode()
    assert "Not Found" not in text and any(
        word in text for word in ("季度", "日期", "指标", "单位")
    ), text


def test_report_page_nul_in_unit_is_refused(cast):
    """A NUL byte in ``unit`` never reaches the database (PostgreSQL would
    refuse it with an error of its own)."""
    client = Client(raise_request_exception=False)
    client.force_login(cast.ops)

    response = client.get("/report/orders/?quarter=2026Q3&figure=overdue&unit=EAST%00")

    assert response.status_code != 500


def test_report_api_nul_in_unit_names_the_field(cast):
    """``unit=EAST%00`` is refused as any unknown unit: ``unit_invalid`` on
    field ``unit``, on SQLite and PostgreSQL alike."""
    answer = client_for(cast.ops).get(
        "/api/report/facts/?quarter=2026Q3&figure=overdue&unit=EAST%00"
    )

    assert answer.status_code == 400
    assert (answer.json()["code"], answer.json()["field"]) == ("unit_invalid", "unit")


def test_report_api_period_error_names_the_bad_field(cast):
    """``start=1999-12-31&end=2026-01-01``: the refusal names ``start``, the
    day out of range."""
    answer = client_for(cast.ops).get("/api/report/?start=1999-12-31&end=2026-01-01")

    assert answer.status_code == 400
    assert answer.json()["field"] == "start"


def test_report_fullwidth_quarter_is_refused(cast):
    """``２０２６Q3`` (full-width digits) is refused: periods are written in
    ASCII digits, as every link and export writes them."""
    answer = client_for(cast.ops).get(
        "/api/report/?quarter=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96Q3"
    )

    assert (answer.status_code, answer.json()["field"]) == (400, "quarter")


# --- facts stay what the history implies ---------------------------------------


def test_d7_facts_survive_a_unit_code_change(flow, cast):
    """Events record the unit's id beside its code, so an order's facts
    still find their unit after its code changed (the admin no longer lets
    it change; a change in the database must not lose facts either)."""
    order = flow.handling()
    before = counts(Q3, "EAST")["received"]
    east = Unit.objects.get(code="EAST")
    east.code = "EAST2"
    east.save()

    assert check_all() == []
    call_command("facts", "--rebuild")
    assert counts(Q3, "EAST2")["received"] == before == 1
    assert order.pk


def test_r4_3_second_plan_after_a_redo_is_approved(flow, cast):
    """A plan is approved (the order completes as plan-resolved), the
    follow-up finds the reply inconsistent and sends it back (R5.5 redo),
    the unit proposes a new plan and the operations dept approves it
    too: its steps are numbered after the first plan's."""
    order = flow.ready()
    plan = dict(
        measures="分两步更换该路段老旧管道。",
        acceptance="来电人认可方案。",
        steps=[{"title": "完成更换", "date": "2026-08-20"}],
    )
    procedures.do_request_plan(
        order, cast.east_designee, **plan, at=bj(2026, 7, 7, 9, 0)
    )
    first = order.requests.get()
    procedures.do_decide_request(
        order, cast.ops, request=first.pk, approve=True, at=bj(2026, 7, 7, 10, 0)
    )
    actions.do_follow_up(
        order,
        cast.follower,
        reached=True,
        at=bj(2026, 7, 8, 9, 0),
        **{**FOLLOWED, "consistent": False},
    )
    procedures.do_request_plan(
        order,
        cast.east_designee,
        **{**plan, "steps": [{"title": "再次更换", "date": "2026-09-10"}]},
        at=bj(2026, 7, 9, 9, 0),
    )
    second = order.requests.filter(state="pending").get()

    procedures.do_decide_request(
        order, cast.ops, request=second.pk, approve=True, at=bj(2026, 7, 9, 10, 0)
    )

    assert order.plan_steps.count() == 2
    assert counts(Q3, "EAST")["plan"] == 2


# --- R3.7: a promise kept on time must be reportable on time ---------------------


def test_r3_7_commitment_kept_during_a_redo_counts_as_kept(flow, cast):
    """东城 promised (short-term reply) to finish by 20 July; the follow-up on
    8 July sent the order back as a redo. 东城 keeps the promise on 18 July
    and reports it with proof while the order is back in its hands: the
    commitment counts as kept by its date, not broken (R3.7)."""
    from gongdan.orders.demo import tiny_pdf

    order = promise(flow, cast, "2026-07-20")
    actions.do_follow_up(
        order,
        cast.follower,
        reached=True,
        at=bj(2026, 7, 8, 9, 0),
        **{**FOLLOWED, "consistent": False},
    )
    actions.do_attach_evidence(
        order,
        cast.east_staff,
        name="竣工.pdf",
        content=tiny_pdf(9),
        purpose="proof",
        at=bj(2026, 7, 18, 9, 0),
    )
    row = order.commitments.get()

    procedures.do_keep_commitment(
        order,
        cast.east_designee,
        commitment=row.pk,
        note="7月18日已完成老管更换并通水",
        at=bj(2026, 7, 18, 10, 0),
    )
    procedures.do_confirm_commitment(
        order, cast.ops, commitment=row.pk, confirm=True, at=bj(2026, 7, 18, 11, 0)
    )

    east = counts(Q3, "EAST")
    assert (east["commitment_kept"], east["commitment_broken"]) == (1, 0)


# --- a request left pending across a completion and a redo -----------------------


def test_r2_2_no_reply_while_a_plan_waits_for_its_decision(flow, cast):
    """A unit that asked for a plan may not also submit a reply while the
    plan waits: one way to end the round at a time, so no plan approved
    later can complete a round that a reply already ended."""
    order = flow.ready()
    procedures.do_request_plan(
        order,
        cast.east_designee,
        measures="分两步更换该路段老旧管道。",
        acceptance="来电人认可方案。",
        steps=[{"title": "完成更换", "date": "2026-08-20"}],
        at=bj(2026, 7, 7, 9, 0),
    )
    events = order.events.count()

    with pytest.raises(Conflict) as caught:
        actions.do_submit_reply(
            order,
            cast.east_designee,
            kind="resolved",
            elements=GOOD_REPLY,
            at=bj(2026, 7, 8, 9, 0),
        )
    with pytest.raises(Conflict):
        procedures.do_request_return(
            order,
            cast.east_designee,
            site_check="现场核实属物业设施。",
            reason="非集团管辖。",
            legal_basis="《城市供水条例》第二十八条。",
            at=bj(2026, 7, 8, 9, 0),
        )

    assert (caught.value.rule, caught.value.code) == ("R2.2", "request_pending")
    assert order.events.count() == events
    assert not order.replies.exists()


def test_r4_6_group_drill_down_equals_total_after_a_unit_kind_change(flow, cast):
    """A unit whose kind changed keeps the facts it had: they stay in the
    table under it and in the group total, as in the group drill-down."""
    flow.handling()  # received by 东城
    flow.handling(unit=cast.west, district="西城区")
    Unit.objects.filter(code="EAST").update(kind="committee")

    total = assess(Q3, LATER).total.counts["received"]

    assert figure_facts("received", Q3, None, LATER).count() == total


def test_d4_a_redo_round_is_overdue_in_lists_as_in_the_report(flow, cast):
    """Round 1 was late with an accepted caller delay; the follow-up sends the
    order back (redo) and round 2 is never replied: the lists and the inbox
    marks show it overdue, as the report counts it (the accepted delay was
    round 1's, D4)."""
    from gongdan.orders.queries import order_is_overdue, overdue_q

    order = flow.caller_delayed(accepted=True)
    actions.do_follow_up(
        order,
        cast.follower,
        reached=True,
        at=order.valid_reply_at + timedelta(days=1),
        **{**FOLLOWED, "consistent": False},
    )
    order.refresh_from_db()
    late = order.due_at + timedelta(days=1)

    assert assess(Q3, late).row("EAST").counts["overdue"] >= 1  # type: ignore[union-attr]
    assert order_is_overdue(order, late)
    assert order.__class__.objects.filter(overdue_q(late), pk=order.pk).exists()


def test_r4_2_an_extension_waiting_when_its_round_ends_lapses(flow, cast):
    """An extension asked in round 1 (7 July) and still waiting when the
    reply is judged valid lapses: no later decision can move round 2's
    fresh due time (R4.2)."""
    order = flow.ready()
    procedures.do_request_extension(
        order,
        cast.east_designee,
        days=5,
        reason="需协调交警占道施工",
        at=bj(2026, 7, 7, 9, 0),
    )
    actions.do_submit_reply(
        order,
        cast.east_designee,
        kind="resolved",
        elements=GOOD_REPLY,
        at=bj(2026, 7, 8, 9, 0),
    )
    actions.do_judge_reply(order, cast.ops, valid=True, at=bj(2026, 7, 8, 10, 0))
    actions.do_follow_up(
        order,
        cast.follower,
        reached=True,
        at=bj(2026, 7, 10, 9, 0),
        **{**FOLLOWED, "consistent": False},
    )
    order.refresh_from_db()
    fresh_due = order.due_at
    stale = order.requests.get(kind="extension")
    assert stale.state == "lapsed"

    with pytest.raises(Conflict):
        procedures.do_decide_request(
            order, cast.ops, request=stale.pk, approve=True, at=bj(2026, 7, 13, 9, 0)
        )
    order.refresh_from_db()
    assert order.due_at == fresh_due


def test_d2_overdue_at_24h_on_the_quarters_last_day_counts_in_it(flow, cast):
    """Received Sunday 20 September 09:00; 7 working days give 24:00 on 30
    September (D2), stored as 1 October 00:00. Never replied: the overdue
    counts in Q3, where its time limit ran out."""
    order = flow.handling(received_at=bj(2026, 9, 20, 9, 0))
    assert order.due_at == bj(2026, 10, 1, 0, 0)

    assert (counts(Q3, "EAST")["overdue"], counts(Q4, "EAST")["overdue"]) == (1, 0)
